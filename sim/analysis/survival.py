"""Kaplan–Meier estimates for event days right-censored at the horizon.

An event day not reached within the horizon is censored there, never averaged as if reached.
With one common horizon, KM reduces to the empirical distribution below the horizon, but it
also handles differing horizons and yields Greenwood-based intervals.

Notes:
    Confidence band: the log-log transform of Greenwood's variance (Kalbfleisch & Prentice),
    which keeps the band inside [0, 1]. Log-rank test: Mantel–Haenszel form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import chdtrc, ndtri

from sim.analysis.stats import CONFIDENCE


@dataclass(frozen=True)
class Survival:
    """S(t) = P(T > t) as a step function: ``times`` are the distinct event days."""

    times: np.ndarray
    survival: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: int
    events: int
    horizon: float

    def at(self, day: float) -> float:
        """S(day)."""
        index = int(np.searchsorted(self.times, day, side="right")) - 1
        return 1.0 if index < 0 else float(self.survival[index])

    def quantile(self, q: float) -> float:
        """The first day by which a share ``q`` has had the event (``nan`` if never)."""
        reached = np.nonzero(1.0 - self.survival >= q - 1e-12)[0]
        return float(self.times[reached[0]]) if len(reached) else math.nan

    def curve(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """S, low and high evaluated at ``days``."""
        index = np.searchsorted(self.times, days, side="right") - 1
        ones = np.ones(len(days))
        valid = index >= 0
        s, lo, hi = ones.copy(), ones.copy(), ones.copy()
        s[valid] = self.survival[index[valid]]
        lo[valid] = self.low[index[valid]]
        hi[valid] = self.high[index[valid]]
        return s, lo, hi


def _observed(days: np.ndarray, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Event days (``nan``: not reached) as observed times and event flags, censored at the
    horizon.
    """
    days = np.asarray(days, dtype=float)
    events = ~np.isnan(days) & (days <= horizon)
    return np.where(events, days, horizon), events


def kaplan_meier(days: np.ndarray, horizon: float, confidence: float = CONFIDENCE) -> Survival:
    """KM estimate from event days, ``nan`` meaning not reached (censored at the horizon)."""
    times, events = _observed(days, horizon)
    return kaplan_meier_censored(times, events, confidence, horizon=horizon)


def kaplan_meier_censored(
    times: np.ndarray,
    events: np.ndarray,
    confidence: float = CONFIDENCE,
    *,
    horizon: float | None = None,
) -> Survival:
    """KM estimate from observed times and event flags (each time censored where its flag is
    false); ``nan`` times are left out. Censoring may differ between replications, as when
    time is counted from a ceasefire that came on different days.
    """
    times = np.asarray(times, dtype=float)
    flags = np.asarray(events, dtype=float)
    keep = ~np.isnan(times) & ~np.isnan(flags)
    times, flags = times[keep], flags[keep] > 0.5
    n = len(times)
    event_times, deaths = np.unique(times[flags], return_counts=True)
    order = np.sort(times)
    at_risk = n - np.searchsorted(order, event_times, side="left")
    survival = np.cumprod(1.0 - deaths / at_risk) if len(event_times) else np.array([])
    z = float(ndtri(0.5 + confidence / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(deaths / (at_risk * (at_risk - deaths)))
        log_s = np.log(survival)
        se = np.sqrt(greenwood) / np.abs(log_s)
        low = np.exp(-np.exp(np.log(-log_s) + z * se))
        high = np.exp(-np.exp(np.log(-log_s) - z * se))
    low = np.where(survival >= 1.0, 1.0, np.where(survival <= 0.0, 0.0, low))
    high = np.where(survival >= 1.0, 1.0, np.where(survival <= 0.0, 0.0, high))
    end = horizon if horizon is not None else (float(order[-1]) if n else 0.0)
    return Survival(
        event_times,
        survival,
        np.nan_to_num(low),
        np.nan_to_num(high, nan=1.0),
        n,
        int(flags.sum()),
        end,
    )


def logrank(days_a: np.ndarray, days_b: np.ndarray, horizon: float) -> float:
    """Two-sided log-rank p-value for two samples of event days censored at the horizon."""
    ta, ea = _observed(days_a, horizon)
    tb, eb = _observed(days_b, horizon)
    return logrank_censored(ta, ea, tb, eb)


def logrank_censored(
    times_a: np.ndarray, events_a: np.ndarray, times_b: np.ndarray, events_b: np.ndarray
) -> float:
    """Two-sided log-rank p-value from observed times and event flags (``nan`` left out)."""
    samples = []
    for times, events in ((times_a, events_a), (times_b, events_b)):
        t = np.asarray(times, dtype=float)
        e = np.asarray(events, dtype=float)
        keep = ~np.isnan(t) & ~np.isnan(e)
        samples.append((t[keep], e[keep] > 0.5))
    (ta, ea), (tb, eb) = samples
    event_times = np.unique(np.concatenate((ta[ea], tb[eb])))
    observed_minus_expected = 0.0
    variance = 0.0
    for t in event_times:
        na, nb = np.sum(ta >= t), np.sum(tb >= t)
        da, db = np.sum((ta == t) & ea), np.sum((tb == t) & eb)
        n, d = na + nb, da + db
        if n < 2:
            continue
        observed_minus_expected += da - d * na / n
        variance += d * (na / n) * (nb / n) * (n - d) / (n - 1)
    if variance <= 0:
        return 1.0
    chi2 = observed_minus_expected**2 / variance
    return float(chdtrc(1, chi2))
