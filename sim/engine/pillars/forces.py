"""Reassurance forces (land, sea, air in Ukraine) and deployments in neighbouring countries.

A reassurance-force pledge becomes *firm* once the ceasefire holds, its member's mandate has
passed, its conditions hold and — for members that require it — U.S. enablers are in place; a
neighbouring deployment (in an allied country) needs only its conditions and, where its member
requires it, U.S. enablers. Forces are whole troops, ships and aircraft. Firm pledges
count as committed at once; the force deploys after its generation lead time and is sustained by
rotations, each renewed with ``renewal_probability``. It is withdrawn by a renewed offensive (if
``withdraw_on_offensive``), a domestic shock, or its member leaving. If its conditions stop
holding (say U.S. backing is revoked), it stands down and waits to become firm again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.engine.pillars import PledgeState, fulfilment_kpi, register_pillar
from sim.engine.state import Watch
from sim.engine.wording import counted, possessive
from sim.engine.world import ProcessGen, World
from sim.scenario.pledges import UKRAINE_NEIGHBOURS, NeighbouringPledge, ReassurancePledge

if TYPE_CHECKING:
    from sim.engine.coalition import Cohesion, MemberState
    from sim.engine.ukraine import Ukraine

_UNITS = {"land": "troops", "sea": "ships", "air": "aircraft"}


class ForceState(PledgeState):
    """A reassurance-force or neighbouring-deployment pledge."""

    spec: ReassurancePledge | NeighbouringPledge

    def __init__(
        self,
        world: World,
        spec: ReassurancePledge | NeighbouringPledge,
        member: MemberState,
        ukraine: Ukraine,
        cohesion: Cohesion,
    ) -> None:
        super().__init__(world, spec, member, ukraine, cohesion)
        self.lead = self.stream.sample(spec.lead_time)
        if member.spec.requires_us_backing:
            self.conditions.append(member.us_backing)  # the member may drop it
        self.domain: str
        if spec.pillar == "reassurance_force":
            self.domain = spec.domain
            self.committed_key = f"committed.reassurance.{spec.domain}"
            self.deployed_key = f"deployed.reassurance.{spec.domain}"
            self.where = f"to Ukraine ({spec.domain})"
        else:
            self.domain = "neighbouring"
            self.committed_key = "committed.neighbouring"
            self.deployed_key = "deployed.neighbouring"
            self.where = f"to {_host_name(spec.host)}"
        self.noun = _UNITS.get(self.domain, "troops")
        self.committed = 0.0
        self.deployed = 0.0
        self.peak = 0.0
        self.epoch = 0
        self.watch: Watch | None = None

    @classmethod
    def promised(cls, spec: Any, horizon: float) -> float:
        """The pledged troops, ships or aircraft."""
        return float(spec.amount)

    @property
    def waits_for_mandate(self) -> bool:
        """Forces deploy only with their member's mandate."""
        return True

    @property
    def strength(self) -> int:
        """The force as currently scaled, in whole troops, ships or aircraft."""
        return round(self.spec.amount * self.factor)

    @property
    def cohesion_group(self) -> str:
        """Troops, ships and aircraft are counted apart."""
        return f"{self.spec.pillar}.{self.domain}"

    @property
    def present(self) -> bool:
        """Committed or deployed now."""
        return bool(self.committed or self.deployed)

    def lifecycle(self) -> ProcessGen:
        """Become firm, commit, deploy after the lead time, then sustain rotations."""
        world = self.world
        epoch = self.epoch
        if self.waits_for_mandate:
            yield world.ceasefire
            yield self.member.mandate
        if self.conditions:
            if self.watch is None:
                self.watch = Watch(world.state, self.conditions)
                self.watch.on_change(self._conditions_changed)
            yield self.watch.when_true()
        if epoch != self.epoch or not self.live or self._war_resumed():
            return
        if epoch == 0 and self.blocked():
            return
        self._set(committed=self.strength)
        amount = counted(self.strength, self.noun)
        world.log(
            "commit", self.member.spec.id, f"{self.member.name} commits {amount} {self.where}"
        )
        yield world.env.timeout(self.lead)
        if epoch != self.epoch or not self.live:
            return
        if self._war_resumed():
            self.withdraw("renewed offensive before deployment")
            return
        self._set(deployed=self.strength)
        world.log(
            "deploy",
            self.member.spec.id,
            f"{possessive(self.member.name)} {amount} deployed {self.where} "
            f"{self.lead:.0f} days after committing",
        )
        rotation = getattr(self.spec, "rotation_days", None)
        renewal = getattr(self.spec, "renewal_probability", 1.0)
        if rotation is None or renewal >= 1.0:
            return
        while True:
            yield world.env.timeout(rotation)
            if epoch != self.epoch or not self.live:
                return
            if not self.stream.chance(renewal):
                world.log(
                    "withdraw",
                    self.member.spec.id,
                    f"{self.member.name} cannot sustain the rotation; its "
                    f"{self.noun} {self.where.split(' (')[0].replace('to ', 'in ')} go home",
                )
                self.withdraw("rotation not sustained")
                return

    def _war_resumed(self) -> bool:
        """A renewed offensive ends new commitments of forces that would withdraw from it."""
        return self.world.offensive.triggered and self.spec.withdraw_on_offensive

    def _conditions_changed(self, holds: bool) -> None:
        if holds or not (self.committed or self.deployed) or not self.live:
            return
        self.world.log(
            "stand-down",
            self.member.spec.id,
            f"{possessive(self.member.name)} conditions no longer hold: its {self.noun} "
            f"{self.where.replace('to ', 'for ')} stand down",
        )
        self._set(committed=0.0, deployed=0.0)
        self.epoch += 1
        self.start()

    def withdraw(self, reason: str) -> None:
        """End the pledge now, and stop watching its conditions."""
        if self.watch is not None:
            self.watch.close()
        super().withdraw(reason)

    def apply(self, factor: float) -> None:
        """Bring the committed and deployed force in line with ``factor``."""
        strength = round(self.spec.amount * factor)
        self._set(
            committed=strength if self.committed else 0.0,
            deployed=strength if self.deployed else 0.0,
        )

    def _set(self, *, committed: float | None = None, deployed: float | None = None) -> None:
        before = (self.committed, self.deployed)
        state = self.world.state
        if committed is not None and committed != self.committed:
            state.add(self.committed_key, committed - self.committed)
            self.committed = committed
        if deployed is not None and deployed != self.deployed:
            change = deployed - self.deployed
            state.add(self.deployed_key, change)
            if self.domain == "land":
                self.member.land_deployed(round(change))
            self.deployed = deployed
            self.peak = max(self.peak, deployed)
            self.delivered = self.peak
        if (self.committed, self.deployed) != before:
            self.world.forces.append(
                (
                    self.world.now,
                    self.id,
                    self.member.spec.id,
                    self.domain,
                    self.committed,
                    self.deployed,
                )
            )


def _host_name(host: str) -> str:
    return UKRAINE_NEIGHBOURS.get(host, host)


@register_pillar
class ReassuranceState(ForceState):
    """Troops, ships or aircraft in Ukraine."""

    spec_type = ReassurancePledge
    label = "Reassurance force"
    unit = "troops, ships, aircraft"
    contribution_unit = "land troops for Ukraine"
    kpi = fulfilment_kpi(
        "fulfilment_reassurance",
        "reassurance_force",
        "Reassurance force deployed ÷ pledged (peak)",
    )

    @classmethod
    def contributions(cls, specs: list[Any], horizon: float) -> dict[str, float]:
        """Land troops (ships and aircraft are counted in other units)."""
        land = [spec for spec in specs if spec.domain == "land"]
        return super().contributions(land, horizon)


@register_pillar
class NeighbouringState(ForceState):
    """Troops in a country bordering Ukraine."""

    spec_type = NeighbouringPledge
    label = "Neighbouring deployments"
    unit = "troops"

    @property
    def waits_for_mandate(self) -> bool:
        """Troops stationed in an allied neighbour need neither the ceasefire nor a mandate."""
        return False

    kpi = fulfilment_kpi(
        "fulfilment_neighbouring",
        "neighbouring_deployment",
        "Neighbouring deployment ÷ pledged (peak)",
    )


class Milestones:
    """Initial and full operating capability: 50% and 90% of the pledged land force deployed."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.pledged_land = sum(
            p.amount
            for p in world.scenario.pledges
            if isinstance(p, ReassurancePledge) and p.domain == "land"
        )
        self.ioc_day: float | None = None
        self.foc_day: float | None = None
        if self.pledged_land > 0:
            world.state.watch(("deployed.reassurance.land",), self._deployed)

    def _deployed(self) -> None:
        world = self.world
        land = world.state["deployed.reassurance.land"]
        now = world.now
        if self.ioc_day is None and land >= 0.5 * self.pledged_land:
            self.ioc_day = now
            world.log(
                "ioc",
                "coalition",
                "Reassurance force reaches initial operating capability "
                f"({land:,.0f} troops in Ukraine)",
            )
        if self.foc_day is None and land >= 0.9 * self.pledged_land:
            self.foc_day = now
            world.log(
                "foc",
                "coalition",
                f"Reassurance force reaches full operating capability ({land:,.0f} troops in "
                "Ukraine)",
            )


class OffensiveWithdrawal:
    """A renewed offensive withdraws the present forces that are to leave in its face."""

    def __init__(self, world: World, pledges: list[PledgeState]) -> None:
        self.world = world
        self.pledges = pledges
        world.state.watch(("offensive",), self._offensive)

    def _offensive(self) -> None:
        if not self.world.state["offensive"]:
            return
        leaving = [
            p
            for p in self.pledges
            if isinstance(p, ForceState) and p.spec.withdraw_on_offensive and p.live and p.present
        ]
        for pledge in leaving:
            pledge.withdraw("renewed offensive")
        if leaving:
            self.world.log(
                "withdraw",
                "coalition",
                f"{len(leaving)} contingents withdraw in the face of the offensive",
            )
