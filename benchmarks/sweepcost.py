"""What a sweep costs beyond its replications: wall time and files per design point.

A sweep of many points with one or two replications each is dominated by what happens around
the replications: building each point's scenario, shipping tasks to the workers and results
back, writing chunk files. ``SweepStatus.replication_seconds`` is the workers' own replication
time, so ``(wall − replication_seconds / workers) / points`` is the overhead per point.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.workloads import baseline, lhs_spec
from sim.experiment.design import build_design
from sim.experiment.sweep import run_sweep
from sim.experiment.sweepstore import SweepStore


@dataclass(frozen=True)
class SweepCost:
    """One measured sweep."""

    points: int
    reps: int
    workers: int
    wall: float
    """Seconds from building the design to the last file written."""
    replication_seconds: float
    """The workers' own replication time, summed over workers."""
    files: int
    """Files in the sweep's folder at the end (set-up, chunks, tables)."""
    peak_rss_mb: float
    """This (client) process's peak resident memory so far."""

    @property
    def overhead_ms(self) -> float:
        """Wall time per point beyond the replications' share of it, in milliseconds."""
        return (self.wall - self.replication_seconds / self.workers) / self.points * 1e3

    @property
    def files_per_100(self) -> float:
        """Files written per 100 points."""
        return self.files / self.points * 100

    def summary(self) -> str:
        """One line: the figures and what they come from."""
        return (
            f"{self.points:,} points × {self.reps} replication(s), {self.workers} workers: "
            f"wall {self.wall:.1f} s, replications {self.replication_seconds:.1f} s of work, "
            f"{self.overhead_ms:.2f} ms overhead per point, {self.files:,} files "
            f"({self.files_per_100:.2f} per 100 points), client peak RSS "
            f"{self.peak_rss_mb:.0f} MB"
        )


def sweep_cost(
    folder: Path, points: int, reps: int = 1, workers: int = 2, scheduler: str | None = None
) -> SweepCost:
    """Run an LHS sweep of ``points`` × ``reps`` into ``folder`` and measure it.

    The design is built inside the timed span: resolving a design is part of a sweep's cost.
    """
    started = time.perf_counter()
    design = build_design(lhs_spec(points, reps), baseline(), max_points=None)
    status = run_sweep(
        SweepStore.create(design, folder, force=True), workers=workers, scheduler=scheduler
    )
    wall = time.perf_counter() - started
    files = sum(1 for path in folder.rglob("*") if path.is_file())
    return SweepCost(
        points,
        reps,
        workers,
        wall,
        status.replication_seconds,
        files,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
