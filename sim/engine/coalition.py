"""Coalition members and cohesion.

A member's mandate (a parliament vote) passes ``mandate_delay`` days after the ceasefire; its
force pledges wait for it. Shocks arrive as a Poisson process over the horizon (times drawn in
one go); each either withdraws the member or scales all its pledges by a drawn factor.

Cohesion is the share of pledged capacity still active: within a group of pledges in one unit
(a pillar; equipment by category; forces by domain) pledges weigh by what they pledge, so losing
a large contingent costs more than losing a small one; groups are averaged within a pillar and
pillars averaged. It is kept as running sums per group.

A member answers Russia's moves by its doctrine (:mod:`sim.scenario.doctrine`): it reinforces
(scales its force pledges up, whole units, after a delay), stands firm, or withdraws its forces.
A member that requires U.S. backing holds that requirement as one condition object shared by its
force pledges; dropping it re-checks their watches, so they become firm at once if nothing else
stands in the way.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import simpy

from sim.engine.wording import possessive
from sim.engine.world import ProcessGen, World
from sim.scenario.conditions import Condition, Values
from sim.scenario.schema import Member

if TYPE_CHECKING:
    from sim.engine.pillars import PledgeState

FORCE_PILLARS = ("reassurance_force", "neighbouring_deployment")
"""The pillars a member's doctrine acts on."""


def _rescale_if_live(pledge: PledgeState, factor: float) -> None:
    if pledge.live and factor > pledge.factor:
        pledge.rescale(factor)


class Cohesion:
    """Running sums of pledged and still-active capacity per group; publishes ``cohesion``.

    A group holds pledges in one unit (a pillar; equipment by category; forces by domain):
    its share is active ÷ pledged, a pillar's share is the mean of its groups', and cohesion is
    the mean over pillars — so shells cannot outweigh fire units, nor troops ships.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self._pledged: dict[tuple[str, str], float] = {}
        self._active: dict[tuple[str, str], float] = {}

    def register(self, pledge: PledgeState, *, publish: bool = False) -> None:
        """Count a new pledge (``publish`` the new cohesion when it arrives during the run)."""
        key = (pledge.spec.pillar, pledge.cohesion_group)
        self._pledged[key] = self._pledged.get(key, 0.0) + pledge.nominal
        self._active[key] = self._active.get(key, 0.0) + pledge.share * pledge.nominal
        if publish:
            self._publish()

    def share_changed(self, pledge: PledgeState, old_share: float) -> None:
        """A pledge's active share changed (withdrawn, scaled, revealed as dishonoured)."""
        key = (pledge.spec.pillar, pledge.cohesion_group)
        self._active[key] += (pledge.share - old_share) * pledge.nominal
        self._publish()

    def _publish(self) -> None:
        pillars: dict[str, list[float]] = {}
        for key, total in self._pledged.items():
            if total > 0:
                pillars.setdefault(key[0], []).append(self._active[key] / total)
        shares = [sum(groups) / len(groups) for groups in pillars.values()]
        self.world.state.set("cohesion", sum(shares) / len(shares) if shares else 1.0)


class MemberState:
    """A member during one replication."""

    __slots__ = (
        "active",
        "delivery",
        "deployed_land",
        "doctrine",
        "honours",
        "mandate",
        "name",
        "pledges",
        "spec",
        "us_backing",
        "us_condition_dropped",
        "world",
    )

    def __init__(self, world: World, spec: Member) -> None:
        self.world = world
        self.spec = spec
        self.name = spec.name
        self.active = True
        self.mandate: simpy.Event = world.env.event()
        self.pledges: list[PledgeState] = []
        self.honours = world.streams[f"member.{spec.id}.honours"].chance(spec.reliability)
        """Whether it honours its force and training pledges in this replication."""
        self.delivery = min(1.0, world.streams[f"member.{spec.id}.delivery"].sample(spec.delivery))
        """The share of its aid commitments it delivers in this replication."""
        self.deployed_land = 0
        """Its land troops deployed in Ukraine now (the tripwire counts nations with some)."""
        self.doctrine = {"probe": spec.doctrine.probe, "incursion": spec.doctrine.incursion}
        """How it answers a probe and an incursion now (an inject may change it)."""
        self.us_condition_dropped = False
        self.us_backing = Condition(
            "us.state != 'none'", self._us_backed, frozenset({"us.state"}), ()
        )
        """The condition its force pledges carry if it requires U.S. backing."""

    def _us_backed(self, values: Values) -> bool:
        return self.us_condition_dropped or values["us.state"] != "none"

    def drop_us_requirement(self) -> None:
        """Stop requiring U.S. backing: its force pledges re-check their conditions now."""
        if self.us_condition_dropped:
            return
        self.us_condition_dropped = True
        for pledge in self.pledges:
            watch = getattr(pledge, "watch", None)
            if watch is not None:
                watch.recheck()

    def force_pledges(self) -> list[PledgeState]:
        """Its live reassurance-force and neighbouring-deployment pledges."""
        return [p for p in self.pledges if p.spec.pillar in FORCE_PILLARS and p.live]

    def reinforce(self) -> bool:
        """Scale its force pledges up by its doctrine's factor (capped), after its delay.

        Returns:
            Whether any pledge grows (False: nothing to scale, or all at the cap).
        """
        doctrine = self.spec.doctrine
        growing = [p for p in self.force_pledges() if p.factor < doctrine.max_factor]
        for pledge in growing:
            factor = min(doctrine.max_factor, pledge.factor * doctrine.reinforce_factor)
            self.world.at(
                self.world.now + doctrine.reinforce_days,
                functools.partial(_rescale_if_live, pledge, factor),
            )
        return bool(growing)

    def withdraw_forces(self) -> bool:
        """End its force pledges now (it stays in the coalition). Returns whether any ended."""
        ending = self.force_pledges()
        for pledge in ending:
            pledge.withdraw("the member's doctrine withdraws it")
        return bool(ending)

    def land_deployed(self, change: int) -> None:
        """Its land troops in Ukraine changed; count it among the tripwire nations or not."""
        before = self.deployed_land
        self.deployed_land += change
        if (before > 0) != (self.deployed_land > 0):
            self.world.state.add("deployed.reassurance.nations", 1 if before == 0 else -1)

    def start(self) -> None:
        """Start the mandate clock and the shocks."""
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
        if delay > 0 and any(p.waits_for_mandate for p in self.pledges):
            world.log(
                "mandate",
                self.spec.id,
                f"{possessive(self.name)} national mandate passes after {delay:.0f} days",
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
