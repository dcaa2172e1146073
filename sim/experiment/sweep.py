"""Batch sweeps: many design points × replications, streamed to disk, resumable.

Layout of a sweep directory (``results/sweeps/<name>/<UTC time>-<hash>/``)::

    manifest.json        spec, design size, seed, versions, command (written once, first)
    spec.yaml, base.yaml the resolved spec and base scenario (what --resume reads)
    design.parquet       point number and the value of every factor
    chunks/part-p<point>-r<first>.parquet   one file per finished chunk (atomic)
    chunks/fail-p<point>.json               a point that failed, with its error
    points.parquet       per point: factors, status, error, every KPI with its 95% interval
    sensitivity.json     Morris or Sobol' indices of each KPI of interest (those designs)
    plots/               response curves, heatmaps, tornado bars, scatter matrix (drawn by
                         the caller)

Every replication of every point uses the same root seed and replication numbers, so points
share their random numbers. The driver is the only writer; chunks are written as they finish,
so an interrupted sweep resumes by running exactly the chunks not yet on disk.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from sim.analysis.summary import estimate
from sim.engine import catalogue
from sim.engine.rng import SEED_KEY
from sim.errors import ResultsError, ScenarioError, SimulationError
from sim.experiment import store
from sim.experiment.design import Design, build_design
from sim.experiment.executors import make_executor
from sim.experiment.replicate import ChunkResult, ChunkTask, run_chunk
from sim.experiment.spec import MAX_POINTS, SweepSpec
from sim.scenario import document
from sim.scenario.loader import load_scenario
from sim.scenario.marked import MarkedList

CHUNK_REPS = 100
SETUP_FILES = ("spec.yaml", "base.yaml", "design.parquet", "manifest.json")
"""What Sweep.create writes, manifest last: a sweep directory is set up when it has them all."""
"""Replications per task: about a second of work, far above dispatch overhead (METHODS §4.3)."""


@dataclass(frozen=True)
class ChunkFailure:
    """A chunk whose replications raised: the error in one line, and its traceback."""

    key: str
    error: str
    traceback: str | None = None


@dataclass
class SweepStatus:
    """Progress of a sweep: points and chunks done, failed, computed in this invocation."""

    points: int
    chunks: int
    done_chunks: int = 0
    failed_points: set[int] = field(default_factory=set)
    finished_points: int = 0
    partial: dict[int, int] = field(default_factory=dict)
    """Chunks already done of points still running."""
    computed: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    rows: list[dict[str, Any]] = field(default_factory=list)
    """Per point, once finished: factors, status and every KPI's estimate (points.parquet)."""
    indices: dict[str, Any] | None = None
    """Sensitivity indices, once finished, for the designs that have them."""

    def eta_seconds(self) -> float | None:
        remaining = self.chunks - self.done_chunks
        done_now = len(self.computed)
        if done_now == 0:
            return None
        return (time.perf_counter() - self.started) / done_now * remaining


Progress = Callable[[SweepStatus], None]


def run_sweep_chunk(task: ChunkTask) -> ChunkResult | ChunkFailure:
    """Run one chunk in a worker; an exception becomes a recorded failure, not a crash."""
    try:
        return run_chunk(task)
    except Exception as exc:  # isolate the failing point; the sweep goes on
        cause = exc.__cause__ if isinstance(exc, SimulationError) and exc.__cause__ else exc
        return ChunkFailure(
            task.key,
            f"{type(exc).__name__}: {exc}",
            "".join(traceback.format_exception(type(cause), cause, cause.__traceback__)),
        )


def _part_name(point: int, first: int) -> str:
    return f"part-p{point:06d}-r{first:06d}.parquet"


def _fail_name(point: int) -> str:
    return f"fail-p{point:06d}.json"


def _chunks(reps: int) -> list[tuple[int, int]]:
    return [(first, min(CHUNK_REPS, reps - first)) for first in range(0, reps, CHUNK_REPS)]


@dataclass
class Sweep:
    """A sweep directory and the design it runs."""

    folder: Path
    design: Design

    @property
    def spec(self) -> SweepSpec:
        return self.design.spec

    def __repr__(self) -> str:
        return (
            f"Sweep({self.spec.name!r}, design={self.spec.design!r}, "
            f"points={self.design.size:,}, folder='{self.folder}')"
        )

    @property
    def chunk_folder(self) -> Path:
        return self.folder / "chunks"

    # -- setting up ------------------------------------------------------------------------

    @classmethod
    def create(cls, design: Design, folder: Path, force: bool = False) -> Sweep:
        """Write the set-up files of a new sweep (atomically) and return it."""
        sweep = cls(folder, design)
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
    def open(cls, folder: Path) -> Sweep:
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
        return cls(folder, design)

    def design_table(self) -> pa.Table:
        columns: dict[str, Any] = {"point": pa.array(range(self.design.size), pa.int32())}
        for j, label in enumerate(self.design.labels):
            columns[label] = pa.array([_plain(row[j]) for row in self.design.values])
        return pa.table(columns)

    def manifest(self) -> dict[str, Any]:
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
            "chunk_replications": CHUNK_REPS,
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

    # -- running ---------------------------------------------------------------------------

    def on_disk(self) -> set[str]:
        """Names of the chunk files written so far (one directory listing)."""
        return {entry.name for entry in os.scandir(self.chunk_folder)}

    def pending(self, status: SweepStatus) -> Iterator[ChunkTask]:
        """Tasks for chunks not yet on disk, point by point (lazily: memory stays flat)."""
        chunks = _chunks(self.spec.reps)
        done = self.on_disk()
        for point in range(self.design.size):
            if _fail_name(point) in done:
                status.failed_points.add(point)
                status.done_chunks += len(chunks)
                continue
            todo = [
                (first, count) for first, count in chunks if _part_name(point, first) not in done
            ]
            status.done_chunks += len(chunks) - len(todo)
            if not todo:
                status.finished_points += 1
                continue
            status.partial[point] = len(chunks) - len(todo)
            scenario = self.design.scenario(point)
            if isinstance(scenario, str):
                self._record_failure(point, f"invalid scenario at this point: {scenario}")
                status.failed_points.add(point)
                status.done_chunks += len(todo)
                continue
            for first, count in todo:
                yield ChunkTask(
                    f"{self.spec.name}-p{point:06d}-r{first:06d}",
                    scenario,
                    self.spec.seed,
                    first,
                    count,
                    grids=False,
                    point=point,
                )

    def _record_failure(self, point: int, error: str, trace: str | None = None) -> None:
        """Write ``fail-p<point>.json``: the error, and the traceback of a replication that
        raised (None for a point whose scenario is invalid)."""
        path = self.chunk_folder / _fail_name(point)
        tmp = path.with_suffix(".tmp")
        record = {"point": point, "error": error, "traceback": trace}
        tmp.write_text(json.dumps(record) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    def failure_text(self, point: int) -> str:
        """The error recorded for a failed point (or why the record cannot be read)."""
        try:
            record = json.loads((self.chunk_folder / _fail_name(point)).read_text())
            return str(record["error"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return f"failed; its record {_fail_name(point)} cannot be read ({exc})"

    def _store(self, task: ChunkTask, result: ChunkResult) -> None:
        point = task.point
        columns: dict[str, Any] = {
            "point": pa.array(np.full(len(result.kpis), point), pa.int32()),
            "replication": pa.array(np.arange(task.first, task.first + task.count), pa.int32()),
            "n_events": pa.array(result.n_events, pa.int64()),
        }
        for j, kpi in enumerate(catalogue.kpis()):
            columns[kpi.name] = pa.array(result.kpis[:, j], pa.float64())
        store.atomic_write_parquet(
            self.chunk_folder / _part_name(point, task.first), pa.table(columns)
        )

    def run(
        self,
        *,
        workers: int | None = None,
        scheduler: str | None = None,
        progress: Progress | None = None,
    ) -> SweepStatus:
        """Run every missing chunk, then write the per-point table and the indices."""
        for leftover in self.chunk_folder.glob("*.tmp"):  # a crash between write and rename
            leftover.unlink()
        per_point = len(_chunks(self.spec.reps))
        status = SweepStatus(points=self.design.size, chunks=self.design.size * per_point)
        executor = make_executor(workers, scheduler)
        try:
            for task, outcome in executor.imap(run_sweep_chunk, self.pending(status)):
                point = task.point
                if isinstance(outcome, ChunkFailure):
                    self._record_failure(point, outcome.error, outcome.traceback)
                    status.failed_points.add(point)
                else:
                    self._store(task, outcome)
                status.partial[point] = status.partial.get(point, 0) + 1
                if status.partial[point] == per_point:
                    del status.partial[point]
                    status.finished_points += point not in status.failed_points
                status.computed.append(task.key)
                if progress is not None:
                    progress(status)
        except BaseException:
            executor.terminate()  # Ctrl-C, SIGTERM: the chunks on disk stay, for --resume
            raise
        executor.close()
        status.rows, status.indices = self.finish()
        return status

    # -- finishing -------------------------------------------------------------------------

    def point_rows(self) -> Iterator[dict[str, Any]]:
        """Per point: factors, status, error, and every KPI's estimate with its interval."""
        horizon = float(self.design.base.horizon_days)
        done = self.on_disk()
        chunks = _chunks(self.spec.reps)
        for point in range(self.design.size):
            row: dict[str, Any] = {"point": point}
            row.update(
                {
                    label: _plain(value)
                    for label, value in zip(
                        self.design.labels, self.design.values[point], strict=True
                    )
                }
            )
            failed = _fail_name(point) in done
            parts = [
                self.chunk_folder / _part_name(point, first)
                for first, _ in chunks
                if _part_name(point, first) in done
            ]
            if failed or len(parts) < len(chunks):
                error = self.failure_text(point) if failed else "not run"
                row.update(status="failed", error=error, n=0)
                for kpi in catalogue.kpis():
                    row.update(
                        {kpi.name: None, f"{kpi.name}_ci_low": None, f"{kpi.name}_ci_high": None}
                    )
                yield row
                continue
            try:
                table = pa.concat_tables([pq.read_table(p) for p in parts])
            except (OSError, pa.ArrowException) as exc:
                first = (str(exc).strip().splitlines() or [""])[0]
                raise ResultsError(
                    f"{self.chunk_folder}: a chunk of point {point} cannot be read ({first}); "
                    "delete it and resume to compute it again"
                ) from None
            row.update(status="ok", error=None, n=table.num_rows)
            values = {name: table.column(name).to_numpy() for name in catalogue.names()}
            for kpi in catalogue.kpis():
                interval = estimate(kpi, values, horizon)
                row.update(
                    {
                        kpi.name: _finite(interval.estimate),
                        f"{kpi.name}_ci_low": _finite(interval.low),
                        f"{kpi.name}_ci_high": _finite(interval.high),
                    }
                )
            yield row

    def finish(self) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """Write points.parquet and sensitivity.json; return the point rows and the indices."""
        rows = list(self.point_rows())
        columns = list(rows[0]) if rows else []
        table = pa.table({c: [r[c] for r in rows] for c in columns})
        store.atomic_write_parquet(self.folder / "points.parquet", table)
        indices = self.sensitivity(rows)
        if indices is not None:
            tmp = self.folder / "sensitivity.json.tmp"
            tmp.write_text(json.dumps(indices, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, self.folder / "sensitivity.json")
        return rows, indices

    def sensitivity(self, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        """Morris or Sobol' indices per KPI of interest, when the design allows them."""
        if self.spec.design not in ("morris", "sobol"):
            return None
        from sim.analysis.sensitivity import morris_indices, sobol_indices

        failed = [r["point"] for r in rows if r["status"] != "ok"]
        out: dict[str, Any] = {
            "design": self.spec.design,
            "points": len(rows),
            "replications_per_point": self.spec.reps,
            "kpis": {},
        }
        if failed:
            out["skipped"] = (
                f"{len(failed)} point(s) failed, so the design is incomplete and "
                "no indices are computed"
            )
            return out
        labels = self.design.labels
        for name in self.spec.kpis:
            y = np.array([r[name] if r[name] is not None else np.nan for r in rows], float)
            if np.isnan(y).any() or np.ptp(y) == 0:
                out["kpis"][name] = {
                    "skipped": "the KPI does not vary (or is missing) across points"
                }
                continue
            if self.spec.design == "morris":
                out["kpis"][name] = morris_indices(
                    labels, self.design.unit, y, self.spec.levels, self.spec.seed
                )
            else:
                out["kpis"][name] = sobol_indices(labels, y, self.spec.seed)
            out["kpis"][name]["kind"] = catalogue.get(name).kind
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _finite(value: float) -> float | None:
    return None if value != value else float(value)  # nan → None


def new_sweep_folder(spec: SweepSpec, base_sha: str) -> Path:
    """``results/sweeps/<name>/<UTC time>-<hash>``."""
    identity = json.dumps(spec.model_dump(mode="json", by_alias=True), sort_keys=True) + base_sha
    return store.new_directory("sweeps", spec.name, identity=identity)


def prepare(
    spec: SweepSpec,
    spec_path: Path | None,
    out: Path | None,
    force: bool,
    marks: Any = None,
    max_points: int | None = MAX_POINTS,
) -> Sweep:
    """Resolve the base scenario and the design, and create the sweep directory.

    Problems of the spec's own ``set:`` overrides point at their lines in the spec.

    Raises:
        ScenarioError: the spec, its base or a parameter is invalid, or the design is larger
            than ``max_points`` (nothing is written).
    """
    base_path = Path(spec.base)
    if spec_path is not None and not base_path.is_absolute():
        base_path = spec_path.parent / base_path
    if not base_path.is_file():
        where = marks.marks.get("base") if marks is not None else None
        if where is not None:
            raise ScenarioError(
                [
                    where.problem(
                        "base", f"base scenario {spec.base!r} not found (looked for {base_path})"
                    )
                ]
            )
        raise ScenarioError.single(str(base_path), "base", "base scenario not found")
    written = marks.get("set") if marks is not None else None
    origins = list(written.marks) if isinstance(written, MarkedList) else None
    base = load_scenario(base_path, spec.set_, origins)
    design = build_design(spec, base, marks, max_points)
    folder = out or new_sweep_folder(spec, document.scenario_sha256(base))
    store.check_target(folder, force)
    return Sweep.create(design, folder, force)
