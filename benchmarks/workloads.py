"""Shared workloads of the benchmarks: the baseline, a sweep design, scaled scenarios."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import sim
from sim.engine.model import simulate
from sim.experiment.design import Design, build_design
from sim.experiment.spec import SweepSpec
from sim.scenario.document import scenario_document
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SEED = 1


@functools.cache
def baseline() -> Scenario:
    """The baseline scenario, loaded once per process."""
    return sim.load_scenario(BASELINE)


def _two_inputs(
    name: str, reps: int, hazard: dict[str, Any], land: dict[str, Any], **design: Any
) -> SweepSpec:
    """A spec over the offensive hazard and a scale on the land force's pledges."""
    return SweepSpec.model_validate(
        {
            "name": name,
            "base": str(BASELINE),
            "reps": reps,
            "seed": SEED,
            "kpis": ["offensive", "deterrence_mean"],
            "parameters": [
                {"name": "hazard", "path": "adversary.offensive.base_hazard_per_year", **hazard},
                {
                    "name": "land",
                    "path": "pledges.*.amount",
                    "where": {"pillar": "reassurance_force", "domain": "land"},
                    "scale": True,
                    **land,
                },
            ],
            **design,
        }
    )


def sweep_spec(points: int, reps: int, name: str = "bench") -> SweepSpec:
    """A grid over the offensive hazard and the size of the land force: ``points`` points."""
    hazards = max(1, points // 4)
    scales = points // hazards
    return _two_inputs(
        name,
        reps,
        {"values": [round(0.1 + 0.5 * i / max(1, hazards - 1), 4) for i in range(hazards)]},
        {"values": [round(0.5 + 1.5 * i / max(1, scales - 1), 4) for i in range(scales)]},
        design="grid",
    )


def lhs_spec(points: int, reps: int, name: str = "bench-lhs") -> SweepSpec:
    """A Latin hypercube of ``points`` points over the offensive hazard and the land force.

    The same two inputs as :func:`sweep_spec`, sampled rather than gridded, so that any number
    of points is one design (the overhead benchmarks vary the count).
    """
    return _two_inputs(
        name, reps, {"range": [0.1, 0.6]}, {"range": [0.5, 2.0]}, design="lhs", samples=points
    )


@functools.cache
def peer_design(points: int, reps: int) -> Design:
    """The design the peers run (built once per process)."""
    return build_design(sweep_spec(points, reps), baseline())


@functools.cache
def point_scenario(points: int, reps: int, point: int) -> Scenario:
    """The scenario at one point of the peers' design (built once per process)."""
    scenario = peer_design(points, reps).scenario(point)
    assert isinstance(scenario, Scenario)
    return scenario


def replicate(points: int, reps: int, point: int, rep: int) -> dict[str, float]:
    """One replication of one design point: what every system in B6 runs."""
    return simulate(point_scenario(points, reps, point), SEED, rep).kpis


def scaled(members: int = 1, horizon: int = 1) -> Scenario:
    """The baseline with every member and pledge copied ``members`` times, horizon × ``horizon``.

    Copies get ids with a suffix and pledge only through their own copy of the member, so the
    structure (and the work per entity) is the baseline's, repeated.
    """
    document: dict[str, Any] = scenario_document(baseline())
    base_members = document["members"]
    base_pledges = document["pledges"]
    for copy in range(2, members + 1):
        suffix = f"_{copy}"
        document["members"] = document["members"] + [
            {**m, "id": m["id"] + suffix} for m in base_members
        ]
        document["pledges"] = document["pledges"] + [
            {**p, "id": p["id"] + suffix, "member": p["member"] + suffix} for p in base_pledges
        ]
    document["horizon_days"] = document["horizon_days"] * horizon
    return Scenario.model_validate(document)
