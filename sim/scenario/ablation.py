"""Switching off part of a scenario: every pledge of one pillar, presence domain or member.

An ablation asks what an item *buys*: the scenario is run as it is and without the item, under
the same random numbers, and the difference is the item's contribution. Here the variants are
built; :mod:`sim.experiment.ablation` runs and compares them.

Removing an item removes its pledges and whatever exists only for them: an ``add_pledge`` inject
that would make such a pledge during the run, and the removed ids in a ``scale_pledges`` list
(the inject itself goes when nothing is left for it to scale). Members stay, so conditions and
injects that name them still parse; a member ablation leaves the member with no pledges.
Variants are edited as documents (:func:`sim.scenario.document.scenario_document`) and validated
again, so a variant is always a valid scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.document import scenario_document
from sim.scenario.pledges import PLEDGES, NeighbouringPledge, PledgeSpec, ReassurancePledge
from sim.scenario.schema import Scenario
from sim.scenario.types import Domain

GROUPINGS = ("pillar", "domain", "member")
"""What an ablation turns off in turn."""
DOMAINS: tuple[str, ...] = ("land", "sea", "air", "neighbouring")
"""The presence domains: the reassurance force's three, and deployments in the neighbours."""

_NAME_LENGTH = 64


@dataclass(frozen=True)
class Variant:
    """A scenario with something switched off, and what was taken out of it.

    ``label`` names what is off (a pillar, a domain, a member id, or a mechanism); ``removed``
    lists the pledge ids taken out and ``dropped_injects`` the positions of the injects dropped
    with them (both empty for a variant that changes parameters instead).
    """

    label: str
    scenario: Scenario
    removed: tuple[str, ...] = ()
    dropped_injects: tuple[int, ...] = ()


def check_grouping(by: str) -> None:
    """Raises:
    ScenarioError: ``by`` is not one of :data:`GROUPINGS`.
    """
    if by not in GROUPINGS:
        raise ScenarioError.single(
            "--by", "--by", f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}"
        )


def items(scenario: Scenario, by: str) -> list[str]:
    """What an ablation by ``by`` switches off in turn, in a stable order.

    Every registered pillar and every domain, whether or not the scenario pledges in it (one
    without pledges buys nothing), and every member in the scenario's order.

    Raises:
        ScenarioError: an unknown grouping.
    """
    check_grouping(by)
    if by == "pillar":
        return list(PLEDGES.names())
    if by == "domain":
        return list(DOMAINS)
    return [member.id for member in scenario.members]


def domain_of(pledge: PledgeSpec) -> str | None:
    """The presence domain a pledge adds to, or None for a pledge that adds no presence."""
    if isinstance(pledge, ReassurancePledge):
        domain: Domain = pledge.domain
        return domain
    if isinstance(pledge, NeighbouringPledge):
        return "neighbouring"
    return None


def belongs(pledge: PledgeSpec, by: str, item: str) -> bool:
    """Whether a pledge is part of ``item`` (a pillar, a domain or a member)."""
    if by == "pillar":
        return pledge.pillar == item
    if by == "domain":
        return domain_of(pledge) == item
    return pledge.member == item


def without(scenario: Scenario, by: str, item: str) -> Variant:
    """The scenario without the pledges of ``item``, named ``<name>-without-<item>``.

    Raises:
        ScenarioError: an unknown grouping, or an item the grouping does not have.
    """
    known = items(scenario, by)
    if item not in known:
        raise ScenarioError.single("--by", by, f"no {by} {item!r}; {by}s are {', '.join(known)}")
    removed = tuple(p.id for p in scenario.pledges if belongs(p, by, item))
    gone = set(removed)
    document = scenario_document(scenario)
    document["pledges"] = [p for p in document["pledges"] if p["id"] not in gone]
    kept: list[dict[str, Any]] = []
    dropped: list[int] = []
    for index, (spec, inject) in enumerate(zip(scenario.injects, document["injects"], strict=True)):
        added = getattr(spec, "pledge", None)
        if isinstance(added, PledgeSpec) and belongs(added, by, item):
            dropped.append(index)
            continue
        if isinstance(inject.get("pledges"), list) and inject["pledges"]:
            inject["pledges"] = [pid for pid in inject["pledges"] if pid not in gone]
            if not inject["pledges"] and inject.get("member") is None:
                dropped.append(index)
                continue
        kept.append(inject)
    document["injects"] = kept
    document["name"] = variant_name(scenario.name, item)
    document["description"] = f"{scenario.name} without its {by} {item!r} ({len(removed)} pledges)"
    return Variant(item, Scenario.model_validate(document), removed, tuple(dropped))


def variant_name(name: str, item: str) -> str:
    """``<name>-without-<item>``, lower case and cut to the length a scenario name may have."""
    return f"{name}-without-{item.lower()}"[:_NAME_LENGTH]


def ablations(scenario: Scenario, by: str) -> list[Variant]:
    """One variant per item of the grouping, each without that item's pledges.

    Raises:
        ScenarioError: an unknown grouping.
    """
    return [without(scenario, by, item) for item in items(scenario, by)]
