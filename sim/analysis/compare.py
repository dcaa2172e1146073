"""Differences between scenarios, paired under common random numbers or independent.

Replication r of every scenario draws the same random numbers for the same purposes, so the
paired differences D_r = Y_B,r − Y_A,r cancel most of the noise. Intervals:

* means — paired t on D (independent runs: Welch t);
* probabilities — paired t on the difference of 0/1 outcomes (independent: Newcombe's hybrid
  score interval built from Wilson limits);
* event days — the difference in the Kaplan–Meier share reaching the event by the horizon
  (with censoring only at the common horizon this is the share of replications), with the
  interval above, plus a log-rank p-value on the whole curves.

A difference is *significant* when its 95% interval excludes zero (intervals are individual,
not adjusted for the number of KPIs compared). ``test_p_value`` is the p-value of the same test
that gives the interval (paired t, Welch t), so it is below 0.05 exactly when the interval
excludes zero; ``p_value`` is the log-rank test on the whole curves (event days, durations), a
different question (do the curves differ anywhere?) that may disagree with the interval.

Notes:
    Newcombe, R. G. (1998), Statistics in Medicine 17:873–890, method 10.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import stdtr, stdtrit

from sim.analysis.stats import CONFIDENCE, Interval, proportion, t_interval, wilson_interval
from sim.analysis.summary import Table, columns, ratio_interval, ratio_terms
from sim.analysis.survival import logrank, logrank_censored
from sim.engine import catalogue
from sim.engine.catalogue import KPI


@dataclass(frozen=True)
class Difference:
    """Alternative minus reference, with its 95% interval."""

    estimate: float
    low: float
    high: float
    method: str
    p_value: float | None = None
    """Log-rank p on the whole curves (event days and durations only)."""
    test_p_value: float | None = None
    """p of the test behind the interval (t tests); None for Newcombe's interval."""

    @property
    def significant(self) -> bool:
        """Whether the interval excludes zero."""
        return bool(self.low > 0 or self.high < 0)


def reached(values: np.ndarray, horizon: float) -> np.ndarray:
    """1 where an event day was reached within the horizon, else 0."""
    days = np.asarray(values, dtype=float)
    return np.asarray(~np.isnan(days) & (days <= horizon), dtype=float)


def comparable(kpi: KPI, values: np.ndarray, horizon: float) -> np.ndarray:
    """The per-replication quantity compared: event days become reached-or-not."""
    return reached(values, horizon) if kpi.kind == "event_day" else np.asarray(values, float)


def terms(kpi: KPI, table: Table, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Per replication, the KPI as a ratio's terms ``(y, e)``: its estimate is Σy / Σe.

    For a measure that applies to every replication ``e`` is 1 and ``y`` the value (event
    days: reached or not); a measure conditioned on exposure has ``e`` = 0 where it does not
    apply; a rate has its events over its exposure days.
    """
    if kpi.kind == "rate":
        y = np.asarray(table[str(kpi.numerator)], dtype=float)
        e = np.asarray(table[str(kpi.exposure)], dtype=float)
        exposed = ~np.isnan(y) & ~np.isnan(e)
        return np.where(exposed, y, 0.0), np.where(exposed, e, 0.0)
    values = comparable(kpi, table[kpi.name], horizon)
    exposed = ~np.isnan(values)
    return np.where(exposed, values, 0.0), exposed.astype(float)


def scenario_estimate(kpi: KPI, table: Table, horizon: float) -> Interval:
    """A scenario's estimate as compared: a mean, a share (events by the horizon) or a rate."""
    if kpi.kind == "rate":
        return ratio_interval(*ratio_terms(table, kpi), per=kpi.per)
    x = comparable(kpi, table[kpi.name], horizon)
    return t_interval(x) if kpi.kind in ("mean", "duration") else proportion(x)


def _t_test_p(diff: float, half: float, df: float) -> float:
    """Two-sided p of the t test whose 95% interval is ``diff ± half`` with ``df`` degrees of
    freedom: below 0.05 exactly when the interval excludes zero.
    """
    if math.isnan(half) or math.isnan(diff):
        return math.nan
    if half == 0:
        return 1.0 if diff == 0 else 0.0
    se = half / float(stdtrit(df, 0.5 + CONFIDENCE / 2))
    return float(2 * stdtr(df, -abs(diff) / se))


def _linearised(y: np.ndarray, e: np.ndarray) -> tuple[float, np.ndarray]:
    """The ratio Σy / Σe and each replication's linearised contribution (y − R·e) / ē."""
    if not e.sum() > 0:
        return math.nan, np.full(len(y), math.nan)
    ratio = float(y.sum() / e.sum())
    return ratio, (y - ratio * e) / e.mean()


def _paired(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[float, float, float, float]:
    """R_b − R_a with a t interval on the paired linearised differences.

    With every replication exposed in both this is the paired t interval on b − a.
    """
    ra, za = _linearised(*a)
    rb, zb = _linearised(*b)
    if math.isnan(ra) or math.isnan(rb):
        return math.nan, math.nan, math.nan, math.nan
    diff = rb - ra
    half = t_interval(zb - za).half_width
    if math.isnan(half):
        return diff, math.nan, math.nan, math.nan
    return diff, diff - half, diff + half, _t_test_p(diff, half, len(za) - 1)


def _unpaired_ratio(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[float, float, float, float]:
    ra, za = _linearised(*a)
    rb, zb = _linearised(*b)
    if math.isnan(ra) or math.isnan(rb) or len(za) < 2 or len(zb) < 2:
        return math.nan, math.nan, math.nan, math.nan
    va, vb = np.var(za, ddof=1) / len(za), np.var(zb, ddof=1) / len(zb)
    diff = rb - ra
    se = math.sqrt(va + vb)
    if se == 0:
        return diff, diff, diff, _t_test_p(diff, 0.0, 1.0)
    df = (va + vb) ** 2 / (va**2 / (len(za) - 1) + vb**2 / (len(zb) - 1))
    half = float(stdtrit(df, 0.5 + CONFIDENCE / 2)) * se
    return diff, diff - half, diff + half, _t_test_p(diff, half, df)


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float, float]:
    a = a[~np.isnan(a)]
    b = b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan, math.nan, math.nan
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    diff = float(np.mean(b) - np.mean(a))
    se = math.sqrt(va + vb)
    if se == 0:
        return diff, diff, diff, _t_test_p(diff, 0.0, 1.0)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stdtrit(df, 0.5 + CONFIDENCE / 2)) * se
    return diff, diff - half, diff + half, _t_test_p(diff, half, df)


def _newcombe(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    a = a[~np.isnan(a)]
    b = b[~np.isnan(b)]
    ia = wilson_interval(round(float(a.sum())), len(a))
    ib = wilson_interval(round(float(b.sum())), len(b))
    diff = ib.estimate - ia.estimate
    low = diff - math.sqrt((ib.estimate - ib.low) ** 2 + (ia.high - ia.estimate) ** 2)
    high = diff + math.sqrt((ib.high - ib.estimate) ** 2 + (ia.estimate - ia.low) ** 2)
    return diff, low, high


def difference(
    kpi: KPI, reference: Table, alternative: Table, horizon: float, paired: bool
) -> Difference:
    """Alternative minus reference for one KPI (tables of KPI columns by name)."""
    scale = kpi.per if kpi.kind == "rate" else 1.0
    test_p: float | None
    if paired:
        estimate, low, high, test_p = _paired(
            terms(kpi, reference, horizon), terms(kpi, alternative, horizon)
        )
        method = "paired t (common random numbers)"
        if kpi.kind == "rate" or np.isnan(comparable(kpi, reference[kpi.name], horizon)).any():
            method = "paired t on linearised ratios (common random numbers)"
    elif kpi.kind == "rate":
        estimate, low, high, test_p = _unpaired_ratio(
            terms(kpi, reference, horizon), terms(kpi, alternative, horizon)
        )
        method = "Welch t on linearised ratios (independent runs)"
    else:
        a = comparable(kpi, reference[kpi.name], horizon)
        b = comparable(kpi, alternative[kpi.name], horizon)
        if kpi.kind in ("mean", "duration"):
            estimate, low, high, test_p = _welch(a, b)
            method = "Welch t (independent runs)"
        else:
            estimate, low, high = _newcombe(a, b)
            test_p = None
            method = "Newcombe score interval (independent runs)"
    p_value = None
    if kpi.kind == "event_day":
        p_value = logrank(reference[kpi.name], alternative[kpi.name], horizon)
        method = f"Kaplan-Meier share by the horizon, {method}; log-rank p"
    elif kpi.kind == "duration":
        event = str(kpi.numerator)
        p_value = logrank_censored(
            reference[kpi.name], reference[event], alternative[kpi.name], alternative[event]
        )
        method = f"restricted mean, {method}; log-rank p on the time to the event"
    if test_p is not None and math.isnan(test_p):
        test_p = None
    return Difference(estimate * scale, low * scale, high * scale, method, p_value, test_p)


def ranks(kpi: KPI, estimates: list[float]) -> list[int | None]:
    """Rank 1 = best, by the KPI's better direction; none for KPIs with no better side."""
    if kpi.better == "neither" or any(math.isnan(e) for e in estimates):
        return [None] * len(estimates)
    sign = -1.0 if kpi.better == "higher" else 1.0
    order = sorted(range(len(estimates)), key=lambda i: (sign * estimates[i], i))
    result: list[int | None] = [None] * len(estimates)
    for rank, index in enumerate(order, start=1):
        result[index] = rank
    return result


ROW_COLUMNS = (
    "kpi",
    "kind",
    "unit",
    "scenario",
    "role",
    "estimate",
    "ci_low",
    "ci_high",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "significant",
    "rank",
    "method",
    "test_p_value",
)
"""The columns of :func:`compare_rows`, in order."""


def _estimate_method(kpi: KPI) -> str:
    if kpi.kind in ("mean", "duration"):
        return "estimate: mean, t interval"
    if kpi.kind == "rate":
        return "estimate: ratio estimator, linearised t interval on the log scale"
    return "estimate: share (event days: reached by the horizon), Wilson interval"


def compare_rows(
    labels: list[str], values: list[np.ndarray], horizon: float, paired: bool
) -> list[dict[str, Any]]:
    """One row per KPI and scenario: its estimate, and its difference from the first.

    ``values[i]`` is scenario i's (replications × KPIs) array in catalogue order; with
    ``paired`` their rows are the same replications under common random numbers.
    """
    out: list[dict[str, Any]] = []
    tables = [columns(v) for v in values]
    for kpi in catalogue.kpis():
        estimates = [scenario_estimate(kpi, table, horizon) for table in tables]
        order = ranks(kpi, [e.estimate for e in estimates])
        for i, (label, estimate) in enumerate(zip(labels, estimates, strict=True)):
            diff = difference(kpi, tables[0], tables[i], horizon, paired) if i else None
            out.append(
                {
                    "kpi": kpi.name,
                    "kind": kpi.kind,
                    "unit": kpi.unit,
                    "scenario": label,
                    "role": "alternative" if i else "reference",
                    "estimate": estimate.estimate,
                    "ci_low": estimate.low,
                    "ci_high": estimate.high,
                    "difference": diff.estimate if diff else None,
                    "diff_ci_low": diff.low if diff else None,
                    "diff_ci_high": diff.high if diff else None,
                    "p_value": diff.p_value if diff else None,
                    "significant": diff.significant if diff else None,
                    "rank": order[i],
                    "method": diff.method if diff else _estimate_method(kpi),
                    "test_p_value": diff.test_p_value if diff else None,
                }
            )
    return out
