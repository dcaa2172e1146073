"""Ukraine's capability, the coalition's deterrence, and attrition.

    capability = sustainment · (w_p · P / P_ref + Σ_c w_c · S_c / S_ref,c)
    presence   = 1 − exp(−(land/L + sea/S + air/A + neighbouring/N))   (diminishing returns)
    deterrence = (w_cap · capability + w_pres · presence · cohesion + U.S. term) / adversary

``sustainment`` is ``1 − gap_penalty`` during a financing gap, else 1; the U.S. term depends on
the U.S. state and is zero during a pause; ``adversary`` is the adversary's regenerating
offensive capacity. Every weight comes from the scenario's ``model:`` block.

Both are recomputed whenever an input changes and published as metrics; the offensive hazard
(:mod:`sim.engine.adversary`) follows deterrence. Attrition — war rates while fighting, peace
rates otherwise — is booked once per accounting period (``model.attrition_period_days``), a
state change every time it runs rather than a poll.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.scenario.schema import CATEGORIES, Category

if TYPE_CHECKING:
    from sim.engine.world import ProcessGen, World


class Assessment:
    """Capability and deterrence of one replication, kept current."""

    def __init__(self, world: World) -> None:
        self.world = world
        scenario = world.scenario
        ukraine = scenario.ukraine
        self.trained = ukraine.trained
        self.stocks = {c: ukraine.stocks.get(c).initial for c in CATEGORIES}
        self.delivered_equipment = 0.0
        self.pledged_land = sum(
            p.amount for p in scenario.pledges
            if p.pillar == "reassurance_force" and p.domain == "land"
        )
        self.ioc_day: float | None = None
        self.foc_day: float | None = None
        weights = scenario.model.deterrence
        self.w_capability = weights.capability
        self.w_presence = weights.presence
        self.threshold = weights.threshold
        self.deterrence = 0.0
        state = world.state
        state.initialise("trained", self.trained)
        state.initialise("members.active", float(len(scenario.members)))
        self.refresh(initial=True)

    # -- inputs ----------------------------------------------------------------------------

    def add_trained(self, graduates: float) -> None:
        self.trained += graduates
        self.world.state.set("trained", self.trained)
        self.refresh()

    def add_equipment(self, category: Category, quantity: float) -> None:
        self.stocks[category] += quantity
        self.delivered_equipment += quantity
        self.world.state.set("equipment.delivered", self.delivered_equipment)
        self.refresh()

    def presence_changed(self) -> None:
        land = self.world.state["deployed.reassurance.land"]
        if self.pledged_land > 0:
            now = self.world.now
            if self.ioc_day is None and land >= 0.5 * self.pledged_land:
                self.ioc_day = now
                self.world.log("ioc", "coalition", f"Reassurance force reaches initial "
                               f"operating capability ({land:,.0f} troops in Ukraine)")
            if self.foc_day is None and land >= 0.9 * self.pledged_land:
                self.foc_day = now
                self.world.log("foc", "coalition", f"Reassurance force reaches full "
                               f"operating capability ({land:,.0f} troops in Ukraine)")
        self.refresh()

    def cohesion_changed(self) -> None:
        """Cohesion: the share of pledged capacity still active, averaged over the pillars.

        Within a pillar, pledges weigh by what they pledge (in the pillar's unit), so losing a
        large contingent costs more than losing a small one.
        """
        active: dict[str, float] = {}
        pledged: dict[str, float] = {}
        for pledge in self.world.pledges:
            pillar = pledge.spec.pillar
            active[pillar] = active.get(pillar, 0.0) + pledge.share * pledge.nominal
            pledged[pillar] = pledged.get(pillar, 0.0) + pledge.nominal
        shares = [active[p] / pledged[p] for p in pledged if pledged[p] > 0]
        self.world.state.set("cohesion", sum(shares) / len(shares) if shares else 1.0)
        self.refresh()

    # -- outputs ---------------------------------------------------------------------------

    def capability(self) -> float:
        scenario = self.world.scenario
        weights = scenario.model.capability
        ukraine = scenario.ukraine
        total = weights.personnel * self.trained / ukraine.trained_reference
        equipment = weights.equipment
        for category in CATEGORIES:
            total += getattr(equipment, category) * self.stocks[category] / (
                ukraine.stocks.get(category).reference
            )
        if self.world.state["financing.gap"]:
            total *= 1 - weights.gap_penalty
        return total

    def presence(self) -> float:
        scale = self.world.scenario.model.deterrence.presence_scale
        values = self.world.state.values
        units = (
            values["deployed.reassurance.land"] / scale.land
            + values["deployed.reassurance.sea"] / scale.sea
            + values["deployed.reassurance.air"] / scale.air
            + values["deployed.neighbouring"] / scale.neighbouring
        )
        return 1 - math.exp(-units)

    def refresh(self, *, initial: bool = False) -> None:
        """Recompute capability and deterrence and publish them."""
        world = self.world
        state = world.state
        capability = self.capability()
        us_term = 0.0 if state["us.paused"] else getattr(
            world.scenario.model.deterrence.us, state["us.state"]
        )
        numerator = (
            self.w_capability * capability
            + self.w_presence * self.presence() * state["cohesion"]
            + us_term
        )
        deterrence = numerator / state["adversary.capacity"]
        if initial:
            state.initialise("capability", capability)
            state.initialise("deterrence", deterrence)
            self.deterrence = deterrence
            return
        state.set("capability", capability)
        if deterrence != self.deterrence:
            self.deterrence = deterrence
            state.set("deterrence", deterrence)
            adversary = getattr(world, "adversary", None)
            if adversary is not None:
                adversary.hazard_changed()

    # -- attrition ---------------------------------------------------------------------------

    def attrition(self) -> ProcessGen:
        """Book attrition once per accounting period until the horizon."""
        world = self.world
        period = world.scenario.model.attrition_period_days
        ukraine = world.scenario.ukraine
        years = period / 365.0
        while world.now + period <= world.horizon:
            yield world.env.timeout(period)
            war = world.fighting
            rate = ukraine.war_attrition_per_year if war else ukraine.peace_attrition_per_year
            self.trained *= math.exp(-rate * years)
            for category in CATEGORIES:
                stock = ukraine.stocks.get(category)
                rate = stock.war_attrition_per_year if war else stock.peace_attrition_per_year
                self.stocks[category] *= math.exp(-rate * years)
            world.state.set("trained", self.trained)
            self.refresh()
