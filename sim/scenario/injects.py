"""Injects: scripted what-ifs that fire at a day or date, when a condition first holds, or a
number of days after an event (``after: {event: ceasefire, days: 180}``).

Every inject model subclasses :class:`InjectSpec` and declares ``action: Literal["<name>"]``;
:data:`INJECTS` registers it, which rebuilds the scenario's ``injects``. The engine carries out
each registered action with one handler (:mod:`sim.engine.actions`), and refuses to run an action
without one.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Item
from sim.scenario.doctrine import Response
from sim.scenario.family import Family
from sim.scenario.ladder import PROBE_TARGETS
from sim.scenario.pledges import PLEDGES, PledgeSpec
from sim.scenario.types import ConditionText, Id, MemberId, NonNeg, Pos

SETTABLE = {
    "adversary.offensive.base_hazard_per_year": "number",
    "adversary.offensive.deterrence_sensitivity": "number",
    "ukraine.budget.need_per_day": "number",
    "ukraine.military.need_per_day": "number",
    "us.enablers.probability": "number",
    "us.guarantee.probability_per_review": "number",
    "model.deterrence.capability": "number",
    "model.deterrence.presence": "number",
}
"""Parameters an inject may change while a replication runs."""

SIGNALS = ("ceasefire", "us.enablers", "us.guarantee", "us.revoke")
"""Signals an inject may trigger."""


EVENTS = ("ceasefire", "offensive")
"""Events an inject can be timed from."""


class After(Item):
    """A number of days after an event; never, if the event does not happen."""

    event: Literal["ceasefire", "offensive"]
    days: Annotated[int, Field(ge=0)]


class InjectSpec(Item):
    """When an inject fires: ``at`` a date or day, ``when`` a condition first holds, or
    ``after`` an event.
    """

    action: str
    at: date | Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="A date, or a day number from start."
    )
    when: ConditionText | None = Field(
        default=None, description="Fire when this condition first holds."
    )
    after: After | None = Field(
        default=None, description="Fire this many days after an event (ceasefire, offensive)."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _one_trigger(self) -> InjectSpec:
        given = [t for t in (self.at, self.when, self.after) if t is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'at' (date or day), 'when' (condition) and 'after' "
                "(event and days)"
            )
        return self


INJECTS: Family[InjectSpec] = Family("action")
"""The registered inject models, by action."""


@INJECTS.register
class WithdrawMember(InjectSpec):
    """A member leaves the coalition: all its pledges end."""

    action: Literal["withdraw_member"]
    member: MemberId


@INJECTS.register
class ScalePledges(InjectSpec):
    """Scale a member's pledges, or listed pledges, by a factor."""

    action: Literal["scale_pledges"]
    member: MemberId | None = None
    pledges: list[Id] = Field(default_factory=list)
    factor: NonNeg

    @model_validator(mode="after")
    def _target(self) -> ScalePledges:
        if self.member is None and not self.pledges:
            raise ValueError("name a 'member' or a list of 'pledges' to scale")
        return self


@INJECTS.register
class AddPledge(InjectSpec):
    """A new pledge, made during the run."""

    action: Literal["add_pledge"]
    pledge: PledgeSpec


PLEDGES.holds(AddPledge, "pledge")


@INJECTS.register
class SetParameter(InjectSpec):
    """Change one of the :data:`SETTABLE` parameters."""

    action: Literal["set_parameter"]
    path: str
    value: float

    @field_validator("path")
    @classmethod
    def _settable(cls, path: str) -> str:
        if path not in SETTABLE:
            raise ValueError(
                f"{path!r} cannot change during a run; settable: {', '.join(sorted(SETTABLE))}"
            )
        return path


@INJECTS.register
class TriggerSignal(InjectSpec):
    """Force an event: the ceasefire, U.S. enablers or guarantee, or a U.S. revocation."""

    action: Literal["trigger_signal"]
    signal: Literal["ceasefire", "us.enablers", "us.guarantee", "us.revoke"]


@INJECTS.register
class AdversarySurge(InjectSpec):
    """Multiply the offensive hazard for a while."""

    action: Literal["adversary_surge"]
    factor: Pos = Field(description="Multiplier on the offensive hazard.")
    days: Annotated[int, Field(gt=0)]


@INJECTS.register
class USPauseInject(InjectSpec):
    """The U.S. pauses its support for a number of days."""

    action: Literal["us_pause"]
    days: Annotated[int, Field(gt=0)]


@INJECTS.register
class ProbeInject(InjectSpec):
    """Russia probes now (grey zone): the coalition and the U.S. answer as their rules say."""

    action: Literal["probe"]
    target: str | None = Field(
        default=None,
        description="The reassurance force or a country bordering Ukraine; drawn if not given.",
    )

    @field_validator("target")
    @classmethod
    def _known_target(cls, target: str | None) -> str | None:
        if target is not None and target not in PROBE_TARGETS:
            raise ValueError(f"{target!r} is not a probe target; targets are {PROBE_TARGETS}")
        return target


@INJECTS.register
class IncursionInject(InjectSpec):
    """Russia makes a limited incursion now; it hits coalition troops as drawn, or as given."""

    action: Literal["incursion"]
    hit: bool | None = Field(
        default=None, description="Whether it hits coalition troops; drawn if not given."
    )


@INJECTS.register
class RelaxThreshold(InjectSpec):
    """Set the U.S. threshold (``to``) or move it (``by``, negative to relax)."""

    action: Literal["relax_threshold"]
    to: NonNeg | None = None
    by: float | None = None

    @model_validator(mode="after")
    def _one_change(self) -> RelaxThreshold:
        if (self.to is None) == (self.by is None):
            raise ValueError("give exactly one of 'to' (a new threshold) and 'by' (a change)")
        return self


@INJECTS.register
class DropUSConditionInject(InjectSpec):
    """A member that requires U.S. backing drops that requirement now."""

    action: Literal["drop_us_condition"]
    member: MemberId


@INJECTS.register
class SetDoctrine(InjectSpec):
    """Change how a member answers probes and incursions from now on."""

    action: Literal["set_doctrine"]
    member: MemberId
    probe: Response | None = None
    incursion: Response | None = None

    @model_validator(mode="after")
    def _something(self) -> SetDoctrine:
        if self.probe is None and self.incursion is None:
            raise ValueError("give 'probe', 'incursion' or both")
        return self
