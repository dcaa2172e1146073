"""A chunk of replications: the unit of work sent to an executor.

A chunk runs replications ``reps`` of one scenario under one root seed and returns compact
arrays (KPIs, event counts, the standard time series on the grid), never model objects, so that
pickling back to the driver stays cheap. Every random stream is keyed by (seed, replication,
name), so a chunk's result does not depend on which worker runs it or when.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine import catalogue
from sim.engine.model import simulate
from sim.engine.trace import SERIES, grid_days
from sim.errors import SimulationError
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class ChunkTask:
    """What to run: a scenario, a root seed, a range of replications, what to keep."""

    key: str
    scenario: Scenario
    seed: int
    first: int
    count: int
    grids: bool = True
    point: int = 0
    """The design point (sweeps); 0 for a plain run."""

    @property
    def reps(self) -> range:
        """The replication numbers the task runs."""
        return range(self.first, self.first + self.count)


@dataclass(frozen=True)
class ChunkResult:
    """What a chunk returns, in replication order.

    ``kpis`` is (replications × KPIs) in :func:`sim.engine.catalogue.kpis` order; ``series`` is
    (replications × series × grid days) in :data:`sim.engine.SERIES` order, or empty.
    """

    key: str
    first: int
    kpis: np.ndarray
    n_events: np.ndarray
    series: np.ndarray


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Run a chunk of replications.

    Raises:
        SimulationError: a replication raised; the message names the scenario, replication
            and seed.
    """
    scenario = task.scenario
    step = float(scenario.model.grid_days)
    n_grid = len(grid_days(scenario.horizon_days, step))
    kpis = np.empty((task.count, len(catalogue.kpis())))
    n_events = np.empty(task.count, dtype=np.int64)
    series = np.empty((task.count, len(SERIES), n_grid) if task.grids else (0, 0, 0))
    for i, rep in enumerate(task.reps):
        try:
            trace = simulate(scenario, task.seed, rep)
        except Exception as exc:  # a replication that fails is reported with its key
            raise SimulationError(
                scenario.name, rep, task.seed, f"{type(exc).__name__}: {exc}"
            ) from exc
        kpis[i] = [trace.kpis[k.name] for k in catalogue.kpis()]
        n_events[i] = trace.n_events
        if task.grids:
            series[i] = trace.grids(SERIES, step)
    return ChunkResult(task.key, task.first, kpis, n_events, series)


def chunk_size(reps: int, workers: int) -> int:
    """Replications per task: about four tasks per worker, between 5 and 100.

    Replications cost milliseconds, so a task of tens of them keeps dispatch overhead small
    while several tasks per worker even out stragglers (METHODS.md §4.3).
    """
    per_task = -(-reps // max(1, workers * 4))
    return max(5, min(100, per_task))
