"""Rules that span several items of a scenario: unique ids, resolvable references, dates.

Each violation is returned with the location of the offending field, as a pydantic-style
``loc`` tuple (list positions as integers), so the loader can point at its line.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sim.scenario.conditions import parse_condition
from sim.scenario.paths import Loc, hint

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

MAX_EXPECTED_EVENTS = 10_000
"""Most events one random process may be expected to make over the horizon (shocks, pauses,
violation spells): far above any scenario's, far below what would stall a replication."""


def rule_violations(scenario: Scenario) -> list[tuple[Loc, str]]:
    """Return every cross-item rule the scenario breaks, in file order."""
    found: list[tuple[Loc, str]] = []
    members: dict[str, int] = {}
    for i, member in enumerate(scenario.members):
        if member.id in members:
            found.append((("members", i, "id"), f"duplicate member id {member.id!r}"))
        members.setdefault(member.id, i)

    pledge_ids: set[str] = set()
    for i, pledge in enumerate(scenario.pledges):
        if pledge.id in pledge_ids:
            found.append((("pledges", i, "id"), f"duplicate pledge id {pledge.id!r}"))
        pledge_ids.add(pledge.id)
        if pledge.member not in members:
            found.append(
                (
                    ("pledges", i, "member"),
                    f"unknown member {pledge.member!r}{hint(pledge.member, members)}",
                )
            )

    found += _event_budget(scenario)

    horizon = scenario.horizon_days
    found += _threshold_readers(scenario)
    for i, inject in enumerate(scenario.injects):
        after = getattr(inject, "after", None)
        if after is not None and after.days > horizon:
            found.append(
                (
                    ("injects", i, "after", "days"),
                    f"{after.days} days after the {after.event} is beyond the {horizon}-day "
                    "horizon: the inject could never fire",
                )
            )
        if inject.action == "relax_threshold" and scenario.us.threshold is None:
            found.append(
                (
                    ("injects", i, "action"),
                    "relax_threshold needs a U.S. threshold to move: add us.threshold",
                )
            )
        if inject.action == "drop_us_condition" and named_requires_nothing(scenario, inject):
            found.append(
                (
                    ("injects", i, "member"),
                    f"{getattr(inject, 'member', '')} does not require U.S. backing: "
                    "nothing to drop",
                )
            )
        if inject.at is not None:
            day = scenario.day_of(inject.at)
            if not 0 <= day <= horizon:
                shown = inject.at.isoformat() if isinstance(inject.at, date) else f"day {day}"
                found.append(
                    (
                        ("injects", i, "at"),
                        f"{shown} is outside the horizon (day 0 = {scenario.start.isoformat()} "
                        f"to day {horizon})",
                    )
                )
        named = getattr(inject, "member", None)
        if named is not None and named not in members:
            found.append(
                (("injects", i, "member"), f"unknown member {named!r}{hint(named, members)}")
            )
        for j, pid in enumerate(getattr(inject, "pledges", []) or []):
            if pid not in pledge_ids:
                found.append(
                    (
                        ("injects", i, "pledges", j),
                        f"unknown pledge {pid!r}{hint(pid, pledge_ids)}",
                    )
                )
        added = getattr(inject, "pledge", None)
        if added is not None:
            if added.id in pledge_ids:
                found.append((("injects", i, "pledge", "id"), f"duplicate pledge id {added.id!r}"))
            pledge_ids.add(added.id)
            if added.member not in members:
                found.append(
                    (
                        ("injects", i, "pledge", "member"),
                        f"unknown member {added.member!r}{hint(added.member, members)}",
                    )
                )
    return found


def _event_budget(scenario: Scenario) -> list[tuple[Loc, str]]:
    """Rates that would make a replication run practically forever (a shock every second, a
    violation spell of 1e-300 days) are refused here rather than hang ``run``.
    """
    found: list[tuple[Loc, str]] = []
    years = scenario.horizon_days / 365.0

    def rate(loc: Loc, per_year: float, what: str) -> None:
        expected = per_year * years
        if expected > MAX_EXPECTED_EVENTS:
            found.append(
                (
                    loc,
                    f"{per_year:g} per year makes {expected:,.0f} {what} expected over the "
                    f"horizon; at most {MAX_EXPECTED_EVENTS:,}",
                )
            )

    for i, member in enumerate(scenario.members):
        rate(("members", i, "shocks", "rate_per_year"), member.shocks.rate_per_year, "shocks")
    rate(("us", "pause", "rate_per_year"), scenario.us.pause.rate_per_year, "pauses")
    rate(
        ("us", "enablers", "revocation_rate_per_year"),
        scenario.us.enablers.revocation_rate_per_year,
        "revocations",
    )
    for name in ("strong", "eroding", "minsk", "escalation"):
        spell = scenario.adversary.violation_regimes.get(name).mean_spell_days
        if scenario.horizon_days / spell > MAX_EXPECTED_EVENTS:
            shortest = scenario.horizon_days / MAX_EXPECTED_EVENTS
            found.append(
                (
                    ("adversary", "violation_regimes", name, "mean_spell_days"),
                    f"spells of {spell:g} days make {scenario.horizon_days / spell:,.0f} "
                    f"expected over the horizon; at least {shortest:g} days",
                )
            )
    return found


def named_requires_nothing(scenario: Scenario, inject: object) -> bool:
    """Whether the inject names a known member that does not require U.S. backing."""
    named = getattr(inject, "member", None)
    ids = {m.id: m for m in scenario.members}
    return named in ids and not ids[named].requires_us_backing


def _threshold_readers(scenario: Scenario) -> list[tuple[Loc, str]]:
    """Conditions that read ``us.threshold`` in a scenario without a U.S. threshold."""
    if scenario.us.threshold is not None:
        return []
    texts: list[tuple[Loc, str]] = []
    for block in ("enablers", "guarantee"):
        for j, text in enumerate(getattr(scenario.us, block).conditions):
            texts.append((("us", block, "conditions", j), text))
    for i, pledge in enumerate(scenario.pledges):
        for j, text in enumerate(pledge.conditions):
            texts.append((("pledges", i, "conditions", j), text))
    for i, member in enumerate(scenario.members):
        rule = member.drop_us_condition
        if rule is not None:
            texts.append((("members", i, "drop_us_condition", "when"), rule.when))
    for i, inject in enumerate(scenario.injects):
        if inject.when is not None:
            texts.append((("injects", i, "when"), inject.when))
    return [
        (loc, "reads us.threshold, but the scenario sets none (add us.threshold.initial)")
        for loc, text in texts
        if "us.threshold" in parse_condition(text).metrics
    ]
