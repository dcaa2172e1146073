"""Capped industrial output: one production line per equipment category with a cap.

A line is a first-come first-served server that turns out ``production_per_year`` units a year.
Booking it is arithmetic on its next free time — the same schedule a SimPy
``Resource(capacity=1)`` with deterministic service would give, without a request and release
event per lot.
"""

from __future__ import annotations

from sim.engine.world import World


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
