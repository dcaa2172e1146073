"""Pledges: what a member promises in one pillar, and the registry of pillars' pledge models.

Every pledge model subclasses :class:`PledgeSpec` and declares ``pillar: Literal["<name>"]``;
:data:`PLEDGES` registers it, which rebuilds every model that holds pledges (a scenario's
``pledges``, an ``add_pledge`` inject). The engine pairs each registered model with the process
that carries it out (:mod:`sim.engine.pillars`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from sim.scenario.base import Item
from sim.scenario.distributions import Distribution, Fixed
from sim.scenario.family import Family
from sim.scenario.types import (
    Category,
    ConditionText,
    Days,
    Domain,
    Id,
    MemberId,
    Pos,
    Probability,
)

UKRAINE_NEIGHBOURS = {
    "POL": "Poland",
    "ROU": "Romania",
    "SVK": "Slovakia",
    "HUN": "Hungary",
    "MDA": "Moldova",
}
"""Countries bordering Ukraine that could host coalition forces (Belarus and Russia excluded)."""


class PledgeSpec(Item):
    """What every pledge has: an id, the member making it, and conditions for it to be firm."""

    pillar: str
    id: Id
    member: MemberId
    conditions: list[ConditionText] = Field(
        default_factory=list,
        description="Every condition must hold for the pledge to become firm.",
    )


PLEDGES: Family[PledgeSpec] = Family("pillar")
"""The registered pledge models, by pillar."""


@PLEDGES.register
class TrainingPledge(PledgeSpec):
    """Training places: cohorts of up to ``capacity`` trainees, ``course_days`` long."""

    pillar: Literal["training"]
    capacity: Annotated[int, Field(gt=0)] = Field(description="Trainees in training at once.")
    course_days: Annotated[int, Field(gt=0)]
    washout: Annotated[float, Field(ge=0, lt=1)] = 0.1
    location: Literal["abroad", "in_country"] = Field(
        default="abroad", description="In-country training starts only after the ceasefire."
    )


@PLEDGES.register
class FinancingPledge(PledgeSpec):
    """Money in tranches; each tranche may be late and may be paid only in part."""

    pillar: Literal["financing"]
    use: Literal["budget", "military"] = Field(
        default="budget",
        description="budget: support for the state budget; military: aid that buys equipment "
        "and sustains the forces.",
    )
    amount: Pos = Field(description="EUR bn over the whole pledge.")
    tranches: Annotated[int, Field(ge=1, le=1000)] = 1
    every: Days = Field(default=30, description="Days between scheduled tranches.")
    first_day: Days = 0
    delay: Distribution = Field(default_factory=lambda: Fixed(value=0))
    paid_fraction: Distribution = Field(
        default_factory=lambda: Fixed(value=1),
        description="Share of each tranche actually paid (conditionality); capped at 1.",
    )


@PLEDGES.register
class EquipmentPledge(PledgeSpec):
    """Equipment of one category, delivered in lots after a lead time and capped production."""

    pillar: Literal["equipment"]
    category: Category
    quantity: Annotated[int, Field(gt=0)] = Field(
        description="Whole units of the category (fire units, tubes, thousands of shells)."
    )
    lots: Annotated[int, Field(ge=1, le=1000)] = 1
    lead_time: Distribution = Field(default_factory=lambda: Fixed(value=0))
    from_production: bool = Field(
        default=True,
        description="New production queues for the category's capped output; stock does not.",
    )


@PLEDGES.register
class ReassurancePledge(PledgeSpec):
    """Troops, ships or aircraft in Ukraine after the ceasefire."""

    pillar: Literal["reassurance_force"]
    domain: Domain
    amount: Annotated[int, Field(gt=0)] = Field(
        description="Troops (land), ships (sea) or aircraft (air)."
    )
    lead_time: Distribution = Field(
        default_factory=lambda: Fixed(value=30),
        description="Days to generate and deploy the force once it is firm.",
    )
    rotation_days: Annotated[int, Field(ge=7)] | None = 180
    renewal_probability: Probability = Field(
        default=1.0, description="Probability that each rotation is sustained."
    )
    withdraw_on_offensive: bool = True


@PLEDGES.register
class NeighbouringPledge(PledgeSpec):
    """Troops stationed in a country bordering Ukraine (aircraft belong to the air force)."""

    pillar: Literal["neighbouring_deployment"]
    host: str = Field(
        json_schema_extra={"enum": list(UKRAINE_NEIGHBOURS)},
        description="A country bordering Ukraine.",
    )
    amount: Annotated[int, Field(gt=0)] = Field(description="Troops.")
    lead_time: Distribution = Field(default_factory=lambda: Fixed(value=14))
    withdraw_on_offensive: bool = False

    @field_validator("host")
    @classmethod
    def _borders_ukraine(cls, host: str) -> str:
        if host not in UKRAINE_NEIGHBOURS:
            names = ", ".join(f"{k} ({v})" for k, v in UKRAINE_NEIGHBOURS.items())
            raise ValueError(f"{host!r} does not border Ukraine; hosts are {names}")
        return host
