"""Random quantities in a scenario: a bare number, or ``{dist: NAME, ...}``.

Every quantity the model draws (delays, lead times, days, factors) is non-negative, so every
distribution's parameters are checked for that here. Sampling lives with the engine
(:mod:`sim.engine.rng`), which draws by inverse transform from one uniform per value, so that
the k-th draw of a named stream is the same whatever the distribution's parameters.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from sim.scenario.base import Item

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Pos = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Fixed(Item):
    """Always the same value."""

    dist: Literal["fixed"] = "fixed"
    value: NonNeg

    @property
    def mean(self) -> float:
        """The distribution's mean: the value."""
        return self.value


class Uniform(Item):
    """Uniform on [low, high]."""

    dist: Literal["uniform"]
    low: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not exceed high ({self.high:g})")
        return self

    @property
    def mean(self) -> float:
        """The distribution's mean."""
        return (self.low + self.high) / 2


class _ThreePoint(Item):
    low: NonNeg
    mode: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> _ThreePoint:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"need low <= mode <= high (got {self.low:g}, {self.mode:g}, {self.high:g})"
            )
        return self


class Triangular(_ThreePoint):
    """Triangular with the given low, mode and high."""

    dist: Literal["triangular"]

    @property
    def mean(self) -> float:
        """The distribution's mean."""
        return (self.low + self.mode + self.high) / 3


class Pert(_ThreePoint):
    """Beta-PERT: a smoother three-point estimate; ``shape`` 4 is the classic choice."""

    dist: Literal["pert"]
    shape: Pos = 4.0

    @property
    def mean(self) -> float:
        """The distribution's mean."""
        return (self.low + self.shape * self.mode + self.high) / (self.shape + 2)


class Normal(Item):
    """Normal; draws below zero are clipped to zero (every modelled quantity is non-negative)."""

    dist: Literal["normal"]
    mean_: NonNeg = Field(alias="mean")
    sd: NonNeg

    @property
    def mean(self) -> float:
        """The distribution's mean (before clipping at zero)."""
        return self.mean_


class Lognormal(Item):
    """Lognormal given by its median and the sigma of its logarithm."""

    dist: Literal["lognormal"]
    median: Pos
    sigma: Annotated[float, Field(gt=0, le=5, allow_inf_nan=False)]

    @property
    def mean(self) -> float:
        """The distribution's mean, median · exp(sigma² / 2)."""
        return self.median * math.exp(self.sigma**2 / 2)


class Exponential(Item):
    """Exponential with the given mean."""

    dist: Literal["exponential"]
    mean_: Pos = Field(alias="mean")

    @property
    def mean(self) -> float:
        """The distribution's mean."""
        return self.mean_


class Beta(Item):
    """A share in [0, 1]: Beta with the given mean and concentration (α + β).

    Higher concentration means less spread: the standard deviation is
    sqrt(mean·(1 − mean) / (concentration + 1)).
    """

    dist: Literal["beta"]
    mean_: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = Field(alias="mean")
    concentration: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)]

    @property
    def mean(self) -> float:
        """The distribution's mean."""
        return self.mean_

    @property
    def alpha(self) -> float:
        """The first shape parameter, mean · concentration."""
        return self.mean_ * self.concentration

    @property
    def beta(self) -> float:
        """The second shape parameter, (1 − mean) · concentration."""
        return (1 - self.mean_) * self.concentration


DistributionModel = Fixed | Uniform | Triangular | Pert | Normal | Lognormal | Exponential | Beta


def _bare_number_is_fixed(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(
            "expected a number or a {dist: ...} mapping, got a boolean (YAML reads yes/no, "
            "on/off and true/false as booleans)"
        )
    if isinstance(value, int | float):
        return {"dist": "fixed", "value": value}
    return value


Distribution = Annotated[
    Fixed | Uniform | Triangular | Pert | Normal | Lognormal | Exponential | Beta,
    Field(discriminator="dist"),
    BeforeValidator(_bare_number_is_fixed),
]
"""A random quantity: a bare number (fixed) or a ``{dist: ...}`` mapping."""
