"""The core outcome measures of a replication (the brief's "Outcomes"), read at its end.

Event days that are not reached within the horizon are ``nan`` here and analysed as
right-censored at the horizon (Kaplan–Meier), never averaged as if reached; each has a 0/1
companion saying whether it happened. Pillars register their fulfilment KPIs themselves
(:mod:`sim.engine.pillars`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from sim.engine import catalogue
from sim.engine.catalogue import KPI, Better, Group
from sim.engine.replication import Replication


def _day(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _happened(value: float | None) -> float:
    return 0.0 if value is None else 1.0


def _event(
    name: str,
    what: str,
    when: str,
    day: Callable[[Replication], float | None],
    better: Better = "neither",
) -> tuple[KPI, KPI]:
    """A probability KPI and its event-day companion, measured from one day (or None)."""
    return (
        KPI(
            name,
            "probability",
            "share",
            what,
            better=better,
            measure=lambda rep: _happened(day(rep)),
        ),
        KPI(
            f"{name}_day",
            "event_day",
            "day",
            when,
            better=better,
            measure=lambda rep: _day(day(rep)),
        ),
    )


def _ceasefire_day(rep: Replication) -> float | None:
    return next((t for t, m, v in rep.world.state.records if m == "ceasefire" and v), None)


def _deterrence_stats(rep: Replication) -> tuple[float, float, float]:
    """Minimum, time-weighted mean and days below the threshold (computed once per rep)."""
    found = rep.memo.get("deterrence_stats")
    if found is None:
        found = rep.memo["deterrence_stats"] = _deterrence_record(rep)
    stats: tuple[float, float, float] = found
    return stats


def _deterrence_record(rep: Replication) -> tuple[float, float, float]:
    world = rep.world
    times = [t for t, m, _ in world.state.records if m == "deterrence"]
    values = [float(v) for _, m, v in world.state.records if m == "deterrence"]
    t = np.asarray([*times, world.horizon])
    v = np.asarray(values)
    durations = np.diff(t)
    threshold = world.scenario.model.deterrence.threshold
    mean = float(np.dot(durations, v) / world.horizon)
    below = float(durations[v < threshold].sum())
    return float(v.min()), mean, below


def _mean(
    name: str,
    unit: str,
    description: str,
    measure: Callable[[Replication], float],
    better: Better = "higher",
    group: Group = "assessment",
) -> KPI:
    return KPI(name, "mean", unit, description, better=better, group=group, measure=measure)


def _state(metric: str) -> Callable[[Replication], float]:
    return lambda rep: float(rep.world.state[metric])


catalogue.register(
    *_event(
        "offensive",
        "A renewed major offensive within the horizon",
        "Day of the renewed offensive",
        lambda rep: rep.adversary.offensive_day,
        better="lower",
    ),
    *_event(
        "ceasefire",
        "A ceasefire within the horizon",
        "Day the ceasefire takes effect",
        _ceasefire_day,
    ),
    *_event(
        "us_enablers",
        "U.S. enablers approved within the horizon",
        "Day U.S. enablers are approved",
        lambda rep: rep.us.enablers_day,
        better="higher",
    ),
    *_event(
        "us_guarantee",
        "A ratified U.S. guarantee within the horizon",
        "Day the U.S. guarantee is ratified",
        lambda rep: rep.us.guarantee_day,
        better="higher",
    ),
    *_event(
        "reassurance_ioc",
        "Reassurance force reaches 50% of pledged land troops in Ukraine",
        "Day of initial operating capability (50%)",
        lambda rep: rep.milestones.ioc_day,
        better="higher",
    ),
    *_event(
        "reassurance_foc",
        "Reassurance force reaches 90% of pledged land troops in Ukraine",
        "Day of full operating capability (90%)",
        lambda rep: rep.milestones.foc_day,
        better="higher",
    ),
    _mean(
        "final_deployed_land",
        "troops",
        "Land troops in Ukraine at the horizon",
        _state("deployed.reassurance.land"),
        group="forces",
    ),
    _mean(
        "final_deployed_sea",
        "ships",
        "Ships deployed at the horizon",
        _state("deployed.reassurance.sea"),
        group="forces",
    ),
    _mean(
        "final_deployed_air",
        "aircraft",
        "Aircraft deployed at the horizon",
        _state("deployed.reassurance.air"),
        group="forces",
    ),
    _mean(
        "final_neighbouring",
        "troops",
        "Troops in neighbouring countries at the horizon",
        _state("deployed.neighbouring"),
        group="forces",
    ),
    _mean(
        "deterrence_min",
        "index",
        "Lowest deterrence over the horizon",
        lambda rep: _deterrence_stats(rep)[0],
    ),
    _mean(
        "deterrence_mean",
        "index",
        "Time-weighted mean deterrence over the horizon",
        lambda rep: _deterrence_stats(rep)[1],
    ),
    _mean(
        "days_below_threshold",
        "days",
        "Days with deterrence below the threshold",
        lambda rep: _deterrence_stats(rep)[2],
        better="lower",
    ),
    _mean(
        "violations",
        "count",
        "Ceasefire violations recorded",
        lambda rep: float(rep.adversary.violations),
        better="lower",
    ),
    _mean(
        "financing_gap_days",
        "days",
        "Days with Ukraine's budget empty",
        lambda rep: float(rep.ukraine.budget.gap_days),
        better="lower",
    ),
    _mean(
        "cohesion_final",
        "share",
        "Share of pledged capacity still active at the horizon",
        _state("cohesion"),
    ),
    _mean("capability_final", "index", "Ukraine's capability at the horizon", _state("capability")),
)


def compute_kpis(rep: Replication) -> dict[str, float]:
    """Every KPI of a finished replication, in catalogue order."""
    return {kpi.name: kpi.measure(rep) for kpi in catalogue.kpis() if kpi.measure is not None}
