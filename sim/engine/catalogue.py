"""The KPI catalogue: every outcome measure of a replication, how it is analysed and measured.

A :class:`KPI` names a per-replication number, its kind (a probability, an event day, a mean),
unit, meaning and which way is better; its ``measure`` reads it off a finished replication.
Families register their KPIs here — the core outcomes (:mod:`sim.engine.outcomes`), each pillar
its fulfilment (:mod:`sim.engine.pillars`) — and every consumer (summaries, comparisons,
sweeps, plots, tables) iterates :func:`kpis`, so a new KPI is one registration.

KPIs are grouped so that tables read in a stable order whatever registers when: outcomes and
milestones, then forces at the horizon, then pillar fulfilment, then deterrence and the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["probability", "event_day", "mean", "rate", "duration"]
Better = Literal["higher", "lower", "neither"]
Group = Literal["outcomes", "forces", "pillars", "assessment"]
GROUPS: tuple[Group, ...] = ("outcomes", "forces", "pillars", "assessment")


class UnknownKPIError(KeyError, ValueError):
    """A KPI name that the catalogue does not have (a ``ValueError`` too, for validators)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown KPI"


@dataclass(frozen=True)
class KPI:
    """One outcome measure: how it is analysed, its unit, meaning, and which way is better.

    Kinds and how they are estimated over replications (:mod:`sim.analysis.summary`):

    * ``probability`` — 0/1 per replication (``nan`` where it does not apply: a measure
      conditioned on exposure); the share, with a Wilson interval.
    * ``event_day`` — the day of an event from the start, ``nan`` if not reached (censored at
      the horizon); restricted mean and Kaplan–Meier quantiles.
    * ``mean`` — a number per replication (``nan`` where it does not apply); the mean.
    * ``rate`` — events per ``per`` days of exposure: the ratio estimator
      Σ ``numerator`` / Σ ``exposure`` over replications (each replication's own rate is
      stored, for reading, but not averaged).
    * ``duration`` — days from an origin (the ceasefire) to an event (``numerator``, 0/1) or
      to the horizon; restricted mean, and Kaplan–Meier quantiles of the time to the event
      censored where it did not happen.

    ``better`` orders scenarios in comparisons (rank 1 is best); for event days it refers to
    the share of replications reaching the event by the horizon. ``measure`` computes it from a
    finished replication. ``question`` says what the KPI answers, for tables and reports.
    """

    name: str
    kind: Kind
    unit: str
    description: str
    better: Better = "neither"
    group: Group = "outcomes"
    measure: Callable[[Any], float] | None = field(default=None, compare=False, repr=False)
    numerator: str | None = None
    """rate: the KPI counting events; duration: the KPI saying whether the event happened."""
    exposure: str | None = None
    """rate: the KPI giving each replication's days of exposure."""
    per: float = 1.0
    """rate: the number of exposure days the rate is expressed per."""
    question: str = ""

    def __post_init__(self) -> None:
        if self.kind == "rate" and (self.numerator is None or self.exposure is None):
            raise ValueError(f"rate KPI {self.name!r} needs a numerator and an exposure")
        if self.kind == "duration" and self.numerator is None:
            raise ValueError(f"duration KPI {self.name!r} needs the KPI of its event")


_REGISTERED: dict[str, KPI] = {}
_ORDERED: tuple[KPI, ...] | None = None


def register(*kpis: KPI) -> None:
    """Add KPIs to the catalogue.

    Raises:
        ValueError: a name is taken, or a KPI has no measure.
    """
    global _ORDERED
    for kpi in kpis:
        if kpi.name in _REGISTERED:
            raise ValueError(f"KPI {kpi.name!r} is already registered")
        if kpi.measure is None:
            raise ValueError(f"KPI {kpi.name!r} has no measure")
        _REGISTERED[kpi.name] = kpi
    _ORDERED = None


def unregister(name: str) -> None:
    """Remove a KPI (tests that register a toy pillar undo it)."""
    global _ORDERED
    _REGISTERED.pop(name, None)
    _ORDERED = None


def kpis() -> tuple[KPI, ...]:
    """Every KPI, by group and then in registration order."""
    global _ORDERED
    if _ORDERED is None:
        _load_builtin()
        _ORDERED = tuple(sorted(_REGISTERED.values(), key=lambda k: GROUPS.index(k.group)))
    return _ORDERED


def names() -> tuple[str, ...]:
    """Every KPI's name, in catalogue order."""
    return tuple(k.name for k in kpis())


def get(name: str) -> KPI:
    """The KPI called ``name``.

    Raises:
        UnknownKPIError: no such KPI; the message lists the known ones.
    """
    kpis()
    kpi = _REGISTERED.get(name)
    if kpi is None:
        raise UnknownKPIError(f"unknown KPI {name!r}; KPIs are {', '.join(names())}")
    return kpi


def index(name: str) -> int:
    """The column of a KPI in (replications × KPIs) arrays."""
    return names().index(get(name).name)


def _load_builtin() -> None:
    # The built-in KPIs register when their modules load; importing the engine loads them all.
    import sim.engine.model  # noqa: F401
