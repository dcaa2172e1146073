"""The metrics the engine publishes: name, type, value at day 0, and allowed text values.

Condition expressions (pledge conditions, U.S. conditions, inject triggers) may read these and
nothing else; an unknown name is a validation error. The engine starts every replication from
:data:`INITIAL` and publishes every metric (a test checks that it does). A pillar that publishes
a metric of its own declares it with :func:`register_metric`.
"""

from __future__ import annotations

from typing import Any, Literal

MetricType = Literal["number", "bool", "text"]

US_STATES = ("none", "enablers", "guarantee")
REGIMES = ("strong", "eroding", "minsk", "escalation")

METRICS: dict[str, MetricType] = {}
"""Every metric's type, by name (in declaration order)."""
INITIAL: dict[str, Any] = {}
"""Every metric's value at day 0."""
TEXT_VALUES: dict[str, tuple[str, ...]] = {}
"""The values a text metric can take; comparing with anything else is an error."""


def register_metric(
    name: str, kind: MetricType, initial: Any, values: tuple[str, ...] = ()
) -> None:
    """Declare a metric that conditions may read and the engine publishes.

    Raises:
        ValueError: the name is taken, or a text metric's initial value is not one of its values.
    """
    if name in METRICS:
        raise ValueError(f"metric {name!r} is already declared")
    if kind == "text" and initial not in values:
        raise ValueError(f"text metric {name!r} starts at {initial!r}, not one of {values}")
    METRICS[name] = kind
    INITIAL[name] = initial
    if values:
        TEXT_VALUES[name] = values


def unregister_metric(name: str) -> None:
    """Remove a metric (tests that declare a toy metric undo it)."""
    METRICS.pop(name, None)
    INITIAL.pop(name, None)
    TEXT_VALUES.pop(name, None)


_BUILTIN: tuple[tuple[str, MetricType, Any, tuple[str, ...]], ...] = (
    ("day", "number", 0.0, ()),
    ("ceasefire", "bool", False, ()),
    ("ceasefire.reached", "bool", False, ()),
    ("offensive", "bool", False, ()),
    ("us.state", "text", "none", US_STATES),
    ("us.paused", "bool", False, ()),
    ("committed.reassurance.land", "number", 0.0, ()),
    ("committed.reassurance.sea", "number", 0.0, ()),
    ("committed.reassurance.air", "number", 0.0, ()),
    ("committed.neighbouring", "number", 0.0, ()),
    ("deployed.reassurance.land", "number", 0.0, ()),
    ("deployed.reassurance.sea", "number", 0.0, ()),
    ("deployed.reassurance.air", "number", 0.0, ()),
    ("deployed.neighbouring", "number", 0.0, ()),
    ("deployed.reassurance.nations", "number", 0.0, ()),
    ("forces", "number", 0.0, ()),
    ("trained", "number", 0.0, ()),
    ("budget", "number", 0.0, ()),
    ("financing.gap", "bool", False, ()),
    ("military.fund", "number", 0.0, ()),
    ("military.gap", "bool", False, ()),
    ("financing.paid", "number", 0.0, ()),
    ("equipment.delivered", "number", 0.0, ()),
    ("capability", "number", 0.0, ()),
    ("deterrence", "number", 0.0, ()),
    ("cohesion", "number", 1.0, ()),
    ("members.active", "number", 0.0, ()),
    ("adversary.capacity", "number", 1.0, ()),
    ("violations.regime", "text", "strong", REGIMES),
    ("violations.total", "number", 0.0, ()),
    # the actors (sim.engine.ladder, sim.engine.moves, sim.engine.adaptation)
    ("adversary.rung", "number", 0.0, ()),
    ("adversary.probes", "number", 0.0, ()),
    ("adversary.incursions", "number", 0.0, ()),
    ("probes.unanswered", "number", 0.0, ()),
    ("us.statements", "number", 0.0, ()),
    ("us.threshold", "number", 0.0, ()),
)
for _name, _kind, _initial, _values in _BUILTIN:
    register_metric(_name, _kind, _initial, _values)
