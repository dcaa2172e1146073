"""Ukraine's side of a replication: trained personnel, equipment stocks, attrition, capability.

    capability = sustainment · (w_p · P / P_ref + Σ_c w_c · S_c / S_ref,c)

``sustainment`` is ``1 − gap_penalty`` during a financing gap, else 1. Capability is published
as a metric whenever personnel, a stock or the financing gap changes. Attrition — war rates while
fighting, peace rates otherwise — is booked once per accounting period
(``model.attrition_period_days``), a state change every time it runs rather than a poll.
"""

from __future__ import annotations

import math

from sim.engine.budget import Budget
from sim.engine.industry import ProductionLine
from sim.engine.world import ProcessGen, World
from sim.scenario.types import CATEGORIES, Category


class Ukraine:
    """Personnel, stocks, budget and the production lines serving Ukraine."""

    def __init__(self, world: World) -> None:
        self.world = world
        scenario = world.scenario
        ukraine = scenario.ukraine
        self.trained = ukraine.trained
        self.stocks = {c: ukraine.stocks.get(c).initial for c in CATEGORIES}
        self.delivered_equipment = 0.0
        capability = scenario.model.capability
        self._per_trained = capability.personnel / ukraine.trained_reference
        self._per_unit = {
            c: getattr(capability.equipment, c) / ukraine.stocks.get(c).reference
            for c in CATEGORIES
        }
        self._gap_keep = 1 - capability.gap_penalty
        caps = scenario.industry.production_per_year
        self.lines: dict[str, ProductionLine] = {}
        for category in CATEGORIES:
            per_year = getattr(caps, category)
            if per_year is not None:
                self.lines[category] = ProductionLine(world, category, per_year)
        state = world.state
        state.initialise("trained", self.trained)
        state.initialise("capability", self.capability())
        self.budget = Budget(world)
        state.derive(("financing.gap",), self._publish)

    def start(self) -> None:
        """Begin booking attrition."""
        self.world.process(self._attrition())

    def add_trained(self, graduates: float) -> None:
        """Graduates join the pool of trained personnel."""
        self.trained += graduates
        self.world.state.set("trained", self.trained)
        self._publish()

    def add_equipment(self, category: Category, quantity: float) -> None:
        """A delivery joins the stock of its category."""
        self.stocks[category] += quantity
        self.delivered_equipment += quantity
        self.world.state.set("equipment.delivered", self.delivered_equipment)
        self._publish()

    def capability(self) -> float:
        """sustainment · (w_p·P/P_ref + Σ_c w_c·S_c/S_ref,c), weights pre-divided."""
        total = self._per_trained * self.trained
        for category, per_unit in self._per_unit.items():
            total += per_unit * self.stocks[category]
        if self.world.state.values["financing.gap"]:
            total *= self._gap_keep
        return total

    def _publish(self) -> None:
        self.world.state.set("capability", self.capability())

    def _attrition(self) -> ProcessGen:
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
            self._publish()
