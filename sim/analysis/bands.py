"""Cross-replication bands of the time series, for fan charts.

Bands are the distribution of outcomes across replications (p5–p95, p25–p75, median), not a
confidence interval on the mean. Stable 5%/95% edges need a few hundred replications.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from sim.engine.trace import SERIES

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BAND_COLUMNS = ("mean", "p5", "p25", "p50", "p75", "p95")


def bands_table(series: np.ndarray, days: np.ndarray, start: date) -> pa.Table:
    """Long table (metric, day, date, mean, p5…p95) from (replications × series × days)."""
    metrics, day_col, date_col = [], [], []
    columns: dict[str, list[float]] = {name: [] for name in BAND_COLUMNS}
    dates = [start + timedelta(days=int(d)) for d in days]
    for j, metric in enumerate(SERIES):
        block = series[:, j, :]
        qs = np.quantile(block, QUANTILES, axis=0)
        mean = block.mean(axis=0)
        metrics += [metric] * len(days)
        day_col += [float(d) for d in days]
        date_col += dates
        columns["mean"] += mean.tolist()
        for name, row in zip(BAND_COLUMNS[1:], qs, strict=True):
            columns[name] += row.tolist()
    return pa.table(
        {
            "metric": pa.array(metrics, pa.string()),
            "day": pa.array(day_col, pa.float64()),
            "date": pa.array(date_col, pa.date32()),
            **{name: pa.array(values, pa.float64()) for name, values in columns.items()},
        }
    )
