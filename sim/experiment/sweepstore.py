"""A sweep directory on disk: its layout, set-up files, chunks, failure records and tables.

Layout of a sweep directory (``results/sweeps/<name>/<UTC time>-<hash>/``)::

    manifest.json        spec, design size, seed, versions, command (written once, first)
    spec.yaml, base.yaml the resolved spec and base scenario (what --resume reads)
    design.parquet       point number and the value of every factor
    chunks/part-p<point>-r<first>.parquet   one file per finished chunk (atomic): a row per
                         replication of its points that succeeded (sim.experiment.chunks)
    chunks/fail-p<point>.json               a point that failed, with its error
    points.parquet       per point: factors, status, error, every KPI with its 95% interval
    sensitivity.json     Morris or Sobol' indices of each KPI of interest (those designs)
    plots/               response curves, heatmaps, tornado bars, scatter matrix (drawn by
                         the caller)

Only the driver writes here, and every file is written to a temporary name and renamed, so a
directory interrupted at any moment holds whole chunks only: listing ``chunks/`` says exactly
which work is done. Nothing here runs replications or computes statistics.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from sim.engine import catalogue
from sim.engine.rng import SEED_KEY
from sim.errors import ResultsError, ScenarioError
from sim.experiment import store
from sim.experiment.chunks import Chunk, ChunkLayout
from sim.experiment.design import Design, build_design
from sim.experiment.spec import SweepSpec
from sim.experiment.sweepchunk import PointFailure, SweepResult
from sim.scenario import document
from sim.scenario.loader import load_scenario

SETUP_FILES = ("spec.yaml", "base.yaml", "design.parquet", "manifest.json")
"""What :meth:`SweepStore.create` writes, manifest last: a sweep directory is set up when it
has them all."""


def fail_name(point: int) -> str:
    """The failure record of ``point``."""
    return f"fail-p{point:06d}.json"


def plain(value: Any) -> Any:
    """A factor value as a Python scalar (numpy scalars would not infer Arrow types alike)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass
class SweepStore:
    """A sweep directory, the design it holds and how its work is cut into chunks."""

    folder: Path
    design: Design
    layout: ChunkLayout

    @property
    def spec(self) -> SweepSpec:
        """The sweep spec behind the design."""
        return self.design.spec

    def __repr__(self) -> str:
        return (
            f"SweepStore({self.spec.name!r}, design={self.spec.design!r}, "
            f"points={self.design.size:,}, folder='{self.folder}')"
        )

    @property
    def chunk_folder(self) -> Path:
        """The directory of the chunk files."""
        return self.folder / "chunks"

    # -- setting up ------------------------------------------------------------------------

    @classmethod
    def create(
        cls, design: Design, folder: Path, force: bool = False, layout: ChunkLayout | None = None
    ) -> SweepStore:
        """Write the set-up files of a new sweep (atomically) and return it.

        ``layout`` overrides the chunk layout the design's size calls for (tests and
        benchmarks compare layouts; results do not depend on it).
        """
        layout = layout or ChunkLayout.for_design(design.size, design.spec.reps)
        sweep = cls(folder, design, layout)
        with store.atomic_directory(folder, force) as tmp:
            (tmp / "chunks").mkdir()
            spec_doc = design.spec.model_dump(mode="json", by_alias=True, exclude_none=True)
            spec_doc["base"] = "base.yaml"
            (tmp / "spec.yaml").write_text(
                yaml.safe_dump(spec_doc, sort_keys=False), encoding="utf-8"
            )
            (tmp / "base.yaml").write_text(document.scenario_yaml(design.base), encoding="utf-8")
            store.write_parquet(tmp / "design.parquet", sweep.design_table())
            store.write_json(tmp / "manifest.json", sweep.manifest())
        return sweep

    @classmethod
    def open(cls, folder: Path) -> SweepStore:
        """Reopen a sweep directory to resume it.

        Raises:
            ResultsError: not a sweep directory.
        """
        from sim.experiment.spec import load_spec

        if not folder.is_dir():
            raise ResultsError(f"{folder}: no such sweep directory")
        if store.is_staging(folder):
            raise ResultsError(
                f"{folder}: a sweep directory still being set up, or left by a run that died"
            )
        for name in SETUP_FILES:
            if not (folder / name).is_file():
                raise ResultsError(f"{folder}: not a sweep directory ({name} is missing)")
        manifest = store.read_json(folder / "manifest.json")
        if not isinstance(manifest, dict) or manifest.get("kind") != "sweep":
            raise ResultsError(f"{folder}: manifest.json: not the manifest of a sweep")
        if manifest.get("format_version") != store.FORMAT_VERSION:
            raise ResultsError(
                f"{folder}: manifest.json: results format {manifest.get('format_version')!r}; "
                f"this version reads {store.FORMAT_VERSION}"
            )
        if not (folder / "chunks").is_dir():
            raise ResultsError(f"{folder}: not a sweep directory (chunks/ is missing)")
        try:
            spec = load_spec(folder / "spec.yaml")
            base = load_scenario(folder / "base.yaml")
            design = build_design(spec, base, max_points=None)
        except ScenarioError as exc:
            raise ResultsError(f"{folder}: {exc.problems[0]}") from None
        if design.size != manifest.get("points"):
            raise ResultsError(
                f"{folder}: manifest.json: {manifest.get('points')!r} points, but spec.yaml "
                f"and base.yaml make {design.size}"
            )
        try:
            layout = ChunkLayout.from_manifest(manifest)
        except (KeyError, TypeError, ValueError) as exc:
            raise ResultsError(f"{folder}: manifest.json: no chunk layout ({exc})") from None
        if layout.points != design.size or layout.reps != spec.reps:
            raise ResultsError(
                f"{folder}: manifest.json: a chunk layout of {layout.points} points × "
                f"{layout.reps} replications, but spec.yaml makes {design.size} × {spec.reps}"
            )
        return cls(folder, design, layout)

    def design_table(self) -> pa.Table:
        """``design.parquet``: the point number and the value of every factor."""
        columns: dict[str, Any] = {"point": pa.array(range(self.design.size), pa.int32())}
        for j, label in enumerate(self.design.labels):
            columns[label] = pa.array([plain(row[j]) for row in self.design.values])
        return pa.table(columns)

    def manifest(self) -> dict[str, Any]:
        """``manifest.json``: what the sweep is, with which seed, versions and command."""
        spec = self.spec
        return {
            "format_version": store.FORMAT_VERSION,
            "kind": "sweep",
            "name": spec.name,
            "description": spec.description,
            "design": spec.design,
            "points": self.design.size,
            "factors": [
                {
                    "label": f.label,
                    "targets": [t.dotted for t in f.targets],
                    "scale": f.parameter.scale,
                }
                for f in self.design.factors
            ],
            "replications_per_point": spec.reps,
            **self.layout.manifest(),
            "seed": spec.seed,
            "seed_key": SEED_KEY + "; the same for every point (common random numbers)",
            "kpis": spec.kpis,
            "base": {
                "name": self.design.base.name,
                "sha256": document.scenario_sha256(self.design.base),
            },
            "spec": spec.model_dump(mode="json", by_alias=True, exclude_none=True),
            "versions": store.versions(),
            "command": store.command_line(),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    # -- chunks and failures ---------------------------------------------------------------

    def on_disk(self) -> set[str]:
        """Names of the chunk files and failure records written so far (one listing)."""
        return {entry.name for entry in os.scandir(self.chunk_folder)}

    def remove_partial_writes(self) -> None:
        """Delete the temporary files of a driver that died between a write and its rename."""
        for leftover in self.chunk_folder.glob("*.tmp"):
            leftover.unlink()

    def write_chunk(self, chunk: Chunk, result: SweepResult) -> None:
        """Write one chunk's replications (atomically): a row per replication, every KPI."""
        columns: dict[str, Any] = {
            "point": pa.array(result.point, pa.int32()),
            "replication": pa.array(result.replication, pa.int32()),
            "n_events": pa.array(result.n_events, pa.int64()),
        }
        for j, kpi in enumerate(catalogue.kpis()):
            columns[kpi.name] = pa.array(result.kpis[:, j], pa.float64())
        store.atomic_write_parquet(self.chunk_folder / chunk.name, pa.table(columns))

    def read_chunks(self, chunks: Iterable[Chunk]) -> pa.Table:
        """The rows of these chunk files, in that order.

        Raises:
            ResultsError: a chunk cannot be read; the message says how to recover.
        """
        tables = []
        for chunk in chunks:
            try:
                tables.append(pq.read_table(self.chunk_folder / chunk.name))
            except (OSError, pa.ArrowException) as exc:
                first = (str(exc).strip().splitlines() or [""])[0]
                raise ResultsError(
                    f"{self.chunk_folder}: chunk {chunk.name} (points {chunk.first_point}"
                    f"-{chunk.first_point + chunk.points - 1}) cannot be read ({first}); "
                    "delete it and resume to compute it again"
                ) from None
        return pa.concat_tables(tables)

    def record_failure(self, failure: PointFailure) -> None:
        """Write ``fail-p<point>.json``: the error, and the traceback of a replication that
        raised (None for a point whose scenario is invalid).

        A point split into several chunks may fail in more than one; the record of its
        earliest failing replication is kept, so that the error reported does not depend on
        which chunk finished first.
        """
        path = self.chunk_folder / fail_name(failure.point)
        if path.is_file():
            try:
                kept = json.loads(path.read_text(encoding="utf-8"))["replication"]
                if isinstance(kept, int) and kept <= failure.replication:
                    return
            except (OSError, ValueError, KeyError, TypeError):
                pass  # an unreadable record (or one from an older version) is replaced
        tmp = path.with_suffix(".tmp")
        record = {
            "point": failure.point,
            "error": failure.error,
            "traceback": failure.traceback,
            "replication": failure.replication,
        }
        tmp.write_text(json.dumps(record) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    def failure_text(self, point: int) -> str:
        """The error recorded for a failed point (or why the record cannot be read)."""
        try:
            record = json.loads((self.chunk_folder / fail_name(point)).read_text())
            return str(record["error"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return f"failed; its record {fail_name(point)} cannot be read ({exc})"

    # -- finished tables -------------------------------------------------------------------

    def write_points(self, table: pa.Table) -> None:
        """Write ``points.parquet`` (atomically)."""
        store.atomic_write_parquet(self.folder / "points.parquet", table)

    def write_sensitivity(self, indices: dict[str, Any]) -> None:
        """Write ``sensitivity.json`` (atomically)."""
        tmp = self.folder / "sensitivity.json.tmp"
        tmp.write_text(json.dumps(indices, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.folder / "sensitivity.json")


def points_table(
    design: Design,
    status: list[str],
    error: list[str | None],
    n: np.ndarray,
    estimates: np.ndarray,
) -> pa.Table:
    """``points.parquet``: per point its factors, status, error, replications and estimates.

    Args:
        design: the sweep's design (factor labels and values).
        status: ``ok`` or ``failed`` per point.
        error: the failure's text per point (None where ok).
        n: replications behind each point's estimates (0 where failed).
        estimates: (points × estimate columns), ``nan`` where there is no estimate; stored as
            nulls, and a column with no value at all as Arrow's null type (what readers of
            earlier sweeps saw).
    """
    from sim.analysis.points import estimate_columns

    columns: dict[str, Any] = {"point": pa.array(range(design.size), pa.int64())}
    for j, label in enumerate(design.labels):
        columns[label] = pa.array([plain(row[j]) for row in design.values])
    columns["status"] = pa.array(status)
    columns["error"] = pa.array(error)
    columns["n"] = pa.array(n, pa.int64())
    for j, name in enumerate(estimate_columns()):
        values = estimates[:, j]
        missing = np.isnan(values)
        columns[name] = (
            pa.nulls(len(values)) if missing.all() else pa.array(values, pa.float64(), missing)
        )
    return pa.table(columns)
