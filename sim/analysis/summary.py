"""One row per KPI: estimate, 95% interval, quantiles, n — the results' ``summary`` table.

* probability KPIs: share of replications, Wilson interval;
* mean KPIs: mean, Student-t interval, sample quantiles;
* event-day KPIs: right-censored at the horizon. The estimate is the *restricted mean* of
  min(day, horizon) — exact here, since every replication is observed up to the same horizon —
  with its t-interval; p10/p50/p90 are Kaplan–Meier quantiles, empty where fewer than that share
  of replications reached the event. ``events`` counts the replications in which the event
  (or, for probabilities, the outcome) happened;
* rate KPIs: the ratio estimator Σ events / Σ exposure days (× ``per``), with a t interval
  from its linearisation; ``n`` counts the exposed replications;
* duration KPIs (days from the ceasefire to an offensive or the horizon): the restricted mean,
  and Kaplan–Meier quantiles of the time to the event, censored where it did not happen.

KPIs measured only where they apply (conditioned on a ceasefire) are ``nan`` elsewhere and left
out: ``n`` says how many replications each estimate rests on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.analysis.stats import Interval, proportion, quantiles, t_interval
from sim.analysis.survival import Survival, kaplan_meier, kaplan_meier_censored
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
    "rate": "ratio estimator (events / exposure), linearised t 95% interval on the log scale",
    "duration": "restricted mean, t 95% interval; Kaplan-Meier quantiles of the time to the event",
}

Table = Mapping[str, np.ndarray]
"""KPI columns by name, one value per replication."""


def columns(kpis: np.ndarray) -> dict[str, np.ndarray]:
    """The columns of a (replications × KPIs) array in catalogue order, by KPI name."""
    return {name: kpis[:, j] for j, name in enumerate(catalogue.names())}


def ratio_terms(table: Table, kpi: KPI) -> tuple[np.ndarray, np.ndarray]:
    """The numerator and exposure of a rate KPI over the replications exposed at all."""
    y = np.asarray(table[str(kpi.numerator)], dtype=float)
    e = np.asarray(table[str(kpi.exposure)], dtype=float)
    keep = ~np.isnan(y) & ~np.isnan(e)
    return y[keep], e[keep]


NO_EVENT_UPPER = -math.log(0.025)
"""The exact one-sided 97.5% Poisson upper limit on a count when none was seen (about 3.69)."""


def ratio_interval(y: np.ndarray, e: np.ndarray, per: float = 1.0) -> Interval:
    """Σy / Σe with an interval from its linearisation z = (y − R·e) / ē, on the log scale.

    A rate cannot be negative, and with few events the symmetric interval R ± t·se crosses 0,
    so the interval is R·exp(±t·se/R) (the delta method for log R). With no event at all it is
    [0, 3.69 / Σe], the exact Poisson limit for a count of 0.

    Notes:
        The ratio (combined) estimator and its delta-method variance: Cochran, *Sampling
        Techniques*, ch. 6; log-scale intervals for rates: Rothman, Greenland & Lash,
        *Modern Epidemiology*, ch. 14.
    """
    n = len(y)
    if n == 0 or not e.sum() > 0:
        return Interval(math.nan, math.nan, math.nan, n)
    ratio = float(y.sum() / e.sum())
    if n < 2:
        return Interval(per * ratio, math.nan, math.nan, n)
    if ratio == 0:
        return Interval(0.0, 0.0, per * NO_EVENT_UPPER / float(e.sum()), n)
    z = (y - ratio * e) / e.mean()
    spread = math.exp(t_interval(z).half_width / ratio)
    return Interval(per * ratio, per * ratio / spread, per * ratio * spread, n)


def estimate(kpi: KPI, table: Table, horizon: float) -> Interval:
    """The KPI's estimate with its interval, as the summary reports it."""
    values = np.asarray(table[kpi.name], dtype=float)
    if kpi.kind == "probability":
        return proportion(values)
    if kpi.kind == "event_day":
        return t_interval(np.where(np.isnan(values), horizon, np.minimum(values, horizon)))
    if kpi.kind == "rate":
        return ratio_interval(*ratio_terms(table, kpi), per=kpi.per)
    return t_interval(values)


def survival_of(kpi: KPI, table: Table, horizon: float) -> Survival:
    """Kaplan–Meier of an event-day KPI (from the start) or a duration (to its event)."""
    values = np.asarray(table[kpi.name], dtype=float)
    if kpi.kind == "duration":
        return kaplan_meier_censored(values, table[str(kpi.numerator)])
    return kaplan_meier(values, horizon)


def summarise(kpis: np.ndarray, horizon: float) -> list[dict[str, Any]]:
    """Summary rows from a (replications × KPIs) array in catalogue order."""
    table = columns(kpis)
    rows = []
    for kpi in catalogue.kpis():
        values = table[kpi.name]
        interval = estimate(kpi, table, horizon)
        events: int | None
        if kpi.kind in ("event_day", "duration"):
            survival = survival_of(kpi, table, horizon)
            p10, p50, p90 = (survival.quantile(q) for q in (0.1, 0.5, 0.9))
            events = survival.events
        elif kpi.kind == "probability":
            p10 = p50 = p90 = math.nan  # quantiles of a 0/1 outcome say nothing
            events = int(np.nansum(values))
        elif kpi.kind == "rate":
            p10 = p50 = p90 = math.nan  # one replication's rate is mostly 0 or one event
            events = int(np.nansum(ratio_terms(table, kpi)[0]))
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
