"""Financing: tranches into Ukraine's budget, which spends at its need rate.

Each tranche of a pledge is due ``first_day + k·every`` days, arrives after a drawn delay (never
before the previous one) and is paid in part (``paid_fraction``, conditionality). The budget
drains continuously at ``need_per_day``; when it runs dry a financing gap starts, ending with the
next payment. The moment it runs dry is computed, not polled.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.engine.pledges import PledgeState

if TYPE_CHECKING:
    from sim.engine.world import ProcessGen, World
    from sim.scenario.schema import FinancingPledge


class Budget:
    """Ukraine's external-money budget: a level that drains linearly between payments."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.level = world.scenario.ukraine.budget
        self.rate = world.scenario.ukraine.need_per_day
        self.since = 0.0
        self.gap_started: float | None = None
        self.gap_days = 0.0
        self._token = 0
        world.state.initialise("budget", self.level)
        self._schedule_empty()

    def _current(self) -> float:
        return max(0.0, self.level - self.rate * (self.world.now - self.since))

    def _settle(self) -> None:
        self.level = self._current()
        self.since = self.world.now

    def pay(self, amount: float) -> None:
        """Money arrives."""
        self._settle()
        self.level += amount
        state = self.world.state
        state.add("financing.paid", amount)
        state.set("budget", self.level)
        if self.gap_started is not None and self.level > 0:
            self.gap_days += self.world.now - self.gap_started
            self.gap_started = None
            state.set("financing.gap", False)
            self.world.assessment.refresh()
        self._schedule_empty()

    def set_rate(self, rate: float) -> None:
        """Change the need rate (an inject)."""
        self._settle()
        self.rate = rate
        self.world.state.set("budget", self.level)
        self._schedule_empty()

    def _schedule_empty(self) -> None:
        self._token += 1
        if self.rate <= 0 or self.gap_started is not None:
            return
        when = self.since + self.level / self.rate
        if when >= self.world.horizon:
            return
        token = self._token
        self.world.at(when, lambda: self._run_dry(token))

    def _run_dry(self, token: int) -> None:
        if token != self._token:
            return
        self._settle()
        self.level = 0.0
        self.gap_started = self.world.now
        state = self.world.state
        state.set("budget", 0.0)
        state.set("financing.gap", True)
        self.world.log("gap", "UKR", "Ukraine's budget runs dry: a financing gap opens")
        self.world.assessment.refresh()

    def finish(self) -> None:
        """Close the books at the horizon."""
        if self.gap_started is not None:
            self.gap_days += self.world.horizon - self.gap_started
            self.gap_started = math.inf


class FinancingState(PledgeState):
    """A financing pledge: one process paying its tranches."""

    spec: FinancingPledge

    @property
    def nominal(self) -> float:
        return self.spec.amount

    def lifecycle(self) -> ProcessGen:
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
            world.budget.pay(amount)
            if k == 0:
                world.log(
                    "financing",
                    self.member.spec.id,
                    f"{self.member.name} pays the first tranche of {self.id} (EUR {amount:.2f}bn)",
                )
