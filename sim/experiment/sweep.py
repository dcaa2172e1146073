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
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sim.analysis.points import estimate_columns, point_estimates
from sim.analysis.sensitivity import sweep_indices
from sim.engine import catalogue
from sim.errors import ScenarioError, SimulationError
from sim.experiment import store
from sim.experiment.design import build_design
from sim.experiment.executors import make_executor
from sim.experiment.replicate import ChunkResult, ChunkTask, run_chunk
from sim.experiment.spec import MAX_POINTS, SweepSpec
from sim.experiment.sweepstore import CHUNK_REPS, SweepStore, fail_name, part_name, points_table
from sim.scenario import document
from sim.scenario.loader import load_scenario
from sim.scenario.marked import MarkedList

Sweep = SweepStore
"""The name :mod:`sim.plot.sweep` knows a sweep by: its directory and design."""


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
    """Keys of the chunks computed in this invocation (``<sweep>-p<point>-r<first>``)."""
    started: float = field(default_factory=time.perf_counter)
    table: pa.Table | None = None
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


def _chunks(reps: int) -> list[tuple[int, int]]:
    return [(first, min(CHUNK_REPS, reps - first)) for first in range(0, reps, CHUNK_REPS)]


def pending(sweep: SweepStore, status: SweepStatus) -> Iterator[ChunkTask]:
    """Tasks for chunks not yet on disk, point by point (lazily: memory stays flat)."""
    spec = sweep.spec
    chunks = _chunks(spec.reps)
    done = sweep.on_disk()
    for point in range(sweep.design.size):
        if fail_name(point) in done:
            status.failed_points.add(point)
            status.done_chunks += len(chunks)
            continue
        todo = [(first, count) for first, count in chunks if part_name(point, first) not in done]
        status.done_chunks += len(chunks) - len(todo)
        if not todo:
            status.finished_points += 1
            continue
        status.partial[point] = len(chunks) - len(todo)
        scenario = sweep.design.scenario(point)
        if isinstance(scenario, str):
            sweep.record_failure(point, f"invalid scenario at this point: {scenario}")
            status.failed_points.add(point)
            status.done_chunks += len(todo)
            continue
        for first, count in todo:
            yield ChunkTask(
                f"{spec.name}-p{point:06d}-r{first:06d}",
                scenario,
                spec.seed,
                first,
                count,
                grids=False,
                point=point,
            )


def run_sweep(
    sweep: SweepStore,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> SweepStatus:
    """Run every missing chunk, then write the per-point table and the indices."""
    sweep.remove_partial_writes()
    per_point = len(_chunks(sweep.spec.reps))
    status = SweepStatus(points=sweep.design.size, chunks=sweep.design.size * per_point)
    executor = make_executor(workers, scheduler)
    try:
        for task, outcome in executor.imap(run_sweep_chunk, pending(sweep, status)):
            point = task.point
            if isinstance(outcome, ChunkFailure):
                sweep.record_failure(point, outcome.error, outcome.traceback)
                status.failed_points.add(point)
            else:
                sweep.write_chunk(point, task.first, outcome.kpis, outcome.n_events)
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
    status.table, status.indices = finish(sweep)
    return status


def finish(sweep: SweepStore) -> tuple[pa.Table, dict[str, Any] | None]:
    """Write points.parquet and sensitivity.json from the chunks on disk; return both."""
    design, spec = sweep.design, sweep.spec
    horizon = float(design.base.horizon_days)
    done = sweep.on_disk()
    chunks = _chunks(spec.reps)
    status: list[str] = []
    error: list[str | None] = []
    n = np.zeros(design.size, dtype=np.int64)
    estimates = np.full((design.size, len(estimate_columns())), np.nan)
    for point in range(design.size):
        failed = fail_name(point) in done
        parts = [part_name(point, f) for f, _ in chunks if part_name(point, f) in done]
        if failed or len(parts) < len(chunks):
            status.append("failed")
            error.append(sweep.failure_text(point) if failed else "not run")
            continue
        table = sweep.read_chunks(point, parts)
        status.append("ok")
        error.append(None)
        n[point] = table.num_rows
        values = {name: table.column(name).to_numpy() for name in catalogue.names()}
        estimates[point] = point_estimates(values, horizon)
    table = points_table(design, status, error, n, estimates)
    sweep.write_points(table)
    names = estimate_columns()
    indices = sweep_indices(
        spec.design,
        design.labels,
        design.unit,
        {kpi: estimates[:, names.index(kpi)] for kpi in spec.kpis},
        replications=spec.reps,
        failed=status.count("failed"),
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
