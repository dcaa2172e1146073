"""Field types shared by the scenario models: ids, probabilities, amounts, days, conditions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from sim.scenario.conditions import check_condition

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
MemberId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,15}$")]
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Pos = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Days = Annotated[int, Field(ge=0)]
ConditionText = Annotated[str, AfterValidator(check_condition)]

Domain = Literal["land", "sea", "air"]
Category = Literal["air_defence", "artillery", "armour", "aircraft", "ammunition"]
CATEGORIES: tuple[Category, ...] = ("air_defence", "artillery", "armour", "aircraft", "ammunition")
