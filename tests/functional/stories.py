"""Helpers for the functional stories: deterministic building blocks and readers of a Trace."""

from __future__ import annotations

from typing import Any

from sim.engine import Trace
from sim.engine.rng import Streams
from sim.scenario.types import CATEGORIES
from tests.conftest import QUIET_ADVERSARY

SEED = 1

FORCES = 880_000
"""Ukraine's armed forces at the start (the default), of a 900,000 reference."""

CAPABILITY = 0.25 * FORCES / 900_000 + 0.15 * 100_000 / 150_000 + 0.6
"""Capability with the default weights, the forces at their default size, 100,000 trained of a
150,000 reference and every stock at its reference:
0.25·880/900 + 0.15·100/150 + (0.2 + 0.15 + 0.1 + 0.05 + 0.1)."""

NO_ATTRITION = {"war_attrition_per_year": 0, "peace_attrition_per_year": 0}

STEADY_FORCES = {
    **NO_ATTRITION,
    "war_mobilisation_per_month": 0,
    "peace_mobilisation_per_month": 0,
}
"""Armed forces that neither grow nor shrink."""

TWO_MEMBERS = [
    {"id": "FRA", "name": "France", "delivery": 1},
    {"id": "GBR", "name": "United Kingdom", "delivery": 1},
]


def changes(trace: Trace, metric: str) -> list[tuple[float, Any]]:
    """Every recorded change of one metric, as (day, value)."""
    return [(t, v) for t, m, v in trace.records if m == metric]


def settled(trace: Trace, metric: str) -> list[tuple[float, Any]]:
    """A metric's value at the end of each day on which it changed, as (day, value): what it
    settles to once every change made at that moment has been derived (a deployment in Ukraine
    changes the land troops and then the tripwire count, and deterrence follows each).
    """
    last: dict[float, Any] = {}
    for t, v in changes(trace, metric):
        last[t] = v
    return list(last.items())


def event_days(trace: Trace, kind: str) -> list[float]:
    """The days of the narrative events of one kind."""
    return [t for t, k, _, _ in trace.events if k == kind]


def fund(initial: float, need_per_day: float = 0.0) -> dict[str, float]:
    """A fund block (``ukraine.budget`` or ``ukraine.military``)."""
    return {"initial": initial, "need_per_day": need_per_day}


def steady_ukraine(**overrides: Any) -> dict[str, Any]:
    """A Ukraine whose forces, personnel and stocks neither grow nor shrink and, unless given,
    whose budget and military sustainment never run dry: its capability stays at
    :data:`CAPABILITY`.
    """
    return {
        **NO_ATTRITION,
        "forces": STEADY_FORCES,
        "stocks": dict.fromkeys(CATEGORIES, NO_ATTRITION),
        "budget": fund(10),
        "military": fund(2),
        **overrides,
    }


def constant_capacity(capacity: float = 1.0) -> dict[str, Any]:
    """A regeneration block that keeps the adversary's capacity at ``capacity`` after the
    ceasefire: personnel and munitions at ``capacity`` times their references, inflow = outflow.
    """
    return {
        "personnel_at_ceasefire": capacity * 100_000,
        "personnel_reference": 100_000,
        "recruits_per_month": 5_000,
        "outflow_per_month": 5_000,
        "munitions_at_ceasefire": capacity * 1_000_000,
        "munitions_reference": 1_000_000,
        "shells_per_year": 200_000,
        "shell_use_per_year": 200_000,
    }


def quiet_adversary(base: float = 0.0, **overrides: Any) -> dict[str, Any]:
    """The quiet adversary with a base hazard per year, no sensitivity to deterrence, every
    regime multiplier 1 and a constant capacity 1 unless given: λ = base/365.
    """
    found: dict[str, Any] = {
        "offensive": {"base_hazard_per_year": base, "deterrence_sensitivity": 0.0},
        "violation_regimes": {
            r: {"rate_per_day": 0.0, "offensive_multiplier": 1.0}
            for r in QUIET_ADVERSARY["violation_regimes"]
        },
        "regeneration": constant_capacity(),
    }
    found.update(overrides)
    return found


def land_pledge(
    pid: str, member: str, amount: int, lead: float = 30, **extra: Any
) -> dict[str, Any]:
    """A reassurance land pledge that does not rotate (unless ``extra`` says otherwise)."""
    return {
        "id": pid,
        "member": member,
        "pillar": "reassurance_force",
        "domain": "land",
        "amount": amount,
        "lead_time": lead,
        "rotation_days": None,
        **extra,
    }


def offensive_at(day: int) -> dict[str, Any]:
    """An inject that makes the offensive come right after ``day`` (within 10⁻³ days)."""
    path = "adversary.offensive.base_hazard_per_year"
    return {"at": day, "action": "set_parameter", "path": path, "value": 1e9}


def target(seed: int = SEED, rep: int = 0) -> float:
    """The replication's Exp(1) offensive target, drawn as MODEL.md section 2 documents."""
    return Streams(seed, rep)["adversary.offensive"].exponential(1.0)


def uniforms(name: str, n: int, seed: int = SEED, rep: int = 0) -> list[float]:
    """The first ``n`` uniforms of a named stream."""
    stream = Streams(seed, rep)[name]
    return [stream.uniform() for _ in range(n)]
