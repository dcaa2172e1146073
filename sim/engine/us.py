"""U.S. backing: a state machine none → enablers → guarantee, with pauses and revocation.

Enablers are decided at periodic reviews (every ``review_days`` on a fixed calendar), but only
while the enablers' conditions hold: a review says yes with ``probability``, so the review that
says yes is drawn at once as a geometric number of reviews, and the decision is cancelled if the
conditions stop holding first. A yes is followed by a decision delay. While enablers are in place
they may be revoked (a Poisson hazard), and reviews for a guarantee run the same way; a
guarantee also needs ratification, which may fail. Pauses (a Poisson process over the horizon)
suspend the U.S. term of deterrence for their duration.

When the conditions never hold — Europeans waiting for the U.S., the U.S. waiting for European
troops — no review ever happens: the deadlock emerges from these rules. With ``us.threshold`` the
conditions may read a threshold that the U.S. moves by its own rules
(:mod:`sim.engine.adaptation`); the metric is set before the conditions are first checked.
"""

from __future__ import annotations

import functools
import math

from sim.engine.rng import Stream
from sim.engine.state import Watch
from sim.engine.world import World


class USBacking:
    """The U.S. during one replication."""

    def __init__(self, world: World) -> None:
        self.world = world
        spec = world.scenario.us
        self.spec = spec
        self.enablers_day: float | None = None
        self.guarantee_day: float | None = None
        self.probability = spec.enablers.probability
        self.guarantee_probability = spec.guarantee.probability_per_review
        self._reviews = world.streams["us.enablers.reviews"]
        self._decisions = world.streams["us.enablers.decision"]
        self._revocations = world.streams["us.revocation"]
        self._g_reviews = world.streams["us.guarantee.reviews"]
        self._ratifications = world.streams["us.guarantee.ratification"]
        self._token = 0  # invalidates a pending enablers decision when conditions lapse
        self._g_token = 0  # the same for the guarantee
        self._revocation_token = 0
        self._recommended = False  # a yes at a review, awaiting its decision
        self._pause_until = 0.0
        if spec.threshold is not None:
            world.state.initialise("us.threshold", float(spec.threshold.initial))
        conditions = [world.condition(c) for c in spec.enablers.conditions]
        self.enablers_watch = Watch(world.state, conditions)
        self.enablers_watch.on_change(lambda _holds: self._consider_enablers())
        g_conditions = [world.condition(c) for c in spec.guarantee.conditions]
        self.guarantee_watch = Watch(world.state, g_conditions)
        self.guarantee_watch.on_change(lambda _holds: self._consider_guarantee())

    @property
    def state(self) -> str:
        """The U.S. state now: ``none``, ``enablers`` or ``guarantee``."""
        return str(self.world.state["us.state"])

    def start(self) -> None:
        """Put the initial backing in place, if any, and check both sets of conditions at once."""
        initial = self.spec.initial
        if initial != "none":
            self._set_state(
                initial,
                "The U.S. backs the coalition from the start "
                f"({'enablers' if initial == 'enablers' else 'guarantee in force'})",
            )
            self.enablers_day = 0.0
            if initial == "guarantee":
                self.guarantee_day = 0.0
            else:
                self._schedule_revocation()
        self._consider_enablers()
        self._consider_guarantee()
        self._schedule_pauses()

    # -- enablers ------------------------------------------------------------------------------

    def _yes_review(self, stream: Stream, probability: float, every: int) -> float | None:
        """The day of the first review that says yes (reviews fall every ``every`` days on a
        fixed calendar, each yes with ``probability``), or None if not within the horizon.
        """
        reviews = stream.geometric(probability)
        if math.isinf(reviews):
            return None
        day = math.ceil(self.world.now / every) * every + (reviews - 1) * every
        return day if day < self.world.horizon else None

    def _consider_enablers(self) -> None:
        if self.state != "none":
            return
        self._token += 1
        if self._recommended and not self.enablers_watch.truth:
            self._recommended = False
            self.world.log(
                "us",
                "USA",
                "The U.S. decision on enablers is shelved: its conditions no longer hold",
            )
        if not self.enablers_watch.truth:
            return
        yes_day = self._yes_review(self._reviews, self.probability, self.spec.enablers.review_days)
        if yes_day is not None:
            token = self._token
            self.world.at(yes_day, lambda: self._enablers_yes(token))

    def _enablers_yes(self, token: int) -> None:
        if token != self._token:
            return
        world = self.world
        delay = self._decisions.sample(self.spec.enablers.decision_delay)
        against = ""
        if self.spec.threshold is not None:
            land = world.state["committed.reassurance.land"]
            against = (
                f" ({land:,.0f} European land troops committed against a threshold of "
                f"{world.state['us.threshold']:,.0f})"
            )
        world.log(
            "us",
            "USA",
            f"A U.S. review finds the conditions met{against}: enablers are recommended",
        )
        self._recommended = True
        decided = world.now + delay
        if decided < world.horizon:
            world.at(decided, lambda: self._enablers_decided(token, delay))

    def _enablers_decided(self, token: int, delay: float) -> None:
        if token != self._token or self.state != "none":
            return
        self._recommended = False
        self._set_state("enablers", f"U.S. enablers approved after a {delay:.0f}-day decision")
        if self.enablers_day is None:
            self.enablers_day = self.world.now
        self._schedule_revocation()
        self._consider_guarantee()

    def _schedule_revocation(self) -> None:
        rate = self.spec.enablers.revocation_rate_per_year
        wait = self._revocations.exponential(365.0 / rate if rate > 0 else math.inf)
        when = self.world.now + wait
        self._revocation_token += 1
        if when < self.world.horizon:
            token = self._revocation_token
            self.world.at(when, lambda: self._revoke(token))

    def _revoke(self, token: int) -> None:
        if token != self._revocation_token or self.state != "enablers":
            return
        self.revoke("The U.S. revokes its enablers")

    def revoke(self, text: str) -> None:
        """Back to no U.S. backing; reviews resume while the conditions hold."""
        if self.state == "none":
            return
        self._g_token += 1
        self._revocation_token += 1
        self._set_state("none", text)
        self._consider_enablers()

    # -- guarantee -----------------------------------------------------------------------------

    def _consider_guarantee(self) -> None:
        self._g_token += 1
        if self.state != "enablers" or not self.guarantee_watch.truth:
            return
        offer_day = self._yes_review(
            self._g_reviews, self.guarantee_probability, self.spec.guarantee.review_days
        )
        if offer_day is not None:
            token = self._g_token
            self.world.at(offer_day, lambda: self._guarantee_offered(token))

    def _guarantee_offered(self, token: int) -> None:
        if token != self._g_token or self.state != "enablers":
            return
        world = self.world
        spec = self.spec.guarantee
        delay = self._ratifications.sample(spec.ratification_delay)
        ratified = self._ratifications.chance(spec.ratification_probability)
        world.log("us", "USA", "The U.S. offers an Article-5-like guarantee; ratification begins")
        if world.now + delay < world.horizon:
            world.at(world.now + delay, lambda: self._ratification(token, ratified, delay))

    def _ratification(self, token: int, ratified: bool, delay: float) -> None:
        if token != self._g_token or self.state != "enablers":
            return
        if ratified:
            self._set_state("guarantee", f"The U.S. guarantee is ratified after {delay:.0f} days")
            if self.guarantee_day is None:
                self.guarantee_day = self.world.now
        else:
            self.world.log("us", "USA", "Ratification of the U.S. guarantee fails")
            self._consider_guarantee()

    # -- signals, pauses -----------------------------------------------------------------------

    def grant(self, state: str, text: str | None = None) -> None:
        """Enablers or the guarantee now (an inject, or a rule that says why in ``text``)."""
        order = ("none", "enablers", "guarantee")
        if order.index(state) <= order.index(self.state):
            return
        self._token += 1
        self._g_token += 1
        if state == "guarantee" and self.enablers_day is None:
            self.enablers_day = self.world.now
        granted = "enablers" if state == "enablers" else "a guarantee"
        self._set_state(state, text or f"The U.S. grants {granted} (inject)")
        if state == "enablers":
            if self.enablers_day is None:
                self.enablers_day = self.world.now
            self._schedule_revocation()
            self._consider_guarantee()
        elif self.guarantee_day is None:
            self.guarantee_day = self.world.now

    def _set_state(self, state: str, text: str) -> None:
        self.world.log("us", "USA", text)
        self.world.state.set("us.state", state)

    def _schedule_pauses(self) -> None:
        spec = self.spec.pause
        if spec.rate_per_year <= 0:
            return
        stream = self.world.streams["us.pause"]
        horizon = self.world.horizon
        count = stream.poisson(spec.rate_per_year * horizon / 365.0)
        for _ in range(count):
            start = stream.uniform() * horizon
            days = stream.sample(spec.days)
            self.world.at(start, functools.partial(self.pause, days))

    def pause(self, days: float) -> None:
        """Suspend U.S. support for ``days`` (overlapping pauses extend it)."""
        world = self.world
        end = world.now + days
        if end <= self._pause_until:
            return
        if not world.state["us.paused"]:
            world.log("pause", "USA", f"The U.S. pauses its support for {days:.0f} days")
            world.state.set("us.paused", True)
        self._pause_until = end
        if end < world.horizon:
            world.at(end, self._resume)

    def _resume(self) -> None:
        world = self.world
        if world.now + 1e-9 < self._pause_until or not world.state["us.paused"]:
            return
        world.log("pause", "USA", "U.S. support resumes")
        world.state.set("us.paused", False)
