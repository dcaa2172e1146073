"""Stories of the mechanisms: one small deterministic scenario per rule of MODEL.md, run for one
replication, with the exact days and values the rule gives. Where a value comes from a random
stream, the expectation is computed from the stream's uniforms by the documented formula.
"""

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
    constant_capacity,
    event_days,
    fund,
    land_pledge,
    offensive_at,
    quiet_adversary,
    settled,
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
    # The default regeneration: 600,000 troops of 765,000 and 1,000,000 shells of 2,625,000.
    at_ceasefire = (600_000 / 765_000 + 1_000_000 / 2_625_000) / 2
    assert changes(trace, "adversary.capacity")[0] == (100.0, pytest.approx(at_ceasefire))


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
        members=[{"id": "FRA", "name": "France", "mandate_delay": 25, "delivery": 1}],
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


def test_a_dishonoured_member_is_revealed_when_each_pledge_would_first_deliver() -> None:
    """FRA (reliability 0) honours none of its force and training pledges, each revealed when it
    would first deliver (training once its condition holds, the force at the ceasefire); its
    financing, aid, is paid in full.
    """
    # Cohesion averages the pillars: training lost on day 20 gives (1 + 0 + 1)/3, half the
    # pledged land lost on day 100 gives (0.5 + 0 + 1)/3.
    training = {"pillar": "training", "capacity": 10, "course_days": 30}
    sc = scenario(
        members=[{**TWO_MEMBERS[0], "reliability": 0.0}, TWO_MEMBERS[1]],
        pledges=[
            land_pledge("fra", "FRA", 1000),
            {"id": "t", "member": "FRA", **training, "conditions": ["day >= 20"]},
            {"id": "f", "member": "FRA", "pillar": "financing", "amount": 2, "first_day": 40},
            land_pledge("gbr", "GBR", 1000),
        ],
        ukraine=steady_ukraine(),
    )
    trace = simulate(sc, seed=SEED)
    assert event_days(trace, "lapse") == [20.0, 100.0]
    assert changes(trace, "cohesion") == [(20.0, pytest.approx(2 / 3)), (100.0, 0.5)]
    assert changes(trace, "financing.paid") == [(40.0, 2.0)]
    assert changes(trace, "committed.reassurance.land") == [(100.0, 1000.0)]  # GBR's only
    assert changes(trace, "trained") == [(0.0, 100_000)]
    assert trace.pledges["fra"] == (0.0, 1000.0)


def test_reliability_is_one_draw_per_member_shared_by_its_pledges() -> None:
    """FRA honours its pledges iff u < reliability, u the first uniform of member.FRA.honours:
    all of them or none.
    """
    (u,) = uniforms("member.FRA.honours", 1)
    for reliability, honoured in ((u, False), (math.nextafter(u, 1.0), True)):
        sc = scenario(
            members=[{"id": "FRA", "name": "France", "reliability": reliability}],
            pledges=[land_pledge("a", "FRA", 1000), land_pledge("b", "FRA", 500, lead=40)],
        )
        trace = simulate(sc, seed=SEED)
        expected = [(130.0, 1000.0), (140.0, 1500.0)] if honoured else []
        assert changes(trace, "deployed.reassurance.land") == expected, reliability
        assert event_days(trace, "lapse") == ([] if honoured else [100.0, 100.0])


def test_splitting_a_pledge_into_four_changes_nothing() -> None:
    """One 4,000-troop pledge or four of 1,000 from one member (reliability 0.5): the same land
    committed and deployed on the same days in every replication, all or nothing.
    """
    member = [{"id": "FRA", "name": "France", "reliability": 0.5}]
    one = scenario(members=member, pledges=[land_pledge("fra", "FRA", 4000)])
    four = scenario(members=member, pledges=[land_pledge(f"fra-{k}", "FRA", 1000) for k in "abcd"])
    seen = set()
    for rep in range(16):
        a, b = simulate(one, SEED, rep), simulate(four, SEED, rep)
        for metric in ("committed.reassurance.land", "deployed.reassurance.land"):
            assert settled(a, metric) == settled(b, metric), (rep, metric)
        honours = uniforms("member.FRA.honours", 1, rep=rep)[0] < 0.5
        committed = settled(b, "committed.reassurance.land")
        assert committed == ([(100.0, 4000.0)] if honours else []), rep
        seen.add(honours)
    assert seen == {True, False}  # both outcomes occur among these replications


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
    """An offensive on day 200 stops in-country training, the cohort under way included (the one
    started on day 190 never graduates); training abroad goes on.
    """
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
    assert in_country == [130.0, 160.0, 190.0]
    assert abroad == [70.0 * k for k in range(1, 11)]
    assert trace.pledges["in"] == (270.0, 90.0 * (H // 30))


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
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(budget=fund(0))), SEED)
    assert changes(trace, "financing.paid") == [(15.0, 1.0), (45.0, 2.0), (75.0, 3.0)]
    assert changes(trace, "budget") == [(0.0, 0.0), (15.0, 1.0), (45.0, 2.0), (75.0, 3.0)]
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
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(budget=fund(0))), SEED)
    assert changes(trace, "financing.paid") == [(200.0, 0.6), (500.0, 1.2)]
    assert trace.kpis["fulfilment_financing"] == pytest.approx(1.2 / 3)


def test_drawn_delays_never_pay_a_tranche_before_the_previous_one() -> None:
    """Drawn delays: paid_k = max(paid_k−1, 10·k + 60·u_k), never before the previous tranche."""
    # The delays are the first three uniforms of the pledge's stream; seed 2 makes the rule
    # matter.
    seed = 2
    pledge = {
        "id": "f",
        "member": "FRA",
        "pillar": "financing",
        "amount": 3,
        "tranches": 3,
        "every": 10,
        "delay": {"dist": "uniform", "low": 0, "high": 60},
    }
    u = uniforms("pledge.f", 3, seed=seed)
    paid, expected = 0.0, []
    for k in range(3):
        paid = max(paid, 10 * k + 60 * u[k])
        expected.append(paid)
    assert expected != [10 * k + 60 * u[k] for k in range(3)]  # the rule matters for this seed
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(budget=fund(0))), seed)
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
    trace = simulate(scenario(pledges=[pledge], ukraine=steady_ukraine(budget=fund(0))), SEED)
    assert changes(trace, "financing.paid") == [(110.0, 1.0)]


def test_the_budget_runs_dry_at_level_over_need_and_the_gap_closes_at_the_next_payment() -> None:
    """The budget runs dry at level/need (day 80) and the gap closes at the next payment."""
    # EUR 10bn at 0.125/day; EUR 5bn on day 120 lasts to day 160. Capability loses 30% in a gap.
    pledge = {"id": "f", "member": "FRA", "pillar": "financing", "amount": 5, "first_day": 120}
    sc = scenario(pledges=[pledge], ukraine=steady_ukraine(budget=fund(10, 0.125)))
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
    in_gap = 40 + (H - 160)
    mean = ((H - in_gap) * CAPABILITY + in_gap * 0.7 * CAPABILITY) / H
    assert trace.kpis["capability_mean"] == pytest.approx(mean, rel=1e-12)
    assert trace.kpis["sustainment_gap_days"] == 0  # budget support does not sustain the forces


# --------------------------------------------------------------------------- delivery shares


def test_a_member_delivering_half_pays_half_of_each_tranche_and_whole_units() -> None:
    """FRA delivers 0.5: each EUR 1bn tranche pays EUR 0.5bn, and 25 artillery pieces in two
    lots from stock deliver ⌊25·0.5·1/2⌋ = 6, then ⌊25·0.5⌋ − 6 = 6.
    """
    financing = {"pillar": "financing", "amount": 3, "tranches": 3, "every": 30, "first_day": 10}
    equipment = {"pillar": "equipment", "category": "artillery", "quantity": 25, "lots": 2}
    sc = scenario(
        members=[{"id": "FRA", "name": "France", "delivery": 0.5}],
        pledges=[
            {"id": "f", "member": "FRA", **financing},
            {"id": "e", "member": "FRA", **equipment, "lead_time": 40, "from_production": False},
        ],
        ukraine=steady_ukraine(budget=fund(0)),
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "financing.paid") == [(10.0, 0.5), (40.0, 1.0), (70.0, 1.5)]
    assert changes(trace, "budget") == [(0.0, 0.0), (10.0, 0.5), (40.0, 1.0), (70.0, 1.5)]
    assert changes(trace, "equipment.delivered") == [(20.0, 6.0), (40.0, 12.0)]
    assert trace.pledges == {"f": (1.5, 3.0), "e": (12.0, 25.0)}
    assert trace.kpis["fulfilment_financing"] == 0.5
    assert trace.kpis["fulfilment_equipment"] == 12 / 25


@pytest.mark.parametrize(
    ("delivery", "share"),
    [
        pytest.param(None, lambda u: stats.beta.ppf(u, 6.54, 3.46), id="default-beta"),
        pytest.param(
            {"dist": "beta", "mean": 0.3, "concentration": 50},
            lambda u: stats.beta.ppf(u, 15, 35),
            id="beta",
        ),
        pytest.param(
            {"dist": "uniform", "low": 0.5, "high": 1.5},
            lambda u: min(1.0, 0.5 + u),
            id="capped-uniform",
        ),
        pytest.param(1.5, lambda u: 1.0, id="capped-fixed"),
    ],
)
def test_the_delivery_share_is_one_draw_per_member_capped_at_one(delivery: Any, share: Any) -> None:
    """The share is the member's delivery distribution at the first uniform of
    member.FRA.delivery, capped at 1, and the same for all its aid pledges.
    """
    (u,) = uniforms("member.FRA.delivery", 1)
    expected = float(share(u))
    member = {"id": "FRA", "name": "France"}
    if delivery is not None:
        member["delivery"] = delivery
    pledges = [
        {"id": "f1", "member": "FRA", "pillar": "financing", "amount": 1, "first_day": 10},
        {"id": "f2", "member": "FRA", "pillar": "financing", "amount": 2, "first_day": 20},
    ]
    trace = simulate(scenario(members=[member], pledges=pledges), seed=SEED)
    assert changes(trace, "financing.paid") == [
        (10.0, pytest.approx(expected, rel=1e-9)),
        (20.0, pytest.approx(3 * expected, rel=1e-9)),
    ]
    assert 0 < expected <= 1


# --------------------------------------------------------------------------- military aid


AID_INDUSTRY = {
    "production_per_year": {"air_defence": 36.5},  # ten days a unit
    "unit_cost": {"air_defence": 120, "ammunition": 3},
    "aid_mix": {
        "air_defence": 0.6,
        "artillery": 0,
        "armour": 0,
        "aircraft": 0,
        "ammunition": 0.4,
    },
    "procurement_share": 0.5,
    "procurement_lead_time": 10,
}
"""Half of military aid buys equipment ready 10 days after payment: 60% of it air defence at
EUR 120m a unit from a line finishing one every ten days, 40% ammunition at EUR 3m a thousand
shells, uncapped."""


def test_military_aid_buys_whole_units_carries_the_credit_and_sustains_the_forces() -> None:
    """Two EUR 1bn tranches of military aid (days 10 and 110) buy equipment and pay the rest
    into the military fund, which runs dry between them.
    """
    # Each tranche: EUR 500m of procurement. Air defence: 300/120 → 2 units (credit 60), then
    # 360/120 → 3; ready on days 20 and 120 but the line finishes them on days 30 and 140.
    # Ammunition: 200/3 → 66 (credit 2), then 202/3 → 67 (credit 1), on days 20 and 120.
    # Military fund: EUR 0.05bn at 0.01/day runs dry on day 5; each EUR 0.5bn lasts 50 days.
    pledge = {
        "id": "m",
        "member": "FRA",
        "pillar": "financing",
        "use": "military",
        "amount": 2,
        "tranches": 2,
        "every": 100,
        "first_day": 10,
    }
    sc = scenario(
        pledges=[pledge],
        industry=AID_INDUSTRY,
        ukraine=steady_ukraine(military=fund(0.05, 0.01)),
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "financing.paid") == [(10.0, 1.0), (110.0, 2.0)]
    assert changes(trace, "equipment.delivered") == [
        (20.0, 66.0),
        (30.0, 68.0),
        (120.0, 135.0),
        (140.0, 138.0),
    ]
    assert changes(trace, "budget") == [(0.0, 10.0)]  # budget support only pays the budget
    assert changes(trace, "military.fund") == [
        (0.0, 0.05),
        (5.0, 0.0),
        (10.0, 0.5),
        (60.0, 0.0),
        (110.0, 0.5),
        (160.0, 0.0),
    ]
    assert changes(trace, "military.gap") == [
        (5.0, True),
        (10.0, False),
        (60.0, True),
        (110.0, False),
        (160.0, True),
    ]
    assert trace.kpis["sustainment_gap_days"] == 5 + 50 + (H - 160)
    assert trace.kpis["financing_gap_days"] == 0
    assert trace.kpis["fulfilment_financing"] == 1.0
    # Capability at the horizon: 5 more air-defence units and 133 more ammunition (of 100 each
    # at weight 0.2 and 0.1), less the sustainment penalty.
    final = 0.8 * (CAPABILITY + 0.2 * 5 / 100 + 0.1 * 133 / 100)
    assert trace.kpis["capability_final"] == pytest.approx(final, rel=1e-12)


def test_military_aid_equipment_is_ready_after_a_lead_time_drawn_per_tranche() -> None:
    """The procurement lead time of tranche k is drawn from the pledge's stream after its
    delays and paid fractions: with one tranche, the third uniform u gives 120·exp(0.5·z(u)).
    """
    pledge = {"id": "m", "member": "FRA", "pillar": "financing", "use": "military", "amount": 1}
    industry = {"aid_mix": {"air_defence": 0, "artillery": 0, "armour": 0, "aircraft": 0}}
    industry["aid_mix"]["ammunition"] = 1
    u = uniforms("pledge.m", 3)[2]
    lead = 120 * math.exp(0.5 * stats.norm.ppf(u))
    assert lead < H
    trace = simulate(scenario(pledges=[pledge], industry=industry), seed=SEED)
    # The default procurement share 0.6 buys EUR 600m of shells at EUR 3.5m: 171 thousand.
    assert changes(trace, "equipment.delivered") == [(pytest.approx(lead, rel=1e-9), 171.0)]
    assert changes(trace, "military.fund")[1] == (0.0, pytest.approx(2.0 + 0.4))


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


def test_a_delivery_share_books_whole_lots_on_the_line() -> None:
    """10 units delivered at 0.5 in 3 lots: ⌊5·k/3 + u⌋ units after k lots (u the pledge's
    rounding offset), each lot booked on the one-a-day line.
    """
    sc = scenario(
        members=[{"id": "FRA", "name": "France", "delivery": 0.5}],
        pledges=[_equipment("e", 10, lots=3)],
        industry=ONE_A_DAY,
    )
    _, u = uniforms("pledge.e", 2)  # the lead time, then the offset
    due = [math.floor(5 * k / 3 + u) for k in (1, 2, 3)]
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "equipment.delivered") == [(float(d), float(d)) for d in due if d]
    assert trace.pledges["e"] == (5.0, 10.0)


def test_rounding_delivers_a_single_system_with_the_delivery_share_as_its_chance() -> None:
    """One fire unit at delivery 0.6: delivered in the replications whose offset is ≥ 0.4."""
    sc = scenario(
        members=[{"id": "FRA", "name": "France", "delivery": 0.6}],
        pledges=[_equipment("e", 1)],
    )
    for rep in range(40):
        _, u = uniforms("pledge.e", 2, rep=rep)
        delivered = simulate(sc, seed=SEED, rep=rep).pledges["e"][0]
        assert delivered == (1.0 if u >= 0.4 else 0.0), rep


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


def test_a_force_s_lead_time_is_the_first_draw_of_its_pledge_stream() -> None:
    """A uniform 10–50 lead time: deployed 10 + 40·u after the day-100 ceasefire, u the first
    uniform of pledge.fra (reliability has its own stream).
    """
    (u,) = uniforms("pledge.fra", 1)
    pledge = land_pledge("fra", "FRA", 1000, lead={"dist": "uniform", "low": 10, "high": 50})
    trace = simulate(scenario(pledges=[pledge]), seed=SEED)
    assert changes(trace, "deployed.reassurance.land") == [
        (pytest.approx(110 + 40 * u, rel=1e-12), 1000.0)
    ]


def test_forces_are_whole_troops_ships_and_aircraft() -> None:
    """Scaled forces are round(amount·factor): 1,000 troops by 1/3 are 333, 4 ships by 0.4
    are 2, 7 aircraft by 0.6 are 4.
    """

    def force(pid: str, domain: str, amount: int) -> dict[str, Any]:
        return {**land_pledge(pid, "FRA", amount), "domain": domain}

    sc = scenario(
        pledges=[force("land", "land", 1000), force("sea", "sea", 4), force("air", "air", 7)],
        injects=[
            {"at": 200, "action": "scale_pledges", "pledges": ["land"], "factor": 1 / 3},
            {"at": 200, "action": "scale_pledges", "pledges": ["sea"], "factor": 0.4},
            {"at": 200, "action": "scale_pledges", "pledges": ["air"], "factor": 0.6},
        ],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "deployed.reassurance.land") == [(130.0, 1000.0), (200.0, 333.0)]
    assert changes(trace, "deployed.reassurance.sea") == [(130.0, 4.0), (200.0, 2.0)]
    assert changes(trace, "deployed.reassurance.air") == [(130.0, 7.0), (200.0, 4.0)]
    assert changes(trace, "committed.reassurance.land")[-1] == (200.0, 333.0)


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
    # The pledge's stream serves the lead time, then one uniform per rotation; the seed renews
    # three times (seed 8).
    seed = 8
    pledge = land_pledge("fra", "FRA", 1000, rotation_days=60, renewal_probability=0.5)
    u = uniforms("pledge.fra", 12, seed=seed)[1:]
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


def test_a_neighbouring_deployment_waits_for_neither_the_ceasefire_nor_a_mandate() -> None:
    """2,000 troops for Poland commit on day 0, with no ceasefire ever and a 300-day mandate,
    and arrive after the default 14-day lead time; they count in no tripwire.
    """
    pledge = {
        "id": "pol",
        "member": "FRA",
        "pillar": "neighbouring_deployment",
        "host": "POL",
        "amount": 2000,
    }
    sc = scenario(
        ceasefire={"day": 100, "never_probability": 1.0},
        members=[{"id": "FRA", "name": "France", "mandate_delay": 300}],
        pledges=[pledge],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "committed.neighbouring") == [(0.0, 2000.0)]
    assert changes(trace, "deployed.neighbouring") == [(14.0, 2000.0)]
    assert changes(trace, "deployed.reassurance.land") == []
    assert changes(trace, "deployed.reassurance.nations") == []
    assert trace.kpis["final_neighbouring"] == 2000.0


def test_a_neighbouring_deployment_of_a_member_requiring_us_backing_waits_for_it() -> None:
    """DEU, requiring U.S. backing, sends its troops to Romania when enablers come (day 60),
    ceasefire or not.
    """
    pledge = {"id": "rou", "member": "DEU", "pillar": "neighbouring_deployment", "host": "ROU"}
    sc = scenario(
        ceasefire={"day": 100, "never_probability": 1.0},
        members=[{"id": "DEU", "name": "Germany", "requires_us_backing": True}],
        pledges=[{**pledge, "amount": 1500, "lead_time": 20}],
        injects=[{"at": 60, "action": "trigger_signal", "signal": "us.enablers"}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "committed.neighbouring") == [(60.0, 1500.0)]
    assert changes(trace, "deployed.neighbouring") == [(80.0, 1500.0)]


def test_the_tripwire_counts_the_nations_with_land_troops_in_ukraine() -> None:
    """deployed.reassurance.nations counts members with land troops deployed in Ukraine: ships,
    troops in a neighbouring country and a nation's second contingent do not add to it; a nation
    leaves it with its last troops.
    """
    pledges = [
        land_pledge("fra-a", "FRA", 1000),  # deployed day 130
        land_pledge("fra-b", "FRA", 500, lead=50),  # day 150
        {
            "id": "gbr-sea",
            "member": "GBR",
            "pillar": "reassurance_force",
            "domain": "sea",
            "amount": 4,
            "lead_time": 20,
            "rotation_days": None,
        },
        {"id": "pol", "member": "DEU", "pillar": "neighbouring_deployment", "host": "POL"},
        land_pledge("gbr-land", "GBR", 800, lead=60),  # day 160
    ]
    pledges[3]["amount"] = 2000
    sc = scenario(
        members=[*TWO_MEMBERS, {"id": "DEU", "name": "Germany"}],
        pledges=pledges,
        ukraine=steady_ukraine(),
        adversary=quiet_adversary(),
        injects=[
            {"at": 200, "action": "scale_pledges", "pledges": ["fra-a"], "factor": 0},
            {"at": 250, "action": "withdraw_member", "member": "GBR"},
            {"at": 300, "action": "scale_pledges", "pledges": ["fra-b"], "factor": 0},
        ],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "deployed.reassurance.nations") == [
        (130.0, 1.0),
        (160.0, 2.0),
        (250.0, 1.0),
        (300.0, 0.0),
    ]
    presence = (
        0.45 * (1 - math.exp(-2300 / 10_000))
        + 0.1 * (1 - math.exp(-4 / 6))
        + 0.1 * (1 - math.exp(-2000 / 20_000))
        + 0.15 * (1 - math.exp(-2 / 4))
    )
    found = dict(settled(trace, "deterrence"))
    assert found[160.0] == pytest.approx(0.6 * CAPABILITY + 0.5 * presence, rel=1e-12)


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
    """P = 0.25: yes at review K = max(1, ⌈ln(1−u)/ln(0.75)⌉), i.e. on day 30·(K − 1)."""
    (u,) = uniforms("us.enablers.reviews", 1)
    reviews = max(1, math.ceil(math.log(1 - u) / math.log(0.75)))
    us = {"enablers": {"probability": 0.25, "decision_delay": 10}}
    trace = simulate(scenario(us=us), seed=SEED)
    assert trace.kpis["us_enablers_day"] == 30.0 * (reviews - 1) + 10


def _committed_threshold(withdraw_day: int) -> Trace:
    """Enablers need 1,000 committed troops (from day 100); yes on day 120, decided on 150;
    FRA leaves on ``withdraw_day``.
    """
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


REGENERATING = {
    "personnel_at_ceasefire": 300_000,
    "personnel_reference": 600_000,
    "recruits_per_month": 60_000,
    "outflow_per_month": 10_000,
    "munitions_at_ceasefire": 1_000_000,
    "munitions_reference": 2_000_000,
    "shells_per_year": 3_000_000,
    "shell_use_per_year": 1_000_000,
    "capacity_max": 1.4,
    "step_days": 73,
}
"""Both indices start at 0.5 and grow by 1 a year (net 50,000 troops a month of 600,000; net
2,000,000 shells a year of 2,000,000): capacity(t) = min(1.4, 0.5 + t/365)."""


def test_capacity_regenerates_from_recruitment_and_production_in_steps() -> None:
    """Capacity = min(max, (P/P_ref + M/M_ref)/2), published at the day-100 ceasefire and every
    73 days after: 0.5, 0.7, 0.9, 1.1, 1.3, then capped at 1.4.
    """
    adversary = quiet_adversary(regeneration=REGENERATING)
    trace = simulate(scenario(adversary=adversary), seed=SEED)
    assert changes(trace, "adversary.capacity") == [
        (100.0, 0.5),
        (173.0, pytest.approx(0.7)),
        (246.0, pytest.approx(0.9)),
        (319.0, pytest.approx(1.1)),
        (392.0, pytest.approx(1.3)),
        (465.0, 1.4),
    ]
    assert event_days(trace, "regeneration") == [319.0]  # capacity reaches 1


def test_net_outflows_run_capacity_down() -> None:
    """Net outflows shrink each index, never below 0: personnel by 0.05 and munitions by 0.25
    (to 0 after two steps) every 73 days from 0.5 each at the ceasefire.
    """
    regeneration = {
        **REGENERATING,
        "recruits_per_month": 0,
        "outflow_per_month": 12_500,  # a quarter of the reference a year
        "shells_per_year": 0,
        "shell_use_per_year": 2_500_000,  # 1.25 references a year
    }
    trace = simulate(scenario(adversary=quiet_adversary(regeneration=regeneration)), seed=SEED)
    expected = [
        (100.0 + 73 * k, pytest.approx((0.5 - 0.05 * k + max(0.0, 0.5 - 0.25 * k)) / 2))
        for k in range(9)  # the ninth step, day 757, is past the horizon
    ]
    assert changes(trace, "adversary.capacity") == expected
    assert expected[-1][1] == pytest.approx(0.05)


def test_the_hazard_pivots_at_the_deterrence_threshold() -> None:
    """λ = base/365 · m(regime) · exp(−s·(D − D*)): base/365 · m exactly when D = D*, and
    exp(s·(D* − D)) times that otherwise.
    """
    # D = 0.6·capability (no presence, no U.S., capacity 1); the regime 'eroding' has m = 2.
    deterrence = 0.6 * CAPABILITY
    base, s = 1e-4, 4.0  # an offensive that does not come before day 150
    for threshold in (deterrence, 1.0, 0.25):
        adversary = quiet_adversary(
            offensive={"base_hazard_per_year": base, "deterrence_sensitivity": s},
            initial_regime="eroding",
            violation_regimes={
                r: {"rate_per_day": 0, "mean_spell_days": 1e12, "offensive_multiplier": 2.0}
                for r in ("strong", "eroding", "minsk", "escalation")
            },
        )
        sc = scenario(
            adversary=adversary,
            ukraine=steady_ukraine(),
            model={"deterrence": {"threshold": threshold}},
        )
        rep = build(sc, SEED, 0)
        rep.world.env.run(until=150)
        assert rep.world.state["deterrence"] == pytest.approx(deterrence, rel=1e-12)
        expected = base / 365 * 2.0 * math.exp(-s * (deterrence - threshold))
        assert rep.adversary.hazard() == pytest.approx(expected, rel=1e-12), threshold


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
    assert changes(trace, "deployed.neighbouring") == [(14.0, 2000.0)]
    assert event_days(trace, "withdraw") == [day]
    assert changes(trace, "deployed.reassurance.nations") == [(130.0, 1.0)]  # "stay" stays
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


def _grow(level: float, monthly: float, rate: float, days: float) -> float:
    """dF/dt = m − a·F solved over ``days``: F·e^(−aΔ) + m·(1 − e^(−aΔ))/a (m per year)."""
    decay = math.exp(-rate * days / 365)
    return level * decay + 12 * monthly * (1 - decay) / rate


def test_forces_personnel_and_stocks_are_booked_each_period_and_capability_follows() -> None:
    """Every 30 days the forces are booked by the exact solution of dF/dt = m − a·F (war rates
    until the day-100 ceasefire, peace rates after), trained personnel and stocks decay at their
    own rates; capability follows, cut by both empty funds.
    """
    # The default budget (EUR 10bn at 0.15/day) runs dry on day 66.7, military sustainment
    # (EUR 2bn at 0.02/day) on day 100.
    sc = scenario(ukraine={"war_attrition_per_year": 0.25, "peace_attrition_per_year": 0.05})
    rep = build(sc, SEED, 0)
    rep.world.env.run(until=120.5)
    forces = [880_000.0]
    for day in (30, 60, 90, 120):
        war = day <= 100
        monthly, rate = (26_000, 0.35) if war else (5_000, 0.10)
        forces.append(_grow(forces[-1], monthly, rate, 30))
    records = [(t, v) for t, m, v in rep.world.state.records if m == "forces"]
    assert [t for t, _ in records] == [0.0, 30.0, 60.0, 90.0, 120.0]
    assert [v for _, v in records] == pytest.approx(forces, rel=1e-12)
    assert rep.ukraine.force == pytest.approx(forces[-1], rel=1e-12)
    trained = 100_000 * math.exp(-0.25 * 90 / 365) * math.exp(-0.05 * 30 / 365)
    stock = 100 * math.exp(-0.3 * 90 / 365) * math.exp(-0.05 * 30 / 365)
    assert rep.ukraine.trained == pytest.approx(trained, rel=1e-12)
    assert rep.ukraine.stocks == pytest.approx(dict.fromkeys(CATEGORIES, stock), rel=1e-12)
    gaps = [(t, m) for t, m, v in rep.world.state.records if m.endswith(".gap") and v]
    assert gaps == [(pytest.approx(10 / 0.15), "financing.gap"), (100.0, "military.gap")]
    capability = (
        0.7 * 0.8 * (0.25 * forces[-1] / 900_000 + 0.15 * trained / 150_000 + 0.6 * stock / 100)
    )
    assert rep.world.state["capability"] == pytest.approx(capability, rel=1e-12)


# --------------------------------------------------------------------------- deterrence


def test_deterrence_combines_capability_presence_us_term_and_adversary_capacity() -> None:
    """D = (0.6·capability + 0.5·presence·cohesion + U.S. term) / adversary capacity, and its
    KPIs are taken over the days the ceasefire holds.
    """
    # Enablers 0.25; the adversary at 0.5 from the day-100 ceasefire. FRA's 10,000 troops (day
    # 130) are one land scale unit and one tripwire nation of four; its 6 ships (day 140) one
    # sea scale unit. GBR's training, revealed as dishonoured on day 10, halves cohesion (one
    # of two pillars lost).
    sea = {"id": "sea", "member": "FRA", "pillar": "reassurance_force", "domain": "sea"}
    training = {"pillar": "training", "capacity": 10, "course_days": 30}
    lapsed = {"id": "t", "member": "GBR", **training, "conditions": ["day >= 10"]}
    land = 0.45 * (1 - math.exp(-1)) + 0.15 * (1 - math.exp(-1 / 4))
    ships = 0.1 * (1 - math.exp(-1))
    numerator = 0.6 * CAPABILITY + 0.25
    at_ceasefire = numerator / 0.5
    deployed = (numerator + 0.5 * land * 0.5) / 0.5
    both = (numerator + 0.5 * (land + ships) * 0.5) / 0.5
    threshold = (deployed + both) / 2  # ceasefire days below it: [100, 140)
    sc = scenario(
        members=[{"id": "FRA", "name": "France"}, {**TWO_MEMBERS[1], "reliability": 0.0}],
        pledges=[land_pledge("land", "FRA", 10_000), {**sea, "amount": 6, "lead_time": 40}, lapsed],
        us={"initial": "enablers"},
        ukraine=steady_ukraine(),
        adversary=quiet_adversary(regeneration=constant_capacity(0.5)),
        model={"deterrence": {"threshold": threshold}},
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "cohesion") == [(10.0, 0.5)]
    assert changes(trace, "adversary.capacity") == [(100.0, 0.5)]
    assert settled(trace, "deterrence") == [
        (0.0, pytest.approx(numerator)),
        (100.0, pytest.approx(at_ceasefire)),
        (130.0, pytest.approx(deployed)),
        (140.0, pytest.approx(both, rel=1e-12)),
    ]
    held = H - 100
    kpis = trace.kpis
    assert kpis["deterrence_min"] == pytest.approx(at_ceasefire)  # not the pre-ceasefire value
    mean = (30 * at_ceasefire + 10 * deployed + (H - 140) * both) / held
    assert kpis["deterrence_mean"] == pytest.approx(mean, rel=1e-12)
    assert kpis["share_below_threshold"] == pytest.approx(40 / held, rel=1e-12)


def test_deterrence_kpis_do_not_apply_without_a_ceasefire() -> None:
    """No ceasefire: the deterrence KPIs and those conditioned on a ceasefire are nan, the
    unconditional offensive 0.
    """
    trace = simulate(scenario(ceasefire={"day": 100, "never_probability": 1.0}), seed=SEED)
    for name in (
        "deterrence_mean",
        "deterrence_min",
        "share_below_threshold",
        "offensive_given_ceasefire",
        "offensive_rate",
        "ceasefire_held_days",
        "violations_rate",
    ):
        assert math.isnan(trace.kpis[name]), name
    assert trace.kpis["offensive"] == 0.0
    assert trace.kpis["ceasefire"] == 0.0


# --------------------------------------------------------------------------- outcomes


def _violent(rate: float) -> dict[str, Any]:
    """A quiet adversary whose ceasefire stays in one 'strong' spell with ``rate`` violations
    a day.
    """
    return quiet_adversary(
        violation_regimes={
            r: {"rate_per_day": rate, "mean_spell_days": 1e12, "offensive_multiplier": 1.0}
            for r in ("strong", "eroding", "minsk", "escalation")
        }
    )


def test_outcomes_are_measured_over_the_days_the_ceasefire_holds() -> None:
    """Ceasefire on day 100, offensive just after day 400: the ceasefire held d − 100 days, an
    offensive given the ceasefire is 1, its rate 1,000 per held days; violations (one Poisson
    draw for the whole spell, cut at the offensive) per held day.
    """
    sc = scenario(adversary=_violent(2.0), ukraine=steady_ukraine(), injects=[offensive_at(400)])
    trace = simulate(sc, seed=SEED)
    kpis = trace.kpis
    day = kpis["offensive_day"]
    assert 400 < day < 400.001
    held = day - 100
    assert kpis["ceasefire_held_days"] == pytest.approx(held, rel=1e-12)
    assert kpis["offensive_given_ceasefire"] == 1.0
    assert kpis["offensive_rate"] == pytest.approx(1000 / held, rel=1e-12)
    (u,) = uniforms("adversary.violations", 1)
    assert kpis["violations"] == stats.poisson.ppf(u, 2.0 * held)
    assert kpis["violations_rate"] == pytest.approx(kpis["violations"] / held, rel=1e-12)
    assert kpis["capability_mean"] == pytest.approx(CAPABILITY, rel=1e-12)


def test_a_ceasefire_that_holds_to_the_horizon_is_censored_there() -> None:
    """No offensive: the ceasefire holds H − 100 days, the offensive given a ceasefire is 0 and
    so is its rate.
    """
    trace = simulate(scenario(adversary=_violent(0.0)), seed=SEED)
    kpis = trace.kpis
    assert kpis["ceasefire_held_days"] == H - 100
    assert kpis["offensive_given_ceasefire"] == 0.0
    assert kpis["offensive_rate"] == 0.0
    assert kpis["violations_rate"] == 0.0
    assert math.isnan(kpis["offensive_day"])
