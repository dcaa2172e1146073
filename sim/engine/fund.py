"""A pool of money that drains at a need rate between payments: Ukraine's state budget, and
its military sustainment.

Payments raise the level; it drains continuously at ``need_per_day``. When it runs dry a gap
starts (a boolean metric such as ``financing.gap``), ending with the next payment. The moment it
runs dry is computed, not polled.
"""

from __future__ import annotations

import math

from sim.engine.world import World
from sim.scenario.schema import Fund as FundSpec


class Fund:
    """A level that drains linearly between payments, publishing its level and its gaps."""

    def __init__(
        self, world: World, spec: FundSpec, *, level: str, gap: str, running_dry: str
    ) -> None:
        self.world = world
        self.level = spec.initial
        self.rate = spec.need_per_day
        self.since = 0.0
        self.gap_started: float | None = None
        self.gap_days = 0.0
        self._metric = level
        self._gap_metric = gap
        self._running_dry = running_dry
        self._token = 0
        world.state.initialise(level, self.level)
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
        state.set(self._metric, self.level)
        if self.gap_started is not None and self.level > 0:
            self.gap_days += self.world.now - self.gap_started
            self.gap_started = None
            state.set(self._gap_metric, False)
        self._schedule_empty()

    def set_rate(self, rate: float) -> None:
        """Change the need rate (an inject)."""
        self._settle()
        self.rate = rate
        self.world.state.set(self._metric, self.level)
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
        state.set(self._metric, 0.0)
        state.set(self._gap_metric, True)
        self.world.log("gap", "UKR", self._running_dry)

    def finish(self) -> None:
        """Close the books at the horizon."""
        if self.gap_started is not None:
            self.gap_days += self.world.horizon - self.gap_started
            self.gap_started = math.inf
