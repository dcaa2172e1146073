"""sim.analysis.compare: paired, Welch and Newcombe differences, ratio estimators for rates and
conditional measures, durations from the ceasefire, ranks, significance.

References: scipy.stats.ttest_rel / ttest_ind(equal_var=False) confidence intervals; the
Welch–Satterthwaite formula worked by hand; Newcombe (1998), "Interval estimation for the
difference between independent proportions: comparison of eleven methods", Statistics in
Medicine 17:873–890, Table II, method 10 (hybrid score interval without continuity correction);
the ratio estimator and its linearised variance (Cochran, *Sampling Techniques*, ch. 6), the
Kaplan–Meier product and the Mantel–Haenszel log-rank statistic, all worked by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.analysis import summary
from sim.analysis.compare import (
    Difference,
    comparable,
    compare_rows,
    difference,
    ranks,
    reached,
    scenario_estimate,
    terms,
)
from sim.analysis.stats import proportion, t_interval
from sim.analysis.survival import logrank
from sim.engine import catalogue
from sim.engine.catalogue import KPI

NAN = math.nan
HORIZON = 100.0
Z95 = 1.959963984540054

MEAN = KPI("m", "mean", "index", "A mean KPI", better="higher")
PROBABILITY = KPI("p", "probability", "share", "A probability KPI", better="lower")
EVENT_DAY = KPI("d", "event_day", "day", "An event-day KPI", better="higher")
RATE = KPI(
    "r",
    "rate",
    "per 1,000 days",
    "Events per 1,000 days of exposure",
    better="lower",
    numerator="events",
    exposure="days",
    per=1000.0,
)
DURATION = KPI("h", "duration", "days", "Days held until the event", better="higher", numerator="e")
T975 = {n: stats.t.ppf(0.975, n) for n in range(1, 30)}

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


def table(kpi: KPI, values: np.ndarray) -> dict[str, np.ndarray]:
    """A table holding one KPI's column."""
    return {kpi.name: np.asarray(values, dtype=float)}


def compared(kpi: KPI, reference: np.ndarray, alternative: np.ndarray, paired: bool) -> Difference:
    """The difference of one KPI given as two columns."""
    return difference(kpi, table(kpi, reference), table(kpi, alternative), HORIZON, paired)


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
    got = compared(PROBABILITY, outcomes(x2, n2), outcomes(x1, n1), paired=False)
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
    got = compared(PROBABILITY, outcomes(x2, n2), outcomes(x1, n1), paired=False)
    assert got.low == pytest.approx(p1 - p2 - math.hypot(p1 - l1, u2 - p2), abs=1e-12)
    assert got.high == pytest.approx(p1 - p2 + math.hypot(u1 - p1, p2 - l2), abs=1e-12)


def test_newcombe_drops_nan() -> None:
    a = np.array([1.0, NAN, 0.0, 0.0, 1.0])
    b = np.array([NAN, 1.0, 1.0, 1.0])
    with_nan = compared(PROBABILITY, a, b, paired=False)
    clean = compared(PROBABILITY, outcomes(2, 4), outcomes(3, 3), paired=False)
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
    got = compared(MEAN, a, b, paired=False)
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
    got = compared(MEAN, a, b, paired=False)
    half = stats.t.ppf(0.975, 216 / 53) * math.sqrt(2)
    assert got.estimate == 3.0
    assert (got.low, got.high) == pytest.approx((3 - half, 3 + half), rel=1e-12)


def test_welch_drops_nan() -> None:
    a = np.array([1.0, NAN, 2.0, 4.0])
    b = np.array([5.0, 7.0, NAN, NAN, 6.5])
    got = compared(MEAN, a, b, paired=False)
    clean_a, clean_b = np.array([1.0, 2.0, 4.0]), np.array([5.0, 7.0, 6.5])
    ref = compared(MEAN, clean_a, clean_b, paired=False)
    assert (got.estimate, got.low, got.high) == (ref.estimate, ref.low, ref.high)


@pytest.mark.parametrize(
    ("a", "b"), [(np.array([1.0]), np.array([1.0, 2.0])), (np.array([1.0, 2.0]), np.array([]))]
)
def test_welch_needs_two_values_a_side(a: np.ndarray, b: np.ndarray) -> None:
    got = compared(MEAN, a, b, paired=False)
    assert all(math.isnan(v) for v in (got.estimate, got.low, got.high))
    assert not got.significant


def test_welch_of_constant_samples_has_zero_width() -> None:
    got = compared(MEAN, np.full(3, 1.0), np.full(4, 2.5), paired=False)
    assert (got.estimate, got.low, got.high) == (1.5, 1.5, 1.5)
    assert got.significant


# --------------------------------------------------------------------------- paired


@pytest.mark.parametrize("seed", range(5))
def test_paired_matches_scipy(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    a = rng.normal(50.0, 10.0, 12 + seed)
    b = a + rng.normal(1.0, 2.0, len(a))
    got = compared(MEAN, a, b, paired=True)
    ci = stats.ttest_rel(b, a).confidence_interval(0.95)
    assert got.estimate == pytest.approx(np.mean(b - a), rel=1e-12)
    assert got.low == pytest.approx(ci.low, rel=1e-10)
    assert got.high == pytest.approx(ci.high, rel=1e-10)
    assert got.method == "paired t (common random numbers)"


def test_paired_is_the_t_interval_of_the_differences() -> None:
    """With every replication exposed, the linearised form is the paired t interval."""
    a = np.array([3.0, 5.0, 4.0, 9.0, 1.0])
    b = np.array([4.0, 5.5, 6.0, 9.5, 3.0])
    got = compared(MEAN, a, b, paired=True)
    d = t_interval(b - a)
    assert (got.estimate, got.low, got.high) == pytest.approx((d.estimate, d.low, d.high))
    assert got.method == "paired t (common random numbers)"


def test_paired_with_a_side_missing_is_the_difference_of_the_estimates() -> None:
    """A value missing on either side (a measure that does not apply there) keeps the other
    side's value: the difference is that of the two means over their own replications, with a
    t interval on the paired linearised values (y − R·e)/ē.
    """
    a = np.array([1.0, NAN, 3.0, 4.0, 5.0])
    b = np.array([2.0, 9.0, NAN, 4.5, 7.0])
    got = compared(MEAN, a, b, paired=True)
    # Reference: R = 13/4 over e = 1, 0, 1, 1, 1 (ē = 4/5); alternative: R = 22.5/4 over
    # e = 1, 1, 0, 1, 1.
    ra, rb = 13 / 4, 22.5 / 4
    za = (np.array([1.0, 0.0, 3.0, 4.0, 5.0]) - ra * np.array([1, 0, 1, 1, 1])) / 0.8
    zb = (np.array([2.0, 9.0, 0.0, 4.5, 7.0]) - rb * np.array([1, 1, 0, 1, 1])) / 0.8
    half = stats.t.ppf(0.975, 4) * np.std(zb - za, ddof=1) / math.sqrt(5)
    assert got.estimate == pytest.approx(rb - ra, rel=1e-12)
    assert got.estimate == pytest.approx(t_interval(b).estimate - t_interval(a).estimate, rel=1e-12)
    assert (got.low, got.high) == pytest.approx((rb - ra - half, rb - ra + half), rel=1e-12)
    assert got.method == "paired t on linearised ratios (common random numbers)"


def test_paired_with_one_pair_has_no_interval() -> None:
    got = compared(MEAN, np.array([1.0]), np.array([3.0]), paired=True)
    assert got.estimate == 2.0
    assert math.isnan(got.low)
    assert math.isnan(got.high)
    assert not got.significant


def test_paired_with_identical_differences_has_zero_width() -> None:
    a = np.array([1.0, 4.0, 2.0])
    got = compared(MEAN, a, a + 0.5, paired=True)
    assert (got.estimate, got.low, got.high) == (0.5, 0.5, 0.5)


def test_common_random_numbers_narrow_the_interval() -> None:
    rng = np.random.default_rng(8)
    shared = rng.normal(0.0, 10.0, 40)  # the noise both scenarios share under CRN
    a = 20.0 + shared + rng.normal(0.0, 0.5, 40)
    b = 21.0 + shared + rng.normal(0.0, 0.5, 40)
    paired = compared(MEAN, a, b, paired=True)
    welch = compared(MEAN, a, b, paired=False)
    assert paired.significant
    assert not welch.significant
    assert (paired.high - paired.low) < (welch.high - welch.low) / 10


def test_paired_probability_is_the_t_interval_of_outcome_differences() -> None:
    a = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    b = np.array([1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    got = compared(PROBABILITY, a, b, paired=True)
    d = t_interval(b - a)
    assert (got.estimate, got.low, got.high) == pytest.approx((d.estimate, d.low, d.high))
    assert got.estimate == pytest.approx(2 / 6)
    assert got.p_value is None


# --------------------------------------------------------------------------- event days


def test_event_days_compare_the_share_reached_with_a_logrank_p() -> None:
    reference = np.array([10.0, 30.0, NAN, 150.0, 60.0, NAN])
    alternative = np.array([5.0, 20.0, 90.0, 100.0, 40.0, 70.0])
    paired = compared(EVENT_DAY, reference, alternative, paired=True)
    d = t_interval(reached(alternative, HORIZON) - reached(reference, HORIZON))
    assert paired.estimate == pytest.approx(6 / 6 - 3 / 6)
    assert (paired.estimate, paired.low, paired.high) == pytest.approx((d.estimate, d.low, d.high))
    assert paired.p_value == logrank(reference, alternative, HORIZON)
    assert paired.method == (
        "Kaplan-Meier share by the horizon, paired t (common random numbers); log-rank p"
    )
    independent = compared(EVENT_DAY, reference, alternative, paired=False)
    newcombe = compared(PROBABILITY, outcomes(3, 6), outcomes(6, 6), paired=False)
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
    assert scenario_estimate(MEAN, table(MEAN, values), HORIZON) == t_interval(values)
    assert scenario_estimate(PROBABILITY, table(PROBABILITY, values), HORIZON) == proportion(values)
    days = np.array([10.0, NAN, 300.0, 50.0])
    expected = proportion(np.array([1.0, 0, 0, 1]))
    assert scenario_estimate(EVENT_DAY, table(EVENT_DAY, days), HORIZON) == expected


# --------------------------------------------------------------------------- rates


def rates(events: list[float], days: list[float]) -> dict[str, np.ndarray]:
    """A table of a rate's numerator and exposure (``nan``: not exposed)."""
    return {"events": np.array(events), "days": np.array(days), "r": np.full(len(days), NAN)}


def test_a_rate_is_the_ratio_estimator_with_a_linearised_t_interval() -> None:
    """1,000·Σy/Σe over the exposed replications, R·exp(∓h/R) with h = t·s_z/√n, z = (y − R·e)/ē."""
    # y = 1, 0, 1, 0 over e = 100, 300, 200, 400 (and one replication never exposed): R = 2/1000,
    # ē = 250, z = 0.0032, −0.0024, 0.0024, −0.0032, s_z² = 3.2e-5/3.
    sample = rates([1, 0, 1, 0, NAN], [100, 300, 200, 400, NAN])
    got = scenario_estimate(RATE, sample, HORIZON)
    half = 1000 * T975[3] * math.sqrt(3.2e-5 / 3) / 2
    spread = math.exp(half / 2.0)
    assert got.estimate == pytest.approx(2.0, rel=1e-12)
    assert (got.low, got.high) == pytest.approx((2.0 / spread, 2.0 * spread), rel=1e-12)
    assert got.n == 4
    assert summary.estimate(RATE, sample, HORIZON) == got  # what the summary reports


def test_a_rate_with_no_exposure_has_no_estimate() -> None:
    got = scenario_estimate(RATE, rates([NAN, NAN], [NAN, NAN]), HORIZON)
    assert math.isnan(got.estimate)
    assert got.n == 0


REFERENCE_RATE = rates([1, 0, 1, 0, 1], [100, 300, 200, 400, 300])
ALTERNATIVE_RATE = rates([0, 0, 1, 0, NAN], [150, 300, 250, 400, NAN])


def _z(y: list[float], e: list[float]) -> tuple[float, np.ndarray]:
    """The ratio and the linearised values, by hand."""
    ya, ea = np.array(y, dtype=float), np.array(e, dtype=float)
    ratio = ya.sum() / ea.sum()
    return ratio, (ya - ratio * ea) / ea.mean()


def test_a_paired_rate_difference_is_the_difference_of_the_estimates() -> None:
    """Paired: R_B − R_A with a t interval on z_B − z_A, the unexposed replication counting
    with y = e = 0 on its side.
    """
    _, za = _z([1, 0, 1, 0, 1], [100, 300, 200, 400, 300])
    _, zb = _z([0, 0, 1, 0, 0], [150, 300, 250, 400, 0])
    half = 1000 * T975[4] * np.std(zb - za, ddof=1) / math.sqrt(5)
    got = difference(RATE, REFERENCE_RATE, ALTERNATIVE_RATE, HORIZON, paired=True)
    reported = [
        scenario_estimate(RATE, t, HORIZON).estimate for t in (REFERENCE_RATE, ALTERNATIVE_RATE)
    ]
    assert got.estimate == pytest.approx(reported[1] - reported[0], rel=1e-12)
    assert got.estimate == pytest.approx(1000 * (1 / 1100 - 3 / 1300), rel=1e-12)
    assert (got.low, got.high) == pytest.approx((got.estimate - half, got.estimate + half))
    assert got.method == "paired t on linearised ratios (common random numbers)"
    assert got.p_value is None


def test_an_independent_rate_difference_is_welch_on_the_linearised_values() -> None:
    """Independent runs: Welch's t on each side's z, an unexposed replication counting with
    y = e = 0 (z = 0) as in the paired form.
    """
    ra, za = _z([1, 0, 1, 0, 1], [100, 300, 200, 400, 300])
    rb, zb = _z([0, 0, 1, 0, 0], [150, 300, 250, 400, 0])
    va, vb = np.var(za, ddof=1) / 5, np.var(zb, ddof=1) / 5
    df = (va + vb) ** 2 / (va**2 / 4 + vb**2 / 4)
    half = 1000 * stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    got = difference(RATE, REFERENCE_RATE, ALTERNATIVE_RATE, HORIZON, paired=False)
    assert got.estimate == pytest.approx(1000 * (rb - ra), rel=1e-12)
    assert (got.low, got.high) == pytest.approx((got.estimate - half, got.estimate + half))
    assert got.method == "Welch t on linearised ratios (independent runs)"


def test_terms_of_each_kind() -> None:
    """The (y, e) of a ratio Σy/Σe: 0/1 exposure for measures that may not apply, reached-or-not
    for event days, numerator and exposure days for a rate.
    """
    y, e = terms(MEAN, table(MEAN, np.array([2.0, NAN, 4.0])), HORIZON)
    assert (y.tolist(), e.tolist()) == ([2.0, 0.0, 4.0], [1.0, 0.0, 1.0])
    y, e = terms(EVENT_DAY, table(EVENT_DAY, np.array([20.0, NAN, 400.0])), HORIZON)
    assert (y.tolist(), e.tolist()) == ([1.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    y, e = terms(RATE, rates([1, NAN, 0], [10, NAN, 30]), HORIZON)
    assert (y.tolist(), e.tolist()) == ([1.0, 0.0, 0.0], [10.0, 0.0, 30.0])


# --------------------------------------------------------------------------- conditional KPIs


def test_a_paired_conditional_share_is_the_difference_of_the_reported_shares() -> None:
    """A probability that applies to some replications only (an offensive given a ceasefire):
    the paired difference is that of the two reported shares, with the linearised interval.
    """
    a = np.array([1.0, NAN, 0.0, 1.0, 0.0, NAN])
    b = np.array([0.0, 1.0, NAN, 0.0, 0.0, 1.0])
    got = compared(PROBABILITY, a, b, paired=True)
    shares = [summary.estimate(PROBABILITY, table(PROBABILITY, x), HORIZON) for x in (a, b)]
    assert [s.estimate for s in shares] == [2 / 4, 2 / 5]
    assert got.estimate == pytest.approx(2 / 5 - 2 / 4, rel=1e-12)
    _, za = _z([1, 0, 0, 1, 0, 0], [1, 0, 1, 1, 1, 0])
    _, zb = _z([0, 1, 0, 0, 0, 1], [1, 1, 0, 1, 1, 1])
    half = T975[5] * np.std(zb - za, ddof=1) / math.sqrt(6)
    assert (got.low, got.high) == pytest.approx((got.estimate - half, got.estimate + half))
    assert got.method == "paired t on linearised ratios (common random numbers)"


# --------------------------------------------------------------------------- durations


def durations(days: list[float], events: list[float]) -> dict[str, np.ndarray]:
    """A duration's table: days held (``nan``: no ceasefire) and whether the event ended it."""
    return {"h": np.array(days, dtype=float), "e": np.array(events, dtype=float)}


def test_a_duration_is_a_restricted_mean_with_kaplan_meier_from_its_own_origin() -> None:
    """The estimate is the mean over replications with an origin; the Kaplan–Meier curve
    censors each replication at its own time where the event did not happen.
    """
    # Held 2, 3, 3, 5, 6, 8 days; events at 2, 3, 5, 8, censored at 3 and 6; one replication
    # without a ceasefire. S: 5/6 at 2; ×4/5 at 3 (5 at risk, the censored 3 among them);
    # ×2/3 at 5; ×0 at 8 (1 at risk).
    sample = durations([2, 3, 3, 5, 6, 8, NAN], [1, 0, 1, 1, 0, 1, NAN])
    got = scenario_estimate(DURATION, sample, HORIZON)
    assert got == t_interval(np.array([2.0, 3, 3, 5, 6, 8]))
    assert summary.estimate(DURATION, sample, HORIZON) == got
    curve = summary.survival_of(DURATION, sample, HORIZON)
    assert curve.times.tolist() == [2.0, 3.0, 5.0, 8.0]
    assert curve.survival == pytest.approx([5 / 6, 2 / 3, 4 / 9, 0.0], rel=1e-12)
    assert (curve.n, curve.events) == (6, 4)
    assert (curve.quantile(0.1), curve.quantile(0.5), curve.quantile(0.9)) == (2.0, 5.0, 8.0)
    assert curve.at(4.0) == pytest.approx(2 / 3)
    # Greenwood with the log-log transform at day 2: Var = 1/(6·5).
    se = math.sqrt(1 / 30) / abs(math.log(5 / 6))
    low = math.exp(-math.exp(math.log(-math.log(5 / 6)) + Z95 * se))
    high = math.exp(-math.exp(math.log(-math.log(5 / 6)) - Z95 * se))
    assert (curve.low[0], curve.high[0]) == pytest.approx((low, high), rel=1e-9)


def test_a_duration_difference_has_a_log_rank_p_on_the_censored_times() -> None:
    """Reference: events at 2 and 4, censored at 9; alternative: events at 3 and 7, censored
    at 1 and 5. Reference events less expected ones at days 2, 3, 4, 7: 1 − 3/6, 0 − 2/5,
    1 − 2/4, 0 − 1/2, total 0.1; hypergeometric variances 0.25, 0.24, 0.25, 0.25, total 0.99.
    """
    reference = durations([2, 4, 9, NAN], [1, 1, 0, NAN])
    alternative = durations([3, 5, 7, 1], [1, 0, 1, 0])
    got = difference(DURATION, reference, alternative, HORIZON, paired=True)
    assert got.p_value == pytest.approx(stats.chi2.sf(0.1**2 / 0.99, 1), rel=1e-12)
    assert got.estimate == pytest.approx(16 / 4 - 15 / 3, rel=1e-12)
    assert got.method == (
        "restricted mean, paired t on linearised ratios (common random numbers); "
        "log-rank p on the time to the event"
    )
    independent = difference(DURATION, reference, alternative, HORIZON, paired=False)
    welch = compared(MEAN, reference["h"], alternative["h"], paired=False)
    assert (independent.estimate, independent.low, independent.high) == (
        welch.estimate,
        welch.low,
        welch.high,
    )
    assert independent.p_value == got.p_value
    assert independent.method.startswith("restricted mean, Welch t (independent runs)")


# --------------------------------------------------------------------------- every KPI


def _kpi_values(rng: np.random.Generator, reps: int) -> np.ndarray:
    """A (replications × KPIs) array in catalogue order, a fifth of each column missing."""
    columns = []
    for kpi in catalogue.kpis():
        if kpi.kind == "probability":
            values = rng.integers(0, 2, reps).astype(float)
        elif kpi.kind in ("event_day", "duration"):
            values = rng.uniform(1, 2 * HORIZON, reps)
        else:
            values = rng.normal(5, 2, reps)
        values[rng.random(reps) < 0.2] = NAN
        columns.append(values)
    return np.column_stack(columns)


@pytest.mark.parametrize("paired", [True, False])
def test_every_difference_is_that_of_the_reported_estimates(paired: bool) -> None:
    """For every KPI in the catalogue, partly missing or not, the difference compare_rows gives
    is the alternative's estimate minus the reference's, as the same rows report them.
    """
    rng = np.random.default_rng(5)
    values = [_kpi_values(rng, 12), _kpi_values(rng, 12)]
    rows = compare_rows(["a", "b"], values, HORIZON, paired=paired)
    assert len(rows) == 2 * len(catalogue.kpis())
    checked = set()
    for reference, alternative in zip(rows[0::2], rows[1::2], strict=True):
        assert (reference["role"], alternative["role"]) == ("reference", "alternative")
        expected = alternative["estimate"] - reference["estimate"]
        assert alternative["difference"] == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert (
            alternative["diff_ci_low"] <= alternative["difference"] <= alternative["diff_ci_high"]
        )
        checked.add(alternative["kind"])
    assert checked == {"probability", "event_day", "mean", "rate", "duration"}


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
