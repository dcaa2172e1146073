"""The metrics the engine publishes, by name and type.

Condition expressions (pledge conditions, U.S. conditions, inject triggers) may read these and
nothing else; an unknown name is a validation error. The engine publishes every one of them, and
a test checks that it does.
"""

from __future__ import annotations

from typing import Literal

MetricType = Literal["number", "bool", "text"]

US_STATES = ("none", "enablers", "guarantee")
REGIMES = ("strong", "eroding", "minsk", "escalation")

METRICS: dict[str, MetricType] = {
    "day": "number",
    "ceasefire": "bool",
    "offensive": "bool",
    "us.state": "text",
    "us.paused": "bool",
    "committed.reassurance.land": "number",
    "committed.reassurance.sea": "number",
    "committed.reassurance.air": "number",
    "committed.neighbouring": "number",
    "deployed.reassurance.land": "number",
    "deployed.reassurance.sea": "number",
    "deployed.reassurance.air": "number",
    "deployed.neighbouring": "number",
    "trained": "number",
    "budget": "number",
    "financing.gap": "bool",
    "financing.paid": "number",
    "equipment.delivered": "number",
    "capability": "number",
    "deterrence": "number",
    "cohesion": "number",
    "members.active": "number",
    "adversary.capacity": "number",
    "violations.regime": "text",
    "violations.total": "number",
}

TEXT_VALUES: dict[str, tuple[str, ...]] = {
    "us.state": US_STATES,
    "violations.regime": REGIMES,
}
"""The values a text metric can take; comparing with anything else is an error."""
