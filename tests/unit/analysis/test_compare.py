"""sim.analysis.compare: paired, Welch and Newcombe differences, ranks, significance.

References: scipy.stats.ttest_rel / ttest_ind(equal_var=False) confidence intervals; the
Welch–Satterthwaite formula worked by hand; Newcombe (1998), "Interval estimation for the
difference between independent proportions: comparison of eleven methods", Statistics in
Medicine 17:873–890, Table II, method 10 (hybrid score interval without continuity correction).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.analysis.compare import (
    Difference,
    comparable,
    difference,
    ranks,
    reached,
    scenario_estimate,
)
from sim.analysis.stats import proportion, t_interval
from sim.analysis.survival import logrank
from sim.engine.catalogue import KPI

NAN = math.nan
HORIZON = 100.0
Z95 = 1.959963984540054

MEAN = KPI("m", "mean", "index", "A mean KPI", better="higher")
PROBABILITY = KPI("p", "probability", "share", "A probability KPI", better="lower")
EVENT_DAY = KPI("d", "event_day", "day", "An event-day KPI", better="higher")

# (x1, n1, x2, n2, difference p1 − p2, lower, upper), published to four decimals.
NEWCOMBE_TABLE_II = [
    (56, 70, 48, 80, 0.2000, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.6000, 0.1705, 0.8090),
    (6, 7, 2, 7, 0.5714, 0.0582, 0.8062),
    (5, 56, 0, 29, 0.0893, -0.0381, 0.1926),
    (0, 10, 0, 20, 0.0000, -0.1611, 0.2775),
    (0, 10, 0, 10, 0.0000, -0.2775, 0.2775),
    (10, 10, 0, 20, 1.0000, 0.6791, 1.0000),
    (10, 10, 0, 10, 1.0000, 0.6075, 1.0000),
]


def outcomes(successes: int, n: int) -> np.ndarray:
    return np.array([1.0] * successes + [0.0] * (n - successes))


def wilson_limits(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    p = k / n
    root = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    return (2 * n * p + z * z - root) / (2 * (n + z * z)), (2 * n * p + z * z + root) / (
        2 * (n + z * z)
    )


# --------------------------------------------------------------------------- Newcombe


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "diff", "low", "high"), NEWCOMBE_TABLE_II)
def test_newcombe_matches_table_ii(
    x1: int, n1: int, x2: int, n2: int, diff: float, low: float, high: float
) -> None:
    # Newcombe's p1 − p2 is alternative minus reference here.
    got = difference(PROBABILITY, outcomes(x2, n2), outcomes(x1, n1), HORIZON, paired=False)
    assert got.estimate == pytest.approx(x1 / n1 - x2 / n2, rel=1e-12)
    assert got.estimate == pytest.approx(diff, abs=5e-5)
    assert got.low == pytest.approx(low, abs=5e-5)
    assert got.high == pytest.approx(high, abs=5e-5)
    assert got.method == "Newcombe score interval (independent runs)"
    assert got.p_value is None


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [(3, 17, 11, 20), (40, 41, 1, 90), (7, 7, 7, 9)])
def test_newcombe_matches_the_square_and_add_formula(x1: int, n1: int, x2: int, n2: int) -> None:
    l1, u1 = wilson_limits(x1, n1)
    l2, u2 = wilson_limits(x2, n2)
    p1, p2 = x1 / n1, x2 / n2
    got = difference(PROBABILITY, outcomes(x2, n2), outcomes(x1, n1), HORIZON, paired=False)
    assert got.low == pytest.approx(p1 - p2 - math.hypot(p1 - l1, u2 - p2), abs=1e-12)
    assert got.high == pytest.approx(p1 - p2 + math.hypot(u1 - p1, p2 - l2), abs=1e-12)


def test_newcombe_drops_nan() -> None:
    a = np.array([1.0, NAN, 0.0, 0.0, 1.0])
    b = np.array([NAN, 1.0, 1.0, 1.0])
    with_nan = difference(PROBABILITY, a, b, HORIZON, paired=False)
    clean = difference(PROBABILITY, outcomes(2, 4), outcomes(3, 3), HORIZON, paired=False)
    assert (with_nan.estimate, with_nan.low, with_nan.high) == (
        clean.estimate,
        clean.low,
        clean.high,
    )


# --------------------------------------------------------------------------- Welch


@pytest.mark.parametrize("seed", range(5))
def test_welch_matches_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(10.0, 2.0, 8 + seed)
    b = rng.normal(11.0, 5.0, 20 + 3 * seed)
    got = difference(MEAN, a, b, HORIZON, paired=False)
    ci = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert got.estimate == pytest.approx(np.mean(b) - np.mean(a), rel=1e-12)
    assert got.low == pytest.approx(ci.low, rel=1e-10)
    assert got.high == pytest.approx(ci.high, rel=1e-10)
    assert got.method == "Welch t (independent runs)"
    assert got.p_value is None


def test_welch_by_hand() -> None:
    # a = 1, 2, 3: s²/n = 1/3; b = 2, 4, 6, 8: s²/n = 5/3; se = √2;
    # df = 2² ÷ ((1/3)²/2 + (5/3)²/3) = 216/53.
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0, 8.0])
    got = difference(MEAN, a, b, HORIZON, paired=False)
    half = stats.t.ppf(0.975, 216 / 53) * math.sqrt(2)
    assert got.estimate == 3.0
    assert (got.low, got.high) == pytest.approx((3 - half, 3 + half), rel=1e-12)


def test_welch_drops_nan() -> None:
    a = np.array([1.0, NAN, 2.0, 4.0])
    b = np.array([5.0, 7.0, NAN, NAN, 6.5])
    got = difference(MEAN, a, b, HORIZON, paired=False)
    clean_a, clean_b = np.array([1.0, 2.0, 4.0]), np.array([5.0, 7.0, 6.5])
    ref = difference(MEAN, clean_a, clean_b, HORIZON, paired=False)
    assert (got.estimate, got.low, got.high) == (ref.estimate, ref.low, ref.high)


@pytest.mark.parametrize(
    ("a", "b"), [(np.array([1.0]), np.array([1.0, 2.0])), (np.array([1.0, 2.0]), np.array([]))]
)
def test_welch_needs_two_values_a_side(a: np.ndarray, b: np.ndarray) -> None:
    got = difference(MEAN, a, b, HORIZON, paired=False)
    assert all(math.isnan(v) for v in (got.estimate, got.low, got.high))
    assert not got.significant


def test_welch_of_constant_samples_has_zero_width() -> None:
    got = difference(MEAN, np.full(3, 1.0), np.full(4, 2.5), HORIZON, paired=False)
    assert (got.estimate, got.low, got.high) == (1.5, 1.5, 1.5)
    assert got.significant


# --------------------------------------------------------------------------- paired


@pytest.mark.parametrize("seed", range(5))
def test_paired_matches_scipy(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    a = rng.normal(50.0, 10.0, 12 + seed)
    b = a + rng.normal(1.0, 2.0, len(a))
    got = difference(MEAN, a, b, HORIZON, paired=True)
    ci = stats.ttest_rel(b, a).confidence_interval(0.95)
    assert got.estimate == pytest.approx(np.mean(b - a), rel=1e-12)
    assert got.low == pytest.approx(ci.low, rel=1e-10)
    assert got.high == pytest.approx(ci.high, rel=1e-10)
    assert got.method == "paired t (common random numbers)"


def test_paired_is_the_t_interval_of_the_differences() -> None:
    a = np.array([3.0, 5.0, 4.0, 9.0, 1.0])
    b = np.array([4.0, 5.5, 6.0, 9.5, 3.0])
    got = difference(MEAN, a, b, HORIZON, paired=True)
    d = t_interval(b - a)
    assert (got.estimate, got.low, got.high) == (d.estimate, d.low, d.high)


def test_paired_drops_a_pair_with_either_side_missing() -> None:
    a = np.array([1.0, NAN, 3.0, 4.0, 5.0])
    b = np.array([2.0, 9.0, NAN, 4.5, 7.0])
    got = difference(MEAN, a, b, HORIZON, paired=True)
    d = t_interval(np.array([1.0, 0.5, 2.0]))
    assert (got.estimate, got.low, got.high) == (d.estimate, d.low, d.high)


def test_paired_with_one_pair_has_no_interval() -> None:
    got = difference(MEAN, np.array([1.0]), np.array([3.0]), HORIZON, paired=True)
    assert got.estimate == 2.0
    assert math.isnan(got.low)
    assert math.isnan(got.high)
    assert not got.significant


def test_paired_with_identical_differences_has_zero_width() -> None:
    a = np.array([1.0, 4.0, 2.0])
    got = difference(MEAN, a, a + 0.5, HORIZON, paired=True)
    assert (got.estimate, got.low, got.high) == (0.5, 0.5, 0.5)


def test_common_random_numbers_narrow_the_interval() -> None:
    rng = np.random.default_rng(8)
    shared = rng.normal(0.0, 10.0, 40)  # the noise both scenarios share under CRN
    a = 20.0 + shared + rng.normal(0.0, 0.5, 40)
    b = 21.0 + shared + rng.normal(0.0, 0.5, 40)
    paired = difference(MEAN, a, b, HORIZON, paired=True)
    welch = difference(MEAN, a, b, HORIZON, paired=False)
    assert paired.significant
    assert not welch.significant
    assert (paired.high - paired.low) < (welch.high - welch.low) / 10


def test_paired_probability_is_the_t_interval_of_outcome_differences() -> None:
    a = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    b = np.array([1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    got = difference(PROBABILITY, a, b, HORIZON, paired=True)
    d = t_interval(b - a)
    assert (got.estimate, got.low, got.high) == (d.estimate, d.low, d.high)
    assert got.estimate == pytest.approx(2 / 6)
    assert got.p_value is None


# --------------------------------------------------------------------------- event days


def test_event_days_compare_the_share_reached_with_a_logrank_p() -> None:
    reference = np.array([10.0, 30.0, NAN, 150.0, 60.0, NAN])
    alternative = np.array([5.0, 20.0, 90.0, 100.0, 40.0, 70.0])
    paired = difference(EVENT_DAY, reference, alternative, HORIZON, paired=True)
    d = t_interval(reached(alternative, HORIZON) - reached(reference, HORIZON))
    assert paired.estimate == pytest.approx(6 / 6 - 3 / 6)
    assert (paired.estimate, paired.low, paired.high) == (d.estimate, d.low, d.high)
    assert paired.p_value == logrank(reference, alternative, HORIZON)
    assert paired.method == (
        "Kaplan-Meier share by the horizon, paired t (common random numbers); log-rank p"
    )
    independent = difference(EVENT_DAY, reference, alternative, HORIZON, paired=False)
    newcombe = difference(PROBABILITY, outcomes(3, 6), outcomes(6, 6), HORIZON, paired=False)
    assert (independent.estimate, independent.low, independent.high) == (
        newcombe.estimate,
        newcombe.low,
        newcombe.high,
    )
    assert independent.p_value == paired.p_value
    assert independent.method.startswith("Kaplan-Meier share by the horizon, Newcombe")


def test_reached() -> None:
    days = np.array([NAN, 0.0, 99.5, 100.0, 100.5, 1e9])
    assert reached(days, 100.0).tolist() == [0.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    assert reached(days, 100.0).dtype == float


def test_comparable() -> None:
    values = np.array([NAN, 3.0, 200.0])
    assert comparable(EVENT_DAY, values, HORIZON).tolist() == [0.0, 1.0, 0.0]
    assert np.array_equal(comparable(MEAN, values, HORIZON), values, equal_nan=True)
    assert np.array_equal(comparable(PROBABILITY, values, HORIZON), values, equal_nan=True)


def test_scenario_estimate() -> None:
    values = np.array([1.0, 0.0, 1.0, 1.0])
    assert scenario_estimate(MEAN, values, HORIZON) == t_interval(values)
    assert scenario_estimate(PROBABILITY, values, HORIZON) == proportion(values)
    days = np.array([10.0, NAN, 300.0, 50.0])
    assert scenario_estimate(EVENT_DAY, days, HORIZON) == proportion(np.array([1.0, 0, 0, 1]))


# --------------------------------------------------------------------------- significance


@pytest.mark.parametrize(
    ("low", "high", "significant"),
    [
        (0.01, 0.2, True),
        (-0.2, -0.01, True),
        (-0.1, 0.1, False),
        (0.0, 0.2, False),  # an interval touching zero does not exclude it
        (-0.2, 0.0, False),
        (NAN, NAN, False),
    ],
)
def test_significant_when_the_interval_excludes_zero(
    low: float, high: float, significant: bool
) -> None:
    assert Difference(0.05, low, high, "method").significant is significant


# --------------------------------------------------------------------------- ranks


def test_ranks_higher_is_better() -> None:
    assert ranks(MEAN, [0.2, 0.9, 0.5]) == [3, 1, 2]


def test_ranks_lower_is_better() -> None:
    assert ranks(PROBABILITY, [0.2, 0.9, 0.5]) == [1, 3, 2]


def test_ranks_break_ties_by_order() -> None:
    assert ranks(MEAN, [0.5, 0.7, 0.5, 0.7]) == [3, 1, 4, 2]
    assert ranks(PROBABILITY, [0.5, 0.7, 0.5, 0.7]) == [1, 3, 2, 4]


def test_no_ranks_without_a_better_side() -> None:
    neither = KPI("x", "mean", "index", "No better side")
    assert neither.better == "neither"
    assert ranks(neither, [1.0, 2.0]) == [None, None]


def test_no_ranks_with_a_missing_estimate() -> None:
    assert ranks(MEAN, [1.0, NAN, 2.0]) == [None, None, None]


def test_ranks_of_nothing() -> None:
    assert ranks(MEAN, []) == []
