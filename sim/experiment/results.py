"""The outcome of a Monte Carlo run, in memory or read back from a results directory.

A results directory (the brief's contract)::

    manifest.json          what was run, with which seed, versions, command, timing
    scenario.yaml          the resolved scenario (extends: and --set applied)
    summary.json/.csv      one row per KPI (see sim.analysis.summary)
    replications.parquet   one row per replication: its seed key, event count and every KPI
    timeseries.parquet     per metric and grid day: mean and p5/p25/p50/p75/p95
    representative.json    the trace of the representative replication (for its timeline)
    plots/*.png, *.svg     the standard plots, when the caller draws them (``extra``)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sim.analysis.summary import COLUMNS, json_ready, summarise
from sim.engine import catalogue
from sim.engine.rng import SEED_KEY
from sim.engine.trace import Trace
from sim.errors import ResultsError, ScenarioError
from sim.experiment import store
from sim.scenario import document
from sim.scenario.schema import Scenario

Extra = Callable[[Path], object]
"""Writes more files into a results directory before it is moved into place."""

RESULT_FILES = (
    "manifest.json",
    "scenario.yaml",
    "summary.json",
    "summary.csv",
    "replications.parquet",
    "timeseries.parquet",
)


@dataclass
class RunResult:
    """Replications of one scenario: per-replication KPIs and the time-series bands.

    ``kpis`` is (replications × KPIs) in catalogue order, rows in replication order;
    ``timeseries`` is the bands table; ``manifest`` describes the run.
    """

    scenario: Scenario
    seed: int
    replications_index: np.ndarray
    kpis: np.ndarray
    n_events: np.ndarray
    timeseries: pa.Table
    manifest: dict[str, Any] = field(default_factory=dict)
    trace: Trace | None = None
    """The representative replication's trace (see :meth:`representative`)."""
    source: Path | None = None
    """The results directory this was read from, if any."""

    @property
    def n(self) -> int:
        return len(self.replications_index)

    def kpi(self, name: str) -> np.ndarray:
        """One KPI across replications (event days ``nan`` where not reached)."""
        return np.asarray(self.kpis[:, _kpi_index(name)])

    @property
    def summary_rows(self) -> list[dict[str, Any]]:
        return summarise(self.kpis, float(self.scenario.horizon_days))

    @property
    def summary(self) -> pa.Table:
        """One row per KPI (``.to_pandas()`` for a DataFrame)."""
        rows = self.summary_rows
        return pa.table({c: [row[c] for row in rows] for c in COLUMNS})

    @property
    def replications(self) -> pa.Table:
        """One row per replication: replication, seed, seed key, events, every KPI."""
        columns: dict[str, Any] = {
            "replication": pa.array(self.replications_index, pa.int32()),
            "seed": pa.array(np.full(self.n, self.seed), pa.int64()),
            "seed_key": pa.array(
                [f"seed={self.seed};replication={r}" for r in self.replications_index], pa.string()
            ),
            "n_events": pa.array(self.n_events, pa.int64()),
        }
        for j, kpi in enumerate(catalogue.kpis()):
            columns[kpi.name] = pa.array(self.kpis[:, j], pa.float64())
        return pa.table(columns)

    def representative(self) -> int:
        """The replication whose mean deterrence is the median one (for the timeline plot)."""
        values = self.kpi("deterrence_mean")
        order = np.argsort(values, kind="stable")
        return int(self.replications_index[order[len(order) // 2]])

    def save(self, out: str | Path, *, force: bool = False, extra: Extra | None = None) -> Path:
        """Write the results directory atomically; return its path.

        ``extra(folder)`` may add files (the plots) before the directory is moved into place.

        Raises:
            ScenarioError: ``out`` exists and ``force`` is false.
        """
        out = Path(out)
        with store.atomic_directory(out, force) as tmp:
            self.write_files(tmp)
            if extra is not None:
                extra(tmp)
        return out

    def write_files(self, folder: Path) -> None:
        """Write every data file of the contract into ``folder``."""
        store.write_json(folder / "manifest.json", self.manifest)
        (folder / "scenario.yaml").write_text(
            document.scenario_yaml(self.scenario), encoding="utf-8"
        )
        rows = self.summary_rows
        store.write_json(folder / "summary.json", json_ready(rows))
        plain = json_ready(rows)
        store.write_csv(folder / "summary.csv", COLUMNS, ([r[c] for c in COLUMNS] for r in plain))
        store.write_parquet(folder / "replications.parquet", self.replications)
        store.write_parquet(folder / "timeseries.parquet", self.timeseries)
        if self.trace is not None:
            store.write_json(folder / "representative.json", self.trace.to_document())


def _kpi_index(name: str) -> int:
    if name not in catalogue.names():
        raise ScenarioError.single(
            "--kpi",
            "--kpi",
            f"unknown KPI {name!r}; KPIs are {', '.join(k.name for k in catalogue.kpis())}",
        )
    return catalogue.index(name)


def new_manifest(scenario: Scenario, seed: int, extra: dict[str, Any]) -> dict[str, Any]:
    """The manifest of a run, before timing is filled in."""
    return {
        "format_version": store.FORMAT_VERSION,
        "kind": "run",
        "scenario": {
            "name": scenario.name,
            "description": scenario.description,
            "sha256": document.scenario_sha256(scenario),
            "start": scenario.start.isoformat(),
            "horizon_days": scenario.horizon_days,
        },
        "seed": seed,
        "seed_key": SEED_KEY,
        **extra,
        "versions": store.versions(),
        "command": store.command_line(),
        "provenance": document.provenance(scenario),
    }


def load_results(folder: str | Path) -> RunResult:
    """Read a results directory written by ``wargame run``.

    Raises:
        ResultsError: a file is missing or of another format version.
    """
    from sim.scenario.loader import load_scenario

    folder = Path(folder)
    if not folder.is_dir():
        raise ResultsError(f"{folder}: no such results directory")
    missing = [name for name in RESULT_FILES if not (folder / name).exists()]
    if missing:
        raise ResultsError(
            f"{folder}: not a complete results directory (missing {', '.join(missing)})"
        )
    manifest = store.read_json(folder / "manifest.json")
    if manifest.get("format_version") != store.FORMAT_VERSION:
        raise ResultsError(
            f"{folder}: results format {manifest.get('format_version')!r}; "
            f"this version reads {store.FORMAT_VERSION}"
        )
    scenario = load_scenario(folder / "scenario.yaml")
    table = pq.read_table(folder / "replications.parquet")
    kpis = np.column_stack([table.column(k.name).to_numpy() for k in catalogue.kpis()])
    return RunResult(
        scenario=scenario,
        seed=int(manifest["seed"]),
        replications_index=table.column("replication").to_numpy(),
        kpis=kpis,
        n_events=table.column("n_events").to_numpy(),
        timeseries=pq.read_table(folder / "timeseries.parquet"),
        manifest=manifest,
        trace=_trace(folder / "representative.json"),
        source=folder,
    )


def _trace(path: Path) -> Trace | None:
    return Trace.from_document(store.read_json(path)) if path.is_file() else None
