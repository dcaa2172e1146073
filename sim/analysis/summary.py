"""One row per KPI: estimate, 95% interval, quantiles, n — the results' ``summary`` table.

* probability KPIs: share of replications, Wilson interval;
* mean KPIs: mean, Student-t interval, sample quantiles;
* event-day KPIs: right-censored at the horizon. The estimate is the *restricted mean* of
  min(day, horizon) — exact here, since every replication is observed up to the same horizon —
  with its t-interval; p10/p50/p90 are Kaplan–Meier quantiles, empty where fewer than that share
  of replications reached the event. ``events`` counts the replications in which the event
(or, for probabilities, the outcome) happened.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.analysis.stats import Interval, proportion, quantiles, t_interval
from sim.analysis.survival import kaplan_meier
from sim.engine import catalogue
from sim.engine.catalogue import KPI

COLUMNS = (
    "kpi",
    "kind",
    "unit",
    "estimator",
    "mean",
    "ci_low",
    "ci_high",
    "p10",
    "p50",
    "p90",
    "n",
    "events",
    "description",
)
ESTIMATORS = {
    "probability": "share, Wilson 95% interval",
    "mean": "mean, Student-t 95% interval",
    "event_day": "restricted mean to the horizon, t 95% interval; Kaplan-Meier quantiles",
}


def estimate(kpi: KPI, values: np.ndarray, horizon: float) -> Interval:
    """The KPI's estimate with its interval, as the summary reports it."""
    if kpi.kind == "probability":
        return proportion(values)
    if kpi.kind == "event_day":
        return t_interval(np.where(np.isnan(values), horizon, np.minimum(values, horizon)))
    return t_interval(values)


def summarise(kpis: np.ndarray, horizon: float) -> list[dict[str, Any]]:
    """Summary rows from a (replications × KPIs) array in catalogue order."""
    rows = []
    for j, kpi in enumerate(catalogue.kpis()):
        values = kpis[:, j]
        interval = estimate(kpi, values, horizon)
        if kpi.kind == "event_day":
            survival = kaplan_meier(values, horizon)
            p10, p50, p90 = (survival.quantile(q) for q in (0.1, 0.5, 0.9))
            events: int | None = survival.events
        elif kpi.kind == "probability":
            p10 = p50 = p90 = math.nan  # quantiles of a 0/1 outcome say nothing
            events = int(np.nansum(values))
        else:
            p10, p50, p90 = quantiles(values)
            events = None
        rows.append(
            {
                "kpi": kpi.name,
                "kind": kpi.kind,
                "unit": kpi.unit,
                "estimator": ESTIMATORS[kpi.kind],
                "mean": interval.estimate,
                "ci_low": interval.low,
                "ci_high": interval.high,
                "p10": p10,
                "p50": p50,
                "p90": p90,
                "n": interval.n,
                "events": events,
                "description": kpi.description,
            }
        )
    return rows


def json_ready(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with ``nan`` as ``null`` (JSON has no NaN)."""
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in rows
    ]
