"""Russia decides: a rung of the escalation ladder at every review after the ceasefire.

With ``adversary.decision: ladder``, every ``review_days`` after the ceasefire and until a major
offensive, Russia chooses one rung k ∈ {0 hold, 1 probe, 2 incursion, 3 offensive} by a
multinomial logit with U_hold = 0 and U_k = ln(λ_k·Δ), Δ = review_days / 365:

    P(k) = λ_k·Δ / (1 + Σ_j λ_j·Δ)          P(hold) = 1 / (1 + Σ_j λ_j·Δ)

(≈ λ_k·Δ for small rates), drawn with one uniform from the ``adversary.ladder`` stream. Rates per
year, evaluated at the review:

    λ_probe     = base_1 · m_1(regime) · exp(−s_1·(D − D*) + x_1) · O_1
    λ_incursion = base_2 · m_2(regime) · exp(−s_2·(D − D*) + x_2) · O_2 · S
    λ_offensive = base_3 · m_3(regime) · surge · exp(−s_3·(D − D*)) · S

* ``D`` deterrence, ``D*`` = ``model.deterrence.threshold``; the offensive's base, sensitivity
  and regime multipliers are the hazard rule's (``adversary.offensive``, ``offensive_multiplier``).
* ``x_k = g_k·gap + r_k·regen + c_k·loss + t_k·trip`` with gap = max(0, 1 − capability),
  regen = adversary.capacity − 1, loss = 1 − cohesion, trip = 1 − exp(−nations / scale)
  (``deployed.reassurance.nations``, the tripwire scale of ``model.presence``).
* ``O_k`` the product of the factors of the openings in force: a U.S. pause, a financing gap, a
  U.S. revocation or a member's withdrawal within ``openings.window_days``.
* ``S = unanswered^n_u · answered^n_a`` over the probes and incursions of the last
  ``salami.memory_days`` (n_u unanswered, n_a answered). With none in memory ``S = 1`` and the
  offensive rate is the hazard rule's λ.

The chosen rung is published as ``adversary.rung`` until the next review. A probe or an
incursion is carried out by :class:`~sim.engine.moves.Moves`; the offensive by the adversary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.engine.adversary import Adversary
from sim.engine.moves import Moves
from sim.engine.wording import the
from sim.engine.world import ProcessGen, World
from sim.scenario.ladder import RUNGS, Ladder, Rung

OPENINGS = ("us_pause", "us_revocation", "member_withdrawal", "financing_gap")


@dataclass(frozen=True)
class Situation:
    """What Russia weighs at a review."""

    deterrence: float
    regime: str
    capability: float = 1.0
    capacity: float = 1.0
    cohesion: float = 1.0
    tripwire: float = 0.0
    """1 − exp(−nations / scale): the tripwire's saturating presence."""
    openings: tuple[str, ...] = ()
    unanswered: int = 0
    answered: int = 0
    offensive_per_year: float = 0.0
    """The hazard rule's offensive rate now (base · multiplier · surge · exp(−s·(D − D*)))."""


def _below_war(rung: Rung, ladder: Ladder, name: str, s: Situation, pivot: float) -> float:
    exponent = (
        -rung.deterrence_sensitivity * (s.deterrence - pivot)
        + rung.capability_gap * max(0.0, 1.0 - s.capability)
        + rung.regeneration * (s.capacity - 1.0)
        + rung.cohesion_loss * (1.0 - s.cohesion)
        + rung.tripwire * s.tripwire
    )
    rate = rung.base_per_year * rung.regime_multipliers.get(s.regime)
    rate *= math.exp(min(700.0, exponent))
    for opening in s.openings:
        rate *= getattr(getattr(ladder.openings, opening), name)
    return rate


def salami(ladder: Ladder, s: Situation) -> float:
    """The salami factor on the incursion and offensive rates."""
    return float(ladder.salami.unanswered**s.unanswered * ladder.salami.answered**s.answered)


def rates(ladder: Ladder, s: Situation, pivot: float) -> tuple[float, float, float]:
    """λ per year of the probe, the incursion and the major offensive."""
    factor = salami(ladder, s)
    return (
        _below_war(ladder.probe, ladder, "probe", s, pivot),
        _below_war(ladder.incursion, ladder, "incursion", s, pivot) * factor,
        s.offensive_per_year * factor,
    )


def probabilities(lambdas: tuple[float, ...], review_days: float) -> tuple[float, ...]:
    """P(hold), P(probe), P(incursion), P(offensive) at one review (the logit rule)."""
    weights = [1.0, *(rate * review_days / 365.0 for rate in lambdas)]
    total = sum(weights)
    return tuple(w / total for w in weights)


def choose(probs: tuple[float, ...], u: float) -> int:
    """The rung a uniform ``u`` picks by the cumulative probabilities (hold first)."""
    cumulative = 0.0
    for k, p in enumerate(probs):
        cumulative += p
        if u < cumulative:
            return k
    return len(probs) - 1


class LadderRule:
    """Russia's reviews during one replication."""

    def __init__(self, world: World, adversary: Adversary, moves: Moves) -> None:
        self.world = world
        self.adversary = adversary
        self.moves = moves
        self.spec = world.scenario.adversary.ladder
        self.pivot = world.scenario.model.deterrence.threshold
        self.tripwire_scale = world.scenario.model.presence.tripwire.scale
        self.reviews = 0
        self.revocations: list[float] = []
        self.exits: list[tuple[float, str]] = []
        self._stream = world.streams["adversary.ladder"]
        self._us_state = str(world.state["us.state"])
        self._active = {m.spec.id for m in moves.members.values()}
        world.state.watch(("us.state",), self._us_changed)
        world.state.watch(("members.active",), self._members_changed)

    def start(self) -> None:
        """Start Russia's reviews, every ``review_days`` after the ceasefire."""
        self.world.process(self._review_process())

    # -- openings --------------------------------------------------------------------------------

    def _us_changed(self) -> None:
        state = str(self.world.state["us.state"])
        if state == "none" and self._us_state != "none":
            self.revocations.append(self.world.now)
        self._us_state = state

    def _members_changed(self) -> None:
        for member in self.moves.members.values():
            if not member.active and member.spec.id in self._active:
                self._active.discard(member.spec.id)
                self.exits.append((self.world.now, member.name))

    def openings(self) -> list[tuple[str, str]]:
        """The openings in force now: (name, how the narrative says it)."""
        world = self.world
        now = world.now
        window = self.spec.openings.window_days
        found = []
        if world.state["us.paused"]:
            found.append(("us_pause", "U.S. paused"))
        revoked = [t for t in self.revocations if now - t <= window]
        if revoked:
            found.append(
                ("us_revocation", f"U.S. backing revoked {now - revoked[-1]:.0f} days ago")
            )
        left = [(t, f"{the(n)} left the coalition") for t, n in self.exits if now - t <= window] + [
            (t, f"{the(n)} withdrew its forces")
            for t, n in self.moves.withdrawals
            if now - t <= window
        ]
        if left:
            day, what = max(left)
            found.append(("member_withdrawal", f"{what} {now - day:.0f} days ago"))
        if world.state["financing.gap"]:
            found.append(("financing_gap", "Ukraine's budget empty"))
        return found

    # -- the review ------------------------------------------------------------------------------

    def situation(self, openings: tuple[str, ...]) -> Situation:
        """The situation now, as the rule reads it."""
        values = self.world.state.values
        now = self.world.now
        memory = [a for t, a in self.moves.memory if now - t <= self.spec.salami.memory_days]
        deterrence = float(values["deterrence"])
        return Situation(
            deterrence=deterrence,
            regime=self.adversary.regime,
            capability=float(values["capability"]),
            capacity=float(values["adversary.capacity"]),
            cohesion=float(values["cohesion"]),
            tripwire=1.0 - math.exp(-values["deployed.reassurance.nations"] / self.tripwire_scale),
            openings=openings,
            unanswered=sum(1 for a in memory if not a),
            answered=sum(1 for a in memory if a),
            offensive_per_year=self.adversary.rate_at(deterrence),
        )

    def _review_process(self) -> ProcessGen:
        world = self.world
        yield world.ceasefire
        start = world.now
        k = 1
        while start + k * self.spec.review_days < world.horizon:
            yield world.until(start + k * self.spec.review_days)
            if self.adversary.offensive_day is not None:
                return
            self.review()
            if self.adversary.offensive_day is not None:
                return
            k += 1

    def review(self) -> int:
        """Choose a rung now and carry it out; returns the rung's index."""
        self.reviews += 1
        found = self.openings()
        s = self.situation(tuple(name for name, _ in found))
        probs = probabilities(rates(self.spec, s, self.pivot), self.spec.review_days)
        rung = choose(probs, self._stream.uniform())
        reasons = self._reasons(s, [text for _, text in found], probs[rung], rung)
        self.world.state.set("adversary.rung", float(rung))
        if rung == 0:
            self.world.log("hold", "RUS", f"Russia holds: {reasons}")
        elif rung == 1:
            self.moves.probe(reasons=f"; {reasons}")
        elif rung == 2:
            self.moves.incursion(reasons=f"; {reasons}")
        else:
            self.adversary.launch(f"— the top rung; {reasons}")
        return rung

    def _reasons(self, s: Situation, openings: list[str], p: float, rung: int) -> str:
        parts = [f"deterrence {s.deterrence:.2f}"]
        parts += openings
        if s.unanswered:
            parts.append(_count(s.unanswered, "unanswered move") + " in memory")
        if s.answered:
            parts.append(_count(s.answered, "answered move") + " in memory")
        if not openings and not s.unanswered and not s.answered and rung == 0:
            parts.append("no opening")
        parts.append(f"P({RUNGS[rung]}) {p:.2f}" if p >= 0.1 else f"P({RUNGS[rung]}) {p:.3f}")
        return ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
