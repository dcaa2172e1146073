"""Verification against analytic results: exact days, exponential survival, Poisson counts,
training throughput. Statistical checks use fixed seeds and the 99% interval of the estimate.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.engine import simulate
from tests.conftest import scenario


def _change_times(trace, metric):  # type: ignore[no-untyped-def]
    return [(t, v) for t, m, v in trace.records if m == metric]


def test_deterministic_lead_times_give_exact_days() -> None:
    sc = scenario(
        ceasefire={"day": 100},
        members=[
            {"id": "FRA", "name": "France", "mandate_delay": 0},
            {"id": "GBR", "name": "United Kingdom", "mandate_delay": 20},
        ],
        pledges=[
            {
                "id": "fra",
                "member": "FRA",
                "pillar": "reassurance_force",
                "domain": "land",
                "amount": 4000,
                "lead_time": 30,
                "rotation_days": None,
            },
            {
                "id": "gbr",
                "member": "GBR",
                "pillar": "reassurance_force",
                "domain": "land",
                "amount": 6000,
                "lead_time": 45,
                "rotation_days": None,
            },
        ],
        us={
            "enablers": {
                "conditions": ["committed.reassurance.land >= 10000"],
                "review_days": 30,
                "probability": 1.0,
                "decision_delay": 10,
            }
        },
    )
    trace = simulate(sc, seed=7)
    deployed = _change_times(trace, "deployed.reassurance.land")
    # FRA: ceasefire 100 + lead 30; GBR: ceasefire 100 + mandate 20 + lead 45.
    assert deployed == [(0.0, 0.0), (130.0, 4000.0), (165.0, 10000.0)] or deployed == [
        (130.0, 4000.0),
        (165.0, 10000.0),
    ]
    committed = _change_times(trace, "committed.reassurance.land")
    assert committed[-1] == (120.0, 10000.0)
    # The condition holds from day 120, a review falls on day 120 (every 30 days), it says
    # yes with probability 1, and the decision takes 10 days.
    assert trace.kpis["us_enablers_day"] == 130.0
    assert trace.kpis["reassurance_ioc_day"] == 165.0  # 10,000 of 10,000 pledged ≥ 50%
    assert trace.kpis["reassurance_foc_day"] == 165.0


def test_constant_hazard_gives_exponential_survival() -> None:
    # Regimes switch (multipliers 1) and capacity regenerates (no sensitivity to deterrence):
    # neither moves the hazard. Yearly bookings keep the 1,500 replications quick.
    rate_per_year = 0.5
    sc = scenario(
        ceasefire={"day": 0},
        adversary={
            "offensive": {"base_hazard_per_year": rate_per_year, "deterrence_sensitivity": 0},
            "violation_regimes": {
                r: {"offensive_multiplier": 1.0}
                for r in ("strong", "eroding", "minsk", "escalation")
            },
            "regeneration": {"step_days": 365},
        },
        model={"attrition_period_days": 365},
    )
    reps = 1500
    days = np.array([simulate(sc, seed=11, rep=r).kpis["offensive_day"] for r in range(reps)])
    lam = rate_per_year / 365.0
    z = stats.norm.ppf(0.995)
    for t in (90.0, 365.0, 600.0):
        survived = int(np.sum(~(days <= t)))
        p_hat = survived / reps
        centre = (p_hat + z * z / (2 * reps)) / (1 + z * z / reps)
        spread = p_hat * (1 - p_hat) / reps + z * z / (4 * reps**2)
        half = z / (1 + z * z / reps) * math.sqrt(spread)
        expected = math.exp(-lam * t)
        assert centre - half <= expected <= centre + half, (t, p_hat, expected, half)


def test_violation_counts_in_a_fixed_regime_are_poisson() -> None:
    rate = 30.0
    sc = scenario(
        ceasefire={"day": 0},
        adversary={
            "offensive": {"base_hazard_per_year": 0.0},
            "violation_regimes": {"strong": {"rate_per_day": rate, "mean_spell_days": 1e12}},
        },
        horizon_days=365,
    )
    counts = np.array([simulate(sc, seed=3, rep=r).kpis["violations"] for r in range(400)])
    expected = rate * 365
    mean = counts.mean()
    half = stats.t.ppf(0.995, len(counts) - 1) * counts.std(ddof=1) / math.sqrt(len(counts))
    assert abs(mean - expected) <= half
    # Poisson: variance equals the mean (the 99% chi-square interval of the variance).
    lo, hi = (stats.chi2.ppf(q, len(counts) - 1) for q in (0.005, 0.995))
    var = counts.var(ddof=1)
    assert (len(counts) - 1) * var / hi <= expected <= (len(counts) - 1) * var / lo


def test_training_steady_state_throughput() -> None:
    capacity, course, washout = 1000, 50, 0.2
    sc = scenario(
        horizon_days=1000,
        pledges=[
            {
                "id": "t",
                "member": "FRA",
                "pillar": "training",
                "capacity": capacity,
                "course_days": course,
                "washout": washout,
            }
        ],
        ukraine={"trained": 0, "war_attrition_per_year": 0, "peace_attrition_per_year": 0},
    )
    trace = simulate(sc, seed=1)
    trained = _change_times(trace, "trained")
    times = np.array([t for t, _ in trained[1:]])
    values = np.array([v for _, v in trained[1:]])
    # Cohorts graduate every course_days; the rate between graduations is the throughput.
    throughput = (values[-1] - values[0]) / (times[-1] - times[0])
    assert throughput == pytest.approx(capacity / course * (1 - washout))
    assert list(times[:3]) == [50.0, 100.0, 150.0]


def test_exact_event_count_of_a_fixed_scenario() -> None:
    """Pins the number of SimPy events; a process that polled daily would add hundreds."""
    sc = scenario(
        horizon_days=365,
        ceasefire={"day": 100},
        pledges=[
            {"id": "t", "member": "FRA", "pillar": "training", "capacity": 100, "course_days": 100}
        ],
        model={"attrition_period_days": 365},
        ukraine={
            "budget": {"initial": 10, "need_per_day": 0},
            "military": {"initial": 2, "need_per_day": 0},
            "war_attrition_per_year": 0,
            "peace_attrition_per_year": 0,
        },
        adversary={
            "offensive": {"base_hazard_per_year": 0.0},
            "violation_regimes": {
                r: {"rate_per_day": 0.0, "mean_spell_days": 1e12}
                for r in ("strong", "eroding", "minsk", "escalation")
            },
            "regeneration": {"step_days": 200},
        },
    )
    trace = simulate(sc, seed=1)
    # Counted from the model's structure (scheduled events, processed or not):
    expected = (
        5  # process starts: FRA's mandate, the training pledge, the adversary, attrition,
        #    and the watcher that ends the ceasefire on an offensive
        + 1  # the ceasefire's timeout at day 100
        + 1  # the ceasefire event itself
        + 1  # FRA's mandate event (no delay: it passes at the ceasefire)
        + 1  # FRA's mandate process ends
        + 4  # training cohorts end at days 100, 200, 300 (and 400, past the horizon)
        + 1  # the adversary's single regeneration step, day 300 (the next, 500, is past the
        #      horizon and never scheduled)
        + 1  # the adversary's process ends (its first spell outlasts the horizon)
        + 1  # attrition's first booking, due at day 365 = the horizon
        + 2  # env.run(until=horizon)'s stop event, which SimPy's step() schedules twice
    )  # the budget and the military fund, with no need, never schedule running dry
    assert trace.n_events == expected


def test_event_budget_scales_with_state_changes() -> None:
    """Every event must do work: events ≤ a small multiple of state changes and entities."""
    sc = scenario(
        ceasefire={"day": 50},
        pledges=[
            {"id": "t", "member": "FRA", "pillar": "training", "capacity": 100, "course_days": 40},
            {
                "id": "f",
                "member": "FRA",
                "pillar": "financing",
                "amount": 5,
                "tranches": 10,
                "every": 60,
            },
        ],
    )
    trace = simulate(sc, seed=2)
    entities = 1 + len(sc.members) + len(sc.pledges)
    assert trace.n_events <= 3 * len(trace.records) + 10 * entities
