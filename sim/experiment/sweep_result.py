"""A finished sweep in memory: its points, sensitivity indices and the design behind them.

What ``sim.sweep(...)`` returns and the report reads: ``points`` is one row per design point
(factors, status, error, every KPI with its interval), ``indices`` the Morris or Sobol' indices
(or None), ``job`` the sweep directory and design.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import ResultsError
from sim.experiment.sweepstore import SweepStore


@dataclass
class SweepResult:
    """The per-point table and indices of a finished sweep directory."""

    folder: Path
    job: SweepStore
    points: list[dict[str, Any]]
    indices: dict[str, Any] | None = None

    @classmethod
    def load(cls, folder: str | Path) -> SweepResult:
        """Read a finished sweep directory (its ``points.parquet`` and ``sensitivity.json``).

        Raises:
            ResultsError: not a sweep directory, or not finished (no points.parquet).
        """
        folder = Path(folder)
        job = SweepStore.open(folder)
        path = folder / "points.parquet"
        if not path.is_file():
            raise ResultsError(
                f"{folder}: points.parquet is missing; the sweep has not finished "
                f"(resume with: wargame sweep --resume {folder})"
            )
        try:
            points = pq.read_table(path).to_pylist()
        except (OSError, pa.ArrowException) as exc:
            raise ResultsError(f"{folder}: points.parquet: not readable ({exc})") from None
        indices = None
        if (folder / "sensitivity.json").is_file():
            indices = json.loads((folder / "sensitivity.json").read_text(encoding="utf-8"))
        return cls(folder, job, points, indices)

    @property
    def name(self) -> str:
        """The sweep's name."""
        return self.job.spec.name

    @property
    def failed(self) -> int:
        """The number of points that did not finish ``ok``."""
        return sum(row["status"] != "ok" for row in self.points)

    def to_pandas(self) -> Any:
        """The points as a pandas DataFrame (needs the ``notebook`` extra)."""
        from sim.experiment.frames import frame

        return frame(self.points)

    def __repr__(self) -> str:
        return (
            f"SweepResult({self.name!r}, design={self.job.spec.design!r}, "
            f"points={len(self.points):,}, failed={self.failed}, "
            f"reps_per_point={self.job.spec.reps:,}, folder='{self.folder}')"
        )
