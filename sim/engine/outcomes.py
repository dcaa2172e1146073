"""The core outcome measures of a replication (the brief's "Outcomes"), read at its end.

The headline measures are conditioned on exposure: a renewed offensive can only follow a
ceasefire, so the share of futures with an offensive *given* a ceasefire, the rate per day of
ceasefire and how long the ceasefire holds do not reward a ceasefire that never comes; the
unconditional ``offensive`` (within the horizon) is kept beside them. Deterrence is measured
over the days the ceasefire holds.

Event days that are not reached within the horizon are ``nan`` here and analysed as
right-censored at the horizon (Kaplan–Meier), never averaged as if reached; each has a 0/1
companion saying whether it happened. Measures that do not apply to a replication (no
ceasefire) are ``nan`` and left out of their estimates. Pillars register their fulfilment KPIs
themselves (:mod:`sim.engine.pillars`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from sim.engine import catalogue
from sim.engine.catalogue import KPI, Better, Group
from sim.engine.replication import Replication

PER_DAYS = 1000.0
"""The offensive rate is given per 1,000 days of ceasefire."""


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
    question: str = "",
) -> tuple[KPI, KPI]:
    """A probability KPI and its event-day companion, measured from one day (or None)."""
    return (
        KPI(
            name,
            "probability",
            "share",
            what,
            better=better,
            question=question,
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


def _window(rep: Replication) -> tuple[float, float] | None:
    """The days the ceasefire holds within the horizon: (start, end), or None without one."""
    start = _ceasefire_day(rep)
    if start is None:
        return None
    end = rep.adversary.offensive_day
    return start, float(rep.world.horizon if end is None else end)


def _held_days(rep: Replication) -> float:
    window = _window(rep)
    return math.nan if window is None else window[1] - window[0]


def _offensive_given_ceasefire(rep: Replication) -> float:
    return math.nan if _window(rep) is None else _happened(rep.adversary.offensive_day)


def _offensive_rate(rep: Replication) -> float:
    held = _held_days(rep)
    if not held > 0:
        return math.nan
    return PER_DAYS * _happened(rep.adversary.offensive_day) / held


def _weighted(rep: Replication, metric: str, start: float, end: float) -> tuple[np.ndarray, ...]:
    """A metric's values and how long each held within [start, end] (a step function)."""
    records = [(t, float(v)) for t, m, v in rep.world.state.records if m == metric]
    times = np.asarray([t for t, _ in records])
    values = np.asarray([v for _, v in records])
    edges = np.clip(np.append(times, end), start, end)
    return values, np.diff(edges)


def _deterrence_stats(rep: Replication) -> tuple[float, float, float]:
    """Mean, minimum and share of days below the threshold while the ceasefire holds."""
    found = rep.memo.get("deterrence")
    if found is None:
        window = _window(rep)
        if window is None or window[1] <= window[0]:
            found = (math.nan, math.nan, math.nan)
        else:
            start, end = window
            values, durations = _weighted(rep, "deterrence", start, end)
            held = durations > 0
            threshold = rep.world.scenario.model.deterrence.threshold
            length = end - start
            found = (
                float(np.dot(durations, values) / length),
                float(values[held].min()),
                min(1.0, float(durations[values < threshold].sum() / length)),  # no rounding past 1
            )
        rep.memo["deterrence"] = found
    stats: tuple[float, float, float] = found
    return stats


def _capability_mean(rep: Replication) -> float:
    horizon = rep.world.horizon
    values, durations = _weighted(rep, "capability", 0.0, horizon)
    return float(np.dot(durations, values) / horizon)


def _mean(
    name: str,
    unit: str,
    description: str,
    measure: Callable[[Replication], float],
    better: Better = "higher",
    group: Group = "assessment",
    question: str = "",
) -> KPI:
    return KPI(
        name,
        "mean",
        unit,
        description,
        better=better,
        group=group,
        measure=measure,
        question=question,
    )


def _state(metric: str) -> Callable[[Replication], float]:
    return lambda rep: float(rep.world.state[metric])


catalogue.register(
    KPI(
        "offensive_given_ceasefire",
        "probability",
        "share",
        "A renewed major offensive, among futures with a ceasefire",
        better="lower",
        measure=_offensive_given_ceasefire,
        question="Once a ceasefire holds, how often does Russia renew a major offensive "
        "within the horizon?",
    ),
    KPI(
        "offensive_rate",
        "rate",
        "per 1,000 days",
        "Renewed offensives per 1,000 days of ceasefire",
        better="lower",
        measure=_offensive_rate,
        numerator="offensive_given_ceasefire",
        exposure="ceasefire_held_days",
        per=PER_DAYS,
        question="How fast do renewed offensives come, per day that a ceasefire holds?",
    ),
    KPI(
        "ceasefire_held_days",
        "duration",
        "days",
        "Days the ceasefire holds within the horizon (until an offensive)",
        better="higher",
        measure=_held_days,
        numerator="offensive_given_ceasefire",
        question="How long does a ceasefire hold before an offensive ends it?",
    ),
    *_event(
        "offensive",
        "A renewed major offensive within the horizon",
        "Day of the renewed offensive",
        lambda rep: rep.adversary.offensive_day,
        better="lower",
        question="How often is there a renewed offensive within the horizon at all? (It can "
        "only follow a ceasefire: a late ceasefire leaves less time for one.)",
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
        "deterrence_mean",
        "index",
        "Time-weighted mean deterrence while the ceasefire holds",
        lambda rep: _deterrence_stats(rep)[0],
    ),
    _mean(
        "deterrence_min",
        "index",
        "Lowest deterrence while the ceasefire holds",
        lambda rep: _deterrence_stats(rep)[1],
    ),
    _mean(
        "share_below_threshold",
        "share",
        "Share of ceasefire days with deterrence below the threshold",
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
    KPI(
        "violations_rate",
        "rate",
        "per day",
        "Ceasefire violations per day of ceasefire",
        better="lower",
        group="assessment",
        measure=lambda rep: (
            rep.adversary.violations / held if (held := _held_days(rep)) > 0 else math.nan
        ),
        numerator="violations",
        exposure="ceasefire_held_days",
        per=1.0,
    ),
    _mean(
        "financing_gap_days",
        "days",
        "Days with Ukraine's state budget empty",
        lambda rep: float(rep.ukraine.budget.gap_days),
        better="lower",
    ),
    _mean(
        "sustainment_gap_days",
        "days",
        "Days with military sustainment unpaid",
        lambda rep: float(rep.ukraine.military.gap_days),
        better="lower",
    ),
    _mean(
        "cohesion_final",
        "share",
        "Share of pledged capacity still active at the horizon",
        _state("cohesion"),
    ),
    _mean(
        "capability_mean",
        "index",
        "Ukraine's time-weighted mean capability over the horizon",
        _capability_mean,
    ),
    _mean("capability_final", "index", "Ukraine's capability at the horizon", _state("capability")),
)


def compute_kpis(rep: Replication) -> dict[str, float]:
    """Every KPI of a finished replication, in catalogue order."""
    return {kpi.name: kpi.measure(rep) for kpi in catalogue.kpis() if kpi.measure is not None}
