"""Helpers for the functional stories: deterministic building blocks and readers of a Trace."""

from __future__ import annotations

from typing import Any

from sim.engine import Trace
from sim.engine.rng import Streams
from sim.scenario.types import CATEGORIES
from tests.conftest import QUIET_ADVERSARY

SEED = 1

CAPABILITY = 0.4 * 100_000 / 150_000 + 0.6
"""Capability with the default weights, 100,000 trained of a 150,000 reference and every stock
at its reference: 0.4·100/150 + (0.2 + 0.15 + 0.1 + 0.05 + 0.1)."""

NO_ATTRITION = {"war_attrition_per_year": 0, "peace_attrition_per_year": 0}

TWO_MEMBERS = [{"id": "FRA", "name": "France"}, {"id": "GBR", "name": "United Kingdom"}]


def changes(trace: Trace, metric: str) -> list[tuple[float, Any]]:
    """Every recorded change of one metric, as (day, value)."""
    return [(t, v) for t, m, v in trace.records if m == metric]


def event_days(trace: Trace, kind: str) -> list[float]:
    """The days of the narrative events of one kind."""
    return [t for t, k, _, _ in trace.events if k == kind]


def steady_ukraine(**overrides: Any) -> dict[str, Any]:
    """A Ukraine without attrition of personnel or stocks and, unless given, with a budget that
    never runs dry: its capability stays at :data:`CAPABILITY`."""
    return {
        **NO_ATTRITION,
        "stocks": dict.fromkeys(CATEGORIES, NO_ATTRITION),
        "need_per_day": 0,
        **overrides,
    }


def quiet_adversary(base: float = 0.0, **overrides: Any) -> dict[str, Any]:
    """The quiet adversary with a base hazard per year, no sensitivity to deterrence, every
    regime multiplier 1 and no capacity loss at the ceasefire unless given: λ = base/365."""
    found: dict[str, Any] = {
        "offensive": {"base_hazard_per_year": base, "deterrence_sensitivity": 0.0},
        "violation_regimes": {
            r: {"rate_per_day": 0.0, "offensive_multiplier": 1.0}
            for r in QUIET_ADVERSARY["violation_regimes"]
        },
        "capacity_at_ceasefire": 1.0,
    }
    found.update(overrides)
    return found


def land_pledge(
    pid: str, member: str, amount: float, lead: float = 30, **extra: Any
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
