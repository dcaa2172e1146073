"""Per-point estimates of a sweep: every KPI's estimate and 95% interval at one design point.

A design point is a small Monte Carlo run, so its row in ``points.parquet`` reports each KPI
exactly as a run's summary does (:func:`sim.analysis.summary.estimate`): a point and a run of
the same scenario and seed agree to the last bit. Pure: replication columns in, numbers out,
``nan`` where a KPI has no estimate (the points table stores those as nulls).
"""

from __future__ import annotations

import numpy as np

from sim.analysis.summary import Table, estimate
from sim.engine import catalogue

SUFFIXES = ("", "_ci_low", "_ci_high")
"""Each KPI's three columns: the estimate, then the low and high ends of its interval."""


def estimate_columns() -> list[str]:
    """Names of the estimate columns of the points table, KPI by KPI in catalogue order."""
    return [f"{kpi.name}{suffix}" for kpi in catalogue.kpis() for suffix in SUFFIXES]


def point_estimates(values: Table, horizon: float) -> np.ndarray:
    """Every KPI's estimate and interval at one point, in :func:`estimate_columns` order.

    Args:
        values: each KPI's column over the point's replications, in replication order (the
            order matters to the last bit of a sum, so that every executor agrees).
        horizon: the scenario's horizon in days (event days are censored there).
    """
    out = np.empty(3 * len(catalogue.kpis()))
    for j, kpi in enumerate(catalogue.kpis()):
        interval = estimate(kpi, values, horizon)
        out[3 * j : 3 * j + 3] = (interval.estimate, interval.low, interval.high)
    return out
