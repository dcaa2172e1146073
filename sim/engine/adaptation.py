"""The U.S. and the Europeans adapt: a U.S. threshold that moves, members that drop a condition.

* :class:`USThreshold` keeps the ``us.threshold`` metric (:mod:`sim.scenario.us_rules`): it
  relaxes after ``relax.after_reviews`` enablers reviews in a row without progress after the
  ceasefire (no U.S. backing in place and its conditions not met) and hardens after each
  unanswered probe. Reviews fall on the U.S. enablers calendar (multiples of
  ``us.enablers.review_days``) and stop at a renewed offensive.
* :class:`MemberRules` watches each member's ``drop_us_condition.when``; the first time it holds,
  one draw from ``member.<ID>.adapt`` decides (with ``probability``) whether the member drops its
  requirement of U.S. backing for good.

Every change is logged with the rule that made it, for the story.
"""

from __future__ import annotations

import math

from sim.engine.coalition import MemberState
from sim.engine.state import Watch
from sim.engine.us import USBacking
from sim.engine.wording import capitalised, the
from sim.engine.world import ProcessGen, World


class USThreshold:
    """The U.S. threshold of one replication (inert when the scenario sets none)."""

    def __init__(self, world: World, us: USBacking) -> None:
        self.world = world
        self.us = us
        self.spec = world.scenario.us.threshold
        self.relaxed = 0
        self.hardened = 0

    def start(self) -> None:
        """Start the reviews that may relax the threshold, if the scenario sets a relax rule."""
        if self.spec is not None and self.spec.relax is not None:
            self.world.process(self._reviews())

    @property
    def value(self) -> float:
        """The threshold now."""
        return float(self.world.state["us.threshold"])

    def _reviews(self) -> ProcessGen:
        world = self.world
        assert self.spec is not None
        assert self.spec.relax is not None
        relax = self.spec.relax
        every = self.us.spec.enablers.review_days
        yield world.ceasefire
        day = (math.floor(world.now / every) + 1) * every
        streak = 0
        while day < world.horizon:
            yield world.until(day)
            day += every
            if world.offensive.triggered:
                return
            if self.us.state != "none":
                continue
            streak = 0 if self.us.enablers_watch.truth else streak + 1
            if streak >= relax.after_reviews:
                streak = 0
                if self.value > relax.floor:
                    self.set(
                        max(relax.floor, self.value - relax.step),
                        f"rule: us.threshold.relax — {relax.after_reviews} reviews in a row "
                        "without progress",
                    )

    def harden(self) -> None:
        """A probe went unanswered: raise the threshold if the rule says so."""
        if self.spec is None or self.spec.harden is None:
            return
        harden = self.spec.harden
        if self.value >= harden.ceiling:
            return
        self.set(
            min(harden.ceiling, self.value + harden.step),
            "rule: us.threshold.harden — a probe went unanswered",
        )

    def set(self, value: float, why: str) -> None:
        """Move the threshold to ``value`` (logged with ``why``); nothing if unchanged."""
        before = self.value
        if value == before:
            return
        if value < before:
            self.relaxed += 1
        else:
            self.hardened += 1
        verb = "relaxes" if value < before else "hardens"
        self.world.log(
            "threshold",
            "USA",
            f"The U.S. {verb} its threshold from {before:,.0f} to {value:,.0f} ({why})",
        )
        self.world.state.set("us.threshold", float(value))


class MemberRules:
    """Each member's rule for dropping its requirement of U.S. backing."""

    def __init__(self, world: World, members: dict[str, MemberState]) -> None:
        self.world = world
        self.dropped: list[str] = []
        for member in members.values():
            rule = member.spec.drop_us_condition
            if rule is None or not member.spec.requires_us_backing:
                continue
            watch = Watch(world.state, [world.condition(rule.when)])
            self._arm(watch, member)

    def _arm(self, watch: Watch, member: MemberState) -> None:
        def first_time(_event: object) -> None:
            watch.close()
            self._decide(member)

        watch.when_true().callbacks.append(first_time)

    def _decide(self, member: MemberState) -> None:
        rule = member.spec.drop_us_condition
        assert rule is not None
        drops = self.world.streams[f"member.{member.spec.id}.adapt"].chance(rule.probability)
        if not member.active or member.us_condition_dropped:
            return
        name = capitalised(the(member.name))
        where = f"members.{member.spec.id}.drop_us_condition: {rule.when}"
        if drops:
            self.dropped.append(member.spec.id)
            self.world.log(
                "adapt",
                member.spec.id,
                f"{name} drops its condition of U.S. backing (rule {where}, "
                f"probability {rule.probability:g})",
            )
            member.drop_us_requirement()
        else:
            self.world.log(
                "adapt",
                member.spec.id,
                f"{name} keeps its condition of U.S. backing (rule {where}: dropped with "
                f"probability {rule.probability:g}, not this time)",
            )


def drop_now(world: World, member: MemberState, why: str) -> None:
    """A member drops its requirement of U.S. backing now (an inject)."""
    if member.us_condition_dropped or not member.spec.requires_us_backing:
        return
    world.log(
        "adapt",
        member.spec.id,
        f"{capitalised(the(member.name))} drops its condition of U.S. backing ({why})",
    )
    member.drop_us_requirement()
