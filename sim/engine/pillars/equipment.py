"""Equipment: deliveries by category after lead times, competing for capped production.

A pledge delivers whole units: its member's delivery share of the (scaled) quantity, spread over
its lots and rounded stochastically (``floor(q·k/lots + u)`` after k lots, with one uniform
``u`` per pledge), so the expected delivery is exactly the share. A lot from new production
books its category's line (:mod:`sim.engine.industry`) when the pledge becomes firm and is
delivered when both its production is done and the pledge's lead time (contracting, transport,
training) has passed. Lots from stocks, or of an uncapped category, arrive spread evenly over
the lead time. Deliveries join Ukraine's stocks.
"""

from __future__ import annotations

import math
from typing import Any

from sim.engine.pillars import PledgeState, fulfilment_kpi, register_pillar
from sim.engine.wording import counted
from sim.engine.world import ProcessGen
from sim.scenario.pledges import EquipmentPledge


@register_pillar
class EquipmentState(PledgeState):
    """An equipment pledge: its lots, booked and then delivered in time order."""

    spec_type = EquipmentPledge
    label = "Equipment"
    unit = "units"
    kpi = fulfilment_kpi("fulfilment_equipment", "equipment", "Equipment delivered ÷ pledged")
    spec: EquipmentPledge
    _offset = 0.0

    contribution_unit = "each category, averaged"
    aid = True

    @classmethod
    def promised(cls, spec: Any, horizon: float) -> float:
        """The pledged quantity (in the category's own units)."""
        return float(spec.quantity)

    @property
    def cohesion_group(self) -> str:
        """Quantities compare only within a category (fire units, tubes, shells)."""
        return f"equipment.{self.spec.category}"

    @classmethod
    def contributions(cls, specs: list[Any], horizon: float) -> dict[str, float]:
        """Each member's share of each category, averaged over the categories pledged.

        Units differ between categories (fire units, tubes, thousands of shells), so only
        shares within a category are comparable.
        """
        by_category: dict[str, dict[str, float]] = {}
        for spec in specs:
            members = by_category.setdefault(spec.category, {})
            members[spec.member] = members.get(spec.member, 0.0) + float(spec.quantity)
        totals: dict[str, float] = {}
        for members in by_category.values():
            total = sum(members.values())
            for member, quantity in members.items():
                totals[member] = totals.get(member, 0.0) + quantity / total / len(by_category)
        return totals

    def _due(self, lots: int) -> int:
        """Whole units due after ``lots`` lots: the delivered share of the scaled quantity,
        rounded up or down at random (by the pledge's offset), so that a pledge of one
        system delivers it with the delivery share's probability rather than never.
        """
        total = self.spec.quantity * self.fraction * self.factor
        return math.floor(total * lots / self.spec.lots + self._offset)

    def lifecycle(self) -> ProcessGen:
        """Book the lots on the production line (or stock) and deliver them in order."""
        world = self.world
        spec = self.spec
        lead = self.stream.sample(spec.lead_time)
        self._offset = self.stream.uniform()
        yield from self.wait_conditions()
        if not self.live:
            return
        ordered = world.now
        line = self.ukraine.lines.get(spec.category) if spec.from_production else None
        if line is not None:
            lots = [self._due(k + 1) - self._due(k) for k in range(spec.lots)]
            arrivals = [max(ordered + lead, line.book(units)) for units in lots]
        else:
            arrivals = [ordered + lead * (k + 1) / spec.lots for k in range(spec.lots)]
        delivered = 0
        for k, when in enumerate(arrivals):
            if when >= world.horizon:
                return
            yield world.until(when)
            if not self.live:
                return
            units = max(0, self._due(k + 1) - delivered)
            if units == 0:
                continue
            delivered += units
            self.delivered += units
            self.ukraine.add_equipment(spec.category, units)
            if delivered == units:
                world.log(
                    "delivery",
                    self.member.spec.id,
                    f"{self.member.name} delivers the first "
                    f"{spec.category.replace('_', ' ')} "
                    f"lot of {self.id} ({counted(units, 'units')}) after "
                    f"{when - ordered:.0f} days",
                )
