"""A member's rules: how it answers Russia's moves, and when it drops its U.S. condition.

A probe or an incursion *touches* a member when it hits the member itself (a probe of its own
territory, for a country bordering Ukraine), its troops in the probed host country, or its forces
deployed in Ukraine (a probe of the reassurance force, an incursion that hits coalition troops).
A touched member answers by its doctrine: ``reinforce`` scales its force pledges up by
``reinforce_factor`` (whole troops, ships, aircraft; never beyond ``max_factor`` of the pledge)
after ``reinforce_days``; ``stand_firm`` changes nothing; ``withdraw`` ends its force pledges.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.base import Item
from sim.scenario.types import ConditionText, Days, Probability

Response = Literal["reinforce", "stand_firm", "withdraw"]
RESPONSES: tuple[Response, ...] = ("reinforce", "stand_firm", "withdraw")


class Doctrine(Item):
    """How the member answers a probe and an incursion that touch it."""

    probe: Response = "stand_firm"
    incursion: Response = "stand_firm"
    reinforce_factor: Annotated[float, Field(gt=1, le=5, allow_inf_nan=False)] = Field(
        default=1.2, description="Each reinforcement multiplies the force pledges by this."
    )
    max_factor: Annotated[float, Field(ge=1, le=5, allow_inf_nan=False)] = Field(
        default=1.2, description="Reinforcements stop at this multiple of what was pledged."
    )
    reinforce_days: Days = Field(
        default=14, description="Days from the decision to the reinforcement being in place."
    )


class DropUSCondition(Item):
    """A member that requires U.S. backing drops that requirement once ``when`` first holds,
    with ``probability`` (one draw, then).
    """

    when: ConditionText
    probability: Probability = 1.0


def check_drop(requires_us_backing: bool, rule: DropUSCondition | None) -> None:
    """A drop rule needs a U.S. condition to drop.

    Raises:
        ValueError: the member does not require U.S. backing.
    """
    if rule is not None and not requires_us_backing:
        raise ValueError(
            "drop_us_condition: the member does not require U.S. backing, so there is nothing "
            "to drop (set requires_us_backing: true or remove the rule)"
        )
