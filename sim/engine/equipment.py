"""Equipment: deliveries by category after lead times, competing for capped production.

Each category with a production cap has one :class:`ProductionLine`, a first-come first-served
server that turns out ``production_per_year`` units a year. A lot from new production books the
line when the pledge becomes firm and is delivered when both its production is done and the
pledge's lead time (contracting, transport, training) has passed. Lots from stocks, or of an
uncapped category, arrive spread evenly over the lead time. Booking the line is arithmetic on its
next free time — the same schedule a SimPy ``Resource(capacity=1)`` with deterministic service
would give, without a request and release event per lot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.engine.pledges import PledgeState
from sim.engine.wording import counted

if TYPE_CHECKING:
    from sim.engine.world import ProcessGen, World
    from sim.scenario.schema import EquipmentPledge


class ProductionLine:
    """Capped output of one equipment category, served in booking order."""

    __slots__ = ("category", "free_at", "per_day", "world")

    def __init__(self, world: World, category: str, per_year: float) -> None:
        self.world = world
        self.category = category
        self.per_day = per_year / 365.0
        self.free_at = 0.0

    def book(self, quantity: float) -> float:
        """Reserve the line for ``quantity`` units; return when they are finished."""
        start = max(self.world.now, self.free_at)
        self.free_at = start + quantity / self.per_day
        return self.free_at


class EquipmentState(PledgeState):
    """An equipment pledge: its lots, booked and then delivered in time order."""

    spec: EquipmentPledge

    @property
    def nominal(self) -> float:
        return self.spec.quantity

    def lifecycle(self) -> ProcessGen:
        world = self.world
        spec = self.spec
        lead = self.stream.sample(spec.lead_time)
        yield from self.wait_conditions()
        if not self.live:
            return
        ordered = world.now
        lot = spec.quantity / spec.lots
        line = world.lines.get(spec.category) if spec.from_production else None
        if line is not None and self.honoured:  # a pledge that will not be kept books nothing
            arrivals = [max(ordered + lead, line.book(lot)) for _ in range(spec.lots)]
        else:
            arrivals = [ordered + lead * (k + 1) / spec.lots for k in range(spec.lots)]
        for k, when in enumerate(arrivals):
            if when >= world.horizon:
                return
            yield world.until(when)
            if k == 0 and self.blocked():
                return
            if not self.live:
                return
            quantity = lot * self.factor
            self.delivered += quantity
            world.assessment.add_equipment(spec.category, quantity)
            if k == 0:
                world.log(
                    "delivery",
                    self.member.spec.id,
                    f"{self.member.name} delivers the first "
                    f"{spec.category.replace('_', ' ')} "
                    f"lot of {self.id} ({counted(quantity, 'units')}) after "
                    f"{when - ordered:.0f} days",
                )
