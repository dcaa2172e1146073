"""The actors' scenario format: what it accepts, what it refuses, and where it says so."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sim.scenario.conditions import parse_condition
from tests.conftest import scenario


def _refused(match: str, **blocks: Any) -> None:
    with pytest.raises(ValidationError, match=match):
        scenario(**blocks)


def test_defaults_keep_the_hazard_rule_and_neutral_actors() -> None:
    sc = scenario()
    assert sc.adversary.decision == "hazard"
    assert sc.adversary.ladder.probe.base_per_year == 0
    assert sc.adversary.ladder.incursion.base_per_year == 0
    assert sc.adversary.ladder.salami.unanswered == 1
    assert sc.members[0].doctrine.probe == "stand_firm"
    assert sc.members[0].doctrine.incursion == "stand_firm"
    assert sc.us.threshold is None
    assert sc.us.responses.probe.enablers == 0


def test_decision_is_hazard_or_ladder() -> None:
    _refused("'hazard' or 'ladder'", adversary={"decision": "chess"})


def test_doctrine_responses_are_named() -> None:
    _refused("reinforce", members=[{"id": "FRA", "name": "France", "doctrine": {"probe": "flee"}}])


def test_reinforcement_must_grow() -> None:
    _refused(
        "greater than 1",
        members=[{"id": "FRA", "name": "France", "doctrine": {"reinforce_factor": 0.9}}],
    )


def test_a_drop_rule_needs_a_us_condition_to_drop() -> None:
    _refused(
        "nothing to drop",
        members=[{"id": "FRA", "name": "France", "drop_us_condition": {"when": "ceasefire"}}],
    )


def test_a_drop_rule_is_a_valid_condition() -> None:
    _refused(
        "unknown metric",
        members=[
            {
                "id": "NLD",
                "name": "Netherlands",
                "requires_us_backing": True,
                "drop_us_condition": {"when": "adversary.probez >= 1"},
            }
        ],
    )


def test_probe_targets_are_the_force_or_a_neighbour() -> None:
    _refused("unknown probe target", adversary={"ladder": {"targets": {"BLR": 1.0}}})
    _refused("neighbouring country", adversary={"ladder": {"targets": {"reassurance_force": 1}}})
    _refused(
        "not a probe target",
        injects=[{"at": 10, "action": "probe", "target": "BLR"}],
    )


def test_salami_factors_point_the_right_way() -> None:
    _refused("greater than or equal to 1", adversary={"ladder": {"salami": {"unanswered": 0.9}}})
    _refused("less than or equal to 1", adversary={"ladder": {"salami": {"answered": 1.1}}})


def test_reading_us_threshold_needs_a_threshold() -> None:
    _refused(
        "sets none",
        us={"enablers": {"conditions": ["committed.reassurance.land >= us.threshold"]}},
    )
    sc = scenario(
        us={
            "enablers": {"conditions": ["committed.reassurance.land >= us.threshold"]},
            "threshold": {"initial": 10000},
        }
    )
    assert sc.us.threshold is not None


def test_metric_against_metric_conditions_evaluate() -> None:
    cond = parse_condition("committed.reassurance.land >= us.threshold")
    assert cond.metrics == frozenset({"committed.reassurance.land", "us.threshold"})
    assert cond({"committed.reassurance.land": 9000.0, "us.threshold": 9000.0})
    assert not cond({"committed.reassurance.land": 8999.0, "us.threshold": 9000.0})


def test_relax_threshold_needs_a_threshold_and_one_change() -> None:
    _refused("needs a U.S. threshold", injects=[{"at": 10, "action": "relax_threshold", "to": 1}])
    _refused(
        "exactly one of 'to'",
        us={"threshold": {"initial": 5}},
        injects=[{"at": 10, "action": "relax_threshold", "to": 1, "by": 2}],
    )


def test_drop_us_condition_inject_names_a_member_that_requires_it() -> None:
    _refused(
        "nothing to drop",
        injects=[{"at": 10, "action": "drop_us_condition", "member": "FRA"}],
    )
    _refused("unknown member", injects=[{"at": 10, "action": "drop_us_condition", "member": "XXX"}])


def test_set_doctrine_says_something() -> None:
    _refused(
        "give 'probe', 'incursion'", injects=[{"at": 1, "action": "set_doctrine", "member": "FRA"}]
    )


def test_after_is_a_third_trigger_and_exactly_one_is_given() -> None:
    sc = scenario(
        injects=[{"after": {"event": "ceasefire", "days": 180}, "action": "us_pause", "days": 10}]
    )
    assert sc.injects[0].after is not None
    assert sc.injects[0].after.days == 180
    _refused(
        "exactly one of 'at'",
        injects=[
            {"at": 3, "after": {"event": "ceasefire", "days": 1}, "action": "us_pause", "days": 1}
        ],
    )
    _refused("exactly one of 'at'", injects=[{"action": "us_pause", "days": 1}])


def test_after_names_a_known_event_and_stays_within_the_horizon() -> None:
    _refused(
        "'ceasefire' or 'offensive'",
        injects=[{"after": {"event": "election", "days": 1}, "action": "us_pause", "days": 1}],
    )
    _refused(
        "beyond the 730-day horizon",
        injects=[{"after": {"event": "ceasefire", "days": 800}, "action": "us_pause", "days": 1}],
    )
    _refused(
        "greater than or equal to 0",
        injects=[{"after": {"event": "ceasefire", "days": -1}, "action": "us_pause", "days": 1}],
    )
