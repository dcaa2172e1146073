"""Ablation variants: which pledges an item owns, and what goes with them."""

from __future__ import annotations

from typing import Any

import pytest

from sim.engine import catalogue
from sim.errors import ScenarioError
from sim.experiment.ablation import rank_items
from sim.scenario.ablation import ablations, items, variant_name, without
from tests.conftest import scenario

MEMBERS = [{"id": "FRA", "name": "France"}, {"id": "DEU", "name": "Germany"}]
PLEDGES: list[dict[str, Any]] = [
    {"id": "fra-land", "member": "FRA", "pillar": "reassurance_force", "domain": "land",
     "amount": 1000},
    {"id": "fra-sea", "member": "FRA", "pillar": "reassurance_force", "domain": "sea",
     "amount": 2},
    {"id": "deu-pol", "member": "DEU", "pillar": "neighbouring_deployment", "host": "POL",
     "amount": 3000},
    {"id": "deu-money", "member": "DEU", "pillar": "financing", "amount": 2.0},
]  # fmt: skip
INJECTS: list[dict[str, Any]] = [
    {"at": 10, "action": "scale_pledges", "pledges": ["fra-land", "deu-money"], "factor": 0.5},
    {"at": 20, "action": "scale_pledges", "pledges": ["fra-sea"], "factor": 0.5},
    {"at": 30, "action": "scale_pledges", "member": "FRA", "pledges": ["fra-sea"], "factor": 2},
    {"at": 40, "action": "add_pledge",
     "pledge": {"id": "fra-air", "member": "FRA", "pillar": "reassurance_force", "domain": "air",
                "amount": 12}},
    {"at": 50, "action": "withdraw_member", "member": "DEU"},
]  # fmt: skip


def coalition() -> Any:
    return scenario(members=MEMBERS, pledges=PLEDGES, injects=INJECTS)


def test_items_of_each_grouping() -> None:
    base = coalition()
    assert items(base, "pillar") == [
        "training",
        "financing",
        "equipment",
        "reassurance_force",
        "neighbouring_deployment",
    ]
    assert items(base, "domain") == ["land", "sea", "air", "neighbouring"]
    assert items(base, "member") == ["FRA", "DEU"]
    with pytest.raises(ScenarioError, match="unknown grouping 'country'"):
        items(base, "country")
    with pytest.raises(ScenarioError, match="no member 'ITA'; members are FRA, DEU"):
        without(base, "member", "ITA")


def test_a_domain_takes_its_pledges_and_the_injects_that_exist_only_for_them() -> None:
    sea = without(coalition(), "domain", "sea")
    assert sea.removed == ("fra-sea",)
    assert [p.id for p in sea.scenario.pledges] == ["fra-land", "deu-pol", "deu-money"]
    assert sea.dropped_injects == (1,)  # it scaled fra-sea only
    kept = sea.scenario.injects
    assert [i.at for i in kept] == [10, 30, 40, 50]
    assert getattr(kept[1], "pledges", None) == []  # the member-wide scaling stays
    assert getattr(kept[1], "member", None) == "FRA"
    air = without(coalition(), "domain", "air")
    assert air.removed == ()
    assert air.dropped_injects == (3,)  # the pledge it would add is an air pledge


def test_a_member_keeps_its_place_but_not_its_pledges() -> None:
    deu = without(coalition(), "member", "DEU")
    assert deu.removed == ("deu-pol", "deu-money")
    assert [m.id for m in deu.scenario.members] == ["FRA", "DEU"]
    first = deu.scenario.injects[0]
    assert getattr(first, "pledges", None) == ["fra-land"]
    assert [i.action for i in deu.scenario.injects][-1] == "withdraw_member"
    assert deu.scenario.name == "test-without-deu"


def test_a_pillar_without_pledges_leaves_the_inputs_as_they_are() -> None:
    from sim.experiment.ablation import same_inputs

    base = coalition()
    training = without(base, "pillar", "training")
    assert training.removed == ()
    assert same_inputs(training.scenario, base)
    assert not same_inputs(without(base, "pillar", "financing").scenario, base)
    assert [v.label for v in ablations(base, "pillar")] == items(base, "pillar")


def test_variant_names_are_valid_scenario_names() -> None:
    assert variant_name("baseline", "EU24") == "baseline-without-eu24"
    assert len(variant_name("x" * 60, "neighbouring_deployment")) == 64


def test_equal_amounts_share_a_rank_in_the_better_direction() -> None:
    deterrence = catalogue.get("deterrence_mean")  # higher is better
    offensive = catalogue.get("offensive")  # lower is better
    assert rank_items(deterrence, [0.1, 0.3, 0.1, -0.2]) == [2, 1, 2, 4]
    assert rank_items(offensive, [-0.05, 0.0, 0.0, 0.02]) == [1, 2, 2, 4]
    assert rank_items(offensive, [float("nan"), 0.0]) == [None, None]
