"""Stories of the inject actions: each action, signal and settable parameter, fired at a known
day (or when a condition first holds) in a small deterministic scenario, with the exact days and
values it must produce (MODEL.md sections 12, 6, 9, 10 and 11).
"""

from __future__ import annotations

import math
from typing import Any, Literal, get_args

import pytest

from sim.engine import simulate
from sim.engine.actions import HANDLERS, SETTERS, TRIGGERS, MissingHandlerError, check_handlers
from sim.engine.model import build
from sim.scenario.injects import INJECTS, SETTABLE, SIGNALS, InjectSpec, TriggerSignal
from tests.conftest import scenario
from tests.functional.stories import (
    CAPABILITY,
    SEED,
    TWO_MEMBERS,
    changes,
    event_days,
    fund,
    land_pledge,
    quiet_adversary,
    settled,
    steady_ukraine,
    target,
)

# --------------------------------------------------------------------------- the registry


ACTIONS = {
    "withdraw_member",
    "scale_pledges",
    "add_pledge",
    "set_parameter",
    "trigger_signal",
    "adversary_surge",
    "us_pause",
    "probe",
    "incursion",
    "relax_threshold",
    "drop_us_condition",
    "set_doctrine",
}
"""The actions of MODEL.md section 16: the first seven with their stories below, the actors' five
with theirs in test_actors.py."""


def test_every_inject_model_has_exactly_one_handler() -> None:
    """The handler table covers every registered inject action (those of section 16)."""
    assert set(INJECTS.names()) == ACTIONS
    assert set(HANDLERS) == set(INJECTS)


def test_an_action_without_a_handler_is_refused() -> None:
    """A newly registered inject model with no handler makes the engine refuse to run."""

    class Rumour(InjectSpec):
        action: Literal["rumour"]

    INJECTS.register(Rumour)
    try:
        with pytest.raises(MissingHandlerError, match="Rumour"):
            check_handlers()
    finally:
        INJECTS.unregister("rumour")
    check_handlers()


def test_triggers_cover_the_signals() -> None:
    """Every signal has a trigger, and the scenario format accepts exactly these signals."""
    assert set(TRIGGERS) == set(SIGNALS)
    assert set(get_args(TriggerSignal.model_fields["signal"].annotation)) == set(SIGNALS)


def test_setters_cover_the_settable_paths() -> None:
    """Every settable parameter has a setter."""
    assert set(SETTERS) == set(SETTABLE)


# --------------------------------------------------------------------------- withdraw_member


def test_withdraw_member_takes_its_forces_home_on_the_day() -> None:
    """FRA leaves on day 200: its deployed troops go, GBR's stay, members.active drops."""
    sc = scenario(
        members=TWO_MEMBERS,
        pledges=[land_pledge("fra", "FRA", 1000), land_pledge("gbr", "GBR", 3000, lead=40)],
        injects=[{"at": 200, "action": "withdraw_member", "member": "FRA"}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "deployed.reassurance.land") == [
        (130.0, 1000.0),
        (140.0, 4000.0),
        (200.0, 3000.0),
    ]
    assert changes(trace, "members.active") == [(0.0, 2.0), (200.0, 1.0)]
    assert changes(trace, "cohesion") == [(200.0, 0.75)]  # 3,000 of 4,000 troops active
    assert event_days(trace, "inject") == [200.0]


# --------------------------------------------------------------------------- scale_pledges


def test_scale_pledges_by_member_rescales_all_its_deployed_forces() -> None:
    """Scaling FRA by 0.5 on day 200 halves its troops and ships at once, not GBR's."""
    sea = {"id": "fra-sea", "member": "FRA", "pillar": "reassurance_force", "domain": "sea"}
    sc = scenario(
        members=TWO_MEMBERS,
        pledges=[
            land_pledge("fra-land", "FRA", 1000),
            {**sea, "amount": 4, "lead_time": 30, "rotation_days": None},
            land_pledge("gbr-land", "GBR", 1000, lead=40),
        ],
        injects=[{"at": 200, "action": "scale_pledges", "member": "FRA", "factor": 0.5}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "deployed.reassurance.land") == [
        (130.0, 1000.0),
        (140.0, 2000.0),
        (200.0, 1500.0),
    ]
    assert changes(trace, "deployed.reassurance.sea") == [(130.0, 4.0), (200.0, 2.0)]
    # Troops and ships are counted apart, each group weighing pledges by size: land
    # (500 + 1000) / 2000, sea 2 / 4, averaged within the pillar.
    cohesion = changes(trace, "cohesion")
    assert {t for t, _ in cohesion} == {200.0}
    assert cohesion[-1][1] == pytest.approx((1500 / 2000 + 2 / 4) / 2)


def test_scale_pledges_by_list_scales_only_the_listed_pledges() -> None:
    """Scaling the pledge list ["fra-a"] by 0.25 leaves FRA's other pledge as it was."""
    sc = scenario(
        pledges=[land_pledge("fra-a", "FRA", 2000), land_pledge("fra-b", "FRA", 1000, lead=60)],
        injects=[{"at": 150, "action": "scale_pledges", "pledges": ["fra-a"], "factor": 0.25}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "deployed.reassurance.land") == [
        (130.0, 2000.0),
        (150.0, 500.0),
        (160.0, 1500.0),
    ]
    assert trace.pledges["fra-b"] == (1000.0, 1000.0)


def test_scale_pledges_to_zero_stops_training_after_the_running_cohort() -> None:
    """Training scaled to 0 on day 45: the cohort started on day 30 graduates, no other."""
    sc = scenario(
        pledges=[
            {"id": "t", "member": "FRA", "pillar": "training", "capacity": 100, "course_days": 30}
        ],
        ukraine=steady_ukraine(trained=0),
        injects=[{"at": 45, "action": "scale_pledges", "pledges": ["t"], "factor": 0}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "trained") == [(0.0, 0.0), (30.0, 90.0), (60.0, 180.0)]


# --------------------------------------------------------------------------- add_pledge


def test_add_pledge_deploys_after_its_lead_time_and_recomputes_cohesion() -> None:
    """A force pledged on day 200 commits then, deploys 20 days later; cohesion is recomputed."""
    sc = scenario(
        members=TWO_MEMBERS,
        pledges=[land_pledge("fra", "FRA", 1000)],
        injects=[
            {"at": 150, "action": "scale_pledges", "member": "FRA", "factor": 0.5},
            {"at": 200, "action": "add_pledge", "pledge": land_pledge("gbr", "GBR", 500, lead=20)},
        ],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "committed.reassurance.land") == [
        (100.0, 1000.0),
        (150.0, 500.0),
        (200.0, 1000.0),
    ]
    assert changes(trace, "deployed.reassurance.land") == [
        (130.0, 1000.0),
        (150.0, 500.0),
        (220.0, 1000.0),
    ]
    # 500 of 1,000 active, then (500 + 500) of (1,000 + 500).
    assert changes(trace, "cohesion") == [(150.0, 0.5), (200.0, pytest.approx(2 / 3))]
    assert trace.pledges["gbr"] == (500.0, 500.0)


def test_add_pledge_of_financing_pays_its_tranches_from_the_day_it_is_made() -> None:
    """A EUR 2bn pledge in two tranches 30 days apart, made on day 40, pays on days 40 and 70."""
    pledge = {"id": "f", "member": "FRA", "pillar": "financing", "amount": 2, "tranches": 2}
    sc = scenario(
        ukraine=steady_ukraine(budget=fund(0)),
        injects=[{"at": 40, "action": "add_pledge", "pledge": pledge}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "financing.paid") == [(40.0, 1.0), (70.0, 2.0)]
    assert changes(trace, "budget") == [(0.0, 0.0), (40.0, 1.0), (70.0, 2.0)]


# --------------------------------------------------------------------------- set_parameter


def test_set_budget_need_per_day_moves_the_run_dry_day() -> None:
    """Doubling the budget's need on day 40 moves the day it runs dry from 80 to 60."""
    # EUR 10bn at 0.125/day lasts to day 80; on day 40 EUR 5bn is left, at 0.25/day to day 60.
    base = {"ukraine": steady_ukraine(budget=fund(10, 0.125))}
    assert changes(simulate(scenario(**base), seed=SEED), "financing.gap") == [(80.0, True)]
    path = "ukraine.budget.need_per_day"
    inject = {"at": 40, "action": "set_parameter", "path": path, "value": 0.25}
    trace = simulate(scenario(**base, injects=[inject]), seed=SEED)
    assert changes(trace, "financing.gap") == [(60.0, True)]
    assert changes(trace, "budget") == [(0.0, 10.0), (40.0, 5.0), (60.0, 0.0)]
    assert trace.kpis["financing_gap_days"] == 730 - 60
    assert changes(trace, "military.gap") == []  # the other fund is untouched


def test_set_military_need_per_day_moves_the_day_sustainment_runs_out() -> None:
    """Military need 0 → 0.05 on day 40: EUR 2bn lasts to day 80; capability loses 20% then."""
    base = {"ukraine": steady_ukraine(military=fund(2))}
    assert changes(simulate(scenario(**base), seed=SEED), "military.gap") == []
    path = "ukraine.military.need_per_day"
    inject = {"at": 40, "action": "set_parameter", "path": path, "value": 0.05}
    trace = simulate(scenario(**base, injects=[inject]), seed=SEED)
    assert changes(trace, "military.gap") == [(80.0, True)]
    assert changes(trace, "military.fund") == [(0.0, 2.0), (80.0, 0.0)]
    assert trace.kpis["sustainment_gap_days"] == 730 - 80
    assert trace.kpis["financing_gap_days"] == 0
    assert changes(trace, "capability") == [
        (0.0, pytest.approx(CAPABILITY)),
        (80.0, pytest.approx(0.8 * CAPABILITY)),
    ]


def test_set_base_hazard_huge_brings_the_offensive_right_after() -> None:
    """A base hazard of 10⁶/year from day 200 brings the offensive at 200 + E·365/10⁶."""
    # E is the replication's Exp(1) target; the hazard is zero before the inject.
    path = "adversary.offensive.base_hazard_per_year"
    sc = scenario(
        adversary=quiet_adversary(),
        ukraine=steady_ukraine(),
        injects=[{"at": 200, "action": "set_parameter", "path": path, "value": 1e6}],
    )
    trace = simulate(sc, seed=SEED)
    expected = 200 + target() * 365 / 1e6
    assert trace.kpis["offensive_day"] == pytest.approx(expected, rel=1e-12)
    assert 200 < trace.kpis["offensive_day"] < 200.01
    assert event_days(trace, "offensive") == [trace.kpis["offensive_day"]]


def test_set_deterrence_sensitivity_reintegrates_the_hazard_at_once() -> None:
    """Sensitivity 0 → 15 on day 200 multiplies λ by exp(−15·(D − D*)) from that day on, D* = 1
    the default threshold.
    """
    # The offensive falls where Λ = λ₀·100 + λ₁·(t − 200) reaches the target.
    base = 0.01
    path = "adversary.offensive.deterrence_sensitivity"
    adversary = quiet_adversary(base)
    quiet = simulate(scenario(adversary=adversary, ukraine=steady_ukraine()), seed=SEED)
    assert quiet.kpis["offensive"] == 0.0
    sc = scenario(
        adversary=adversary,
        ukraine=steady_ukraine(),
        injects=[{"at": 200, "action": "set_parameter", "path": path, "value": 15}],
    )
    trace = simulate(sc, seed=SEED)
    deterrence = 0.6 * CAPABILITY  # no presence, no U.S., full adversary capacity
    assert changes(trace, "deterrence") == [(0.0, pytest.approx(deterrence))]
    lam0 = base / 365
    lam1 = lam0 * math.exp(-15 * (deterrence - 1))
    expected = 200 + (target() - lam0 * 100) / lam1
    assert trace.kpis["offensive_day"] == pytest.approx(expected, rel=1e-9)


def test_set_enablers_probability_is_used_at_the_next_draw_of_reviews() -> None:
    """Enablers probability 0 → 1 on day 50 is used when the conditions next start to hold."""
    # The conditions (ceasefire) hold from day 100, the day-120 review says yes, the decision
    # takes 30 days.
    us = {"enablers": {"conditions": ["ceasefire"], "probability": 0.0, "decision_delay": 30}}
    assert simulate(scenario(us=us), seed=SEED).kpis["us_enablers"] == 0.0
    inject = {"at": 50, "action": "set_parameter", "path": "us.enablers.probability", "value": 1}
    trace = simulate(scenario(us=us, injects=[inject]), seed=SEED)
    assert changes(trace, "us.state") == [(150.0, "enablers")]
    assert trace.kpis["us_enablers_day"] == 150.0


def test_set_guarantee_probability_is_used_at_the_next_draw_of_reviews() -> None:
    """Guarantee probability 0 → 1 on day 50 is used when its conditions next start to hold."""
    # Enablers from the start; the conditions (ceasefire) hold from day 100, the day-180 review
    # offers, ratification takes 120 days.
    us = {
        "initial": "enablers",
        "guarantee": {"conditions": ["ceasefire"], "review_days": 90, "ratification_delay": 120},
    }
    assert simulate(scenario(us=us), seed=SEED).kpis["us_guarantee"] == 0.0
    path = "us.guarantee.probability_per_review"
    inject = {"at": 50, "action": "set_parameter", "path": path, "value": 1}
    trace = simulate(scenario(us=us, injects=[inject]), seed=SEED)
    assert changes(trace, "us.state") == [(0.0, "enablers"), (300.0, "guarantee")]
    assert trace.kpis["us_guarantee_day"] == 300.0


def test_set_capability_weight_recomputes_deterrence_at_once() -> None:
    """A capability weight of 0 from day 50 leaves nothing in D (no forces, no U.S.)."""
    path = "model.deterrence.capability"
    sc = scenario(
        ukraine=steady_ukraine(),
        adversary=quiet_adversary(),
        injects=[{"at": 50, "action": "set_parameter", "path": path, "value": 0}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "deterrence") == [(0.0, pytest.approx(0.6 * CAPABILITY)), (50.0, 0.0)]


def test_set_presence_weight_recomputes_deterrence_at_once() -> None:
    """The presence weight 0.5 → 1 on day 200 raises D by 0.5·presence at once."""
    # 10,000 troops of one nation: one scale unit of the land term (weight 0.45) and one
    # nation of the tripwire's four (weight 0.15).
    path = "model.deterrence.presence"
    sc = scenario(
        pledges=[land_pledge("fra", "FRA", 10_000)],
        ukraine=steady_ukraine(),
        adversary=quiet_adversary(),
        injects=[{"at": 200, "action": "set_parameter", "path": path, "value": 1.0}],
    )
    trace = simulate(sc, seed=SEED)
    presence = 0.45 * (1 - math.exp(-1)) + 0.15 * (1 - math.exp(-1 / 4))
    assert changes(trace, "deployed.reassurance.nations") == [(130.0, 1.0)]
    assert settled(trace, "deterrence") == [
        (0.0, pytest.approx(0.6 * CAPABILITY)),
        (130.0, pytest.approx(0.6 * CAPABILITY + 0.5 * presence)),
        (200.0, pytest.approx(0.6 * CAPABILITY + 1.0 * presence)),
    ]


# --------------------------------------------------------------------------- trigger_signal


def test_trigger_ceasefire_declares_it_once() -> None:
    """A ceasefire inject on day 50 is the ceasefire (none would come); a second does nothing."""
    sc = scenario(
        ceasefire={"day": 100, "never_probability": 1.0},
        pledges=[land_pledge("fra", "FRA", 1000)],
        injects=[
            {"at": 50, "action": "trigger_signal", "signal": "ceasefire"},
            {"at": 150, "action": "trigger_signal", "signal": "ceasefire"},
        ],
    )
    trace = simulate(sc, seed=SEED)
    assert trace.kpis["ceasefire_day"] == 50.0
    assert changes(trace, "ceasefire") == [(50.0, True)]
    assert event_days(trace, "ceasefire") == [50.0]
    assert changes(trace, "deployed.reassurance.land") == [(80.0, 1000.0)]


def test_trigger_enablers_grants_them_now_and_unblocks_conditional_forces() -> None:
    """Enablers granted on day 160 let a member that requires U.S. backing commit then."""
    sc = scenario(
        members=[{"id": "DEU", "name": "Germany", "requires_us_backing": True}],
        pledges=[land_pledge("deu", "DEU", 1000)],
        injects=[{"at": 160, "action": "trigger_signal", "signal": "us.enablers"}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "us.state") == [(160.0, "enablers")]
    assert trace.kpis["us_enablers_day"] == 160.0
    assert changes(trace, "committed.reassurance.land") == [(160.0, 1000.0)]
    assert changes(trace, "deployed.reassurance.land") == [(190.0, 1000.0)]


def test_trigger_guarantee_grants_it_and_counts_as_enablers_too() -> None:
    """A guarantee granted from none on day 60 is both the enablers and the guarantee day."""
    sc = scenario(injects=[{"at": 60, "action": "trigger_signal", "signal": "us.guarantee"}])
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "us.state") == [(60.0, "guarantee")]
    assert trace.kpis["us_enablers_day"] == 60.0
    assert trace.kpis["us_guarantee_day"] == 60.0


def test_trigger_revoke_is_the_only_way_out_of_a_guarantee() -> None:
    """Signals grant upward only (enablers leave a guarantee); us.revoke returns it to none."""
    sc = scenario(
        us={"initial": "guarantee"},
        injects=[
            {"at": 60, "action": "trigger_signal", "signal": "us.enablers"},
            {"at": 80, "action": "trigger_signal", "signal": "us.revoke"},
        ],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "us.state") == [(0.0, "guarantee"), (80.0, "none")]
    assert trace.kpis["us_guarantee_day"] == 0.0


# --------------------------------------------------------------------------- adversary_surge


def _hazards(sc: Any, days: list[float]) -> list[float]:
    """The offensive hazard per day read at each of ``days`` (in increasing order)."""
    rep = build(sc, SEED, 0)
    found = []
    for day in days:
        rep.world.env.run(until=day)
        found.append(rep.adversary.hazard())
    return found


SURGE_BASE = 1e-6  # per year: an offensive that never comes, a hazard that can be read


def test_adversary_surge_multiplies_the_hazard_for_exactly_its_days() -> None:
    """A ×10 surge on day 200 for 50 days: λ is 10·λ₀ on [200, 250) and λ₀ again after."""
    adversary = quiet_adversary(SURGE_BASE)
    inject = {"at": 200, "action": "adversary_surge", "factor": 10, "days": 50}
    sc = scenario(adversary=adversary, ukraine=steady_ukraine(), injects=[inject])
    lam0 = SURGE_BASE / 365
    days = [50, 199.99, 200.01, 249.99, 250.01, 700]
    expected = [0.0, lam0, 10 * lam0, 10 * lam0, lam0, lam0]  # 0 before the ceasefire
    assert _hazards(sc, days) == pytest.approx(expected, rel=1e-12)


def test_overlapping_surges_multiply() -> None:
    """×10 on [200, 250) and ×3 on [220, 230): λ is 30·λ₀ while both last."""
    adversary = quiet_adversary(SURGE_BASE)
    injects = [
        {"at": 200, "action": "adversary_surge", "factor": 10, "days": 50},
        {"at": 220, "action": "adversary_surge", "factor": 3, "days": 10},
    ]
    sc = scenario(adversary=adversary, ukraine=steady_ukraine(), injects=injects)
    lam0 = SURGE_BASE / 365
    got = _hazards(sc, [219.5, 225, 230.5, 250.5])
    assert got == pytest.approx([10 * lam0, 30 * lam0, 10 * lam0, lam0], rel=1e-12)


def test_a_surge_brings_the_offensive_forward_by_the_integrated_hazard() -> None:
    """A ×10⁴ surge on day 300 brings the offensive at 300 + (E − λ₀·200)/(10⁴·λ₀)."""
    # λ₀ = 0.01/365 from the day-100 ceasefire.
    adversary = quiet_adversary(0.01)
    inject = {"at": 300, "action": "adversary_surge", "factor": 1e4, "days": 400}
    trace = simulate(
        scenario(adversary=adversary, ukraine=steady_ukraine(), injects=[inject]), SEED
    )
    lam0 = 0.01 / 365
    expected = 300 + (target() - lam0 * 200) / (1e4 * lam0)
    assert trace.kpis["offensive_day"] == pytest.approx(expected, rel=1e-9)
    assert event_days(trace, "surge") == [300.0]


# --------------------------------------------------------------------------- us_pause


def test_us_pause_sets_paused_for_exactly_its_days() -> None:
    """A 30-day pause on day 100: paused on [100, 130); meanwhile the U.S. term is out of D and
    capability loses the pause penalty (10%).
    """
    sc = scenario(
        us={"initial": "enablers"},
        ukraine=steady_ukraine(),
        adversary=quiet_adversary(),
        injects=[{"at": 100, "action": "us_pause", "days": 30}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "us.paused") == [(100.0, True), (130.0, False)]
    assert changes(trace, "capability") == [
        (0.0, pytest.approx(CAPABILITY)),
        (100.0, pytest.approx(0.9 * CAPABILITY)),
        (130.0, pytest.approx(CAPABILITY)),
    ]
    d = 0.6 * CAPABILITY
    assert changes(trace, "deterrence") == [
        (0.0, pytest.approx(d)),
        (0.0, pytest.approx(d + 0.25)),
        (100.0, pytest.approx(0.9 * d)),
        (130.0, pytest.approx(d + 0.25)),
    ]
    assert changes(trace, "us.state") == [(0.0, "enablers")]  # a pause is not a revocation


def test_overlapping_pauses_extend_each_other() -> None:
    """Pauses of 30 days on day 100 and on day 120 make one pause from day 100 to day 150."""
    sc = scenario(
        injects=[
            {"at": 100, "action": "us_pause", "days": 30},
            {"at": 120, "action": "us_pause", "days": 30},
        ]
    )
    assert changes(simulate(sc, seed=SEED), "us.paused") == [(100.0, True), (150.0, False)]


# --------------------------------------------------------------------------- trigger forms


@pytest.mark.parametrize(
    ("at", "day"),
    [pytest.param("2026-04-10", 40.0, id="iso-date"), pytest.param(0, 0.0, id="day-0")],
)
def test_at_a_date_or_a_day_number_fires_on_that_day(at: str | int, day: float) -> None:
    """2026-04-10 is day 40 of a scenario starting on 2026-03-01; day 0 is the start."""
    sc = scenario(injects=[{"at": at, "action": "us_pause", "days": 5}])
    assert changes(simulate(sc, seed=SEED), "us.paused") == [(day, True), (day + 5, False)]


def test_when_fires_the_moment_its_metric_condition_first_holds() -> None:
    """'deployed.reassurance.land >= 1000' first holds on day 130 (ceasefire 100 + lead 30)."""
    inject = {"when": "deployed.reassurance.land >= 1000", "action": "us_pause", "days": 10}
    sc = scenario(pledges=[land_pledge("fra", "FRA", 1000)], injects=[inject])
    assert changes(simulate(sc, seed=SEED), "us.paused") == [(130.0, True), (140.0, False)]


@pytest.mark.parametrize(
    ("condition", "day"),
    [
        pytest.param("day >= 75", 75.0, id="at-the-mark"),
        pytest.param("day > 75", 75 + 1e-6, id="just-after"),
    ],
)
def test_when_on_the_day_fires_at_its_mark(condition: str, day: float) -> None:
    """A condition on the day fires at its number (10⁻⁶ day later for a strict comparison)."""
    sc = scenario(injects=[{"when": condition, "action": "us_pause", "days": 10}])
    assert changes(simulate(sc, seed=SEED), "us.paused") == [(day, True), (day + 10, False)]


def test_when_already_true_fires_at_day_zero() -> None:
    """'not ceasefire' holds at the start, so the inject fires on day 0."""
    sc = scenario(injects=[{"when": "not ceasefire", "action": "us_pause", "days": 10}])
    assert changes(simulate(sc, seed=SEED), "us.paused") == [(0.0, True), (10.0, False)]


def test_when_fires_only_once_though_its_condition_holds_again() -> None:
    """The budget runs dry on day 80 and again on day 140; the inject fires on day 80 only."""
    pledge = {"id": "f", "member": "FRA", "pillar": "financing", "amount": 5, "first_day": 100}
    sc = scenario(
        pledges=[pledge],
        ukraine=steady_ukraine(budget=fund(10, 0.125)),
        injects=[{"when": "financing.gap", "action": "us_pause", "days": 10}],
    )
    trace = simulate(sc, seed=SEED)
    assert changes(trace, "financing.gap") == [(80.0, True), (100.0, False), (140.0, True)]
    assert changes(trace, "us.paused") == [(80.0, True), (90.0, False)]
