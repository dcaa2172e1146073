"""The adversary's escalation ladder: the scenario's rates, openings and salami factors.

With ``adversary.decision: ladder`` Russia reviews its options every ``review_days`` after the
ceasefire and chooses one rung (Kahn's ladder folded to four, docs/CALIBRATION.md §14.7):

    0 hold · 1 probe (grey zone) · 2 limited incursion · 3 major offensive

Each rung above hold has a rate per year; the choice is a multinomial logit with
``U_hold = 0`` and ``U_k = ln(λ_k·Δ)`` (``Δ = review_days / 365``), so
``P(k) = λ_k·Δ / (1 + Σ_j λ_j·Δ)``. The rates of the two rungs below war are set here:

    λ_k = base_k · m_k(regime) · exp(−s_k·(D − D*) + g_k·gap + r_k·regen + c_k·loss + t_k·trip)
          · Π openings_k · salami_k

(the terms are defined in :mod:`sim.engine.ladder`). The major offensive keeps the hazard's own
parameters (``adversary.offensive``, the regimes' ``offensive_multiplier``, surges and the pivot
``model.deterrence.threshold``) times the salami factor, so with no probe in memory the ladder's
offensive rate is the hazard rule's. Every default is neutral (no probes, no incursions, factors
of 1): a scenario that only switches to ``ladder`` keeps the offensive alone, reviewed in steps.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from sim.scenario.base import Item
from sim.scenario.pledges import UKRAINE_NEIGHBOURS
from sim.scenario.types import NonNeg, Pos

RUNGS = ("hold", "probe", "incursion", "offensive")
"""The ladder's rungs, by index."""

FORCE_TARGET = "reassurance_force"
PROBE_TARGETS = (FORCE_TARGET, *UKRAINE_NEIGHBOURS)
"""What a probe can aim at: the reassurance force in Ukraine, or a country bordering it."""

Weight = Annotated[float, Field(ge=-20, le=20, allow_inf_nan=False)]


class RegimeMultipliers(Item):
    """A rung's rate multiplier in each ceasefire-violation regime."""

    strong: NonNeg = 1.0
    eroding: NonNeg = 1.0
    minsk: NonNeg = 1.0
    escalation: NonNeg = 1.0

    def get(self, regime: str) -> float:
        """The multiplier in ``regime``."""
        value: float = getattr(self, regime)
        return value


class Rung(Item):
    """A rung below war: its base rate and what raises or lowers it.

    ``λ = base · m(regime) · exp(−s·(D − D*) + capability_gap·gap + regeneration·regen +
    cohesion_loss·loss + tripwire·trip)``, before openings and salami. ``D`` already holds
    capability, presence, cohesion, the U.S. and Russia's capacity; the other weights say how much
    more this rung responds to a component than deterrence alone says (0: only through ``D``).
    """

    base_per_year: NonNeg = Field(
        default=0.0, description="Rate per year at D = D*, regime multiplier 1, no opening."
    )
    deterrence_sensitivity: NonNeg = Field(
        default=1.0, description="s: the rate falls by e^-s per unit of deterrence above D*."
    )
    regime_multipliers: RegimeMultipliers = Field(default_factory=RegimeMultipliers)
    capability_gap: Weight = Field(
        default=0.0, description="Weight of Ukraine's capability gap, max(0, 1 − capability)."
    )
    regeneration: Weight = Field(
        default=0.0, description="Weight of Russia's regeneration, adversary.capacity − 1."
    )
    cohesion_loss: Weight = Field(default=0.0, description="Weight of 1 − cohesion.")
    tripwire: Weight = Field(
        default=0.0,
        description="Weight of the tripwire, 1 − exp(−nations / model.presence.tripwire.scale): "
        "positive if troops on the ground invite this rung, negative if they deter it.",
    )


class OpeningFactors(Item):
    """What one opening multiplies the probe and incursion rates by while it lasts."""

    probe: Pos = 1.0
    incursion: Pos = 1.0


class Openings(Item):
    """Moments of weakness that invite probing: factors on the rates while they last.

    A U.S. pause and a financing gap last as long as they do; a U.S. revocation and a member's
    withdrawal (from the coalition, or of its forces) count for ``window_days`` after they happen.
    Several openings multiply.
    """

    window_days: Annotated[int, Field(ge=1, le=3650)] = 90
    us_pause: OpeningFactors = Field(default_factory=OpeningFactors)
    us_revocation: OpeningFactors = Field(default_factory=OpeningFactors)
    member_withdrawal: OpeningFactors = Field(default_factory=OpeningFactors)
    financing_gap: OpeningFactors = Field(default_factory=OpeningFactors)


class Salami(Item):
    """Salami tactics: every probe or incursion in memory scales the incursion and offensive
    rates, by ``unanswered`` if nobody answered it and by ``answered`` if someone did.
    """

    memory_days: Annotated[int, Field(ge=1, le=3650)] = 180
    unanswered: Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)] = 1.0
    answered: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 1.0


def _default_targets() -> dict[str, float]:
    return {FORCE_TARGET: 1.0, "POL": 1.0, "ROU": 1.0}


class Ladder(Item):
    """Russia's periodic choice of a rung, from hold to a major offensive."""

    review_days: Annotated[int, Field(ge=1, le=365)] = Field(
        default=30, description="Days between reviews, counted from the ceasefire."
    )
    probe: Rung = Field(default_factory=Rung)
    incursion: Rung = Field(default_factory=Rung)
    openings: Openings = Field(default_factory=Openings)
    salami: Salami = Field(default_factory=Salami)
    targets: dict[str, NonNeg] = Field(
        default_factory=_default_targets,
        description="Relative weight of each probe target (the reassurance force only while "
        "some of it is deployed).",
    )
    tripwire_hit_scale: Pos = Field(
        default=20_000,
        description="Land troops in Ukraine at which an incursion hits coalition troops with "
        "probability 1 − 1/e ≈ 63%: P(hit) = 1 − exp(−troops / scale).",
    )

    @field_validator("targets")
    @classmethod
    def _known_targets(cls, targets: dict[str, float]) -> dict[str, float]:
        unknown = [t for t in targets if t not in PROBE_TARGETS]
        if unknown:
            raise ValueError(
                f"unknown probe target(s) {', '.join(map(repr, unknown))}; targets are "
                f"{', '.join(PROBE_TARGETS)}"
            )
        if not any(w > 0 for t, w in targets.items() if t != FORCE_TARGET):
            raise ValueError("give at least one neighbouring country a positive weight")
        return targets
