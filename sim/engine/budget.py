"""Ukraine's external-money budget: a level that drains at the need rate between payments.

Payments raise the level; it drains continuously at ``need_per_day``. When it runs dry a
financing gap starts (the ``financing.gap`` metric), ending with the next payment. The moment it
runs dry is computed, not polled.
"""

from __future__ import annotations

import math

from sim.engine.world import World


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

    def finish(self) -> None:
        """Close the books at the horizon."""
        if self.gap_started is not None:
            self.gap_days += self.world.horizon - self.gap_started
            self.gap_started = math.inf
