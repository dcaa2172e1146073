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
from sim.scenario.distributions import Beta, Distribution, Fixed, Lognormal, Uniform
from sim.scenario.doctrine import Doctrine, DropUSCondition, check_drop
from sim.scenario.injects import INJECTS, InjectSpec
from sim.scenario.ladder import Ladder
from sim.scenario.pledges import PLEDGES, PledgeSpec
from sim.scenario.types import CATEGORIES, ConditionText, MemberId, NonNeg, Pos, Probability
from sim.scenario.us_rules import Responses, Threshold

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
        default=1.0,
        description="Probability that the member honours its force and training pledges at "
        "all (one draw per member and replication, shared by those pledges).",
    )
    delivery: Distribution = Field(
        default_factory=lambda: Beta.model_validate(
            {"dist": "beta", "mean": 0.654, "concentration": 10}
        ),
        description="Share of its aid commitments (financing, equipment) that is delivered: one "
        "draw per member and replication, shared by all its aid pledges (values above 1 count "
        "as 1).",
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
    doctrine: Doctrine = Field(
        default_factory=Doctrine,
        description="How it answers a probe or an incursion that touches it.",
    )
    drop_us_condition: DropUSCondition | None = Field(
        default=None,
        description="When a member that requires U.S. backing drops that requirement.",
    )

    @model_validator(mode="after")
    def _drop_needs_condition(self) -> Member:
        check_drop(self.requires_us_backing, self.drop_us_condition)
        return self


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
    """Sudden suspensions of U.S. support (as in March 2025): aid and intelligence stop."""

    rate_per_year: NonNeg = 0.0
    days: Distribution = Field(default_factory=lambda: Fixed(value=10))
    capability_penalty: Probability = Field(
        default=0.1,
        description="Share of Ukraine's capability lost while U.S. intelligence is paused.",
    )


class USBacking(Item):
    """The U.S. state machine: none → enablers → guarantee."""

    initial: Literal["none", "enablers", "guarantee"] = "none"
    enablers: Enablers = Field(default_factory=Enablers)
    guarantee: Guarantee = Field(default_factory=Guarantee)
    pause: Pause = Field(default_factory=Pause)
    threshold: Threshold | None = Field(
        default=None,
        description="The us.threshold metric and the rules that move it (none: no such metric).",
    )
    responses: Responses = Field(default_factory=Responses)


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
    """Hazard of a renewed major offensive: base · regime multiplier · exp(−s·(D − D*)), with
    the pivot D* = ``model.deterrence.threshold``.
    """

    base_hazard_per_year: NonNeg = 0.3
    deterrence_sensitivity: NonNeg = 3.0


class Regeneration(Item):
    """Russia's offensive capacity after the ceasefire, fed by recruitment and production.

    capacity = min(capacity_max, (P / personnel_reference + M / munitions_reference) / 2), with
    personnel P and munitions M growing linearly from their levels at the ceasefire by the net
    monthly (yearly) flows; re-evaluated every ``step_days``.
    """

    personnel_at_ceasefire: NonNeg = 600_000
    personnel_reference: Pos = Field(
        default=765_000, description="Troops at which the personnel index counts 1."
    )
    recruits_per_month: NonNeg = 37_500
    outflow_per_month: NonNeg = Field(
        default=10_000, description="Troops leaving each month after the ceasefire."
    )
    munitions_at_ceasefire: NonNeg = Field(default=1_000_000, description="Artillery shells.")
    munitions_reference: Pos = Field(
        default=2_625_000, description="Shells at which the munitions index counts 1."
    )
    shells_per_year: NonNeg = 3_750_000
    shell_use_per_year: NonNeg = Field(
        default=500_000, description="Shells used per year after the ceasefire."
    )
    capacity_max: Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)] = 2.0
    step_days: Annotated[int, Field(ge=1, le=365)] = 30


class Adversary(Item):
    """Regenerating offensive capacity; violations; how Russia decides on a renewed offensive.

    ``decision: hazard`` (the default): the offensive comes at the hazard ``offensive`` describes,
    integrated exactly. ``decision: ladder``: Russia chooses a rung at periodic reviews
    (:mod:`sim.scenario.ladder`); the offensive is its top rung, with the same parameters.
    """

    decision: Literal["hazard", "ladder"] = "hazard"
    ladder: Ladder = Field(default_factory=Ladder)

    regeneration: Regeneration = Field(default_factory=Regeneration)
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


class Forces(Item):
    """Ukraine's armed forces: mobilisation in, attrition out (per year, exponential)."""

    personnel: NonNeg = Field(default=880_000, description="Troops at the start.")
    reference: Pos = Field(default=900_000, description="Troops that count as 1.0.")
    war_mobilisation_per_month: NonNeg = 26_000
    peace_mobilisation_per_month: NonNeg = 5_000
    war_attrition_per_year: Annotated[float, Field(ge=0, lt=50)] = 0.35
    peace_attrition_per_year: Annotated[float, Field(ge=0, lt=50)] = 0.10


class Fund(Item):
    """A pool of money spent at a need rate; empty means a gap."""

    initial: NonNeg = Field(default=10.0, description="EUR bn at the start.")
    need_per_day: NonNeg = Field(default=0.15, description="EUR bn spent per day.")


class Ukraine(Item):
    """Ukraine's starting position and needs."""

    forces: Forces = Field(default_factory=Forces)
    trained: NonNeg = Field(default=100_000, description="Coalition-trained personnel at start.")
    trained_reference: Pos = 150_000
    war_attrition_per_year: Annotated[float, Field(ge=0, lt=50)] = 0.25
    peace_attrition_per_year: Annotated[float, Field(ge=0, lt=50)] = 0.05
    stocks: Stocks = Field(default_factory=Stocks)
    budget: Fund = Field(
        default_factory=Fund,
        description="The state budget's external money (the IMF-measured gap): budget support "
        "pays in.",
    )
    military: Fund = Field(
        default_factory=lambda: Fund(initial=2.0, need_per_day=0.02),
        description="Military sustainment (pay, fuel, maintenance) met by military aid.",
    )


class Production(Item):
    """Industrial output available to Ukraine per category, units per year; unset is uncapped."""

    air_defence: Pos | None = None
    artillery: Pos | None = None
    armour: Pos | None = None
    aircraft: Pos | None = None
    ammunition: Pos | None = None


class UnitCosts(Item):
    """EUR million per unit of each category (ammunition: per thousand shells)."""

    air_defence: Pos = 140.0
    artillery: Pos = 4.0
    armour: Pos = 5.0
    aircraft: Pos = 60.0
    ammunition: Pos = 3.5


class AidMix(Item):
    """How military aid's procurement money is split between the categories (shares sum to 1)."""

    air_defence: Probability = 0.35
    artillery: Probability = 0.15
    armour: Probability = 0.1
    aircraft: Probability = 0.05
    ammunition: Probability = 0.35

    @model_validator(mode="after")
    def _sums_to_one(self) -> AidMix:
        total = sum(getattr(self, c) for c in CATEGORIES)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the shares must sum to 1 (they sum to {total:g})")
        return self

    def get(self, category: str) -> float:
        """The share of one category."""
        share: float = getattr(self, category)
        return share


class Industry(Item):
    """Capped industrial output, and what military aid buys from it."""

    production_per_year: Production = Field(default_factory=Production)
    unit_cost: UnitCosts = Field(default_factory=UnitCosts)
    aid_mix: AidMix = Field(default_factory=AidMix)
    procurement_share: Probability = Field(
        default=0.6,
        description="Share of military aid spent on equipment; the rest sustains the forces.",
    )
    procurement_lead_time: Distribution = Field(
        default_factory=lambda: Lognormal(dist="lognormal", median=120, sigma=0.5),
        description="Days from a payment to the contracted equipment being ready to ship "
        "(production lines may make it later).",
    )


# --------------------------------------------------------------------------- model weights


class EquipmentWeights(Item):
    """Weight of each equipment category in capability."""

    air_defence: NonNeg = 0.2
    artillery: NonNeg = 0.15
    armour: NonNeg = 0.1
    aircraft: NonNeg = 0.05
    ammunition: NonNeg = 0.1


class CapabilityWeights(Item):
    """Capability = sustainment · (force·F/F_ref + trained·T/T_ref + Σ category·S/S_ref)."""

    force: NonNeg = Field(default=0.25, description="Weight of the armed forces' size.")
    trained: NonNeg = Field(default=0.15, description="Weight of coalition-trained personnel.")
    equipment: EquipmentWeights = Field(default_factory=EquipmentWeights)
    gap_penalty: Probability = Field(
        default=0.3, description="Share of capability lost while the state budget is empty."
    )
    sustainment_penalty: Probability = Field(
        default=0.2, description="Share of capability lost while military sustainment is unpaid."
    )


PRESENCE_TERMS = ("land", "sea", "air", "neighbouring", "tripwire")
"""The terms of presence, in order."""


class PresenceTerm(Item):
    """One saturating term of presence: weight · (1 − exp(−x / scale))."""

    weight: Probability
    scale: Pos = Field(description="The amount giving 1 − 1/e ≈ 63% of the term's weight.")


class Presence(Item):
    """Coalition presence: one saturating term per domain and a tripwire term (weights sum to 1).

    ``land``, ``sea``, ``air``: troops, ships, aircraft in Ukraine; ``neighbouring``: troops in
    countries bordering Ukraine; ``tripwire``: nations with land troops deployed in Ukraine.
    """

    land: PresenceTerm = PresenceTerm(weight=0.45, scale=10_000)
    sea: PresenceTerm = PresenceTerm(weight=0.1, scale=6)
    air: PresenceTerm = PresenceTerm(weight=0.2, scale=48)
    neighbouring: PresenceTerm = PresenceTerm(weight=0.1, scale=20_000)
    tripwire: PresenceTerm = PresenceTerm(weight=0.15, scale=4)

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> Presence:
        total = sum(getattr(self, t).weight for t in PRESENCE_TERMS)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the weights must sum to 1 (they sum to {total:g})")
        return self

    def term(self, name: str) -> PresenceTerm:
        """The term called ``name``."""
        term: PresenceTerm = getattr(self, name)
        return term


class USTerm(Item):
    """The U.S. term of deterrence, by state (zero during a pause)."""

    none: NonNeg = 0.0
    enablers: NonNeg = 0.25
    guarantee: NonNeg = 0.5


class DeterrenceWeights(Item):
    """Deterrence = (capability·c + presence·cohesion·p + U.S. term) / adversary capacity."""

    capability: NonNeg = 0.6
    presence: NonNeg = 0.5
    us: USTerm = Field(default_factory=USTerm)
    threshold: NonNeg = Field(
        default=1.0,
        description="The hazard's pivot (the offensive hazard equals its base here) and the "
        "level below which a ceasefire day counts as below the threshold.",
    )


class ModelWeights(Item):
    """Every weight of capability and deterrence, and the accounting period for attrition."""

    capability: CapabilityWeights = Field(default_factory=CapabilityWeights)
    presence: Presence = Field(default_factory=Presence)
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

    def __repr__(self) -> str:
        # The full model (100 pledges, their notes) runs to tens of thousands of characters.
        return (
            f"Scenario({self.name!r}, start={self.start.isoformat()}, "
            f"horizon_days={self.horizon_days}, members={len(self.members)}, "
            f"pledges={len(self.pledges)}, injects={len(self.injects)})"
        )

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
