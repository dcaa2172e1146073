"""Financing: tranches of budget support or military aid.

Each tranche of a pledge is due ``first_day + k·every`` days after the pledge is firm, arrives
after a drawn delay (never before the previous one) and pays
``amount / tranches · delivery · paid_fraction · factor``: the member's delivery share, the
tranche's conditionality, any scaling. Budget support pays the state budget (its gap is what the
IMF figure measures); military aid buys equipment and sustains the forces
(:meth:`sim.engine.ukraine.Ukraine.military_aid`).
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
    aid = True
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
        procurement = world.scenario.industry.procurement_lead_time
        leads = [stream.sample(procurement) for _ in range(spec.tranches)]
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
            amount = per_tranche * self.fraction * fractions[k] * self.factor
            self.delivered += amount
            world.state.add("financing.paid", amount)
            if spec.use == "military":
                self.ukraine.military_aid(amount, leads[k])
            else:
                self.ukraine.budget.pay(amount)
            if k == 0:
                world.log(
                    "financing",
                    self.member.spec.id,
                    f"{self.member.name} pays the first tranche of {self.id} (EUR {amount:.2f}bn)",
                )
