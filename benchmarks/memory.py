"""Peak resident memory of one serial sweep, run in this (fresh) process.

    python -m benchmarks.memory POINTS REPS FOLDER

Prints the peak RSS in kilobytes (``ru_maxrss``).
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from benchmarks.workloads import baseline, sweep_spec
from sim.experiment.design import build_design
from sim.experiment.sweep import run_sweep
from sim.experiment.sweepstore import SweepStore


def main() -> None:
    """Run the serial sweep the arguments describe and print the peak RSS."""
    points, reps, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    design = build_design(sweep_spec(points, reps), baseline())
    run_sweep(SweepStore.create(design, folder, force=True), workers=1)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    main()
