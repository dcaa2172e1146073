"""Coalition members: national mandates after the ceasefire, elections and turnover shocks.

A member's mandate (a parliament vote) passes ``mandate_delay`` days after the ceasefire; its
force pledges wait for it. Shocks arrive as a Poisson process over the horizon (times drawn in
one go); each either withdraws the member or scales all its pledges by a drawn factor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import simpy

from sim.engine.wording import possessive
from sim.scenario.schema import Member

if TYPE_CHECKING:
    from sim.engine.pledges import PledgeState
    from sim.engine.world import ProcessGen, World


class MemberState:
    """A member during one replication."""

    __slots__ = ("active", "mandate", "name", "pledges", "spec", "world")

    def __init__(self, world: World, spec: Member) -> None:
        self.world = world
        self.spec = spec
        self.name = spec.name
        self.active = True
        self.mandate: simpy.Event = world.env.event()
        self.pledges: list[PledgeState] = []

    def start(self) -> None:
        self.world.process(self._mandate())
        if self.spec.shocks.rate_per_year > 0:
            self.world.process(self._shocks())

    def _mandate(self) -> ProcessGen:
        world = self.world
        delay = world.streams[f"member.{self.spec.id}"].sample(self.spec.mandate_delay)
        yield world.ceasefire
        if delay > 0:
            yield world.env.timeout(delay)
        if not self.active:
            return
        self.mandate.succeed()
        if delay > 0 and self._needs_mandate():
            world.log(
                "mandate",
                self.spec.id,
                f"{possessive(self.name)} national mandate passes after {delay:.0f} days",
            )

    def _needs_mandate(self) -> bool:
        """Only forces and in-country trainers wait for a mandate; others need no mention."""
        return any(
            p.spec.pillar in ("reassurance_force", "neighbouring_deployment")
            or getattr(p.spec, "location", None) == "in_country"
            for p in self.pledges
        )

    def _shocks(self) -> ProcessGen:
        world = self.world
        shocks = self.spec.shocks
        stream = world.streams[f"member.{self.spec.id}.shocks"]
        count = stream.poisson(shocks.rate_per_year * world.horizon / 365.0)
        times = sorted(stream.uniform() * world.horizon for _ in range(count))
        for when in times:
            withdraws = stream.chance(shocks.withdraw_probability)
            factor = stream.sample(shocks.scale)
            yield world.until(when)
            if not self.active:
                return
            if withdraws:
                world.log(
                    "shock",
                    self.spec.id,
                    f"Government change in {self.name}: it withdraws from the coalition",
                )
                self.withdraw()
                return
            world.log(
                "shock",
                self.spec.id,
                f"Government change in {self.name}: its pledges are scaled by {factor:.2f}",
            )
            self.scale(factor)

    def withdraw(self) -> None:
        """Leave the coalition: every pledge ends now."""
        if not self.active:
            return
        self.active = False
        self.world.state.add("members.active", -1)
        for pledge in self.pledges:
            pledge.withdraw("the member left the coalition")

    def scale(self, factor: float) -> None:
        """Scale every pledge of this member."""
        for pledge in self.pledges:
            pledge.rescale(pledge.factor * factor)
