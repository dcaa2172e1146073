"""Ukraine's side of a replication: armed forces, trained personnel, stocks, money, capability.

    capability = s_budget · s_military · s_pause ·
                 (w_f · F / F_ref + w_t · T / T_ref + Σ_c w_c · S_c / S_ref,c)

* ``F``: the armed forces, fed by mobilisation and thinned by attrition,
  ``dF/dt = m − a·F`` (war rates while fighting, peace rates otherwise), booked once per
  accounting period with the exact solution ``F·e^(−aΔ) + m·(1 − e^(−aΔ))/a``.
* ``T``: coalition-trained personnel (graduates in; attrition out, exponential).
* ``S_c``: equipment stocks by category (deliveries and procurement in; attrition out).
* ``s_budget = 1 − gap_penalty`` while the state budget is empty, ``s_military =
  1 − sustainment_penalty`` while military sustainment is unpaid, ``s_pause = 1 −
  capability_penalty`` while the U.S. pauses its intelligence; otherwise 1.

Military aid buys equipment: a share ``procurement_share`` of each payment is split by the aid
mix, turned into whole units at the unit costs (the remainder is carried to the next payment),
and each order arrives after the procurement lead time, or later when its production line is
booked. The rest of the payment sustains the forces (the military fund).
"""

from __future__ import annotations

import functools
import math

from sim.engine.fund import Fund
from sim.engine.industry import ProductionLine
from sim.engine.world import ProcessGen, World
from sim.scenario.types import CATEGORIES, Category


class Ukraine:
    """Forces, personnel, stocks, money and the production lines serving Ukraine."""

    def __init__(self, world: World) -> None:
        self.world = world
        scenario = world.scenario
        ukraine = scenario.ukraine
        weights = scenario.model.capability
        self.force = ukraine.forces.personnel
        self.trained = ukraine.trained
        self.stocks = {c: ukraine.stocks.get(c).initial for c in CATEGORIES}
        self.delivered_equipment = 0.0
        self._per_soldier = weights.force / ukraine.forces.reference
        self._per_trained = weights.trained / ukraine.trained_reference
        self._per_unit = {
            c: getattr(weights.equipment, c) / ukraine.stocks.get(c).reference for c in CATEGORIES
        }
        self._keep = {
            "financing.gap": 1 - weights.gap_penalty,
            "military.gap": 1 - weights.sustainment_penalty,
            "us.paused": 1 - scenario.us.pause.capability_penalty,
        }
        industry = scenario.industry
        self.lines: dict[str, ProductionLine] = {}
        for category in CATEGORIES:
            per_year = getattr(industry.production_per_year, category)
            if per_year is not None:
                self.lines[category] = ProductionLine(world, category, per_year)
        self._credit = dict.fromkeys(CATEGORIES, 0.0)
        self._procurement_share = industry.procurement_share
        self._orders = [
            (c, industry.aid_mix.get(c), getattr(industry.unit_cost, c), self.lines.get(c))
            for c in CATEGORIES
        ]
        """Per category: aid share, unit cost and production line (read once, not per payment)."""
        state = world.state
        state.initialise("forces", self.force)
        state.initialise("trained", self.trained)
        state.initialise("capability", self.capability())
        self.budget = Fund(
            world,
            ukraine.budget,
            level="budget",
            gap="financing.gap",
            running_dry="Ukraine's budget runs dry: a financing gap opens",
        )
        self.military = Fund(
            world,
            ukraine.military,
            level="military.fund",
            gap="military.gap",
            running_dry="Military sustainment runs out of money: pay and upkeep fall behind",
        )
        state.derive(tuple(self._keep), self._publish)

    def start(self) -> None:
        """Begin booking mobilisation and attrition."""
        self.world.process(self._accounting())

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

    def military_aid(self, amount: float, lead: float) -> None:
        """Spend a military-aid payment: equipment orders, and the rest on sustainment."""
        world = self.world
        procurement = amount * self._procurement_share
        ready = world.now + lead
        horizon = world.horizon
        credit = self._credit
        for category, share, cost, line in self._orders:
            credit[category] += procurement * 1000 * share
            units = math.floor(credit[category] / cost + 1e-9)
            if units <= 0:
                continue
            credit[category] -= units * cost
            arrival = max(ready, line.book(units)) if line is not None else ready
            if arrival < horizon:
                world.at(arrival, functools.partial(self.add_equipment, category, units))
        self.military.pay(amount - procurement)

    def capability(self) -> float:
        """Capability from the current forces, personnel, stocks and sustainment."""
        total = self._per_soldier * self.force + self._per_trained * self.trained
        for category, per_unit in self._per_unit.items():
            total += per_unit * self.stocks[category]
        values = self.world.state.values
        for metric, keep in self._keep.items():
            if values[metric]:
                total *= keep
        return total

    def _publish(self) -> None:
        self.world.state.set("capability", self.capability())

    def _accounting(self) -> ProcessGen:
        world = self.world
        period = world.scenario.model.attrition_period_days
        ukraine = world.scenario.ukraine
        forces = ukraine.forces
        years = period / 365.0
        while world.now + period <= world.horizon:
            yield world.env.timeout(period)
            war = world.fighting
            rate = forces.war_attrition_per_year if war else forces.peace_attrition_per_year
            monthly = (
                forces.war_mobilisation_per_month if war else (forces.peace_mobilisation_per_month)
            )
            self.force = _grow(self.force, monthly * 12, rate, years)
            rate = ukraine.war_attrition_per_year if war else ukraine.peace_attrition_per_year
            self.trained *= math.exp(-rate * years)
            for category in CATEGORIES:
                stock = ukraine.stocks.get(category)
                rate = stock.war_attrition_per_year if war else stock.peace_attrition_per_year
                self.stocks[category] *= math.exp(-rate * years)
            world.state.set("forces", self.force)
            world.state.set("trained", self.trained)
            self._publish()


def _grow(level: float, inflow_per_year: float, rate_per_year: float, years: float) -> float:
    """``x(t)`` for ``dx/dt = inflow − rate·x`` after ``years``, from ``level``."""
    if rate_per_year == 0:
        return level + inflow_per_year * years
    decay = math.exp(-rate_per_year * years)
    return level * decay + inflow_per_year * (1 - decay) / rate_per_year
