"""Pillars: how each kind of pledge is carried out, registered once for every consumer.

A pillar is one subclass of :class:`PledgeState` that names its scenario model (``spec_type``),
its words (``label``, ``unit``), its fulfilment KPI and what a pledge promises over the horizon
(:meth:`~PledgeState.promised`), and runs a pledge in its ``lifecycle`` process.
:func:`register_pillar` adds it to the scenario format (the pledge union), the engine (the
pledge factory), the KPI catalogue and the plots, so a new pillar is one module and one
registration.

What every pledge shares: an aid pledge (financing, equipment) delivers its member's delivery
share, drawn once per member and replication; any other pledge is honoured or not, as its member
is (reliability, one draw per member), and a dishonoured pledge is revealed when it would first
deliver. Either way, splitting a member's pledge into several changes nothing. Scaling and
withdrawal act at once on what the pledge currently contributes (``apply``), and on what it
delivers later; a process that wakes to find its pledge withdrawn simply ends, so no process is
ever interrupted.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from sim.engine import catalogue
from sim.engine.catalogue import KPI
from sim.engine.rng import Stream
from sim.engine.state import Watch
from sim.engine.world import ProcessGen, World
from sim.scenario.conditions import Condition
from sim.scenario.pledges import PLEDGES, PledgeSpec

if TYPE_CHECKING:
    from sim.engine.coalition import Cohesion, MemberState
    from sim.engine.ukraine import Ukraine


class PledgeState:
    """A pledge during one replication; subclasses are the pillars."""

    pillar: ClassVar[str]
    """The pillar's name: the ``pillar`` tag of its scenario model."""
    spec_type: ClassVar[type[PledgeSpec]]
    """The scenario model of this pillar's pledges."""
    label: ClassVar[str]
    """The pillar's name in tables and plots ("Reassurance force")."""
    unit: ClassVar[str]
    """What :meth:`promised` counts ("EUR bn", "troops", "graduates")."""
    kpi: ClassVar[KPI]
    """The pillar's fulfilment KPI: delivered ÷ pledged, averaged over its pledges."""
    contribution_unit: ClassVar[str] = ""
    """What :meth:`contributions` counts, for the members plot (default: :attr:`unit`)."""
    aid: ClassVar[bool] = False
    """Aid pillars deliver their member's delivery share (``members.<id>.delivery``); the
    others are honoured or not with the member's reliability."""

    def __init__(
        self,
        world: World,
        spec: PledgeSpec,
        member: MemberState,
        ukraine: Ukraine,
        cohesion: Cohesion,
    ) -> None:
        self.world = world
        self.spec = spec
        self.member = member
        self.ukraine = ukraine
        self.cohesion = cohesion
        self.stream: Stream = world.streams[f"pledge.{spec.id}"]
        self.honoured = True if self.aid else member.honours
        self.fraction = member.delivery if self.aid else 1.0
        """The share of the pledge that is delivered (its member's, for aid pillars)."""
        self.factor = 1.0
        self.withdrawn = False
        self.failed = False
        self.delivered = 0.0
        self.nominal = self.promised(spec, world.horizon)
        """What the pledge promises over the horizon, in its pillar's unit (fixed by spec and
        horizon; computed once, as cohesion reads it at every change of the pledge's share)."""
        self.conditions: list[Condition] = [world.condition(c) for c in spec.conditions]

    @classmethod
    def promised(cls, spec: Any, horizon: float) -> float:
        """What a pledge promises over the horizon, in the pillar's :attr:`unit`."""
        raise NotImplementedError

    @classmethod
    def contributions(cls, specs: list[Any], horizon: float) -> dict[str, float]:
        """What each member pledges in this pillar, in :attr:`contribution_unit`.

        The default sums :meth:`promised`; a pillar whose pledges are not in one unit says how
        to make them comparable.
        """
        totals: dict[str, float] = {}
        for spec in specs:
            totals[spec.member] = totals.get(spec.member, 0.0) + cls.promised(spec, horizon)
        return totals

    @property
    def id(self) -> str:
        """The pledge's id."""
        return self.spec.id

    @property
    def cohesion_group(self) -> str:
        """Pledges whose amounts cohesion may add up (one unit): the pillar by default."""
        return self.spec.pillar

    @property
    def waits_for_mandate(self) -> bool:
        """Whether the pledge waits for its member's national mandate."""
        return False

    @property
    def share(self) -> float:
        """This pledge's contribution to cohesion: its active share of what was pledged."""
        if self.withdrawn or self.failed:
            return 0.0
        return min(1.0, self.factor)

    @property
    def fulfilment(self) -> float:
        """Delivered ÷ pledged (above 1 when an inject or a reinforcing doctrine scaled it up)."""
        nominal = self.nominal
        return self.delivered / nominal if nominal > 0 else 0.0

    def start(self) -> None:
        """Start the pledge's lifecycle process."""
        self.world.process(self.lifecycle())

    def lifecycle(self) -> ProcessGen:
        """The pledge's process: wait for what it needs, then deliver."""
        raise NotImplementedError

    def wait_conditions(self) -> ProcessGen:
        """Wait until every condition of the pledge holds (no wait if it has none)."""
        if self.conditions:
            watch = Watch(self.world.state, self.conditions)
            yield watch.when_true()
            watch.close()

    def blocked(self) -> bool:
        """Whether the pledge cannot deliver now: it ended, or it turns out not to be honoured.

        Called when the pledge would first deliver; a dishonoured pledge is revealed (and
        logged) then.
        """
        if not self.live:
            return True
        if self.honoured:
            return False
        old = self.share
        self.failed = True
        self.world.log(
            "lapse", self.member.spec.id, f"{self.member.name} does not honour pledge {self.id}"
        )
        self.cohesion.share_changed(self, old)
        return True

    def withdraw(self, reason: str) -> None:
        """End the pledge now."""
        if self.withdrawn:
            return
        old = self.share
        self.withdrawn = True
        self.apply(0.0)
        self.cohesion.share_changed(self, old)

    def rescale(self, factor: float) -> None:
        """Set the pledge's scale factor (1 = as pledged)."""
        if self.withdrawn or factor == self.factor:
            return
        old = self.share
        self.factor = factor
        self.apply(factor)
        self.cohesion.share_changed(self, old)

    def apply(self, factor: float) -> None:
        """Bring the pledge's current contribution in line with ``factor`` (0 = none)."""

    @property
    def live(self) -> bool:
        """Not withdrawn, not failed, and its member still in the coalition."""
        return not self.withdrawn and not self.failed and self.member.active


PILLARS: dict[str, type[PledgeState]] = {}
"""Every registered pillar, by name, in registration order."""


def fulfilment_kpi(name: str, pillar: str, description: str) -> KPI:
    """A pillar's fulfilment KPI: the mean of its pledges' delivered ÷ pledged."""

    def measure(replication: Any) -> float:
        values = [p.fulfilment for p in replication.pledges if p.spec.pillar == pillar]
        return float(np.mean(values)) if values else math.nan

    return KPI(
        name, "mean", "share", description, better="higher", group="pillars", measure=measure
    )


def register_pillar(cls: type[PledgeState]) -> type[PledgeState]:
    """Register a pillar everywhere: the scenario format, the engine, the KPI catalogue.

    Usable as a class decorator.

    Raises:
        ValueError: the pillar's name or KPI is taken.
    """
    name = PLEDGES.tag_of(cls.spec_type)
    if name in PILLARS:
        raise ValueError(f"pillar {name!r} is already registered")
    cls.pillar = name
    PLEDGES.register(cls.spec_type)
    catalogue.register(cls.kpi)
    PILLARS[name] = cls
    return cls


def unregister_pillar(name: str) -> None:
    """Remove a pillar everywhere (tests that register a toy pillar undo it)."""
    cls = PILLARS.pop(name, None)
    if cls is not None:
        catalogue.unregister(cls.kpi.name)
        PLEDGES.unregister(name)
