"""Estimators with intervals: Student t for means, Wilson for probabilities.

Notes:
    Replications of a terminating simulation are independent, so one observation per replication
    and KPI gives a t-interval for a mean (Law, *Simulation Modeling and Analysis*, ch. 9). For
    proportions the Wilson score interval keeps its coverage near 0 and 1, where the Wald
    interval collapses.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri, stdtrit

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    """An estimate with a two-sided interval and the number of observations behind it."""

    estimate: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        """Half the interval's width."""
        return (self.high - self.low) / 2

    @property
    def relative_half_width(self) -> float:
        """Half-width ÷ |estimate| (infinite at an estimate of 0)."""
        if self.estimate == 0 or math.isnan(self.estimate):
            return math.inf
        return self.half_width / abs(self.estimate)


@functools.lru_cache(maxsize=4096)
def _t_quantile(p: float, df: int) -> float:
    """Student's t quantile, remembered: the quantile costs far more than the interval
    around it, and a sweep asks for the same few (one per replication count) a million
    times.
    """
    return float(stdtrit(df, p))


@functools.lru_cache(maxsize=64)
def _normal_quantile(p: float) -> float:
    """The standard normal quantile, remembered (see :func:`_t_quantile`)."""
    return float(ndtri(p))


def _clean(values: np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return np.asarray(array[~np.isnan(array)], dtype=float)


def t_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> Interval:
    """Mean with its Student-t interval; ``nan`` bounds with fewer than two values."""
    x = _clean(values)
    n = len(x)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    mean = math.fsum(x) / n
    if n < 2:
        return Interval(mean, math.nan, math.nan, n)
    sd = float(np.std(x, ddof=1))
    half = _t_quantile(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> Interval:
    """A proportion with its Wilson score interval."""
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    z = _normal_quantile(0.5 + confidence / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # At 0 or n successes the limit is exactly 0 or 1; rounding must not exclude the estimate.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(p, low, high, n)


def proportion(values: np.ndarray, confidence: float = CONFIDENCE) -> Interval:
    """Wilson interval of a 0/1 array."""
    x = _clean(values)
    return wilson_interval(round(math.fsum(x)), len(x), confidence)


def quantiles(values: np.ndarray, qs: tuple[float, ...] = (0.1, 0.5, 0.9)) -> list[float]:
    """Sample quantiles (linear interpolation), ``nan`` for no data."""
    x = _clean(values)
    if len(x) == 0:
        return [math.nan] * len(qs)
    return [float(v) for v in np.quantile(x, qs)]


def median_position(values: np.ndarray) -> int:
    """Where the median value sits (the upper middle for an even count, ties in order, NaN
    last): the representative replication of a run is the one with the median mean deterrence.
    """
    order = np.argsort(values, kind="stable")
    return int(order[len(order) // 2])
