"""Stories of the mechanisms: one small deterministic scenario per rule of MODEL.md, run for one
replication, with the exact days and values the rule gives. Where a value comes from a random
stream, the expectation is computed from the stream's uniforms by the documented formula."""

from __future__ import annotations

import math
from typing import Any

import pytest
from scipy import stats

from sim.engine import Trace, simulate
from sim.engine.model import build
from sim.scenario.types import CATEGORIES
from tests.conftest import scenario
from tests.functional.stories import (
    CAPABILITY,
    SEED,
    TWO_MEMBERS,
    changes,
    event_days,
    land_pledge,
    offensive_at,
    quiet_adversary,
    steady_ukraine,
    uniforms,
)

H = 730  # the horizon of tests.conftest.scenario


def _exp(mean: float, u: float) -> float:
    """An exponential value by inverse transform (MODEL.md section 2)."""
    return -mean * math.log(1 - u)


def _delivery_days(trace: Trace, pledge: str) -> list[float]:
    """The day of a pledge's first delivery, from the narrative."""
    return [t for t, k, _, text in trace.events if k == "delivery" and f" {pledge} " in text]


# --------------------------------------------------------------------------- ceasefire


def test_ceasefire_on_a_fixed_day() -> None:
    """A fixed day-100 ceasefire: the metric, the KPI and the narrative all say day 100."""
    trace = simulate(scenario(ceasefire={"day": 100}), seed=SEED)
    assert changes(trace, "ceasefire") == [(100.0, True)]
    assert trace.kpis["ceasefire_day"] == 100.0
    assert event_days(trace, "ceasefire") == [100.0]
    assert changes(trace, "adversary.capacity")[0] == (100.0, 0.6)  # capacity_at_ceasefire


def test_never_probability_one_means_no_ceasefire_and_no_forces() -> None:
    """With never_probability 1 no ceasefire comes, so no force pledge ever commits."""
    sc = scenario(
        ceasefire={"day": 100, "never_probability": 1.0},
        pledges=[land_pledge("fra", "FRA", 1000)],
    )
    trace = simulate(sc, seed=SEED)
    assert trace.kpis["ceasefire"] == 0.0
    assert math.isnan(trace.kpis["ceasefire_day"])
    assert changes(trace, "ceasefire") == []
    assert changes(trace, "committed.reassurance.land") == []


def test_ceasefire_day_is_drawn_after_the_never_flag() -> None:
    """A uniform 50–150 ceasefire day is 50 + 100·u, u the stream's second uniform."""
    # The first uniform is the never-flag. A day at or past the horizon means no ceasefire.
    _, u = uniforms("ceasefire", 2)
    trace = simulate(scenario(ceasefire={"day": {"dist": "uniform", "low": 50, "high": 150}}), 1)
    assert trace.kpis["ceasefire_day"] == pytest.approx(50 + 100 * u, rel=1e-12)
    assert simulate(scenario(ceasefire={"day": H}), seed=SEED).kpis["ceasefire"] == 0.0


# --------------------------------------------------------------------------- members


def test_mandate_delays_forces_but_not_financing() -> None:
    """A 25-day mandate delays the force (commit 125, deploy 155) but not the financing."""
    financing = {"id": "f", "member": "FRA", "pillar": "financing", "amount": 1, "first_day": 10}
    sc = scenario(
        members=[{"id": "FRA", "name": "France", "mandate_delay": 25}],
        pledges=[land_pledge("fra", "FRA", 1000), financing],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "committed.reassurance.land") == [(125.0, 1000.0)]
    assert changes(trace, "deployed.reassurance.land") == [(155.0, 1000.0)]
    assert event_days(trace, "mandate") == [125.0]
    assert changes(trace, "financing.paid") == [(10.0, 1.0)]


def test_a_shock_that_withdraws_takes_the_member_out_on_the_drawn_day() -> None:
    """A withdrawing shock takes FRA and its troops out on the earliest drawn shock day."""
    # N is the Poisson quantile of the first uniform, the times uniform·H.
    sc = scenario(
        ceasefire={"day": 0},
        members=[
            {
                "id": "FRA",
                "name": "France",
                "shocks": {"rate_per_year": 3, "withdraw_probability": 1},
            },
            {"id": "GBR", "name": "United Kingdom"},
        ],
        pledges=[land_pledge("fra", "FRA", 1000, lead=0), land_pledge("gbr", "GBR", 500, lead=0)],
    )
    u = uniforms("member.FRA.shocks", 40)
    count = int(stats.poisson.ppf(u[0], 3 * H / 365))
    assert count >= 1
    first = min(x * H for x in u[1 : 1 + count])
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "members.active") == [(0.0, 2.0), (first, 1.0)]
    assert changes(trace, "deployed.reassurance.land")[-1] == (first, 500.0)
    assert event_days(trace, "shock") == [first]
    assert changes(trace, "cohesion") == [(first, pytest.approx(500 / 1500))]


def test_shocks_that_do_not_withdraw_scale_the_pledges_at_each_drawn_day() -> None:
    """Shocks at 2/year that scale by a fixed 0.5: every shock day halves the deployed force."""
    shocks = {"rate_per_year": 2, "withdraw_probability": 0, "scale": 0.5}
    sc = scenario(
        ceasefire={"day": 0},
        members=[{"id": "FRA", "name": "France", "shocks": shocks}],
        pledges=[land_pledge("fra", "FRA", 1024, lead=0)],
    )
    u = uniforms("member.FRA.shocks", 40)
    count = int(stats.poisson.ppf(u[0], 2 * H / 365))
    assert count >= 2
    times = sorted(x * H for x in u[1 : 1 + count])
    trace = simulate(sc, seed=SEED)
    expected = [(0.0, 1024.0)] + [(t, 1024 * 0.5 ** (k + 1)) for k, t in enumerate(times)]
    assert changes(trace, "deployed.reassurance.land") == expected
    assert changes(trace, "members.active") == [(0.0, 1.0)]


def test_a_dishonoured_pledge_is_revealed_when_it_would_first_deliver() -> None:
    """A dishonoured pledge is revealed on its would-be first payment day; cohesion halves."""
    # Cohesion averages the two pillars: (0 + 1)/2.
    sc = scenario(
        members=[
            {"id": "FRA", "name": "France", "reliability": 0.0},
            {"id": "GBR", "name": "United Kingdom"},
        ],
        pledges=[
            {"id": "f", "member": "FRA", "pillar": "financing", "amount": 2, "first_day": 40},
            {"id": "t", "member": "GBR", "pillar": "training", "capacity": 10, "course_days": 30},
        ],
    )
    trace = simulate(sc, seed=SEED)
    assert event_days(trace, "lapse") == [40.0]
    assert changes(trace, "cohesion") == [(40.0, 0.5)]
    assert changes(trace, "financing.paid") == []


# --------------------------------------------------------------------------- training


def test_training_abroad_graduates_at_exact_course_multiples() -> None:
    """100 places, 40-day courses, 25% washout: 75 graduates on days 40, 80, …, 720."""
    pledge = {
        "id": "t",
        "member": "FRA",
        "pillar": "training",
        "capacity": 100,
        "course_days": 40,
        "washout": 0.25,
    }
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(trained=0)), SEED)
    assert changes(trace, "trained") == [(0.0, 0.0)] + [(40.0 * k, 75.0 * k) for k in range(1, 19)]
    assert trace.kpis["fulfilment_training"] == 1.0  # 18 full cohorts within 730 days


def test_in_country_training_waits_for_the_ceasefire_and_the_mandate() -> None:
    """In-country training opens at ceasefire 100 + mandate 20: graduations on 150, 180, …."""
    # Nominal output counts cohorts from day 0, so fulfilment is 20 of 24 cohorts.
    pledge = {
        "id": "t",
        "member": "FRA",
        "pillar": "training",
        "capacity": 100,
        "course_days": 30,
        "location": "in_country",
    }
    sc = scenario(
        members=[{"id": "FRA", "name": "France", "mandate_delay": 20}],
        pledges=[pledge],
        ukraine=steady_ukraine(trained=0),
    )
    trace = simulate(sc, seed=SEED)
    grads = changes(trace, "trained")[1:]
    assert [t for t, _ in grads] == [150.0 + 30 * k for k in range(20)]
    assert grads[0][1] == pytest.approx(90.0)  # 100 places, default washout 0.1
    assert trace.kpis["fulfilment_training"] == pytest.approx(20 / 24)


def test_the_offensive_stops_in_country_training_but_not_training_abroad() -> None:
    """After an offensive on day 200, no in-country cohort starts; training abroad goes on."""
    pledges = [
        {
            "id": "in",
            "member": "FRA",
            "pillar": "training",
            "capacity": 100,
            "course_days": 30,
            "location": "in_country",
        },
        {"id": "out", "member": "FRA", "pillar": "training", "capacity": 20, "course_days": 70},
    ]
    sc = scenario(pledges=pledges, injects=[offensive_at(200)], ukraine=steady_ukraine(trained=0))
    trace = simulate(sc, seed=SEED)
    assert 200 < trace.kpis["offensive_day"] < 200.001
    trained = changes(trace, "trained")
    steps = [(t, v - before) for (t, v), (_, before) in zip(trained[1:], trained, strict=False)]
    in_country = [t for t, step in steps if step == pytest.approx(90)]
    abroad = [t for t, step in steps if step == pytest.approx(18)]
    assert in_country[:3] == [130.0, 160.0, 190.0]
    assert max(in_country) <= 200 + 30  # at most the cohort in course at the offensive
    assert abroad == [70.0 * k for k in range(1, 11)]


# --------------------------------------------------------------------------- financing


def test_tranches_are_paid_on_due_day_plus_fixed_delay() -> None:
    """EUR 3bn in 3 tranches every 30 days from day 10, each 5 days late: 15, 45, 75."""
    pledge = {
        "id": "f",
        "member": "FRA",
        "pillar": "financing",
        "amount": 3,
        "tranches": 3,
        "every": 30,
        "first_day": 10,
        "delay": 5,
    }
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(budget=0)), SEED)
    assert changes(trace, "financing.paid") == [(15.0, 1.0), (45.0, 2.0), (75.0, 3.0)]
    assert event_days(trace, "financing") == [15.0]  # the first tranche is narrated


def test_partial_payment_and_tranches_past_the_horizon() -> None:
    """Tranches paid at 60%; the one due on day 800, past the horizon, is not paid."""
    # EUR 1bn tranches due on days 200, 500 and 800.
    pledge = {
        "id": "f",
        "member": "FRA",
        "pillar": "financing",
        "amount": 3,
        "tranches": 3,
        "every": 300,
        "first_day": 200,
        "paid_fraction": 0.6,
    }
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(budget=0)), SEED)
    assert changes(trace, "financing.paid") == [(200.0, 0.6), (500.0, 1.2)]
    assert trace.kpis["fulfilment_financing"] == pytest.approx(1.2 / 3)


def test_drawn_delays_never_pay_a_tranche_before_the_previous_one() -> None:
    """Drawn delays: paid_k = max(paid_k−1, 10·k + 60·u_k), never before the previous tranche."""
    # The delays are uniforms 2–4 of the pledge's stream, after the honoured flag.
    pledge = {
        "id": "f",
        "member": "FRA",
        "pillar": "financing",
        "amount": 3,
        "tranches": 3,
        "every": 10,
        "delay": {"dist": "uniform", "low": 0, "high": 60},
    }
    u = uniforms("pledge.f", 4)[1:]
    paid, expected = 0.0, []
    for k in range(3):
        paid = max(paid, 10 * k + 60 * u[k])
        expected.append(paid)
    assert expected != [10 * k + 60 * u[k] for k in range(3)]  # the rule matters for this seed
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(budget=0)), SEED)
    assert [t for t, _ in changes(trace, "financing.paid")] == pytest.approx(expected, rel=1e-12)


def test_a_financing_pledge_with_conditions_counts_from_when_they_hold() -> None:
    """A pledge conditional on the ceasefire (day 100), first tranche 10 days later: day 110."""
    pledge = {
        "id": "f",
        "member": "FRA",
        "pillar": "financing",
        "amount": 1,
        "first_day": 10,
        "conditions": ["ceasefire"],
    }
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(budget=0)), SEED)
    assert changes(trace, "financing.paid") == [(110.0, 1.0)]


def test_the_budget_runs_dry_at_level_over_need_and_the_gap_closes_at_the_next_payment() -> None:
    """The budget runs dry at level/need (day 80) and the gap closes at the next payment."""
    # EUR 10bn at 0.125/day; EUR 5bn on day 120 lasts to day 160. Capability loses 30% in a gap.
    pledge = {"id": "f", "member": "FRA", "pillar": "financing", "amount": 5, "first_day": 120}
    sc = scenario(pledges=[pledge], ukraine=steady_ukraine(budget=10, need_per_day=0.125))
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "financing.gap") == [(80.0, True), (120.0, False), (160.0, True)]
    assert changes(trace, "budget") == [(0.0, 10.0), (80.0, 0.0), (120.0, 5.0), (160.0, 0.0)]
    assert trace.kpis["financing_gap_days"] == 40 + (H - 160)
    assert changes(trace, "capability") == [
        (0.0, pytest.approx(CAPABILITY)),
        (80.0, pytest.approx(0.7 * CAPABILITY)),
        (120.0, pytest.approx(CAPABILITY)),
        (160.0, pytest.approx(0.7 * CAPABILITY)),
    ]


# --------------------------------------------------------------------------- equipment


def _equipment(pid: str, quantity: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "member": "FRA",
        "pillar": "equipment",
        "category": "air_defence",
        "quantity": quantity,
        **extra,
    }


ONE_A_DAY = {"production_per_year": {"air_defence": 365}}  # a line finishing one unit a day


def test_lots_from_a_capped_line_arrive_as_they_are_finished() -> None:
    """100 units in 4 lots on a one-a-day line, lead time 10: lots finish on 25, 50, 75, 100."""
    sc = scenario(pledges=[_equipment("e", 100, lots=4, lead_time=10)], industry=ONE_A_DAY)
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "equipment.delivered") == [(25.0 * k, 25.0 * k) for k in range(1, 5)]


def test_the_lead_time_is_a_floor_for_lots_from_production() -> None:
    """With a 60-day lead time the lots finished on days 25 and 50 wait until day 60."""
    sc = scenario(pledges=[_equipment("e", 100, lots=4, lead_time=60)], industry=ONE_A_DAY)
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "equipment.delivered") == [
        (60.0, 25.0),
        (60.0, 50.0),
        (75.0, 75.0),
        (100.0, 100.0),
    ]


def test_lots_from_stock_or_uncapped_categories_are_spread_over_the_lead_time() -> None:
    """Lots from stock or an uncapped category arrive at lead·(k+1)/lots."""
    # 4 lots from stock over 80 days: 20, 40, 60, 80; 2 uncapped artillery lots over 70: 35, 70.
    sc = scenario(
        pledges=[
            _equipment("stock", 100, lots=4, lead_time=80, from_production=False),
            {**_equipment("art", 10, lots=2, lead_time=70), "category": "artillery"},
        ],
        industry=ONE_A_DAY,
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "equipment.delivered") == [
        (20.0, 25.0),
        (35.0, 30.0),
        (40.0, 55.0),
        (60.0, 80.0),
        (70.0, 85.0),
        (80.0, 110.0),
    ]


def test_pledges_on_one_line_queue_in_booking_order() -> None:
    """Pledges on one line queue in booking order; ties go to the one listed first."""
    # B, firm at day 0, books 0–50; A, listed first but firm on day 20, is done on day 100;
    # C and D, firm together on day 100, book in scenario order.
    later = ["equipment.delivered >= 100"]
    sc = scenario(
        pledges=[
            _equipment("a", 50, conditions=["day >= 20"]),
            _equipment("b", 50),
            _equipment("c", 50, conditions=later),
            _equipment("d", 50, conditions=later),
        ],
        industry=ONE_A_DAY,
    )
    trace = simulate(sc, seed=SEED)
    found = {pid: _delivery_days(trace, pid) for pid in "abcd"}
    assert found == {"a": [100.0], "b": [50.0], "c": [150.0], "d": [200.0]}


# --------------------------------------------------------------------------- forces


def test_a_rotation_not_renewed_goes_home_on_the_rotation_day() -> None:
    """Renewal 0 with 60-day rotations: deployed on day 130, home on day 190."""
    pledge = land_pledge("fra", "FRA", 1000, rotation_days=60, renewal_probability=0.0)
    trace = simulate(scenario(pledges=[pledge]), seed=SEED)
    assert changes(trace, "committed.reassurance.land") == [(100.0, 1000.0), (190.0, 0.0)]
    assert changes(trace, "deployed.reassurance.land") == [(130.0, 1000.0), (190.0, 0.0)]
    assert event_days(trace, "withdraw") == [190.0]
    assert trace.kpis["fulfilment_reassurance"] == 1.0  # the peak counts


def test_rotations_renew_until_the_first_failed_draw() -> None:
    """Renewal 0.5: the force goes home at the first rotation whose uniform is ≥ 0.5."""
    # The pledge's stream serves the honoured flag, the lead time, then one uniform per
    # rotation; seed 10 renews three times.
    seed = 10
    pledge = land_pledge("fra", "FRA", 1000, rotation_days=60, renewal_probability=0.5)
    u = uniforms("pledge.fra", 12, seed=seed)[2:]
    k = next(i for i, x in enumerate(u, start=1) if x >= 0.5)
    assert k == 4
    trace = simulate(scenario(pledges=[pledge]), seed=seed)
    assert changes(trace, "deployed.reassurance.land") == [(130.0, 1000.0), (130.0 + 60 * k, 0.0)]


def test_a_member_requiring_us_backing_waits_for_enablers() -> None:
    """DEU, requiring U.S. backing, commits only when enablers come on day 150."""
    # Enablers need the ceasefire (day 100): the day-120 review says yes, the decision takes 30.
    sc = scenario(
        members=[
            {"id": "FRA", "name": "France"},
            {"id": "DEU", "name": "Germany", "requires_us_backing": True},
        ],
        pledges=[land_pledge("fra", "FRA", 1000), land_pledge("deu", "DEU", 500)],
        us={"enablers": {"conditions": ["ceasefire"], "probability": 1.0, "decision_delay": 30}},
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "us.state") == [(150.0, "enablers")]
    assert changes(trace, "committed.reassurance.land") == [(100.0, 1000.0), (150.0, 1500.0)]
    assert changes(trace, "deployed.reassurance.land") == [(130.0, 1000.0), (180.0, 1500.0)]


def test_revoked_backing_stands_the_force_down_and_it_redeploys_with_its_lead_time() -> None:
    """Revoked backing stands DEU down at once; re-granted, it redeploys after the same lead."""
    sc = scenario(
        members=[{"id": "DEU", "name": "Germany", "requires_us_backing": True}],
        pledges=[land_pledge("deu", "DEU", 1000)],
        us={"initial": "enablers"},
        injects=[
            {"at": 200, "action": "trigger_signal", "signal": "us.revoke"},
            {"at": 300, "action": "trigger_signal", "signal": "us.enablers"},
        ],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "committed.reassurance.land") == [
        (100.0, 1000.0),
        (200.0, 0.0),
        (300.0, 1000.0),
    ]
    assert changes(trace, "deployed.reassurance.land") == [
        (130.0, 1000.0),
        (200.0, 0.0),
        (330.0, 1000.0),
    ]
    assert event_days(trace, "stand-down") == [200.0]


def test_a_neighbouring_deployment_arrives_after_its_default_lead_time() -> None:
    """2,000 troops for Poland commit at the day-100 ceasefire and arrive 14 days later."""
    pledge = {
        "id": "pol",
        "member": "FRA",
        "pillar": "neighbouring_deployment",
        "host": "POL",
        "amount": 2000,
    }
    trace = simulate(scenario(pledges=[pledge]), seed=SEED)
    assert changes(trace, "committed.neighbouring") == [(100.0, 2000.0)]
    assert changes(trace, "deployed.neighbouring") == [(114.0, 2000.0)]
    assert changes(trace, "deployed.reassurance.land") == []
    assert trace.kpis["final_neighbouring"] == 2000.0


# --------------------------------------------------------------------------- U.S. backing


@pytest.mark.parametrize(
    ("conditions", "enablers_day"),
    [
        pytest.param([], 10.0, id="from-day-0"),
        pytest.param(["day >= 90"], 100.0, id="on-a-review-day"),
        pytest.param(["day >= 95"], 130.0, id="between-reviews"),
    ],
)
def test_reviews_fall_on_a_fixed_calendar(conditions: list[str], enablers_day: float) -> None:
    """With yes certain, enablers come at the first review ≥ the conditions' day, plus the delay."""
    # Reviews fall on days 0, 30, 60, …; the day itself counts.
    us = {"enablers": {"conditions": conditions, "probability": 1.0, "decision_delay": 10}}
    trace = simulate(scenario(us=us), seed=SEED)
    assert changes(trace, "us.state") == [(enablers_day, "enablers")]
    assert trace.kpis["us_enablers_day"] == enablers_day


def test_the_review_that_says_yes_is_one_geometric_draw() -> None:
    """p = 0.25: yes at review K = max(1, ⌈ln(1−u)/ln(0.75)⌉), i.e. on day 30·(K − 1)."""
    (u,) = uniforms("us.enablers.reviews", 1)
    reviews = max(1, math.ceil(math.log(1 - u) / math.log(0.75)))
    us = {"enablers": {"probability": 0.25, "decision_delay": 10}}
    trace = simulate(scenario(us=us), seed=SEED)
    assert trace.kpis["us_enablers_day"] == 30.0 * (reviews - 1) + 10


def _committed_threshold(withdraw_day: int) -> Trace:
    """Enablers need 1,000 committed troops (from day 100); yes on day 120, decided on 150;
    FRA leaves on ``withdraw_day``."""
    sc = scenario(
        pledges=[land_pledge("fra", "FRA", 1000)],
        us={
            "enablers": {
                "conditions": ["committed.reassurance.land >= 1000"],
                "probability": 1.0,
                "decision_delay": 30,
            }
        },
        injects=[{"at": withdraw_day, "action": "withdraw_member", "member": "FRA"}],
    )
    return simulate(sc, seed=SEED)


def test_conditions_lapsing_during_the_decision_shelve_it() -> None:
    """The troops leave on day 140, during the decision: no enablers."""
    trace = _committed_threshold(140)
    assert changes(trace, "us.state") == []
    assert event_days(trace, "us") == [120.0, 140.0]  # recommended, then shelved


def test_enablers_persist_when_commitments_later_fall() -> None:
    """The troops leave on day 160, after enablers on day 150: enablers stay."""
    trace = _committed_threshold(160)
    assert changes(trace, "us.state") == [(150.0, "enablers")]


def _guarantee(ratification_probability: float) -> Trace:
    us = {
        "initial": "enablers",
        "guarantee": {
            "conditions": ["ceasefire"],
            "review_days": 90,
            "probability_per_review": 1.0,
            "ratification_delay": 50,
            "ratification_probability": ratification_probability,
        },
    }
    return simulate(scenario(us=us), seed=SEED)


def test_a_guarantee_is_offered_at_a_review_and_ratified_after_the_delay() -> None:
    """Conditions hold from day 100, the day-180 review offers, ratified 50 days later."""
    trace = _guarantee(1.0)
    assert changes(trace, "us.state") == [(0.0, "enablers"), (230.0, "guarantee")]
    assert trace.kpis["us_guarantee_day"] == 230.0


def test_a_failed_ratification_starts_new_reviews() -> None:
    """A ratification that always fails restarts the reviews: failures on 230, 320, … 680."""
    # Offers on 180, 270, …; the day-720 one would end past the horizon.
    trace = _guarantee(0.0)
    fails = [t for t, k, _, text in trace.events if k == "us" and "fails" in text]
    assert fails == [230.0, 320.0, 410.0, 500.0, 590.0, 680.0]
    assert changes(trace, "us.state") == [(0.0, "enablers")]
    assert trace.kpis["us_guarantee"] == 0.0


def test_revocation_at_the_drawn_time_restarts_the_reviews() -> None:
    """Revocation at r = −365·ln(1 − u) restarts the reviews; a guarantee ignores the hazard."""
    # Yes certain: enablers return at the next review day + 10, and are revoked again r₂ later.
    u = uniforms("us.revocation", 2)
    first = _exp(365.0, u[0])
    again = math.ceil(first / 30) * 30 + 10
    second = again + _exp(365.0, u[1])
    assert second < H
    enablers = {"probability": 1.0, "decision_delay": 10, "revocation_rate_per_year": 1.0}
    trace = simulate(scenario(us={"initial": "enablers", "enablers": enablers}), seed=SEED)
    assert changes(trace, "us.state")[:4] == [
        (0.0, "enablers"),
        (pytest.approx(first), "none"),
        (again, "enablers"),
        (pytest.approx(second), "none"),
    ]
    assert trace.kpis["us_enablers_day"] == 0.0  # the first day in enablers
    # Ratified on day 50, before r₁: the revocation drawn on entering enablers does nothing.
    ratified = {"probability_per_review": 1.0, "ratification_delay": 50}
    us = {"initial": "enablers", "enablers": enablers, "guarantee": ratified}
    guarantee = simulate(scenario(us=us), seed=SEED)
    assert changes(guarantee, "us.state") == [(0.0, "enablers"), (50.0, "guarantee")]


def test_revocation_cancels_a_pending_ratification() -> None:
    """A revocation on day 20 cancels the guarantee due on day 50."""
    guarantee = {"probability_per_review": 1.0, "ratification_delay": 50}
    us = {"initial": "enablers", "guarantee": guarantee}
    revoke = {"at": 20, "action": "trigger_signal", "signal": "us.revoke"}
    assert changes(simulate(scenario(us=us), SEED), "us.state")[-1] == (50.0, "guarantee")
    trace = simulate(scenario(us=us, injects=[revoke]), seed=SEED)
    assert changes(trace, "us.state") == [(0.0, "enablers"), (20.0, "none")]
    assert trace.kpis["us_guarantee"] == 0.0


# --------------------------------------------------------------------------- adversary


def test_capacity_regenerates_in_equal_steps_after_the_ceasefire() -> None:
    """From 0.4 at the day-100 ceasefire, back to 1 in 3 steps over 90 days."""
    adversary = {**quiet_adversary(), "capacity_at_ceasefire": 0.4}
    adversary.update(regeneration_days=90, regeneration_steps=3)
    trace = simulate(scenario(adversary=adversary), seed=SEED)
    assert changes(trace, "adversary.capacity") == [
        (100.0, 0.4),
        (130.0, pytest.approx(0.6)),
        (160.0, pytest.approx(0.8)),
        (190.0, 1.0),
    ]


def test_a_regime_with_a_huge_mean_spell_never_changes() -> None:
    """Spells of 10¹² days: the ceasefire opens in 'eroding' and stays there."""
    adversary = quiet_adversary(
        initial_regime="eroding",
        violation_regimes={
            r: {"rate_per_day": 0, "mean_spell_days": 1e12}
            for r in ("strong", "eroding", "minsk", "escalation")
        },
    )
    trace = simulate(scenario(adversary=adversary), seed=SEED)
    assert changes(trace, "violations.regime") == [(0.0, "eroding")]
    assert event_days(trace, "regime") == []


def test_regimes_worsen_at_spell_ends_drawn_from_the_regimes_stream() -> None:
    """P(worsen) = 1: regimes worsen at spell ends 100 + Σ −mean·ln(1 − u)."""
    # Midpoint 100, slope 100; mean spells 10, 20, 30 days. The stream alternates the spell
    # length and the switching draw.
    means = {"strong": 10, "eroding": 20, "minsk": 30, "escalation": 1e12}
    adversary = quiet_adversary(
        switching={"midpoint": 100, "slope": 100},
        violation_regimes={r: {"rate_per_day": 0, "mean_spell_days": m} for r, m in means.items()},
    )
    u = uniforms("adversary.regimes", 6)
    ends, day = [], 100.0
    for mean, x in zip((10, 20, 30), u[0::2], strict=True):
        day += _exp(mean, x)
        ends.append(day)
    trace = simulate(scenario(adversary=adversary), seed=SEED)
    assert changes(trace, "violations.regime") == [
        (0.0, "strong"),
        (pytest.approx(ends[0]), "eroding"),
        (pytest.approx(ends[1]), "minsk"),
        (pytest.approx(ends[2]), "escalation"),
    ]


def test_a_renewed_offensive_withdraws_forces_and_ends_the_ceasefire() -> None:
    """The offensive withdraws forces that leave in its face and ends the ceasefire metric."""
    # A contingent not yet deployed never comes; one without withdraw_on_offensive and the
    # neighbouring troops stay; capacity stops regenerating.
    pol = {"pillar": "neighbouring_deployment", "host": "POL", "amount": 2000}
    sc = scenario(
        members=TWO_MEMBERS,
        pledges=[
            land_pledge("fra", "FRA", 1000),
            land_pledge("late", "FRA", 500, lead=200),
            land_pledge("stay", "FRA", 200, withdraw_on_offensive=False),
            {"id": "pol", "member": "GBR", **pol},
        ],
        injects=[offensive_at(200)],
    )
    trace = simulate(sc, seed=SEED)
    day = trace.kpis["offensive_day"]
    assert 200 < day < 200.001
    assert changes(trace, "ceasefire") == [(100.0, True), (day, False)]
    assert changes(trace, "deployed.reassurance.land") == [
        (130.0, 1000.0),
        (130.0, 1200.0),
        (day, 200.0),
    ]
    assert changes(trace, "committed.reassurance.land")[-1] == (day, 200.0)
    assert trace.pledges["late"] == (0.0, 500.0)
    assert changes(trace, "deployed.neighbouring") == [(114.0, 2000.0)]
    assert event_days(trace, "withdraw") == [day]
    # Default regeneration: 6 steps over 180 days from day 100; the last before the offensive
    # is day 190.
    assert changes(trace, "adversary.capacity")[-1][0] == 190.0


# --------------------------------------------------------------------------- milestones


def test_ioc_and_foc_at_exactly_half_and_nine_tenths_of_pledged_land() -> None:
    """IOC at exactly 50% (day 120) and FOC at exactly 90% (day 130) of pledged land."""
    # Contingents of 400, 100, 400, 100 deploy on days 110, 120, 130, 140.
    pledges = [
        land_pledge(f"p{i}", "FRA", amount, lead=lead)
        for i, (amount, lead) in enumerate([(400, 10), (100, 20), (400, 30), (100, 40)])
    ]
    trace = simulate(scenario(pledges=pledges), seed=SEED)
    assert trace.kpis["reassurance_ioc_day"] == 120.0
    assert trace.kpis["reassurance_foc_day"] == 130.0
    assert event_days(trace, "ioc") == [120.0]
    assert event_days(trace, "foc") == [130.0]


def test_us_conditional_troops_count_in_the_milestone_denominator() -> None:
    """U.S.-conditional troops count in the denominator: 850 of 1,000 is IOC, never FOC."""
    sc = scenario(
        members=[
            {"id": "FRA", "name": "France"},
            {"id": "DEU", "name": "Germany", "requires_us_backing": True},
        ],
        pledges=[land_pledge("fra", "FRA", 850), land_pledge("deu", "DEU", 150)],
    )
    trace = simulate(sc, seed=SEED)
    assert trace.kpis["reassurance_ioc_day"] == 130.0
    assert trace.kpis["reassurance_foc"] == 0.0
    assert math.isnan(trace.kpis["reassurance_foc_day"])


# --------------------------------------------------------------------------- attrition


def test_trained_personnel_decays_each_period_at_war_then_peace_rates() -> None:
    """Trained decays by exp(−r·30/365) a period: r = 0.25 before the ceasefire, 0.05 after."""
    sc = scenario(
        ukraine={
            "trained": 100_000,
            "war_attrition_per_year": 0.25,
            "peace_attrition_per_year": 0.05,
        }
    )
    trace = simulate(sc, seed=SEED)
    war, peace = math.exp(-0.25 * 30 / 365), math.exp(-0.05 * 30 / 365)
    expected = [100_000 * war**k for k in range(4)]
    expected += [expected[-1] * peace**k for k in range(1, 3)]
    got = changes(trace, "trained")[:6]
    assert [t for t, _ in got] == [0.0, 30.0, 60.0, 90.0, 120.0, 150.0]
    assert [v for _, v in got] == pytest.approx(expected, rel=1e-12)
    assert len(changes(trace, "trained")) == 1 + H // 30


def test_stocks_decay_with_their_own_rates_and_capability_follows() -> None:
    """Stocks decay at their own war and peace rates, and capability follows."""
    # Capability = 0.4·100/150 + 0.6·(stock/100) with no personnel attrition.
    no_personnel_attrition = {"war_attrition_per_year": 0, "peace_attrition_per_year": 0}
    sc = scenario(ukraine={**no_personnel_attrition, "need_per_day": 0})
    rep = build(sc, SEED, 0)
    rep.world.env.run(until=120.5)
    stock = 100 * math.exp(-0.3 * 90 / 365) * math.exp(-0.05 * 30 / 365)
    assert rep.ukraine.stocks == pytest.approx(dict.fromkeys(CATEGORIES, stock), rel=1e-12)
    capability = 0.4 * 100 / 150 + 0.6 * stock / 100
    assert rep.world.state["capability"] == pytest.approx(capability, rel=1e-12)


# --------------------------------------------------------------------------- deterrence


def test_deterrence_combines_capability_presence_us_term_and_adversary_capacity() -> None:
    """D = (0.6·capability + 0.5·presence·cohesion + U.S. term) / adversary capacity."""
    # 10,000 troops and 6 ships are two presence units; enablers 0.25; adversary at 0.5; GBR's
    # financing, revealed as dishonoured on day 10, halves cohesion (one of two pillars lost).
    sea = {"id": "sea", "member": "FRA", "pillar": "reassurance_force", "domain": "sea"}
    lapsed = {"id": "f", "member": "GBR", "pillar": "financing", "amount": 1, "first_day": 10}
    sc = scenario(
        members=[{"id": "FRA", "name": "France"}, {**TWO_MEMBERS[1], "reliability": 0.0}],
        pledges=[land_pledge("land", "FRA", 10_000), {**sea, "amount": 6, "lead_time": 40}, lapsed],
        us={"initial": "enablers"},
        ukraine=steady_ukraine(),
        adversary=quiet_adversary(
            capacity_at_ceasefire=0.5, regeneration_days=1000, regeneration_steps=1
        ),
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "cohesion") == [(10.0, 0.5)]
    expected = (0.6 * CAPABILITY + 0.5 * (1 - math.exp(-2)) * 0.5 + 0.25) / 0.5
    assert changes(trace, "deterrence")[-1] == (140.0, pytest.approx(expected, rel=1e-12))
    assert trace.kpis["deterrence_min"] == pytest.approx(0.6 * CAPABILITY)
