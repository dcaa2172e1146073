"""sim.analysis.survival: Kaplan–Meier with the log-log Greenwood band, and the log-rank test.

References: a small example worked by hand here; the control group of Freireich et al. (1963),
as tabulated in Kleinbaum & Klein, *Survival Analysis*, ch. 2; ``scipy.stats.ecdf`` (KM with
a log-log band) and ``scipy.stats.logrank`` as independent implementations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.analysis.summary import estimate
from sim.analysis.survival import kaplan_meier, logrank
from sim.engine.catalogue import KPI

Z95 = 1.959963984540054
NAN = math.nan

# Event days 2, 3, 3, 5, 8; one never reached (nan) and one after the horizon (12 > 10).
HAND_DAYS = np.array([2.0, 3.0, 3.0, NAN, 5.0, 8.0, 12.0])
HAND_HORIZON = 10.0
#                        day  at risk  events  S(t)
HAND_TABLE = [
    (2.0, 7, 1, 6 / 7),
    (3.0, 6, 2, 4 / 7),
    (5.0, 4, 1, 3 / 7),
    (8.0, 3, 1, 2 / 7),
]

# Freireich et al. (1963), 6-MP trial, placebo group: weeks of remission, no censoring.
FREIREICH_PLACEBO = np.array(
    [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23], dtype=float
)
# The textbook's KM table: distinct failure times and S(t) as counts out of 21.
FREIREICH_TABLE = [
    (1, 19),
    (2, 17),
    (3, 16),
    (4, 14),
    (5, 12),
    (8, 8),
    (11, 6),
    (12, 4),
    (15, 3),
    (17, 2),
    (22, 1),
    (23, 0),
]

EVENT_DAY = KPI("test_day", "event_day", "day", "A test event day")


def censored_at(days: np.ndarray, horizon: float) -> stats.CensoredData:
    observed = ~np.isnan(days) & (days <= horizon)
    return stats.CensoredData(
        uncensored=days[observed], right=np.full(int((~observed).sum()), horizon)
    )


def loglog_band(s: float, greenwood: float, z: float) -> tuple[float, float]:
    """Kalbfleisch & Prentice: S^exp(±z·σ), σ² = Greenwood sum ÷ (log S)²."""
    sigma = math.sqrt(greenwood) / abs(math.log(s))
    return s ** math.exp(z * sigma), s ** math.exp(-z * sigma)


# --------------------------------------------------------------------------- Kaplan–Meier


def test_kaplan_meier_by_hand() -> None:
    km = kaplan_meier(HAND_DAYS, HAND_HORIZON)
    assert km.times.tolist() == [day for day, *_ in HAND_TABLE]
    assert km.survival == pytest.approx([s for *_, s in HAND_TABLE], rel=1e-15)
    assert (km.n, km.events, km.horizon) == (7, 5, 10.0)


def test_greenwood_log_log_band_by_hand() -> None:
    km = kaplan_meier(HAND_DAYS, HAND_HORIZON)
    greenwood = 0.0
    for i, (_, at_risk, events, s) in enumerate(HAND_TABLE):
        greenwood += events / (at_risk * (at_risk - events))
        low, high = loglog_band(s, greenwood, Z95)
        assert km.low[i] == pytest.approx(low, rel=1e-12)
        assert km.high[i] == pytest.approx(high, rel=1e-12)


def test_kaplan_meier_with_a_common_horizon_is_the_empirical_survival() -> None:
    days = np.random.default_rng(5).exponential(40.0, 300).round()
    days[::7] = NAN
    horizon = 60.0
    km = kaplan_meier(days, horizon)
    reached = np.where(np.isnan(days), np.inf, days)
    for t, s in zip(km.times, km.survival, strict=True):
        assert s == pytest.approx(np.mean(reached > t), rel=1e-12)


def test_freireich_placebo_group_matches_the_textbook_table() -> None:
    km = kaplan_meier(FREIREICH_PLACEBO, horizon=35.0)
    assert km.times.tolist() == [t for t, _ in FREIREICH_TABLE]
    assert km.survival == pytest.approx([k / 21 for _, k in FREIREICH_TABLE], abs=1e-15)
    assert (km.n, km.events) == (21, 21)


def test_freireich_band_matches_scipy_ecdf_log_log() -> None:
    km = kaplan_meier(FREIREICH_PLACEBO, horizon=35.0)
    sf = stats.ecdf(FREIREICH_PLACEBO).sf
    with pytest.warns(RuntimeWarning, match="undefined"):  # scipy: no band where S = 0
        band = sf.confidence_interval(0.95, method="log-log")
    assert km.times == pytest.approx(sf.quantiles)
    positive = km.survival > 0
    assert km.low[positive] == pytest.approx(band.low.probabilities[positive], rel=1e-10)
    assert km.high[positive] == pytest.approx(band.high.probabilities[positive], rel=1e-10)
    # Where everyone has had the event the band collapses to 0.
    assert (km.survival[-1], km.low[-1], km.high[-1]) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
@pytest.mark.parametrize("horizon", [5.0, 12.0, 20.0])
def test_kaplan_meier_censored_at_the_horizon_matches_scipy(
    horizon: float, confidence: float
) -> None:
    days = FREIREICH_PLACEBO
    km = kaplan_meier(days, horizon, confidence)
    sf = stats.ecdf(censored_at(days, horizon)).sf
    band = sf.confidence_interval(confidence, method="log-log")
    # scipy also lists the censoring day when it follows the last event; KM lists event days.
    assert km.times.tolist() == sorted(set(days[days <= horizon]))
    assert km.survival == pytest.approx(sf.evaluate(km.times), rel=1e-12)
    assert km.low == pytest.approx(band.low.evaluate(km.times), rel=1e-10)
    assert km.high == pytest.approx(band.high.evaluate(km.times), rel=1e-10)
    assert km.events == int(np.sum(days <= horizon))


def test_band_contains_the_estimate_and_stays_in_the_unit_interval() -> None:
    days = np.random.default_rng(11).gamma(2.0, 30.0, 200).round()
    km = kaplan_meier(days, 100.0)
    assert np.all(km.low >= 0)
    assert np.all(km.high <= 1)
    assert np.all(km.low <= km.survival)
    assert np.all(km.survival <= km.high)
    narrow = kaplan_meier(days, 100.0, confidence=0.5)
    assert np.all(narrow.high - narrow.low < km.high - km.low)


def test_an_event_on_the_horizon_counts_and_one_after_it_does_not() -> None:
    km = kaplan_meier(np.array([10.0, 10.0 + 1e-9, NAN, 4.0]), horizon=10.0)
    assert km.times.tolist() == [4.0, 10.0]
    assert km.events == 2
    assert km.survival == pytest.approx([3 / 4, 2 / 4])


@pytest.mark.parametrize("days", [np.array([]), np.array([NAN, NAN, 50.0])])
def test_no_events(days: np.ndarray) -> None:
    km = kaplan_meier(days, horizon=20.0)
    assert (km.n, km.events) == (len(days), 0)
    assert len(km.times) == len(km.survival) == len(km.low) == len(km.high) == 0
    assert km.at(5.0) == 1.0
    assert math.isnan(km.quantile(0.1))
    s, lo, hi = km.curve(np.array([0.0, 10.0, 20.0]))
    assert s.tolist() == lo.tolist() == hi.tolist() == [1.0, 1.0, 1.0]


def test_one_replication() -> None:
    km = kaplan_meier(np.array([3.0]), horizon=10.0)
    assert km.survival.tolist() == [0.0]
    assert (km.low.tolist(), km.high.tolist()) == ([0.0], [0.0])
    assert km.quantile(0.5) == 3.0


# --------------------------------------------------------------------------- S(t), quantiles


def test_at_is_right_continuous_steps() -> None:
    km = kaplan_meier(HAND_DAYS, HAND_HORIZON)
    assert km.at(0.0) == 1.0
    assert km.at(1.999) == 1.0
    assert km.at(2.0) == pytest.approx(6 / 7)  # S(t) = P(T > t): the event day is included
    assert km.at(2.5) == pytest.approx(6 / 7)
    assert km.at(3.0) == pytest.approx(4 / 7)
    assert km.at(7.999) == pytest.approx(3 / 7)
    assert km.at(8.0) == pytest.approx(2 / 7)
    assert km.at(HAND_HORIZON) == pytest.approx(2 / 7)


def test_curve_evaluates_estimate_and_band_like_at() -> None:
    km = kaplan_meier(HAND_DAYS, HAND_HORIZON)
    days = np.array([0.0, 2.0, 2.5, 3.0, 4.0, 5.0, 8.0, 9.5])
    s, lo, hi = km.curve(days)
    assert s.tolist() == [km.at(d) for d in days]
    assert lo[0] == hi[0] == 1.0
    # Day 4 lies on the step begun on day 3, the second event day.
    assert (lo[4], hi[4]) == (km.low[1], km.high[1])
    assert (lo[-1], hi[-1]) == (km.low[-1], km.high[-1])


@pytest.mark.parametrize(
    ("q", "day"),
    [
        (0.01, 2.0),
        (1 / 7, 2.0),  # exactly reached on day 2, despite 1 − 6/7 ≠ 1/7 in floating point
        (0.2, 3.0),
        (3 / 7, 3.0),
        (0.5, 5.0),  # the median
        (4 / 7, 5.0),
        (5 / 7, 8.0),
    ],
)
def test_quantile_is_the_first_day_by_which_the_share_had_the_event(q: float, day: float) -> None:
    assert kaplan_meier(HAND_DAYS, HAND_HORIZON).quantile(q) == day


def test_quantile_beyond_the_share_reached_is_nan() -> None:
    km = kaplan_meier(HAND_DAYS, HAND_HORIZON)  # 5 of 7 reached by the horizon
    assert math.isnan(km.quantile(0.72))
    assert math.isnan(km.quantile(0.9))


def test_median_at_an_exact_half_is_the_first_day_not_a_midpoint() -> None:
    # S drops to exactly 0.5 on day 2: the first day by which half had the event is 2
    # (R's survfit would report the midpoint 2.5).
    km = kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), horizon=10.0)
    assert km.quantile(0.5) == 2.0


def test_freireich_placebo_median_is_8_weeks() -> None:
    assert kaplan_meier(FREIREICH_PLACEBO, 35.0).quantile(0.5) == 8.0


# --------------------------------------------------------------------------- restricted mean


def area_under(km_times: np.ndarray, km_survival: np.ndarray, horizon: float) -> float:
    edges = np.concatenate(([0.0], km_times, [horizon]))
    levels = np.concatenate(([1.0], km_survival))
    return float(np.sum(levels * np.diff(edges)))


def test_restricted_mean_by_hand() -> None:
    # ∫₀¹⁰ S = 2·1 + 1·6/7 + 2·4/7 + 3·3/7 + 2·2/7 = 41/7
    #        = mean of min(T, 10) = (2 + 3 + 3 + 10 + 5 + 8 + 10)/7.
    interval = estimate(EVENT_DAY, {EVENT_DAY.name: HAND_DAYS}, HAND_HORIZON)
    assert interval.estimate == pytest.approx(41 / 7, rel=1e-15)
    assert interval.n == 7


def test_restricted_mean_is_the_area_under_the_kaplan_meier_curve() -> None:
    days = np.random.default_rng(2).weibull(1.5, 500) * 300
    days[days > 400] = NAN
    horizon = 365.0
    km = kaplan_meier(days, horizon)
    interval = estimate(EVENT_DAY, {EVENT_DAY.name: days}, horizon)
    assert interval.estimate == pytest.approx(area_under(km.times, km.survival, horizon), rel=1e-12)


# --------------------------------------------------------------------------- log-rank


def test_logrank_by_hand() -> None:
    # A: events on days 1 and 3; B: event on day 2, one never. Horizon 5.
    #   day 1: n = 2 + 2, O − E = 1 − 2/4,  V = (2/4)(2/4)(3/3)
    #   day 2: n = 1 + 2, O − E = 0 − 1/3,  V = (1/3)(2/3)(2/2)
    #   day 3: n = 1 + 1, O − E = 1 − 1/2,  V = (1/2)(1/2)(1/1)
    # χ² = (2/3)² ÷ (13/18) = 8/13, p = P(χ²₁ > 8/13) = erfc(√(4/13)).
    p = logrank(np.array([1.0, 3.0]), np.array([2.0, NAN]), horizon=5.0)
    assert p == pytest.approx(math.erfc(math.sqrt(4 / 13)), rel=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_logrank_matches_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    horizon = 60.0
    a = rng.exponential(40.0, 30).round()  # whole days: many ties
    b = rng.exponential(25.0 + 10 * seed, 45).round()
    a[rng.random(30) < 0.15] = NAN
    b[rng.random(45) < 0.15] = NAN
    expected = stats.logrank(censored_at(a, horizon), censored_at(b, horizon)).pvalue
    assert logrank(a, b, horizon) == pytest.approx(expected, rel=1e-10)


def test_logrank_with_events_and_censoring_tied_at_the_horizon_matches_scipy() -> None:
    a = np.array([1.0, 2.0, 30.0, 30.0, NAN, 40.0])
    b = np.array([5.0, 30.0, NAN, NAN, NAN])
    expected = stats.logrank(censored_at(a, 30.0), censored_at(b, 30.0)).pvalue
    assert logrank(a, b, 30.0) == pytest.approx(expected, rel=1e-10)


def test_logrank_is_symmetric() -> None:
    a = np.array([3.0, 8.0, 8.0, NAN, 20.0])
    b = np.array([1.0, 2.0, 9.0, 15.0])
    assert logrank(a, b, 25.0) == pytest.approx(logrank(b, a, 25.0), rel=1e-14)


def test_logrank_censors_days_after_the_horizon() -> None:
    a = np.array([3.0, 8.0, 80.0, 90.0])
    b = np.array([1.0, 5.0, 9.0, 70.0])
    censored = np.array([3.0, 8.0, NAN, NAN]), np.array([1.0, 5.0, 9.0, NAN])
    assert logrank(a, b, 50.0) == logrank(*censored, 50.0)


def test_logrank_of_identical_samples_is_one() -> None:
    a = np.array([2.0, 4.0, 4.0, NAN, 9.0])
    assert logrank(a, a.copy(), 10.0) == pytest.approx(1.0, abs=1e-12)


def test_logrank_without_events_is_one() -> None:
    assert logrank(np.array([NAN, NAN]), np.array([NAN, 20.0]), 10.0) == 1.0


def test_logrank_detects_a_clear_difference() -> None:
    early = np.arange(1.0, 31.0)
    late = np.full(30, NAN)
    assert logrank(early, late, 60.0) < 1e-10
