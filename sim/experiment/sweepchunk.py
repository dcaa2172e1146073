"""One chunk of a sweep, run in a worker: each point's scenario, replications and estimates.

A task carries the base scenario once and, per point, only the values the point writes into
it, so that what is sent to a worker does not grow with the scenario × points; the worker
builds each point's scenario (:func:`sim.experiment.design.point_scenario`, validated where it
changed), runs its replications and, when the chunk holds every replication of its points,
their estimates too (the driver's share of a point's work stays small). A point whose scenario
is invalid, or whose replication raises, is returned as a failure and the chunk goes on.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass

import numpy as np

from sim.analysis.points import point_estimates
from sim.analysis.summary import columns
from sim.engine import catalogue
from sim.errors import SimulationError
from sim.experiment.chunks import Chunk
from sim.experiment.design import point_scenario
from sim.experiment.replicate import ChunkTask, run_chunk
from sim.scenario.patch import Change
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class SweepTask:
    """What to run: a chunk of points, the base, and what each point changes in it."""

    key: str
    chunk: Chunk
    base: Scenario
    changes: tuple[list[Change], ...]
    """Per point of the chunk, in order."""
    seed: int
    estimate: bool
    """The chunk holds every replication of its points: estimate them here."""


@dataclass(frozen=True)
class PointFailure:
    """A point that failed: the error in one line, and the traceback of a replication that
    raised (None for a point whose scenario is invalid).
    """

    point: int
    error: str
    traceback: str | None = None
    replication: int = -1
    """The replication that raised (-1 for an invalid scenario, which every chunk of the point
    finds alike): of a point's failures in different chunks the earliest is kept, whatever
    order they finish in."""


@dataclass(frozen=True)
class SweepResult:
    """What a chunk returns: a row per replication of its points that succeeded, in point
    then replication order, their estimates if asked for, and the points that failed.
    """

    key: str
    point: np.ndarray
    replication: np.ndarray
    n_events: np.ndarray
    kpis: np.ndarray
    """(rows × KPIs) in catalogue order."""
    failures: tuple[PointFailure, ...]
    estimated: np.ndarray
    """The points estimated here (those that succeeded, when the task asked)."""
    estimates: np.ndarray
    """(estimated points × estimate columns), :func:`sim.analysis.points.estimate_columns`."""
    seconds: float
    """Time spent in replications: to measure the sweep's overhead; never stored."""


def run_sweep_chunk(task: SweepTask) -> SweepResult:
    """Run every point of a chunk; failures are returned with the results, not raised."""
    chunk = task.chunk
    kpi_count = len(catalogue.kpis())
    horizon = float(task.base.horizon_days)
    blocks: list[tuple[int, np.ndarray, np.ndarray]] = []
    failures: list[PointFailure] = []
    estimated: list[int] = []
    estimates: list[np.ndarray] = []
    seconds = 0.0
    for point, changes in zip(chunk.point_range, task.changes, strict=True):
        scenario = point_scenario(task.base, changes)
        if isinstance(scenario, str):
            failures.append(PointFailure(point, f"invalid scenario at this point: {scenario}"))
            continue
        run = ChunkTask(task.key, scenario, task.seed, chunk.first_rep, chunk.reps, grids=False)
        started = time.perf_counter()
        try:
            result = run_chunk(run)
        except Exception as exc:  # isolate the failing point; the chunk goes on
            failures.append(_failure(point, exc, chunk.first_rep))
            continue
        finally:
            seconds += time.perf_counter() - started
        blocks.append((point, result.kpis, result.n_events))
        if task.estimate:
            estimated.append(point)
            estimates.append(point_estimates(columns(result.kpis), horizon))
    reps = np.arange(chunk.first_rep, chunk.first_rep + chunk.reps, dtype=np.int32)
    return SweepResult(
        task.key,
        np.repeat(np.array([b[0] for b in blocks], dtype=np.int32), chunk.reps),
        np.tile(reps, len(blocks)),
        np.concatenate([b[2] for b in blocks]) if blocks else np.empty(0, np.int64),
        np.concatenate([b[1] for b in blocks]) if blocks else np.empty((0, kpi_count)),
        tuple(failures),
        np.array(estimated, dtype=np.int64),
        np.array(estimates) if estimates else np.empty((0, 3 * kpi_count)),
        seconds,
    )


def _failure(point: int, exc: Exception, first_rep: int) -> PointFailure:
    """A replication's exception as a failure, with the traceback of what the model raised."""
    cause = exc.__cause__ if isinstance(exc, SimulationError) and exc.__cause__ else exc
    return PointFailure(
        point,
        f"{type(exc).__name__}: {exc}",
        "".join(traceback.format_exception(type(cause), cause, cause.__traceback__)),
        exc.replication if isinstance(exc, SimulationError) else first_rep,
    )
