"""sim.analysis.summary: one row per KPI, exact values on a four-replication array."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from sim.analysis.stats import proportion, t_interval, wilson_interval
from sim.analysis.summary import (
    COLUMNS,
    ESTIMATORS,
    estimate,
    json_ready,
    ratio_interval,
    summarise,
)
from sim.engine import catalogue

NAN = math.nan
HORIZON = 730.0
T975_3 = 3.1824463052837078  # Student t, 0.975 quantile, 3 degrees of freedom

PROBABILITY = [1.0, 0.0, 1.0, 1.0]
EVENT_DAYS = [10.0, NAN, 30.0, 800.0]  # one never reached, one after the horizon
MEANS = [4.0, 1.0, 3.0, 2.0]
DURATIONS = [100.0, 300.0, 200.0, 400.0]  # days held; the event (PROBABILITY) ended three
RATES = [NAN, NAN, NAN, NAN]  # each replication's own rate: stored, never averaged


def kpi_array() -> np.ndarray:
    """Four replications: every KPI of a kind gets the same column.

    The rate KPIs read their numerator and exposure from other columns: the probability
    column counts the events, the duration column the exposure days.
    """
    columns = {
        "probability": PROBABILITY,
        "event_day": EVENT_DAYS,
        "mean": MEANS,
        "duration": DURATIONS,
        "rate": RATES,
    }
    return np.array([columns[k.kind] for k in catalogue.kpis()]).T


def rows_by_kind() -> dict[str, dict[str, object]]:
    rows = summarise(kpi_array(), HORIZON)
    return {row["kind"]: row for row in rows}


def nan_or(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


# --------------------------------------------------------------------------- rows


def test_one_row_per_kpi_in_order_with_every_column() -> None:
    rows = summarise(kpi_array(), HORIZON)
    assert [row["kpi"] for row in rows] == [k.name for k in catalogue.kpis()]
    for row, kpi in zip(rows, catalogue.kpis(), strict=True):
        assert tuple(row) == COLUMNS
        assert (row["kind"], row["unit"], row["description"]) == (
            kpi.kind,
            kpi.unit,
            kpi.description,
        )
        assert row["estimator"] == ESTIMATORS[kpi.kind]


def test_probability_row() -> None:
    row = rows_by_kind()["probability"]
    wilson = wilson_interval(3, 4)
    assert row["mean"] == 0.75
    assert (row["ci_low"], row["ci_high"]) == (wilson.low, wilson.high)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.3006418, 0.9544127), abs=1e-7)
    assert all(nan_or(row[q]) for q in ("p10", "p50", "p90"))
    assert (row["n"], row["events"]) == (4, 3)


def test_mean_row() -> None:
    # 1..4: mean 2.5, s = √(5/3), half-width t(0.975; 3)·s/2.
    row = rows_by_kind()["mean"]
    half = T975_3 * math.sqrt(5 / 3) / 2
    assert row["mean"] == 2.5
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((2.5 - half, 2.5 + half), rel=1e-12)
    assert (row["p10"], row["p50"], row["p90"]) == pytest.approx((1.3, 2.5, 3.7), abs=1e-12)
    assert (row["n"], row["events"]) == (4, None)


def test_event_day_row() -> None:
    # min(day, 730) = 10, 730, 30, 730: restricted mean 375, s = 410, half-width t·410/2.
    # Kaplan–Meier: events on days 10 and 30 (2 of 4), so p10 = 10, p50 = 30, p90 none.
    row = rows_by_kind()["event_day"]
    half = T975_3 * 410 / 2
    assert row["mean"] == 375.0
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((375 - half, 375 + half), rel=1e-12)
    assert (row["p10"], row["p50"]) == (10.0, 30.0)
    assert nan_or(row["p90"])
    assert (row["n"], row["events"]) == (4, 2)


def test_rate_row_is_the_ratio_estimator() -> None:
    # offensive_rate: 3 events in 1,000 days of ceasefire, per 1,000 days = 3.0. Linearised
    # z = (y − R·e)/ē with R = 0.003, ē = 250: (1 − 0.3, 0 − 0.9, 1 − 0.6, 1 − 1.2)/250.
    row = next(r for r in summarise(kpi_array(), HORIZON) if r["kpi"] == "offensive_rate")
    z = np.array([0.7, -0.9, 0.4, -0.2]) / 250
    half = T975_3 * float(np.std(z, ddof=1)) / 2 * 1000
    # On the log scale: 3.0 · exp(∓half / 3.0), so the lower limit stays above 0.
    spread = math.exp(half / 3.0)
    assert row["mean"] == pytest.approx(3.0, rel=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((3.0 / spread, 3.0 * spread), rel=1e-9)
    assert 3.0 - half < 0 < row["ci_low"]  # the symmetric interval would have crossed 0
    assert (row["n"], row["events"]) == (4, 3)


def test_a_rate_with_no_event_has_the_poisson_upper_limit() -> None:
    # No event in 1,000 days of ceasefire: [0, −ln(0.025)/1,000] per day, per 1,000 days 3.689.
    got = ratio_interval(np.zeros(4), np.array([100.0, 300.0, 200.0, 400.0]), per=1000)
    assert (got.estimate, got.low) == (0.0, 0.0)
    assert got.high == pytest.approx(-math.log(0.025), rel=1e-12)


def test_duration_row_has_kaplan_meier_quantiles_to_its_event() -> None:
    # Held 100 (event), 300 (no event: censored), 200 (event), 400 (event): restricted mean
    # 250; KM: S = 3/4 after 100, 3/4 · 1/2 after 200, 0 after 400.
    row = next(r for r in summarise(kpi_array(), HORIZON) if r["kpi"] == "ceasefire_held_days")
    assert row["mean"] == 250.0
    assert (row["p10"], row["p50"], row["p90"]) == (100.0, 200.0, 400.0)
    assert (row["n"], row["events"]) == (4, 3)


def test_missing_values() -> None:
    data = kpi_array()
    data[1, :] = NAN  # replication 2 lost every value
    by_kind = {row["kind"]: row for row in summarise(data, HORIZON)}
    # Probabilities and means drop it; an event day that is nan was never reached.
    assert (by_kind["probability"]["n"], by_kind["probability"]["events"]) == (3, 3)
    assert by_kind["probability"]["mean"] == 1.0
    assert by_kind["mean"]["n"] == 3
    assert by_kind["mean"]["mean"] == pytest.approx(3.0)
    assert by_kind["event_day"]["n"] == 4
    assert by_kind["event_day"]["events"] == 2


def test_a_single_replication_has_estimates_without_intervals() -> None:
    rows = summarise(kpi_array()[:1], HORIZON)
    by_kind = {row["kind"]: row for row in rows}
    assert by_kind["mean"]["mean"] == 4.0
    assert nan_or(by_kind["mean"]["ci_low"])
    assert by_kind["event_day"]["mean"] == 10.0
    assert nan_or(by_kind["event_day"]["ci_high"])
    assert by_kind["probability"]["mean"] == 1.0  # Wilson still has an interval at n = 1
    assert by_kind["probability"]["ci_low"] == pytest.approx(0.2065493, abs=1e-7)


# --------------------------------------------------------------------------- estimate


def test_estimate_by_kind() -> None:
    kinds = {k.kind: k for k in catalogue.kpis()}
    values = np.array([3.0, NAN, 900.0, 12.0, 0.0])

    def table(kind: str, column: np.ndarray) -> dict[str, np.ndarray]:
        return {kinds[kind].name: column}

    assert estimate(kinds["mean"], table("mean", values), HORIZON) == t_interval(values)
    assert estimate(kinds["event_day"], table("event_day", values), HORIZON) == t_interval(
        np.array([3.0, HORIZON, HORIZON, 12.0, 0.0])
    )
    outcomes = np.array([1.0, NAN, 0.0, 1.0])
    assert estimate(kinds["probability"], table("probability", outcomes), HORIZON) == (
        proportion(outcomes)
    )


# --------------------------------------------------------------------------- JSON


def test_json_ready_replaces_nan_with_null_only() -> None:
    rows = json_ready(summarise(kpi_array(), HORIZON))
    by_kind = {row["kind"]: row for row in rows}
    assert by_kind["probability"]["p10"] is None
    assert by_kind["event_day"]["p90"] is None
    assert by_kind["mean"]["events"] is None
    assert by_kind["mean"]["mean"] == 2.5
    assert by_kind["event_day"]["p50"] == 30.0
    assert by_kind["probability"]["n"] == 4
    text = json.dumps(rows, allow_nan=False)  # raises if any NaN were left
    assert json.loads(text) == rows


def test_json_ready_leaves_the_input_alone() -> None:
    rows = [{"a": NAN, "b": 1.0, "c": "x", "d": None, "e": 3}]
    assert json_ready(rows) == [{"a": None, "b": 1.0, "c": "x", "d": None, "e": 3}]
    assert nan_or(rows[0]["a"])
