"""The outcome measures of a replication (the brief's "Outcomes"), computed at its end.

Event days that are not reached within the horizon are ``nan`` here and analysed as
right-censored at the horizon (Kaplan–Meier), never averaged as if reached; each has a 0/1
companion saying whether it happened.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from sim.engine.world import World

Kind = Literal["probability", "event_day", "mean"]
Better = Literal["higher", "lower", "neither"]


@dataclass(frozen=True)
class KPI:
    """One outcome measure: how it is analysed, its unit, meaning, and which way is better.

    ``better`` orders scenarios in comparisons (rank 1 is best); for event days it refers to
    the share of replications reaching the event by the horizon.
    """

    name: str
    kind: Kind
    unit: str
    description: str
    better: Better = "neither"


KPIS: tuple[KPI, ...] = (
    KPI(
        "offensive",
        "probability",
        "share",
        "A renewed major offensive within the horizon",
        better="lower",
    ),
    KPI("offensive_day", "event_day", "day", "Day of the renewed offensive", better="lower"),
    KPI("ceasefire", "probability", "share", "A ceasefire within the horizon"),
    KPI("ceasefire_day", "event_day", "day", "Day the ceasefire takes effect"),
    KPI(
        "us_enablers",
        "probability",
        "share",
        "U.S. enablers approved within the horizon",
        better="higher",
    ),
    KPI("us_enablers_day", "event_day", "day", "Day U.S. enablers are approved", better="higher"),
    KPI(
        "us_guarantee",
        "probability",
        "share",
        "A ratified U.S. guarantee within the horizon",
        better="higher",
    ),
    KPI(
        "us_guarantee_day",
        "event_day",
        "day",
        "Day the U.S. guarantee is ratified",
        better="higher",
    ),
    KPI(
        "reassurance_ioc",
        "probability",
        "share",
        "Reassurance force reaches 50% of pledged land troops in Ukraine",
        better="higher",
    ),
    KPI(
        "reassurance_ioc_day",
        "event_day",
        "day",
        "Day of initial operating capability (50%)",
        better="higher",
    ),
    KPI(
        "reassurance_foc",
        "probability",
        "share",
        "Reassurance force reaches 90% of pledged land troops in Ukraine",
        better="higher",
    ),
    KPI(
        "reassurance_foc_day",
        "event_day",
        "day",
        "Day of full operating capability (90%)",
        better="higher",
    ),
    KPI(
        "final_deployed_land",
        "mean",
        "troops",
        "Land troops in Ukraine at the horizon",
        better="higher",
    ),
    KPI("final_deployed_sea", "mean", "ships", "Ships deployed at the horizon", better="higher"),
    KPI(
        "final_deployed_air",
        "mean",
        "aircraft",
        "Aircraft deployed at the horizon",
        better="higher",
    ),
    KPI(
        "final_neighbouring",
        "mean",
        "troops",
        "Troops in neighbouring countries at the horizon",
        better="higher",
    ),
    KPI("fulfilment_training", "mean", "share", "Training delivered ÷ pledged", better="higher"),
    KPI("fulfilment_financing", "mean", "share", "Financing paid ÷ pledged", better="higher"),
    KPI("fulfilment_equipment", "mean", "share", "Equipment delivered ÷ pledged", better="higher"),
    KPI(
        "fulfilment_reassurance",
        "mean",
        "share",
        "Reassurance force deployed ÷ pledged (peak)",
        better="higher",
    ),
    KPI(
        "fulfilment_neighbouring",
        "mean",
        "share",
        "Neighbouring deployment ÷ pledged (peak)",
        better="higher",
    ),
    KPI("deterrence_min", "mean", "index", "Lowest deterrence over the horizon", better="higher"),
    KPI(
        "deterrence_mean",
        "mean",
        "index",
        "Time-weighted mean deterrence over the horizon",
        better="higher",
    ),
    KPI(
        "days_below_threshold",
        "mean",
        "days",
        "Days with deterrence below the threshold",
        better="lower",
    ),
    KPI("violations", "mean", "count", "Ceasefire violations recorded", better="lower"),
    KPI("financing_gap_days", "mean", "days", "Days with Ukraine's budget empty", better="lower"),
    KPI(
        "cohesion_final",
        "mean",
        "share",
        "Share of pledged capacity still active at the horizon",
        better="higher",
    ),
    KPI(
        "capability_final", "mean", "index", "Ukraine's capability at the horizon", better="higher"
    ),
)
KPI_BY_NAME = {kpi.name: kpi for kpi in KPIS}

_PILLARS = {
    "training": "fulfilment_training",
    "financing": "fulfilment_financing",
    "equipment": "fulfilment_equipment",
    "reassurance_force": "fulfilment_reassurance",
    "neighbouring_deployment": "fulfilment_neighbouring",
}


def _event(value: float | None) -> tuple[float, float]:
    return (0.0, math.nan) if value is None else (1.0, float(value))


def _deterrence_stats(world: World) -> tuple[float, float, float]:
    times = [t for t, m, _ in world.state.records if m == "deterrence"]
    values = [float(v) for _, m, v in world.state.records if m == "deterrence"]
    t = np.asarray([*times, world.horizon])
    v = np.asarray(values)
    durations = np.diff(t)
    threshold = world.scenario.model.deterrence.threshold
    mean = float(np.dot(durations, v) / world.horizon)
    below = float(durations[v < threshold].sum())
    return float(v.min()), mean, below


def compute_kpis(world: World) -> dict[str, float]:
    """The KPIs of a finished replication, in :data:`KPIS` order."""
    state = world.state
    out: dict[str, float] = {}
    out["offensive"], out["offensive_day"] = _event(world.adversary.offensive_day)
    ceasefire_day = next((t for t, m, v in state.records if m == "ceasefire" and v), None)
    out["ceasefire"], out["ceasefire_day"] = _event(ceasefire_day)
    out["us_enablers"], out["us_enablers_day"] = _event(world.us.enablers_day)
    out["us_guarantee"], out["us_guarantee_day"] = _event(world.us.guarantee_day)
    out["reassurance_ioc"], out["reassurance_ioc_day"] = _event(world.assessment.ioc_day)
    out["reassurance_foc"], out["reassurance_foc_day"] = _event(world.assessment.foc_day)
    out["final_deployed_land"] = float(state["deployed.reassurance.land"])
    out["final_deployed_sea"] = float(state["deployed.reassurance.sea"])
    out["final_deployed_air"] = float(state["deployed.reassurance.air"])
    out["final_neighbouring"] = float(state["deployed.neighbouring"])
    shares: dict[str, list[float]] = {name: [] for name in _PILLARS.values()}
    for pledge in world.pledges:
        shares[_PILLARS[pledge.spec.pillar]].append(pledge.fulfilment)
    for name, values in shares.items():
        out[name] = float(np.mean(values)) if values else math.nan
    out["deterrence_min"], out["deterrence_mean"], out["days_below_threshold"] = _deterrence_stats(
        world
    )
    out["violations"] = float(world.adversary.violations)
    out["financing_gap_days"] = float(world.budget.gap_days)
    out["cohesion_final"] = float(state["cohesion"])
    out["capability_final"] = float(state["capability"])
    return {kpi.name: out[kpi.name] for kpi in KPIS}
