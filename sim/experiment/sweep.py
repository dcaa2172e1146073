"""Batch sweeps: many design points × replications, streamed to disk, resumable.

:func:`prepare` resolves a spec into a design and creates its directory
(:mod:`sim.experiment.sweepstore`); :func:`run_sweep` runs every chunk not yet on disk on an
executor, storing each as it finishes, then writes the per-point table and the sensitivity
indices, computed by :mod:`sim.analysis.points` and :mod:`sim.analysis.sensitivity`.

Every replication of every point uses the same root seed and replication numbers, so points
share their random numbers. The driver is the only writer; chunks are written as they finish,
so an interrupted sweep resumes by running exactly the chunks not yet on disk.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sim.analysis.points import estimate_columns, point_estimates
from sim.analysis.sensitivity import sweep_indices
from sim.engine import catalogue
from sim.errors import ScenarioError
from sim.experiment import store
from sim.experiment.chunks import Chunk
from sim.experiment.design import build_design
from sim.experiment.executors import make_executor
from sim.experiment.spec import SweepSpec
from sim.experiment.sweepchunk import SweepResult, SweepTask, run_sweep_chunk
from sim.experiment.sweepstore import SweepStore, fail_name, points_table
from sim.limits import MAX_POINTS
from sim.scenario import document
from sim.scenario.loader import load_scenario
from sim.scenario.marked import MarkedList

Sweep = SweepStore
"""The name :mod:`sim.plot.sweep` knows a sweep by: its directory and design."""


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
    """The chunk files computed in this invocation."""
    replication_seconds: float = 0.0
    """Time the workers spent in replications in this invocation (the rest of the wall time
    is the sweep's overhead, divided among the workers)."""
    started: float = field(default_factory=time.perf_counter)
    table: pa.Table | None = None
    """Per point, once finished: factors, status and every KPI's estimate (points.parquet)."""
    indices: dict[str, Any] | None = None
    """Sensitivity indices, once finished, for the designs that have them."""

    def eta_seconds(self) -> float | None:
        """Seconds left at this invocation's pace per chunk; None until it has computed one."""
        remaining = self.chunks - self.done_chunks
        done_now = len(self.computed)
        if done_now == 0:
            return None
        return (time.perf_counter() - self.started) / done_now * remaining

    def advance(self, chunk: Chunk, per_point: int) -> None:
        """Count a finished chunk, and the points it finishes."""
        self.done_chunks += 1
        for point in chunk.point_range:
            done = self.partial.pop(point, 0) + 1
            if done < per_point:
                self.partial[point] = done
            elif point not in self.failed_points:
                self.finished_points += 1


Progress = Callable[[SweepStatus], None]


@dataclass
class Estimates:
    """Per point, the estimates workers computed with their chunks (``known``), and the
    replications behind them.
    """

    values: np.ndarray
    n: np.ndarray
    known: np.ndarray

    @classmethod
    def empty(cls, points: int) -> Estimates:
        """No estimates yet for ``points`` points."""
        return cls(
            np.full((points, len(estimate_columns())), np.nan),
            np.zeros(points, dtype=np.int64),
            np.zeros(points, dtype=bool),
        )

    def add(self, result: SweepResult, reps: int) -> None:
        """Record a chunk's estimates of its points, made from ``reps`` replications each."""
        self.values[result.estimated] = result.estimates
        self.n[result.estimated] = reps
        self.known[result.estimated] = True


def pending(sweep: SweepStore, status: SweepStatus) -> Iterator[SweepTask]:
    """Tasks for the chunks not yet on disk, in order (lazily: memory stays flat)."""
    spec, layout = sweep.spec, sweep.layout
    done = sweep.on_disk()
    status.failed_points.update(
        int(name.removeprefix("fail-p").removesuffix(".json"))
        for name in done
        if name.startswith("fail-p") and name.endswith(".json")
    )
    for chunk in layout:
        if chunk.name in done:
            status.advance(chunk, layout.per_point)
            continue
        yield SweepTask(
            f"{spec.name}-p{chunk.first_point:06d}-r{chunk.first_rep:06d}",
            chunk,
            sweep.design.base,
            tuple(sweep.design.changes(point) for point in chunk.point_range),
            spec.seed,
            estimate=layout.per_point == 1,
        )


def run_sweep(
    sweep: SweepStore,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> SweepStatus:
    """Run every missing chunk, then write the per-point table and the indices.

    Each chunk's failure records are written before its file, so a chunk on disk has its
    failures on disk too.
    """
    sweep.remove_partial_writes()
    layout = sweep.layout
    status = SweepStatus(points=sweep.design.size, chunks=len(layout))
    estimates = Estimates.empty(sweep.design.size)
    executor = make_executor(workers, scheduler)
    try:
        for task, result in executor.imap(run_sweep_chunk, pending(sweep, status)):
            for failure in result.failures:
                sweep.record_failure(failure)
                status.failed_points.add(failure.point)
            sweep.write_chunk(task.chunk, result)
            estimates.add(result, task.chunk.reps)
            status.replication_seconds += result.seconds
            status.advance(task.chunk, layout.per_point)
            status.computed.append(task.chunk.name)
            if progress is not None:
                progress(status)
    except BaseException:
        executor.terminate()  # Ctrl-C, SIGTERM: the chunks on disk stay, for --resume
        raise
    executor.close()
    status.table, status.indices = finish(sweep, estimates)
    return status


def finish(
    sweep: SweepStore, estimates: Estimates | None = None
) -> tuple[pa.Table, dict[str, Any] | None]:
    """Write points.parquet and sensitivity.json; return both.

    Points the workers did not estimate (their chunks were on disk already, or they span
    several chunks) are estimated here from their chunk files.
    """
    design, spec, layout = sweep.design, sweep.spec, sweep.layout
    horizon = float(design.base.horizon_days)
    known = estimates or Estimates.empty(design.size)
    done = sweep.on_disk()
    failed = {p for p in range(design.size) if fail_name(p) in done}
    status = ["ok"] * design.size
    error: list[str | None] = [None] * design.size
    for point in failed:
        status[point], error[point] = "failed", sweep.failure_text(point)
    for points, chunks in layout.groups():
        todo = [p for p in points if p not in failed and not known.known[p]]
        if not todo:
            continue
        if any(chunk.name not in done for chunk in chunks):
            for point in todo:
                status[point], error[point] = "failed", "not run"
            continue
        table = sweep.read_chunks(chunks)
        rows = table.column("point").to_numpy()
        kpis = {name: table.column(name).to_numpy() for name in catalogue.names()}
        for point in todo:
            start, stop = np.searchsorted(rows, [point, point + 1])
            values = {name: column[start:stop] for name, column in kpis.items()}
            known.values[point] = point_estimates(values, horizon)
            known.n[point] = stop - start
    bad = np.array([s != "ok" for s in status])
    known.values[bad] = np.nan
    known.n[bad] = 0
    table = points_table(design, status, error, known.n, known.values)
    sweep.write_points(table)
    names = estimate_columns()
    indices = sweep_indices(
        spec.design,
        design.labels,
        design.unit,
        {kpi: known.values[:, names.index(kpi)] for kpi in spec.kpis},
        replications=spec.reps,
        failed=int(bad.sum()),
        levels=spec.levels,
        seed=spec.seed,
    )
    if indices is not None:
        sweep.write_sensitivity(indices)
    return table, indices


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
) -> SweepStore:
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
    return SweepStore.create(design, folder, force)
