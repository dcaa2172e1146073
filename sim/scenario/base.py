"""The base of every scenario model: frozen, unknown keys rejected, provenance allowed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.scenario import numbers


class Item(BaseModel):
    """A scenario item. Any item may say where its numbers come from.

    ``source`` cites the evidence (URL or document and date); ``assumption`` states a judgement.
    Both are carried into the run manifest, so a results directory explains its inputs.

    Every field that takes a number refuses booleans, infinities, NaN and numbers too large
    for the engine (:mod:`sim.scenario.numbers`), whatever its model.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: str | None = Field(default=None, description="Where the figures come from.")
    assumption: str | None = Field(default=None, description="The judgement behind the figures.")

    @model_validator(mode="before")
    @classmethod
    def _numbers_the_engine_can_hold(cls, data: Any) -> Any:
        return numbers.check_numbers(cls, data)
