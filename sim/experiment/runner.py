"""Monte Carlo runs: replications in chunks on an executor, fixed in number or adaptive.

Adaptive runs (``precision``) add batches of replications until the relative 95% half-width of
one KPI is at most the target, or a cap is reached. The rule is tested on the replication
prefix 1..n in index order, so the decision does not depend on which worker finished first.

Notes:
    The batch-sequential form of the confidence-interval method; see Hoad, Robinson & Davies
    (2010), JORS 61(11), and Law, *Simulation Modeling and Analysis*, ch. 9.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from sim.analysis.bands import bands_table
from sim.analysis.summary import columns, estimate
from sim.engine import catalogue
from sim.engine.model import simulate
from sim.engine.rng import check_seed
from sim.engine.trace import SERIES, grid_days
from sim.errors import UsageError
from sim.experiment.executors import Executor, make_executor
from sim.experiment.replicate import ChunkResult, ChunkTask, chunk_size, run_chunk
from sim.experiment.results import RunResult, new_manifest
from sim.scenario.schema import Scenario

Progress = Callable[[int, int], None]
"""Called with (replications done, replications planned so far)."""

DEFAULT_REPS = 500
MAX_REPS = 1_000_000
"""The most replications of one run."""
MAX_SERIES_BYTES = 4 * 2**30
"""The most memory a run's time series may take (replications × series × grid days × 8 bytes);
a 20-year horizon on a daily grid reaches it at about 6,500 replications."""
MIN_ADAPTIVE_REPS = 30


@dataclass(frozen=True)
class Precision:
    """An adaptive-replication target: relative half-width of one KPI, with a cap."""

    relative: float
    kpi: str = "offensive"
    max_reps: int = 20_000

    def __post_init__(self) -> None:
        if not 0 < self.relative < 1:
            raise UsageError(f"must be between 0 and 1 (got {self.relative:g})", "--precision")
        if self.kpi not in catalogue.names():
            raise UsageError(
                f"unknown KPI {self.kpi!r}; KPIs are {', '.join(catalogue.names())}", "--kpi"
            )
        if isinstance(self.max_reps, bool) or not 1 <= self.max_reps <= MAX_REPS:
            raise UsageError(
                f"must be from 1 to {MAX_REPS:,} (got {self.max_reps!r})", "--max-reps"
            )


class _Collector:
    """Places chunk results by replication index, whatever order they complete in."""

    def __init__(self, scenario: Scenario) -> None:
        step = float(scenario.model.grid_days)
        self.days = grid_days(scenario.horizon_days, step)
        self.kpis = np.empty((0, len(catalogue.kpis())))
        self.n_events = np.empty(0, dtype=np.int64)
        self.series = np.empty((0, len(SERIES), len(self.days)))

    def grow(self, total: int) -> None:
        extra = total - len(self.kpis)
        if extra > 0:
            self.kpis = np.vstack([self.kpis, np.full((extra, len(catalogue.kpis())), np.nan)])
            self.n_events = np.concatenate([self.n_events, np.zeros(extra, dtype=np.int64)])
            self.series = np.concatenate(
                [self.series, np.zeros((extra, len(SERIES), len(self.days)))]
            )

    def add(self, result: ChunkResult) -> None:
        rows = slice(result.first, result.first + len(result.kpis))
        self.kpis[rows] = result.kpis
        self.n_events[rows] = result.n_events
        self.series[rows] = result.series


def chunk_tasks(
    scenario: Scenario, seed: int, first: int, count: int, chunk: int, *, grids: bool = True
) -> list[ChunkTask]:
    """Replications first..first+count−1 in tasks of ``chunk`` (``grids=False``: KPIs only)."""
    return [
        ChunkTask(
            f"{scenario.name}-s{seed}-r{start}",
            scenario,
            seed,
            start,
            min(chunk, first + count - start),
            grids=grids,
        )
        for start in range(first, first + count, chunk)
    ]


def run(
    scenario: Scenario,
    reps: int | None = None,
    seed: int = 1,
    workers: int | None = None,
    *,
    precision: Precision | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Run replications 0..n-1 of a scenario and collect their KPIs and time series.

    Args:
        scenario: a validated scenario.
        reps: number of replications (default 500) unless ``precision`` is given.
        seed: root seed of every random stream.
        workers: local worker processes (default: the machine's cores; 1 runs in-process).
        precision: stop adaptively once this precision is reached (``reps`` is then ignored).
        scheduler: a Dask scheduler address, or ``"local"`` for a LocalCluster.
        progress: called with (done, planned) after each chunk.
        executor: reuse an executor (the caller closes it).

    Raises:
        UsageError: invalid options (reps outside 1..MAX_REPS, a seed outside 0..2**63 - 1).
        SimulationError: a replication failed.
    """
    if reps is not None and (isinstance(reps, bool) or not 1 <= reps <= MAX_REPS):
        raise UsageError(f"must be from 1 to {MAX_REPS:,} (got {reps!r})", "--reps")
    check_seed(seed)
    if precision is not None:
        _check_memory(scenario, precision.max_reps, "--max-reps")
    else:
        _check_memory(scenario, reps or DEFAULT_REPS, "--reps")
    started = datetime.now(UTC)
    clock = time.perf_counter()
    own = executor is None
    ex = executor or make_executor(workers, scheduler)
    try:
        planned = reps or DEFAULT_REPS
        chunk = chunk_size(planned if precision is None else 400, ex.workers)
        collector = _Collector(scenario)
        reached: dict[str, Any] | None = None
        if precision is None:
            _run_batch(ex, collector, scenario, seed, 0, planned, chunk, progress, planned)
            done = planned
        else:
            done, reached = _run_adaptive(ex, collector, scenario, seed, chunk, precision, progress)
    except BaseException:
        if own:
            ex.terminate()  # Ctrl-C, SIGTERM or a failed replication: stop the workers now
        raise
    if own:
        ex.close()
    wall = time.perf_counter() - clock
    index = np.arange(done)
    timeseries = bands_table(collector.series[:done], collector.days, scenario.start)
    result = RunResult(
        scenario, seed, index, collector.kpis[:done], collector.n_events[:done], timeseries
    )
    # One replication, re-run here for its full trace: a replication is a pure function of
    # (scenario, seed, replication), and keeping every trace of the run would cost far more.
    representative = result.representative()
    result.trace = simulate(scenario, seed, representative)
    result.manifest = new_manifest(
        scenario,
        seed,
        {
            "replications": done,
            "precision": reached,
            "executor": type(ex).__name__.removesuffix("Executor").lower(),
            "workers": ex.workers,
            "chunk_size": chunk,
            "events_per_replication": {
                "mean": float(np.mean(collector.n_events[:done])),
                "min": int(np.min(collector.n_events[:done])),
                "max": int(np.max(collector.n_events[:done])),
            },
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "wall_seconds": round(wall, 3),
            "representative_replication": representative,
        },
    )
    return result


def _check_memory(scenario: Scenario, reps: int, option: str) -> None:
    """Refuse a run whose time series would not fit in MAX_SERIES_BYTES, before it starts.

    Raises:
        UsageError: too many replications for this horizon and grid.
    """
    days = len(grid_days(scenario.horizon_days, float(scenario.model.grid_days)))
    needed = reps * len(SERIES) * days * 8
    if needed > MAX_SERIES_BYTES:
        most = MAX_SERIES_BYTES // (len(SERIES) * days * 8)
        raise UsageError(
            f"{reps:,} replications of this scenario ({days:,} grid days) would keep "
            f"{needed / 2**30:,.1f} GiB of time series; at most {most:,} here (or a coarser "
            "model.grid_days)",
            option,
        )


def _run_batch(
    ex: Executor,
    collector: _Collector,
    scenario: Scenario,
    seed: int,
    first: int,
    count: int,
    chunk: int,
    progress: Progress | None,
    planned: int,
) -> None:
    collector.grow(first + count)
    done = first
    for _task, result in ex.imap(run_chunk, chunk_tasks(scenario, seed, first, count, chunk)):
        collector.add(result)
        done += len(result.kpis)
        if progress is not None:
            progress(done, planned)


def _run_adaptive(
    ex: Executor,
    collector: _Collector,
    scenario: Scenario,
    seed: int,
    chunk: int,
    precision: Precision,
    progress: Progress | None,
) -> tuple[int, dict[str, Any]]:
    kpi = catalogue.get(precision.kpi)
    batch = max(MIN_ADAPTIVE_REPS, chunk * ex.workers)
    done = 0
    relative = math.inf
    while done < precision.max_reps:
        count = min(batch, precision.max_reps - done)
        _run_batch(ex, collector, scenario, seed, done, count, chunk, progress, done + count)
        done += count
        interval = estimate(kpi, columns(collector.kpis[:done]), float(scenario.horizon_days))
        relative = interval.relative_half_width
        if relative <= precision.relative:
            break
    return done, {
        "kpi": kpi.name,
        "target_relative_half_width": precision.relative,
        "reached_relative_half_width": relative,
        "met": relative <= precision.relative,
        "max_replications": precision.max_reps,
        "batch": batch,
    }
