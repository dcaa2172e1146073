"""The scenario format: pydantic models for every block of a scenario file.

Every model is frozen and rejects unknown keys. Units: days for durations, EUR bn for money,
troops/ships/aircraft for reassurance forces, units per category for equipment. Cross-item
rules (ids unique, references resolve, dates inside the horizon) are in :mod:`sim.scenario.rules`,
which :class:`Scenario` applies after the fields validate.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from sim.scenario.base import Item
from sim.scenario.distributions import Distribution, Fixed, Lognormal, Uniform
from sim.scenario.injects import INJECTS, InjectSpec
from sim.scenario.pledges import PLEDGES, PledgeSpec
from sim.scenario.types import CATEGORIES, ConditionText, MemberId, NonNeg, Pos, Probability

__all__ = ["CATEGORIES", "Scenario"]

# --------------------------------------------------------------------------- ceasefire


class Ceasefire(Item):
    """When the ceasefire takes effect, in days from ``start``; it may not come at all."""

    day: Distribution = Field(
        default_factory=lambda: Lognormal(dist="lognormal", median=150, sigma=0.6)
    )
    never_probability: Probability = 0.0


# --------------------------------------------------------------------------- members


class Shocks(Item):
    """Elections and government turnover: shocks at a Poisson rate that scale or end pledges."""

    rate_per_year: NonNeg = 0.0
    withdraw_probability: Probability = 0.0
    scale: Distribution = Field(
        default_factory=lambda: Uniform(dist="uniform", low=0.5, high=1.0),
        description="Factor applied to the member's pledges by a shock that does not withdraw.",
    )


class Member(Item):
    """A coalition member (a state, or an organisation such as the EU)."""

    id: MemberId
    name: str = Field(min_length=1)
    kind: Literal["state", "organisation"] = "state"
    reliability: Probability = Field(
        default=1.0, description="Probability that each of its pledges is honoured at all."
    )
    requires_us_backing: bool = Field(
        default=False,
        description="Its reassurance-force and neighbouring-deployment pledges become firm "
        "only once U.S. enablers are in place.",
    )
    mandate_delay: Distribution = Field(
        default_factory=lambda: Fixed(value=0),
        description="Days from the ceasefire until the national mandate (parliament vote).",
    )
    shocks: Shocks = Field(default_factory=Shocks)


# --------------------------------------------------------------------------- U.S.


class Enablers(Item):
    """ISR, air defence, C2, logistics: offered once conditions hold, decided at reviews."""

    conditions: list[ConditionText] = Field(default_factory=list)
    review_days: Annotated[int, Field(gt=0)] = 30
    probability: Probability = Field(
        default=0.0,
        description="Probability of a yes at each review while conditions hold (0: never).",
    )
    decision_delay: Distribution = Field(default_factory=lambda: Fixed(value=30))
    revocation_rate_per_year: NonNeg = 0.0


class Guarantee(Item):
    """An Article-5-like guarantee: decided at reviews once enablers are in place, then ratified."""

    conditions: list[ConditionText] = Field(default_factory=list)
    review_days: Annotated[int, Field(gt=0)] = 90
    probability_per_review: Probability = 0.0
    ratification_delay: Distribution = Field(default_factory=lambda: Fixed(value=120))
    ratification_probability: Probability = 1.0


class Pause(Item):
    """Sudden suspensions of U.S. support (as in March 2025)."""

    rate_per_year: NonNeg = 0.0
    days: Distribution = Field(default_factory=lambda: Fixed(value=10))


class USBacking(Item):
    """The U.S. state machine: none → enablers → guarantee."""

    initial: Literal["none", "enablers", "guarantee"] = "none"
    enablers: Enablers = Field(default_factory=Enablers)
    guarantee: Guarantee = Field(default_factory=Guarantee)
    pause: Pause = Field(default_factory=Pause)


# --------------------------------------------------------------------------- adversary


class Regime(Item):
    """One ceasefire-violation regime: a daily Poisson rate and a mean spell length."""

    rate_per_day: NonNeg
    mean_spell_days: Pos
    offensive_multiplier: NonNeg = 1.0


_REGIME_DEFAULTS: dict[str, dict[str, float]] = {
    "strong": {"rate_per_day": 30, "mean_spell_days": 120, "offensive_multiplier": 0.5},
    "eroding": {"rate_per_day": 200, "mean_spell_days": 60, "offensive_multiplier": 1.0},
    "minsk": {"rate_per_day": 1100, "mean_spell_days": 60, "offensive_multiplier": 1.5},
    "escalation": {"rate_per_day": 2000, "mean_spell_days": 14, "offensive_multiplier": 4.0},
}


class Regimes(Item):
    """The four OSCE-calibrated regimes, from a strong ceasefire to pre-offensive escalation.

    A partial entry (``strong: {rate_per_day: 20}``) keeps the other defaults of that regime.
    """

    strong: Regime = Regime(**_REGIME_DEFAULTS["strong"])
    eroding: Regime = Regime(**_REGIME_DEFAULTS["eroding"])
    minsk: Regime = Regime(**_REGIME_DEFAULTS["minsk"])
    escalation: Regime = Regime(**_REGIME_DEFAULTS["escalation"])

    @model_validator(mode="before")
    @classmethod
    def _fill_partial(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        filled = dict(data)
        for name, defaults in _REGIME_DEFAULTS.items():
            given = data.get(name)
            if isinstance(given, dict):
                filled[name] = {**defaults, **given}
        return filled

    def get(self, name: str) -> Regime:
        """The regime called ``name``."""
        regime: Regime = getattr(self, name)
        return regime


class RegimeSwitching(Item):
    """At the end of a spell, the regime worsens with probability 1/(1+exp(slope·(D−midpoint)))."""

    midpoint: NonNeg = 1.0
    slope: NonNeg = 4.0


class Offensive(Item):
    """Hazard of a renewed major offensive: base · regime multiplier · exp(−s·(D − 1))."""

    base_hazard_per_year: NonNeg = 0.3
    deterrence_sensitivity: NonNeg = 3.0


class Adversary(Item):
    """Offensive capacity regenerating after the ceasefire; violations; the offensive hazard."""

    capacity_at_ceasefire: Annotated[float, Field(gt=0, le=1)] = 0.6
    regeneration_days: Annotated[int, Field(gt=0)] = 180
    regeneration_steps: Annotated[int, Field(ge=1, le=100)] = 6
    initial_regime: Literal["strong", "eroding", "minsk", "escalation"] = "strong"
    violation_regimes: Regimes = Field(default_factory=Regimes)
    switching: RegimeSwitching = Field(default_factory=RegimeSwitching)
    offensive: Offensive = Field(default_factory=Offensive)


# --------------------------------------------------------------------------- Ukraine, industry


class Stock(Item):
    """One equipment category: the stock at the start and the level counted as 1.0 capability."""

    initial: NonNeg = 100.0
    reference: Pos = 100.0
    war_attrition_per_year: Annotated[float, Field(ge=0, lt=50)] = 0.3
    peace_attrition_per_year: Annotated[float, Field(ge=0, lt=50)] = 0.05


class Stocks(Item):
    """Ukraine's equipment by category (units of each category are its own)."""

    air_defence: Stock = Stock()
    artillery: Stock = Stock()
    armour: Stock = Stock()
    aircraft: Stock = Stock()
    ammunition: Stock = Stock()

    def get(self, category: str) -> Stock:
        """The stock of one category."""
        stock: Stock = getattr(self, category)
        return stock


class Ukraine(Item):
    """Ukraine's starting position and needs."""

    trained: NonNeg = Field(default=100_000, description="Coalition-trained personnel at start.")
    trained_reference: Pos = 150_000
    war_attrition_per_year: Annotated[float, Field(ge=0, lt=50)] = 0.25
    peace_attrition_per_year: Annotated[float, Field(ge=0, lt=50)] = 0.05
    stocks: Stocks = Field(default_factory=Stocks)
    budget: NonNeg = Field(default=10.0, description="EUR bn of external money at start.")
    need_per_day: NonNeg = Field(default=0.15, description="EUR bn of external need per day.")


class Production(Item):
    """Industrial output available to Ukraine per category, units per year; unset is uncapped."""

    air_defence: Pos | None = None
    artillery: Pos | None = None
    armour: Pos | None = None
    aircraft: Pos | None = None
    ammunition: Pos | None = None


class Industry(Item):
    """Capped industrial output: equipment from new production queues for it."""

    production_per_year: Production = Field(default_factory=Production)


# --------------------------------------------------------------------------- model weights


class EquipmentWeights(Item):
    """Weight of each equipment category in capability."""

    air_defence: NonNeg = 0.2
    artillery: NonNeg = 0.15
    armour: NonNeg = 0.1
    aircraft: NonNeg = 0.05
    ammunition: NonNeg = 0.1


class CapabilityWeights(Item):
    """Capability = sustainment · (personnel·P/P_ref + Σ category·S/S_ref)."""

    personnel: NonNeg = 0.4
    equipment: EquipmentWeights = Field(default_factory=EquipmentWeights)
    gap_penalty: Probability = Field(
        default=0.3, description="Share of capability lost while the budget is empty."
    )


class PresenceScale(Item):
    """Units of each presence that count as one 'unit of presence' (1 − 1/e of the maximum)."""

    land: Pos = 10_000
    sea: Pos = 6
    air: Pos = 48
    neighbouring: Pos = 20_000


class USTerm(Item):
    """The U.S. term of deterrence, by state (zero during a pause)."""

    none: NonNeg = 0.0
    enablers: NonNeg = 0.25
    guarantee: NonNeg = 0.5


class DeterrenceWeights(Item):
    """Deterrence = (capability·c + presence(1−e^−x)·credibility·p + U.S. term) / adversary."""

    capability: NonNeg = 0.6
    presence: NonNeg = 0.5
    presence_scale: PresenceScale = Field(default_factory=PresenceScale)
    us: USTerm = Field(default_factory=USTerm)
    threshold: NonNeg = Field(
        default=1.0, description="Deterrence below this counts as a day below the threshold."
    )


class ModelWeights(Item):
    """Every weight of capability and deterrence, and the accounting period for attrition."""

    capability: CapabilityWeights = Field(default_factory=CapabilityWeights)
    deterrence: DeterrenceWeights = Field(default_factory=DeterrenceWeights)
    attrition_period_days: Annotated[int, Field(ge=1, le=365)] = 30
    grid_days: Annotated[int, Field(ge=1, le=365)] = Field(
        default=7, description="Spacing of the time-series grid in results."
    )


# --------------------------------------------------------------------------- scenario


class Scenario(Item):
    """A whole scenario: who pledges what, the U.S., the adversary, and the what-ifs."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    description: str = ""
    extends: str | None = Field(
        default=None,
        description="Path of a base scenario, relative to this file; resolved at load time.",
    )
    start: date
    horizon_days: Annotated[int, Field(gt=0, le=7300)]
    ceasefire: Ceasefire = Field(default_factory=Ceasefire)
    members: list[Member] = Field(min_length=1)
    pledges: list[PledgeSpec] = Field(default_factory=list)
    us: USBacking = Field(default_factory=USBacking)
    adversary: Adversary = Field(default_factory=Adversary)
    ukraine: Ukraine = Field(default_factory=Ukraine)
    industry: Industry = Field(default_factory=Industry)
    model: ModelWeights = Field(default_factory=ModelWeights)
    injects: list[InjectSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_item_rules(self, info: ValidationInfo) -> Scenario:
        if info.context and info.context.get("defer_rules"):
            return self
        from sim.scenario.rules import rule_violations

        found = rule_violations(self)
        if found:
            raise ValueError(
                "; ".join(".".join(str(p) for p in loc) + ": " + msg for loc, msg in found)
            )
        return self

    def member(self, member_id: str) -> Member:
        """Return the member with this id."""
        for member in self.members:
            if member.id == member_id:
                return member
        raise KeyError(member_id)

    def day_of(self, when: date | int) -> int:
        """Days from ``start`` to a date (or the day itself)."""
        if isinstance(when, date):
            return (when - self.start).days
        return when


# The scenario holds every registered pledge and inject model; it is declared after AddPledge,
# which holds pledges too, so that its rebuilds see AddPledge's.
PLEDGES.holds(Scenario, "pledges", many=True)
INJECTS.holds(Scenario, "injects", many=True)
