"""Financing: tranches paid into Ukraine's budget (:mod:`sim.engine.budget`).

Each tranche of a pledge is due ``first_day + k·every`` days after the pledge is firm, arrives
after a drawn delay (never before the previous one) and is paid in part (``paid_fraction``,
conditionality).
"""

from __future__ import annotations

from typing import Any

from sim.engine.pillars import PledgeState, fulfilment_kpi, register_pillar
from sim.engine.world import ProcessGen
from sim.scenario.pledges import FinancingPledge


@register_pillar
class FinancingState(PledgeState):
    """A financing pledge: one process paying its tranches."""

    spec_type = FinancingPledge
    label = "Financing"
    unit = "EUR bn"
    contribution_unit = "EUR pledged"
    kpi = fulfilment_kpi("fulfilment_financing", "financing", "Financing paid ÷ pledged")
    spec: FinancingPledge

    @classmethod
    def promised(cls, spec: Any, horizon: float) -> float:
        """The pledged amount."""
        return float(spec.amount)

    def lifecycle(self) -> ProcessGen:
        """Pay the tranches, each when due and after its drawn delay."""
        world = self.world
        spec = self.spec
        stream = self.stream
        delays = [stream.sample(spec.delay) for _ in range(spec.tranches)]
        fractions = [min(1.0, stream.sample(spec.paid_fraction)) for _ in range(spec.tranches)]
        yield from self.wait_conditions()
        started = world.now
        per_tranche = spec.amount / spec.tranches
        paid_at = started
        for k in range(spec.tranches):
            due = started + spec.first_day + k * spec.every + delays[k]
            paid_at = max(paid_at, due)
            if paid_at >= world.horizon:
                return
            yield world.until(paid_at)
            if k == 0 and self.blocked():
                return
            if not self.live:
                return
            amount = per_tranche * fractions[k] * self.factor
            self.delivered += amount
            self.ukraine.budget.pay(amount)
            if k == 0:
                world.log(
                    "financing",
                    self.member.spec.id,
                    f"{self.member.name} pays the first tranche of {self.id} (EUR {amount:.2f}bn)",
                )
