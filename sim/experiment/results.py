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

from sim.analysis.stats import median_position
from sim.analysis.summary import COLUMNS, json_ready, summarise
from sim.engine import catalogue
from sim.engine.rng import MAX_SEED, SEED_KEY
from sim.engine.trace import Trace
from sim.errors import ResultsError, ScenarioError, UsageError
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
        """The number of replications."""
        return len(self.replications_index)

    def kpi(self, name: str) -> np.ndarray:
        """One KPI across replications (event days ``nan`` where not reached)."""
        return np.asarray(self.kpis[:, _kpi_index(name)])

    @property
    def summary_rows(self) -> list[dict[str, Any]]:
        """One summary row per KPI, as dictionaries."""
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

    def __repr__(self) -> str:
        from sim.experiment.notebook import run_repr

        return run_repr(self)

    def _repr_html_(self) -> str:
        from sim.experiment.notebook import run_html

        return run_html(self)

    def to_pandas(self, table: str = "summary") -> Any:
        """A pandas DataFrame of ``summary`` (one row per KPI, indexed by name),
        ``replications`` (one row per replication) or ``timeseries`` (the bands).

        Raises:
            UsageError: another table name.
            MissingExtra: pandas is not installed (``pip install '.[notebook]'``).
        """
        from sim.experiment.frames import frame, pandas

        pandas()
        if table == "summary":
            return frame(self.summary_rows, index="kpi")
        if table == "replications":
            return self.replications.to_pandas()
        if table == "timeseries":
            return self.timeseries.to_pandas()
        raise UsageError(f"unknown table {table!r}; give summary, replications or timeseries")

    def representative(self) -> int:
        """The replication whose mean deterrence is the median one (for the timeline plot)."""
        return int(self.replications_index[median_position(self.kpi("deterrence_mean"))])

    def save(self, out: str | Path, *, force: bool = False, extra: Extra | None = None) -> Path:
        """Write the results directory atomically; return its path.

        ``extra(folder)`` may add files (the plots) before the directory is moved into place.

        Raises:
            UsageError: ``out`` exists and ``force`` is false, or appeared meanwhile.
            EnvironmentProblem: the disk is full or the folder cannot be written.
        """
        out = Path(out)
        with store.atomic_directory(out, force) as tmp:
            self.write_files(tmp)
            if extra is not None:
                extra(tmp)
        return out

    def write_files(self, folder: Path) -> None:
        """Write every data file of the contract into ``folder``, ``manifest.json`` last: a
        directory with its manifest is complete.
        """
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
        store.write_json(folder / "manifest.json", self.manifest)


def _kpi_index(name: str) -> int:
    if name not in catalogue.names():
        raise UsageError(f"unknown KPI {name!r}; KPIs are {', '.join(catalogue.names())}")
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

    Only a complete directory is read: one with its ``manifest.json`` (written last), not in a
    staging folder, whose manifest, tables and scenario have what this version needs.

    Raises:
        ResultsError: missing, incomplete, malformed or of another format version; the message
            names the directory and the file.
    """
    from sim.scenario.loader import load_scenario

    folder = Path(folder)
    if not folder.is_dir():
        raise ResultsError(f"{folder}: no such results directory")
    if store.is_staging(folder):
        raise ResultsError(
            f"{folder}: a results directory still being written, or left by a run that died; "
            "not complete"
        )
    missing = [name for name in RESULT_FILES if not (folder / name).is_file()]
    if missing:
        raise ResultsError(
            f"{folder}: not a complete results directory (missing {', '.join(missing)})"
        )
    manifest = store.read_json(folder / "manifest.json")
    seed = check_manifest(folder / "manifest.json", manifest)
    try:
        scenario = load_scenario(folder / "scenario.yaml")
    except ScenarioError as exc:
        raise ResultsError(f"{folder}: scenario.yaml: {exc.problems[0]}") from None
    table = _read_table(folder / "replications.parquet", replication_columns())
    if table.num_rows < 1:
        raise ResultsError(f"{folder}: replications.parquet: no replications")
    if table.num_rows != manifest["replications"]:
        raise ResultsError(
            f"{folder}: replications.parquet: {table.num_rows:,} rows, but manifest.json says "
            f"{manifest['replications']:,} replications"
        )
    index = table.column("replication").to_numpy()
    if len(np.unique(index)) != len(index):
        raise ResultsError(f"{folder}: replications.parquet: a replication appears twice")
    kpis = np.column_stack(
        [
            table.column(name).to_numpy(zero_copy_only=False).astype(float)
            for name in catalogue.names()
        ]
    )
    return RunResult(
        scenario=scenario,
        seed=seed,
        replications_index=index,
        kpis=kpis,
        n_events=table.column("n_events").to_numpy(),
        timeseries=_read_table(folder / "timeseries.parquet", TIMESERIES_COLUMNS),
        manifest=manifest,
        trace=_trace(folder / "representative.json"),
        source=folder,
    )


def _trace(path: Path) -> Trace | None:
    if not path.is_file():
        return None
    try:
        return Trace.from_document(store.read_json(path))
    except (KeyError, TypeError, ValueError) as exc:
        raise ResultsError(f"{path.parent}: {path.name}: not a replication trace ({exc})") from None


def replication_columns() -> dict[str, str]:
    """Columns of replications.parquet that reading needs, and their kind."""
    return {
        "replication": "integer",
        "n_events": "integer",
        **dict.fromkeys(catalogue.names(), "number"),
    }


TIMESERIES_COLUMNS: dict[str, str] = {
    "metric": "string",
    "day": "number",
    **dict.fromkeys(("mean", "p5", "p25", "p50", "p75", "p95"), "number"),
}


def check_manifest(path: Path, manifest: Any) -> int:
    """Check a run's manifest has what reading needs; return its seed.

    Raises:
        ResultsError: not a mapping, a key missing or of the wrong type, another format.
    """
    where = f"{path.parent}: {path.name}"
    if not isinstance(manifest, dict):
        raise ResultsError(f"{where}: expected a mapping, got {type(manifest).__name__}")
    if manifest.get("format_version") != store.FORMAT_VERSION:
        raise ResultsError(
            f"{where}: results format {manifest.get('format_version')!r}; "
            f"this version reads {store.FORMAT_VERSION}"
        )
    if manifest.get("kind", "run") != "run":
        raise ResultsError(f"{where}: a {manifest.get('kind')!r} directory, not a run")
    for key in ("seed", "replications"):
        value = manifest.get(key)
        if key not in manifest:
            raise ResultsError(f"{where}: required key {key!r} is missing")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ResultsError(f"{where}: {key!r} must be a whole number (got {value!r})")
    seed: int = manifest["seed"]
    if not 0 <= seed < MAX_SEED:
        raise ResultsError(f"{where}: 'seed' must be from 0 to 2**63 - 1 (got {seed})")
    if manifest["replications"] < 1:
        raise ResultsError(f"{where}: a run of {manifest['replications']} replications")
    representative = manifest.get("representative_replication", 0)
    if (
        isinstance(representative, bool)
        or not isinstance(representative, int)
        or not 0 <= representative < manifest["replications"]
    ):
        raise ResultsError(
            f"{where}: 'representative_replication' must be one of the replications "
            f"(got {representative!r})"
        )
    return seed


def _read_table(path: Path, columns: dict[str, str]) -> pa.Table:
    """Read a Parquet file of a results directory, checking the columns reading needs."""
    where = f"{path.parent}: {path.name}"
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        raise ResultsError(f"{where}: not a readable Parquet file ({first})") from None
    checks = {
        "integer": pa.types.is_integer,
        "number": lambda t: pa.types.is_integer(t) or pa.types.is_floating(t),
        "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    }
    for name, kind in columns.items():
        if name not in table.column_names:
            raise ResultsError(f"{where}: column {name!r} is missing")
        if not checks[kind](table.schema.field(name).type):
            raise ResultsError(
                f"{where}: column {name!r} is {table.schema.field(name).type}, not {kind}"
            )
    return table
