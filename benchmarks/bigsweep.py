"""A very large sweep, run once: overhead per point, files written and the client's memory.

    python -m benchmarks.bigsweep --points 100000 --dask     # on a Dask LocalCluster
    python -m benchmarks.bigsweep --points 20000             # on the local process pool

Not part of ``benchmarks.run`` (a 100,000-point sweep takes minutes); it prints one line.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.sweepcost import sweep_cost


def main(argv: list[str] | None = None) -> int:
    """Run the sweep the options describe and print its cost; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000, help="design points")
    parser.add_argument("--reps", type=int, default=1, help="replications per point")
    parser.add_argument("--workers", type=int, default=2, help="workers (processes)")
    parser.add_argument("--dask", action="store_true", help="on a Dask LocalCluster")
    parser.add_argument(
        "--folder", type=Path, default=None, help="sweep folder [default: a temporary one]"
    )
    args = parser.parse_args(argv)
    scheduler = "local" if args.dask else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "bigsweep"
        cost = sweep_cost(folder, args.points, args.reps, args.workers, scheduler)
    where = "Dask LocalCluster" if args.dask else "local process pool"
    print(f"{where}: {cost.summary()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
