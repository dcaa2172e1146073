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
    from sim.engine.pledges import PledgeState
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
            p.amount
            for p in scenario.pledges
            if p.pillar == "reassurance_force" and p.domain == "land"
        )
        self.ioc_day: float | None = None
        self.foc_day: float | None = None
        self._pledged: dict[str, float] = {}
        self._active: dict[str, float] = {}
        capability = scenario.model.capability
        self._per_trained = capability.personnel / ukraine.trained_reference
        self._per_unit = {
            c: getattr(capability.equipment, c) / ukraine.stocks.get(c).reference
            for c in CATEGORIES
        }
        self._gap_keep = 1 - capability.gap_penalty
        scale = scenario.model.deterrence.presence_scale
        self._presence_scale = (scale.land, scale.sea, scale.air, scale.neighbouring)
        self._us_terms = scenario.model.deterrence.us
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
                self.world.log(
                    "ioc",
                    "coalition",
                    f"Reassurance force reaches initial "
                    f"operating capability ({land:,.0f} troops in Ukraine)",
                )
            if self.foc_day is None and land >= 0.9 * self.pledged_land:
                self.foc_day = now
                self.world.log(
                    "foc",
                    "coalition",
                    f"Reassurance force reaches full "
                    f"operating capability ({land:,.0f} troops in Ukraine)",
                )
        self.refresh()

    def register(self, pledge: PledgeState, *, publish: bool = False) -> None:
        """Count a new pledge in cohesion (``publish`` it when it arrives during the run)."""
        pillar = pledge.spec.pillar
        self._pledged[pillar] = self._pledged.get(pillar, 0.0) + pledge.nominal
        self._active[pillar] = self._active.get(pillar, 0.0) + pledge.share * pledge.nominal
        if publish:
            self._publish_cohesion()

    def share_changed(self, pledge: PledgeState, old_share: float) -> None:
        """A pledge's active share changed (withdrawn, scaled, revealed as dishonoured)."""
        self._active[pledge.spec.pillar] += (pledge.share - old_share) * pledge.nominal
        self._publish_cohesion()

    def _publish_cohesion(self) -> None:
        """Cohesion: the share of pledged capacity still active, averaged over the pillars.

        Within a pillar, pledges weigh by what they pledge (in the pillar's unit), so losing a
        large contingent costs more than losing a small one. Kept as running sums per pillar.
        """
        shares = [self._active[p] / total for p, total in self._pledged.items() if total > 0]
        self.world.state.set("cohesion", sum(shares) / len(shares) if shares else 1.0)
        self.refresh()

    # -- outputs ---------------------------------------------------------------------------

    def capability(self) -> float:
        """sustainment · (w_p·P/P_ref + Σ_c w_c·S_c/S_ref,c), weights pre-divided."""
        total = self._per_trained * self.trained
        for category, per_unit in self._per_unit.items():
            total += per_unit * self.stocks[category]
        if self.world.state.values["financing.gap"]:
            total *= self._gap_keep
        return total

    def presence(self) -> float:
        values = self.world.state.values
        land, sea, air, neighbouring = self._presence_scale
        units = (
            values["deployed.reassurance.land"] / land
            + values["deployed.reassurance.sea"] / sea
            + values["deployed.reassurance.air"] / air
            + values["deployed.neighbouring"] / neighbouring
        )
        return 1 - math.exp(-units)

    def refresh(self, *, initial: bool = False) -> None:
        """Recompute capability and deterrence and publish them."""
        world = self.world
        state = world.state
        values = state.values
        capability = self.capability()
        us_term = 0.0 if values["us.paused"] else getattr(self._us_terms, values["us.state"])
        numerator = (
            self.w_capability * capability
            + self.w_presence * self.presence() * values["cohesion"]
            + us_term
        )
        deterrence = numerator / values["adversary.capacity"]
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
