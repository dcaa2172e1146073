"""Benchmarks of engine and batch speed, as ratios measured side by side in one run.

    python -m benchmarks.run            # full run, writes benchmarks/RESULTS.md (~10 minutes)
    python -m benchmarks.run --quick    # tiny sizes: checks every benchmark still works
    python -m benchmarks.run --sweep-points 20000   # B11 on a larger sweep

Timings are minima over interleaved repeats (the least disturbed run), reported as ratios to a
reference measured in the same process at the same moment; absolute times on a shared machine
drift by 20-40 % (METHODS.md §2, §7).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import simpy

from benchmarks import commands
from benchmarks.sweepcost import sweep_cost
from benchmarks.workloads import SEED, baseline, scaled, sweep_spec
from sim.engine.model import simulate
from sim.experiment.design import build_design
from sim.experiment.store import versions
from sim.experiment.sweep import run_sweep
from sim.experiment.sweepstore import SweepStore

HERE = Path(__file__).resolve().parent


@dataclass
class Figure:
    """One reported number: its id, what it is, the value, the target and the verdict."""

    id: str
    name: str
    value: float | None
    unit: str
    target: str
    met: bool | None
    note: str = ""

    def shown(self) -> str:
        """The value as shown: a dash when not measured, three significant figures below 1000."""
        if self.value is None:
            return "—"
        return f"{self.value:,.3g}" if abs(self.value) < 1000 else f"{self.value:,.0f}"


def tmin(fn: Callable[[], object], repeats: int) -> float:
    """Minimum wall time of ``repeats`` calls (after a garbage collection each)."""
    best = math.inf
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bare_simpy(events: int) -> None:
    """The reference: one SimPy process yielding ``events`` - 3 timeouts (same event count)."""
    env = simpy.Environment()

    def loop(env: simpy.Environment) -> simpy.events.ProcessGenerator:
        for _ in range(max(1, events - 3)):
            yield env.timeout(1.0)

    env.process(loop(env))
    env.run()


def warm(seconds: float) -> None:
    """Fresh processes run slow for their first second or so: spin before timing."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        bare_simpy(2000)
        simulate(baseline(), SEED, 0)


def engine(rounds: int, repeats: int) -> list[Figure]:
    """B1 engine overhead and B2 baseline cost."""
    scenario = baseline()
    reps = [simulate(scenario, SEED, r) for r in range(20)]
    rep = int(np.argsort([t.n_events for t in reps])[len(reps) // 2])  # a median replication
    events = reps[rep].n_events
    subject, reference = [], []
    for _ in range(rounds):  # interleaved, so both share the machine's noise
        subject.append(tmin(lambda: simulate(scenario, SEED, rep), repeats))
        reference.append(tmin(lambda: bare_simpy(events), repeats))
    per_event = min(reference) / events
    ratio = min(subject) / (events * per_event)
    counts = [t.n_events for t in reps]
    return [
        Figure(
            "B1",
            "engine overhead: replication ÷ (events × bare-SimPy per-event time)",
            ratio,
            "×",
            "≤ 2.5",
            ratio <= 2.5,
            f"replication {rep}: {events} events; bare SimPy {per_event * 1e6:.2f} µs/event",
        ),
        Figure(
            "B2",
            "baseline replication time",
            min(subject) * 1e3,
            "ms",
            "informational",
            None,
            f"events per replication: mean {np.mean(counts):.0f}, "
            f"min {min(counts)}, max {max(counts)} (20 replications)",
        ),
    ]


def _sweep_seconds(
    folder: Path,
    points: int,
    reps: int,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
) -> float:
    design = build_design(sweep_spec(points, reps), baseline())
    start = time.perf_counter()
    run_sweep(SweepStore.create(design, folder, force=True), workers=workers, scheduler=scheduler)
    return time.perf_counter() - start


def executors(points: int, reps: int, repeats: int, tmp: Path) -> list[Figure]:
    """B3 scaling from 1 to 2 workers; B4 Dask LocalCluster against the process pool."""
    one, two, dask = [], [], []
    for _ in range(repeats):
        one.append(_sweep_seconds(tmp / "one", points, reps, workers=1))
        two.append(_sweep_seconds(tmp / "two", points, reps, workers=2))
        dask.append(_sweep_seconds(tmp / "dask", points, reps, scheduler="local", workers=2))
    same = (
        (tmp / "one" / "points.parquet").read_bytes()
        == (tmp / "two" / "points.parquet").read_bytes()
        == (tmp / "dask" / "points.parquet").read_bytes()
    )
    scaling = min(two) / min(one)
    overhead = min(dask) / min(two)
    size = f"{points} points × {reps} replications"
    return [
        Figure(
            "B3",
            "scaling: 2 workers ÷ 1 worker, same sweep",
            scaling,
            "×",
            "≤ 0.6",
            scaling <= 0.6,
            f"{size}: {min(one):.1f} s vs {min(two):.1f} s; points.parquet identical: {same}",
        ),
        Figure(
            "B4",
            "Dask LocalCluster (2 × 1) ÷ local process pool (2)",
            overhead,
            "×",
            "≤ 1.3",
            overhead <= 1.3,
            f"{size}: {min(dask):.1f} s vs {min(two):.1f} s, cluster start-up included",
        ),
    ]


def memory(points: int, reps: int, tmp: Path) -> list[Figure]:
    """B5 peak RSS of a serial sweep with 10× the points, each in a fresh process."""
    peaks = []
    for n in (points, points * 10):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.memory", str(n), str(reps), str(tmp / f"mem{n}")],
            capture_output=True,
            text=True,
            check=True,
            cwd=HERE.parent,
        )
        peaks.append(int(out.stdout.strip().splitlines()[-1]))
    ratio = peaks[1] / peaks[0]
    return [
        Figure(
            "B5",
            "memory: peak RSS, 10× the points ÷ 1×",
            ratio,
            "×",
            "≤ 1.2",
            ratio <= 1.2,
            f"{points} vs {points * 10} points × {reps} replications: "
            f"{peaks[0] / 1024:.0f} MB vs {peaks[1] / 1024:.0f} MB",
        )
    ]


def peers(points: int, reps: int, repeats: int, tmp: Path) -> list[Figure]:
    """B6 the same replications driven by EMA Workbench and Mesa, against wargame sweep."""
    try:
        from benchmarks.peers import run_ema, run_mesa
    except ImportError:
        return [
            Figure(
                "B6",
                "peers",
                None,
                "×",
                "≤ 0.8",
                None,
                "skipped: install the bench extra (pip install -e '.[bench]')",
            )
        ]
    try:
        import ema_workbench  # noqa: F401  (is it installed?)
        import mesa  # noqa: F401
    except ImportError:
        return [
            Figure(
                "B6",
                "peers",
                None,
                "×",
                "≤ 0.8",
                None,
                "skipped: install the bench extra (pip install -e '.[bench]')",
            )
        ]
    ours, ema, mesa_ = [], [], []
    for _ in range(repeats):
        ours.append(_sweep_seconds(tmp / "ours", points, reps, workers=2))
        start = time.perf_counter()
        run_ema(points, reps, 2)
        ema.append(time.perf_counter() - start)
        start = time.perf_counter()
        run_mesa(points, reps, 2)
        mesa_.append(time.perf_counter() - start)
    size = f"{points} points × {reps} replications, 2 workers"
    return [
        Figure(
            "B6a",
            "wargame sweep ÷ EMA Workbench MultiprocessingEvaluator",
            min(ours) / min(ema),
            "×",
            "≤ 0.8",
            min(ours) / min(ema) <= 0.8,
            f"{size}: {min(ours):.1f} s vs {min(ema):.1f} s",
        ),
        Figure(
            "B6b",
            "wargame sweep ÷ Mesa batch_run",
            min(ours) / min(mesa_),
            "×",
            "≤ 0.8",
            min(ours) / min(mesa_) <= 0.8,
            f"{size}: {min(ours):.1f} s vs {min(mesa_):.1f} s",
        ),
    ]


def growth(reps: int, repeats: int) -> list[Figure]:
    """B7 replication time against model size: members and pledges ×1, ×2, ×4; horizon ×1, ×2."""

    def per_rep(scenario: object) -> float:
        return (
            tmin(
                lambda: [simulate(scenario, SEED, r) for r in range(reps)],  # type: ignore[arg-type]
                repeats,
            )
            / reps
        )

    sizes = (1, 2, 4)
    times = [per_rep(scaled(members=k)) for k in sizes]
    entity_exponent = float(np.polyfit(np.log(sizes), np.log(times), 1)[0])
    horizons = [per_rep(scaled(horizon=k)) for k in (1, 2)]
    horizon_exponent = math.log(horizons[1] / horizons[0]) / math.log(2)
    return [
        Figure(
            "B7a",
            "cost growth with members and pledges (fitted exponent)",
            entity_exponent,
            "",
            "≤ 1.1",
            entity_exponent <= 1.1,
            "ms per replication at ×1, ×2, ×4: " + ", ".join(f"{t * 1e3:.1f}" for t in times),
        ),
        Figure(
            "B7b",
            "cost growth with the horizon (exponent, ×1 → ×2)",
            horizon_exponent,
            "",
            "≤ 1.1",
            horizon_exponent <= 1.1,
            "ms per replication: " + ", ".join(f"{t * 1e3:.1f}" for t in horizons),
        ),
    ]


def end_to_end(reps: int, repeats: int, tmp: Path) -> list[Figure]:
    """B8 ``wargame run`` as a subprocess against the simulation time its manifest records."""
    runs = [commands.run_end_to_end(tmp / "run", reps, workers=2) for _ in range(repeats)]
    wall, simulation = min(runs, key=lambda run: run[0] / run[1])
    ratio = wall / simulation
    return [
        Figure(
            "B8",
            "wargame run end to end ÷ its simulation (manifest wall_seconds)",
            ratio,
            "×",
            "≤ 1.25",
            ratio <= 1.25,
            f"baseline, {reps} replications, 2 workers, plots on: "
            f"{wall:.1f} s vs {simulation:.1f} s",
        )
    ]


def startup(repeats: int) -> list[Figure]:
    """B9 start-up of the command line, in absolute seconds beside a bare interpreter."""
    best = commands.startup(repeats)
    python = f"python -c pass {best['python']:.3f} s; absolute, machine-dependent"
    return [
        Figure(
            "B9a",
            "start-up: wargame --help",
            best["help"],
            "s",
            "≤ 0.25 s",
            best["help"] <= 0.25,
            python,
        ),
        Figure(
            "B9b",
            "start-up: wargame validate scenarios/baseline.yaml",
            best["validate"],
            "s",
            "≤ 0.6 s",
            best["validate"] <= 0.6,
            python,
        ),
    ]


def sweep_overhead(points: int, tmp: Path) -> list[Figure]:
    """B11 what an LHS sweep of one replication per point costs beyond its replications."""
    cost = sweep_cost(tmp / "overhead", points, reps=1, workers=2)
    return [
        Figure(
            "B11a",
            "sweep overhead per point beyond its replications",
            cost.overhead_ms,
            "ms",
            "≤ 1 ms",
            cost.overhead_ms <= 1.0,
            f"{points:,} LHS points × 1 replication, 2 workers: wall {cost.wall:.1f} s, "
            f"replications {cost.replication_seconds:.1f} s of work",
        ),
        Figure(
            "B11b",
            "files written per 100 sweep points",
            cost.files_per_100,
            "",
            "≤ 1",
            cost.files_per_100 <= 1.0,
            f"{cost.files:,} files for {points:,} points (set-up, chunks, tables)",
        ),
    ]


def machine() -> str:
    """The CPU, core count, operating system and Python version, for the report's header."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def table(figures: list[Figure]) -> str:
    """The figures as a Markdown table."""
    rows = ["| id | benchmark | value | target | met | notes |", "|---|---|---|---|---|---|"]
    for f in figures:
        met = "—" if f.met is None else ("yes" if f.met else "**no**")
        rows.append(f"| {f.id} | {f.name} | {f.shown()} {f.unit} | {f.target} | {met} | {f.note} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark, print the table and write the report; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    parser.add_argument(
        "--write",
        type=Path,
        default=None,
        help="where to write the report [default: benchmarks/RESULTS.md, not written with --quick]",
    )
    parser.add_argument(
        "--sweep-points",
        type=int,
        default=None,
        help="points of B11's sweep [default: 2,000; 40 with --quick]",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    sweep_points = args.sweep_points or (40 if quick else 2_000)
    started = time.perf_counter()
    warm(0.2 if quick else 2.0)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        figures = engine(rounds=1 if quick else 3, repeats=2 if quick else 7)
        figures += executors(*(4, 5) if quick else (24, 50), repeats=1 if quick else 2, tmp=tmp)
        figures += memory(*(2, 3) if quick else (20, 20), tmp=tmp)
        figures += peers(*(4, 3) if quick else (16, 25), repeats=1 if quick else 2, tmp=tmp)
        figures += growth(reps=2 if quick else 10, repeats=1 if quick else 3)
        figures += end_to_end(reps=20 if quick else 500, repeats=1 if quick else 2, tmp=tmp)
        figures += startup(repeats=1 if quick else 5)
        figures += sweep_overhead(sweep_points, tmp=tmp)
    report = table(figures)
    print(report)
    print(f"({time.perf_counter() - started:.0f} s)")
    target = args.write or (None if quick else HERE / "RESULTS.md")
    if target is not None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lib = versions()
        deps = ", ".join(f"{k} {lib[k]}" for k in ("simpy", "numpy", "pyarrow") if k in lib)
        target.write_text(
            "# Benchmark results\n\n"
            f"Measured {stamp} on {machine()}; {deps}.\n"
            "Command: `python -m benchmarks.run` (see benchmarks/README.md). Timings are minima "
            "of interleaved repeats, reported as ratios to a reference measured in the same "
            "run.\n\n" + report + "\n",
            encoding="utf-8",
        )
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
