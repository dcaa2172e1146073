"""Outcome measures of the actors: Russia's moves below war, the ladder, the answers.

Under either decision rule: ``probes`` counts probes (from the ladder or injects), ``incursion``
says whether a limited incursion came, ``max_rung`` is the highest rung reached (0 hold, 1 probe,
2 incursion, 3 major offensive; with the hazard rule only 0 or 3), ``nan`` where no ceasefire came
and nothing moved. ``probe_rate`` is probes per 365 days of ceasefire (the ratio estimator over
replications), the counterpart of the yearly probing counts of docs/CALIBRATION.md §17.6. The
answers count each touched member's response once per move.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sim.engine import catalogue
from sim.engine.catalogue import KPI, Better, Group
from sim.engine.moves import Moves
from sim.engine.outcomes import _held_days, _mean
from sim.engine.replication import Replication

PER_YEAR = 365.0


def _moves(rep: Replication) -> Moves:
    assert rep.moves is not None
    return rep.moves


def _max_rung(rep: Replication) -> float:
    moves = _moves(rep)
    if rep.adversary.offensive_day is not None:
        return 3.0
    if moves.max_rung > 0:
        return float(moves.max_rung)
    ceasefire = rep.world.ceasefire.triggered
    return 0.0 if ceasefire else math.nan


def _day(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _count(
    name: str,
    description: str,
    measure: Callable[[Replication], float],
    better: Better = "neither",
    group: Group = "assessment",
    question: str = "",
) -> KPI:
    """A count per replication, reported as its mean over replications."""
    return _mean(name, "count", description, measure, better, group, question)


catalogue.register(
    _count(
        "probes",
        "Russian probes (grey zone) within the horizon",
        lambda rep: float(_moves(rep).probes),
        better="lower",
        group="outcomes",
        question="How often does Russia test the coalition below the threshold of war?",
    ),
    KPI(
        "probe_rate",
        "rate",
        "per year",
        "Probes per year of ceasefire",
        better="lower",
        group="outcomes",
        measure=lambda rep: (
            PER_YEAR * _moves(rep).probes / held if (held := _held_days(rep)) > 0 else math.nan
        ),
        numerator="probes",
        exposure="ceasefire_held_days",
        per=PER_YEAR,
        question="How fast does Russia probe while a ceasefire holds (docs/CALIBRATION.md §17.6)?",
    ),
    KPI(
        "first_probe_day",
        "event_day",
        "day",
        "Day of Russia's first probe",
        better="lower",
        group="outcomes",
        measure=lambda rep: _day(_moves(rep).first_probe_day),
    ),
    KPI(
        "incursion",
        "probability",
        "share",
        "A limited Russian incursion within the horizon",
        better="lower",
        group="outcomes",
        measure=lambda rep: 1.0 if _moves(rep).incursions else 0.0,
        question="How often does Russia try a limited fait accompli short of a major offensive?",
    ),
    KPI(
        "incursion_day",
        "event_day",
        "day",
        "Day of the first limited incursion",
        better="lower",
        group="outcomes",
        measure=lambda rep: _day(_moves(rep).first_incursion_day),
    ),
    _count(
        "max_rung",
        "Highest rung reached (0 hold, 1 probe, 2 incursion, 3 major offensive)",
        _max_rung,
        better="lower",
        group="outcomes",
    ),
    _count(
        "probes_unanswered",
        "Probes that no touched member reinforced against and the U.S. did not answer",
        lambda rep: float(_moves(rep).unanswered),
        better="lower",
    ),
    _count(
        "responses_reinforce",
        "Members' answers to probes and incursions: reinforce",
        lambda rep: float(_moves(rep).responses["reinforce"]),
    ),
    _count(
        "responses_stand_firm",
        "Members' answers to probes and incursions: stand firm",
        lambda rep: float(_moves(rep).responses["stand_firm"]),
    ),
    _count(
        "responses_withdraw",
        "Members' answers to probes and incursions: withdraw their forces",
        lambda rep: float(_moves(rep).responses["withdraw"]),
        better="lower",
    ),
)
