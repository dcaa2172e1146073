"""Stories of the actors: Russia's ladder, the coalition's answers, the U.S. and Europeans adapting.

Small deterministic scenarios with the exact days and values each rule must produce
(docs/MODEL.md section 22). The pre-existing action stories live in test_actions.py; the actors' own
inject actions are told here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.analysis.story import render_story
from sim.engine import Trace, simulate
from sim.engine.ladder import rates
from sim.engine.model import build
from tests.conftest import scenario
from tests.functional.stories import changes, event_days, land_pledge

MEMBERS = [
    {"id": "GBR", "name": "United Kingdom", "doctrine": {"probe": "reinforce"}},
    {"id": "POL", "name": "Poland", "doctrine": {"probe": "reinforce"}},
    {"id": "EST", "name": "Estonia", "doctrine": {"incursion": "withdraw"}},
    {"id": "NLD", "name": "Netherlands", "requires_us_backing": True},
]


def _forces() -> list[dict[str, Any]]:
    return [
        land_pledge("gbr-land", "GBR", 5000, lead=10),
        land_pledge("est-land", "EST", 100, lead=10),
        {
            "id": "gbr-pol",
            "member": "GBR",
            "pillar": "neighbouring_deployment",
            "host": "POL",
            "amount": 1000,
            "lead_time": 5,
        },
        land_pledge("nld-land", "NLD", 200, lead=10),
    ]


def _scenario(**blocks: Any) -> Any:
    base: dict[str, Any] = {
        "ceasefire": {"day": 100},
        "members": MEMBERS,
        "pledges": _forces(),
    }
    base.update(blocks)
    return scenario(**base)


def _texts(trace: Trace, kind: str) -> list[str]:
    return [text for _, k, _, text in trace.events if k == kind]


# --------------------------------------------------------------------------- who is touched


def test_a_probe_of_a_host_touches_the_host_and_members_with_troops_there() -> None:
    trace = simulate(_scenario(injects=[{"at": 200, "action": "probe", "target": "POL"}]), seed=1)
    (text,) = _texts(trace, "probe")
    assert "Polish airspace" in text or "Poland" in text
    assert "The United Kingdom reinforces" in text
    assert "Poland raises its own readiness" in text
    assert "Estonia" not in text  # its troops are in Ukraine, not in Poland
    # +20% of the UK's force pledges, whole troops, 14 days after the decision
    assert changes(trace, "deployed.neighbouring")[-1] == (214.0, 1200.0)
    assert changes(trace, "deployed.reassurance.land")[-1] == (214.0, 6000.0 + 100 + 0)
    assert trace.kpis["probes"] == 1
    assert trace.kpis["probes_unanswered"] == 0
    assert trace.kpis["responses_reinforce"] == 2
    assert trace.kpis["first_probe_day"] == 200


def test_a_probe_of_the_force_touches_only_members_with_forces_deployed_in_ukraine() -> None:
    trace = simulate(
        _scenario(injects=[{"at": 200, "action": "probe", "target": "reassurance_force"}]),
        seed=1,
    )
    (text,) = _texts(trace, "probe")
    assert "The United Kingdom reinforces; Estonia stands firm." in text
    assert "Poland" not in text.split(". ", 1)[1]  # a host, not a force contributor
    assert "Netherlands" not in text  # its troops wait for U.S. backing: none deployed


def test_an_unanswered_probe_hardens_the_us_threshold_and_counts_as_salami() -> None:
    trace = simulate(
        _scenario(
            members=[{"id": "FRA", "name": "France"}],
            pledges=[],
            us={"threshold": {"initial": 8000, "harden": {"step": 500, "ceiling": 9000}}},
            injects=[{"at": d, "action": "probe", "target": "ROU"} for d in (150, 160, 170)],
        ),
        seed=1,
    )
    assert all("goes unanswered" in t for t in _texts(trace, "probe"))
    assert changes(trace, "us.threshold") == [(0.0, 8000.0), (150.0, 8500.0), (160.0, 9000.0)]
    assert trace.kpis["probes_unanswered"] == 3


def test_the_us_answer_makes_a_probe_answered() -> None:
    trace = simulate(
        _scenario(
            members=[{"id": "FRA", "name": "France"}],
            pledges=[],
            us={"responses": {"probe": {"none": 1.0}}},
            injects=[{"at": 150, "action": "probe", "target": "ROU"}],
        ),
        seed=1,
    )
    (text,) = _texts(trace, "probe")
    assert "The U.S. answers" in text
    assert trace.kpis["probes_unanswered"] == 0
    assert changes(trace, "us.statements") == [(150.0, 1.0)]


# --------------------------------------------------------------------------- the tripwire


def test_an_incursion_that_hits_triggers_doctrines_and_a_us_review() -> None:
    trace = simulate(
        _scenario(
            us={"responses": {"incursion_review": 1.0}},
            injects=[{"at": 200, "action": "incursion", "hit": True}],
        ),
        seed=1,
    )
    (text,) = _texts(trace, "incursion")
    assert "the tripwire is triggered" in text
    assert "Estonia withdraws its forces" in text
    assert changes(trace, "us.state") == [(200.0, "enablers")]
    assert any("rule: us.responses.incursion_review" in t for t in _texts(trace, "us"))
    assert trace.kpis["incursion"] == 1
    assert trace.kpis["max_rung"] == 2
    assert trace.kpis["responses_withdraw"] == 1
    # Estonia's 100 troops leave at once; the Dutch troops commit once the U.S. backs them
    assert (200.0, 5000.0) in changes(trace, "deployed.reassurance.land")


def test_an_incursion_that_misses_meets_no_answer() -> None:
    trace = simulate(
        _scenario(
            us={"responses": {"incursion_review": 1.0}},
            injects=[{"at": 200, "action": "incursion", "hit": False}],
        ),
        seed=1,
    )
    (text,) = _texts(trace, "incursion")
    assert "no tripwire, no answer" in text
    assert changes(trace, "us.state") == []
    assert trace.kpis["responses_withdraw"] == 0


def test_the_chance_of_a_hit_rises_with_the_land_force() -> None:
    """P(hit) = 1 − exp(−L / scale): the drawn hit rate over replications matches it."""
    sc = _scenario(
        adversary={
            "ladder": {"tripwire_hit_scale": 5000},
            "offensive": {"base_hazard_per_year": 0},
        },
        injects=[{"at": 200, "action": "incursion"}],
    )
    hits = [
        "hits coalition troops" in _texts(simulate(sc, seed=2, rep=r), "incursion")[0]
        for r in range(600)
    ]
    p = 1 - np.exp(-5100 / 5000)
    assert abs(np.mean(hits) - p) <= 3.29 * np.sqrt(p * (1 - p) / 600)


# --------------------------------------------------------------------------- the U.S. adapts


def _deadlock(injects: list[dict[str, Any]] | None = None, **threshold: Any) -> Any:
    return scenario(
        ceasefire={"day": 100},
        members=[{"id": "FRA", "name": "France"}],
        pledges=[land_pledge("fra-land", "FRA", 2000, lead=10)],
        us={
            "enablers": {
                "conditions": ["committed.reassurance.land >= us.threshold"],
                "probability": 1.0,
                "review_days": 30,
                "decision_delay": 30,
            },
            "threshold": {"initial": 5000, **threshold},
        },
        injects=injects or [],
    )


def test_the_threshold_relaxes_after_reviews_without_progress_until_the_deadlock_breaks() -> None:
    trace = simulate(_deadlock(relax={"after_reviews": 2, "step": 1000, "floor": 2000}), seed=1)
    # reviews at days 120, 150 (relax), 180, 210 (relax), 240, 270 (relax: 2,000 = committed)
    assert changes(trace, "us.threshold") == [
        (0.0, 5000.0),
        (150.0, 4000.0),
        (210.0, 3000.0),
        (270.0, 2000.0),
    ]
    assert trace.kpis["us_enablers_day"] == 300.0  # the day-270 review says yes; 30-day delay
    assert "rule: us.threshold.relax" in render_story(trace)


def test_a_static_threshold_keeps_the_deadlock() -> None:
    trace = simulate(_deadlock(), seed=1)
    assert changes(trace, "us.threshold") == [(0.0, 5000.0)]
    assert np.isnan(trace.kpis["us_enablers_day"])


def test_the_relax_floor_holds() -> None:
    trace = simulate(_deadlock(relax={"after_reviews": 1, "step": 2500, "floor": 3000}), seed=1)
    assert [v for _, v in changes(trace, "us.threshold")] == [5000.0, 3000.0]


def test_relax_threshold_inject_sets_or_moves_it() -> None:
    injects = [
        {"at": 130, "action": "relax_threshold", "by": -1000},
        {"at": 140, "action": "relax_threshold", "to": 2000},
    ]
    trace = simulate(_deadlock(injects), seed=1)
    assert changes(trace, "us.threshold") == [(0.0, 5000.0), (130.0, 4000.0), (140.0, 2000.0)]
    assert trace.kpis["us_enablers_day"] == 180.0  # review at 150 says yes; 30-day delay


# --------------------------------------------------------------------------- Europeans adapt


def test_a_member_drops_its_us_condition_when_its_rule_first_holds() -> None:
    members = [
        {"id": "FRA", "name": "France"},
        {
            "id": "NLD",
            "name": "Netherlands",
            "requires_us_backing": True,
            "drop_us_condition": {"when": "adversary.probes >= 1"},
        },
    ]
    trace = simulate(
        scenario(
            ceasefire={"day": 100},
            members=members,
            pledges=[land_pledge("nld-land", "NLD", 200, lead=10)],
            injects=[{"at": 150, "action": "probe", "target": "POL"}],
        ),
        seed=1,
    )
    assert changes(trace, "committed.reassurance.land") == [(150.0, 200.0)]
    assert event_days(trace, "adapt") == [150.0]
    assert "members.NLD.drop_us_condition" in _texts(trace, "adapt")[0]


def test_drop_us_condition_inject() -> None:
    trace = simulate(
        scenario(
            ceasefire={"day": 100},
            members=[{"id": "NLD", "name": "Netherlands", "requires_us_backing": True}],
            pledges=[land_pledge("nld-land", "NLD", 200, lead=10)],
            injects=[{"at": 170, "action": "drop_us_condition", "member": "NLD"}],
        ),
        seed=1,
    )
    assert changes(trace, "deployed.reassurance.land") == [(180.0, 200.0)]


def test_set_doctrine_changes_the_answer() -> None:
    trace = simulate(
        _scenario(
            injects=[
                {"at": 150, "action": "set_doctrine", "member": "GBR", "probe": "withdraw"},
                {"at": 200, "action": "probe", "target": "POL"},
            ]
        ),
        seed=1,
    )
    (text,) = _texts(trace, "probe")
    assert "The United Kingdom withdraws its forces" in text
    assert changes(trace, "deployed.neighbouring")[-1] == (200.0, 0.0)


# --------------------------------------------------------------------------- timing injects


@pytest.mark.parametrize(("event", "day"), [("ceasefire", 100), ("offensive", 300)])
def test_an_inject_after_an_event_fires_that_many_days_later(event: str, day: int) -> None:
    trace = simulate(
        scenario(
            ceasefire={"day": 100},
            injects=[
                {
                    "at": 300,
                    "action": "set_parameter",
                    "value": 1e9,
                    "path": "adversary.offensive.base_hazard_per_year",
                },
                {"after": {"event": event, "days": 45}, "action": "us_pause", "days": 10},
            ],
        ),
        seed=1,
    )
    assert changes(trace, "us.paused")[0][0] == pytest.approx(day + 45, abs=1e-3)


def test_an_inject_after_an_event_that_never_comes_never_fires() -> None:
    trace = simulate(
        scenario(
            ceasefire={"day": 100},
            injects=[{"after": {"event": "offensive", "days": 1}, "action": "us_pause", "days": 5}],
        ),
        seed=1,
    )
    assert changes(trace, "us.paused") == []


# --------------------------------------------------------------------------- the ladder runs


def _ladder(probe: float, **more: Any) -> dict[str, Any]:
    return {
        "decision": "ladder",
        "ladder": {"probe": {"base_per_year": probe, "deterrence_sensitivity": 0.0}, **more},
        "offensive": {"base_hazard_per_year": 0.0},
        "violation_regimes": {
            r: {"rate_per_day": 0} for r in ("strong", "eroding", "minsk", "escalation")
        },
    }


def test_reviews_fall_every_review_days_after_the_ceasefire() -> None:
    trace = simulate(scenario(ceasefire={"day": 100}, adversary=_ladder(0.0)), seed=1)
    assert event_days(trace, "hold") == [100.0 + 30 * k for k in range(1, 21)]
    assert trace.kpis["max_rung"] == 0
    story = render_story(trace)
    assert story.count("Russia holds") == 1  # one run of holds, told once
    assert "Russia holds at this review and the next 19" in story


def test_a_huge_probe_rate_probes_at_every_review_and_the_series_says_so() -> None:
    trace = simulate(scenario(ceasefire={"day": 100}, adversary=_ladder(1e9)), seed=1)
    assert event_days(trace, "probe") == [100.0 + 30 * k for k in range(1, 21)]
    hold, probe = trace.grids(("rung.hold", "rung.probe"), step=10.0)
    days = np.append(np.arange(0.0, 730, 10.0), 730.0)
    assert list(probe) == [1.0 if d >= 130 else 0.0 for d in days]
    assert list(hold) == [1.0 if 100 <= d < 130 else 0.0 for d in days]
    assert trace.kpis["probe_rate"] == pytest.approx(365 * 20 / 630)


def test_a_pause_is_an_opening_that_multiplies_the_probe_rate_while_it_lasts() -> None:
    sc = scenario(
        ceasefire={"day": 0},
        adversary=_ladder(2.0, openings={"us_pause": {"probe": 3.0}}),
        ukraine={"budget": {"need_per_day": 0}, "military": {"need_per_day": 0}},
        injects=[{"at": 100, "action": "us_pause", "days": 200}],
    )
    built = build(sc, seed=1, rep=0)
    assert built.ladder is not None
    ladder = built.ladder
    spec = sc.adversary.ladder
    built.world.env.run(until=50)
    assert ladder.openings() == []
    built.world.env.run(until=200)
    assert ladder.openings() == [("us_pause", "U.S. paused")]
    paused = rates(spec, ladder.situation(("us_pause",)), 1.0)[0]
    assert paused == pytest.approx(3.0 * rates(spec, ladder.situation(()), 1.0)[0])
    built.world.env.run(until=400)
    assert ladder.openings() == []
    reasons = [t for _, k, _, t in built.world.events if k in ("hold", "probe")]
    assert any("U.S. paused" in t for t in reasons)


def test_hazard_scenarios_ignore_the_ladder_block() -> None:
    """With ``decision: hazard`` a ladder block changes nothing: same trace, no reviews."""
    plain = scenario(ceasefire={"day": 100}, adversary={"offensive": {"base_hazard_per_year": 3}})
    with_block = scenario(
        ceasefire={"day": 100},
        adversary={
            "offensive": {"base_hazard_per_year": 3},
            "ladder": {"probe": {"base_per_year": 50}},
        },
    )
    a, b = simulate(plain, seed=4), simulate(with_block, seed=4)
    assert a.events == b.events
    assert a.records == b.records
    assert a.kpis == pytest.approx(b.kpis, nan_ok=True)
    assert event_days(a, "hold") == []
    assert a.kpis["max_rung"] == (3.0 if not np.isnan(a.kpis["offensive_day"]) else 0.0)
