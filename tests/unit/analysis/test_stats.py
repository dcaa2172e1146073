"""sim.analysis.stats: Student-t intervals, Wilson intervals, proportions and quantiles.

Reference values come from scipy.stats, from closed forms written out here, and from
Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
seven methods", Statistics in Medicine 17:857–872, Table I, method 3 (score, no correction).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.analysis.stats import (
    CONFIDENCE,
    Interval,
    median_position,
    proportion,
    quantiles,
    t_interval,
    wilson_interval,
)

Z95 = 1.959963984540054  # Φ⁻¹(0.975)

# (successes, n, lower, upper), published to four decimals.
NEWCOMBE_TABLE_I = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


def wilson_closed_form(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson (1927) limits as the two roots of the score equation, in Newcombe's form."""
    p = k / n
    root = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    return (2 * n * p + z * z - root) / (2 * (n + z * z)), (2 * n * p + z * z + root) / (
        2 * (n + z * z)
    )


# --------------------------------------------------------------------------- Interval


def test_default_confidence_is_95_percent() -> None:
    assert CONFIDENCE == 0.95


def test_half_width_is_half_the_interval() -> None:
    assert Interval(5.0, 3.0, 8.0, 10).half_width == 2.5


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        (Interval(4.0, 3.0, 5.0, 10), 0.25),
        (Interval(-4.0, -5.0, -3.0, 10), 0.25),  # |estimate|
        (Interval(0.0, -1.0, 1.0, 10), math.inf),
        (Interval(math.nan, math.nan, math.nan, 0), math.inf),
    ],
)
def test_relative_half_width(interval: Interval, expected: float) -> None:
    assert interval.relative_half_width == expected


def test_relative_half_width_is_nan_when_the_bounds_are() -> None:
    assert math.isnan(Interval(2.0, math.nan, math.nan, 1).relative_half_width)


# --------------------------------------------------------------------------- t interval


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("n", [2, 3, 7, 30, 500])
def test_t_interval_matches_scipy(n: int, confidence: float) -> None:
    x = np.random.default_rng(n).lognormal(1.0, 0.8, n)
    got = t_interval(x, confidence)
    low, high = stats.t.interval(confidence, n - 1, loc=np.mean(x), scale=stats.sem(x))
    assert got.n == n
    assert got.estimate == pytest.approx(np.mean(x), rel=1e-12)
    assert got.low == pytest.approx(low, rel=1e-12)
    assert got.high == pytest.approx(high, rel=1e-12)


def test_t_interval_textbook_value() -> None:
    # 1..5: mean 3, s = √2.5, t(0.975; 4) = 2.776445 → 3 ± 2.776445·√2.5/√5 = 3 ± 1.963243.
    got = t_interval(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert got.estimate == 3.0
    assert got.half_width == pytest.approx(1.963243, abs=1e-6)
    assert (got.low, got.high) == pytest.approx((1.036757, 4.963243), abs=1e-6)


def test_t_interval_widens_with_confidence() -> None:
    x = np.arange(10.0)
    widths = [t_interval(x, c).half_width for c in (0.5, 0.8, 0.95, 0.999)]
    assert widths == sorted(widths)
    assert len(set(widths)) == len(widths)


def test_t_interval_of_no_values_is_all_nan() -> None:
    got = t_interval(np.array([]))
    assert got.n == 0
    assert all(math.isnan(v) for v in (got.estimate, got.low, got.high))


def test_t_interval_of_one_value_has_an_estimate_and_nan_bounds() -> None:
    got = t_interval(np.array([4.5]))
    assert (got.estimate, got.n) == (4.5, 1)
    assert math.isnan(got.low)
    assert math.isnan(got.high)


def test_t_interval_of_constant_values_has_zero_width() -> None:
    got = t_interval(np.full(6, 2.25))
    assert (got.estimate, got.low, got.high, got.n) == (2.25, 2.25, 2.25, 6)


def test_t_interval_drops_nan() -> None:
    with_nan = t_interval(np.array([np.nan, 1.0, 2.0, np.nan, 6.0]))
    without = t_interval(np.array([1.0, 2.0, 6.0]))
    assert with_nan == without
    assert with_nan.n == 3


def test_t_interval_of_only_nan_is_empty() -> None:
    assert t_interval(np.array([np.nan, np.nan])).n == 0


def test_t_interval_mean_is_exactly_rounded() -> None:
    # math.fsum: the naive sum of these is 0.0, the exact mean is 1/3.
    got = t_interval(np.array([1e16, 1.0, -1e16]))
    assert got.estimate == 1 / 3


# --------------------------------------------------------------------------- Wilson


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE_TABLE_I)
def test_wilson_matches_newcombe_table_i(k: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(k, n)
    assert got.estimate == k / n
    assert got.n == n
    assert got.low == pytest.approx(low, abs=5e-5)
    assert got.high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
@pytest.mark.parametrize(("k", "n"), [(1, 2), (3, 10), (7, 10), (50, 100), (1, 1000), (999, 1000)])
def test_wilson_matches_the_closed_form(k: int, n: int, confidence: float) -> None:
    z = stats.norm.ppf(0.5 + confidence / 2)
    low, high = wilson_closed_form(k, n, z)
    got = wilson_interval(k, n, confidence)
    assert got.low == pytest.approx(low, rel=1e-12)
    assert got.high == pytest.approx(high, rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 5, 7, 10, 20, 400])
def test_wilson_at_zero_successes(n: int) -> None:
    got = wilson_interval(0, n)
    assert got.estimate == 0.0
    assert got.low == pytest.approx(0.0, abs=1e-15)
    assert got.high == pytest.approx(Z95**2 / (n + Z95**2), rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 5, 7, 10, 20, 400])
def test_wilson_at_all_successes(n: int) -> None:
    got = wilson_interval(n, n)
    assert got.estimate == 1.0
    assert got.high == pytest.approx(1.0, abs=1e-15)
    assert got.low == pytest.approx(n / (n + Z95**2), rel=1e-12)


@pytest.mark.parametrize(("k", "n"), [(0, 7), (2, 7), (5, 13), (13, 13)])
def test_wilson_is_symmetric_under_swapping_outcomes(k: int, n: int) -> None:
    a, b = wilson_interval(k, n), wilson_interval(n - k, n)
    assert a.low == pytest.approx(1 - b.high, abs=1e-15)
    assert a.high == pytest.approx(1 - b.low, abs=1e-15)


def test_wilson_one_observation() -> None:
    # 0/1: [0, z²/(1+z²)] = [0, 0.7935]; 1/1: [1/(1+z²), 1] = [0.2065, 1].
    assert wilson_interval(0, 1).high == pytest.approx(0.7934506856, abs=1e-10)
    assert wilson_interval(1, 1).low == pytest.approx(0.2065493144, abs=1e-10)


def test_wilson_of_no_trials_is_all_nan() -> None:
    got = wilson_interval(0, 0)
    assert got.n == 0
    assert all(math.isnan(v) for v in (got.estimate, got.low, got.high))


def test_wilson_stays_in_the_unit_interval_and_contains_the_estimate() -> None:
    for n in (1, 3, 10, 57):
        for k in range(1, n):
            got = wilson_interval(k, n)
            assert 0.0 < got.low < got.estimate < got.high < 1.0
        for k in (0, n):
            got = wilson_interval(k, n)
            assert 0.0 <= got.low <= got.high <= 1.0


# --------------------------------------------------------------------------- proportion


def test_proportion_is_wilson_of_the_sum() -> None:
    x = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    assert proportion(x) == wilson_interval(6, 10)


def test_proportion_drops_nan() -> None:
    got = proportion(np.array([np.nan, 1.0, 0.0, 1.0, np.nan]))
    assert got == wilson_interval(2, 3)
    assert got.n == 3


@pytest.mark.parametrize("value", [0.0, 1.0])
def test_proportion_of_all_equal_outcomes(value: float) -> None:
    got = proportion(np.full(40, value))
    assert got == wilson_interval(int(value) * 40, 40)
    assert got.estimate == value


def test_proportion_of_nothing_is_nan() -> None:
    got = proportion(np.array([np.nan]))
    assert got.n == 0
    assert math.isnan(got.estimate)


def test_proportion_passes_the_confidence_on() -> None:
    x = np.array([1.0, 0.0, 0.0, 1.0, 0.0])
    assert proportion(x, 0.8) == wilson_interval(2, 5, 0.8)
    assert proportion(x, 0.8).half_width < proportion(x).half_width


# --------------------------------------------------------------------------- quantiles


@pytest.mark.parametrize("n", [1, 2, 5, 101])
def test_quantiles_match_numpy_linear(n: int) -> None:
    x = np.random.default_rng(n).normal(size=n)
    qs = (0.0, 0.1, 0.25, 0.5, 0.9, 1.0)
    assert quantiles(x, qs) == pytest.approx(np.quantile(x, qs, method="linear"), rel=1e-15)


def test_quantiles_default_to_p10_p50_p90_with_interpolation() -> None:
    # 1..4: positions 0.3, 1.5, 2.7 → 1.3, 2.5, 3.7.
    assert quantiles(np.array([4.0, 1.0, 3.0, 2.0])) == pytest.approx([1.3, 2.5, 3.7], abs=1e-12)


def test_quantiles_drop_nan() -> None:
    x = np.array([np.nan, 10.0, 0.0, np.nan, 5.0])
    assert quantiles(x, (0.25, 0.5)) == [2.5, 5.0]


@pytest.mark.parametrize("values", [np.array([]), np.array([np.nan, np.nan])])
def test_quantiles_of_no_data_are_nan(values: np.ndarray) -> None:
    got = quantiles(values, (0.1, 0.5, 0.9, 0.99))
    assert len(got) == 4
    assert all(math.isnan(v) for v in got)


def test_quantiles_are_python_floats() -> None:
    assert all(type(v) is float for v in quantiles(np.arange(5.0)))


@pytest.mark.parametrize("n", [7, 9, 10, 12, 13, 400])
def test_wilson_interval_contains_its_estimate_at_the_edges(n: int) -> None:
    none, every = wilson_interval(0, n), wilson_interval(n, n)
    assert none.low == 0.0  # exact: the score equation's root at p̂ = 0 is 0
    assert every.high == 1.0  # exact: the root at p̂ = 1 is 1
    assert none.low <= none.estimate <= none.high
    assert every.low <= every.estimate <= every.high


def test_median_position_is_where_the_middle_value_sits() -> None:
    assert median_position(np.array([3.0, 1.0, 2.0])) == 2
    assert median_position(np.array([4.0, 1.0, 3.0, 2.0])) == 2  # the upper middle, 3
    assert median_position(np.array([np.nan, 1.0, 2.0])) == 2  # NaN sorts last
    assert median_position(np.array([5.0, 5.0, 5.0])) == 1  # ties keep their order
