"""Injects: scripted what-ifs that fire at a day or date, or when a condition first holds.

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
from sim.scenario.family import Family
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


class InjectSpec(Item):
    """When an inject fires (``at`` a date or day, or ``when`` a condition first holds)."""

    action: str
    at: date | Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="A date, or a day number from start."
    )
    when: ConditionText | None = Field(
        default=None, description="Fire when this condition first holds."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _one_trigger(self) -> InjectSpec:
        if (self.at is None) == (self.when is None):
            raise ValueError("give exactly one of 'at' (date or day) and 'when' (condition)")
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
