"""Russia's moves below war — probes and limited incursions — and the answers they meet.

A move comes from the ladder's review (:mod:`sim.engine.ladder`) or from an inject. Rules:

* **Probe.** Its target is drawn among the scenario's probe targets by weight (the reassurance
  force only while some of it is deployed). It *touches* the host member itself and the members
  with troops deployed in that host (a probe of a country bordering Ukraine), or the members with
  forces deployed in Ukraine (a probe of the reassurance force). Each touched member answers by
  its doctrine; the U.S. answers with ``us.responses.probe`` of its state (never while paused).
  The probe is *answered* if a touched member reinforces or the U.S. answers; an unanswered
  probe may harden the U.S. threshold.
* **Incursion.** It hits coalition troops with ``P = 1 − exp(−L / tripwire_hit_scale)``, ``L``
  the land troops in Ukraine. Only a hit triggers answers (the tripwire): the members with forces
  in Ukraine answer by their doctrine, and the U.S. holds an immediate review that grants enablers
  with ``us.responses.incursion_review`` if none are in place. It is answered if a member
  reinforces or the U.S. grants.

Every move is remembered with whether it was answered, for the salami factor. Draws: the probe's
target, then its look (wording only), from ``adversary.probes``; the hit from
``adversary.incursions``; one uniform per U.S. answer from ``us.responses``, drawn whether or not
the answer is possible, so streams stay aligned across scenarios.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sim.engine.coalition import MemberState
from sim.engine.us import USBacking
from sim.engine.wording import (
    ADJECTIVES,
    FORCE_PROBES,
    HOST_PROBES,
    capitalised,
    listing,
    the,
)
from sim.engine.world import World
from sim.scenario.doctrine import RESPONSES
from sim.scenario.ladder import FORCE_TARGET, PROBE_TARGETS
from sim.scenario.pledges import UKRAINE_NEIGHBOURS

Memory = tuple[float, bool]
"""A move below war: (day, answered)."""

_VERBS = {
    "reinforce": "reinforce",
    "own": "raise their own readiness",
    "capped": "keep their reinforced forces in place",
    "stand_firm": "stand firm",
    "withdraw": "withdraw their forces",
}
_LISTED = 3
"""Members standing firm are named up to this many, counted beyond."""
_VERBS_ONE = {
    "reinforce": "reinforces",
    "own": "raises its own readiness",
    "capped": "keeps its reinforced forces in place",
    "stand_firm": "stands firm",
    "withdraw": "withdraws its forces",
}


class Moves:
    """Probes and incursions of one replication, their answers, and what they leave behind."""

    def __init__(
        self,
        world: World,
        members: dict[str, MemberState],
        us: USBacking,
        on_unanswered: Callable[[], None],
    ) -> None:
        self.world = world
        self.members = members
        self.us = us
        self.on_unanswered = on_unanswered
        """Called after a probe goes unanswered (the U.S. threshold may harden)."""
        spec = world.scenario.adversary.ladder
        self.targets = {t: w for t, w in spec.targets.items() if w > 0}
        self.hit_scale = spec.tripwire_hit_scale
        self.memory: list[Memory] = []
        self.withdrawals: list[tuple[float, str]] = []
        """Doctrine withdrawals: (day, member name), an opening for the ladder."""
        self.probes = 0
        self.unanswered = 0
        self.incursions = 0
        self.hits = 0
        self.first_probe_day: float | None = None
        self.first_incursion_day: float | None = None
        self.max_rung = 0
        self.responses = dict.fromkeys(RESPONSES, 0)
        self._probe_stream = world.streams["adversary.probes"]
        self._hit_stream = world.streams["adversary.incursions"]
        self._us_stream = world.streams["us.responses"]

    # -- who is touched --------------------------------------------------------------------------

    def _forces(self, member: MemberState, pillar: str, host: str | None = None) -> bool:
        return any(
            p.spec.pillar == pillar
            and p.live
            and getattr(p, "deployed", 0) > 0
            and (host is None or getattr(p.spec, "host", None) == host)
            for p in member.pledges
        )

    def touched(self, target: str) -> list[MemberState]:
        """The active members a move on ``target`` touches, in scenario order."""
        found = []
        for member in self.members.values():
            if not member.active:
                continue
            if target == FORCE_TARGET:
                hit = self._forces(member, "reassurance_force")
            else:
                hit = member.spec.id == target or self._forces(
                    member, "neighbouring_deployment", target
                )
            if hit:
                found.append(member)
        return found

    def available_targets(self) -> dict[str, float]:
        """The probe targets open now, with their weights."""
        deployed = self.world.state["deployed.reassurance.land"] > 0 or any(
            self._forces(m, "reassurance_force") for m in self.members.values() if m.active
        )
        return {t: w for t, w in self.targets.items() if t != FORCE_TARGET or deployed}

    def draw_target(self) -> str:
        """A probe target drawn by weight among those open now."""
        targets = self.available_targets()
        u = self._probe_stream.uniform() * sum(targets.values())
        for target, weight in targets.items():
            u -= weight
            if u < 0:
                return target
        return next(reversed(targets))

    def _looks(self, target: str) -> str:
        u = self._probe_stream.uniform()
        if target == FORCE_TARGET:
            return FORCE_PROBES[min(len(FORCE_PROBES) - 1, int(u * len(FORCE_PROBES)))]
        look = HOST_PROBES[min(len(HOST_PROBES) - 1, int(u * len(HOST_PROBES)))]
        return look.format(adjective=ADJECTIVES[target], name=UKRAINE_NEIGHBOURS[target])

    # -- answers ---------------------------------------------------------------------------------

    def _answer(self, members: list[MemberState], kind: str) -> tuple[bool, str]:
        """Each member answers by its doctrine; returns (someone reinforced, the sentence)."""
        by_response: dict[str, list[str]] = {r: [] for r in (*RESPONSES, "own", "capped")}
        for member in members:
            response = member.doctrine[kind]
            self.responses[response] += 1
            said: str = response
            if response == "reinforce" and not member.reinforce():
                said = "capped" if member.force_pledges() else "own"
            elif response == "withdraw" and member.withdraw_forces():
                self.withdrawals.append((self.world.now, member.name))
            by_response[said].append(the(member.name))
        parts: list[str] = []
        for said, names in by_response.items():
            if not names:
                continue
            verb = _VERBS_ONE[said] if len(names) == 1 else _VERBS[said]
            if said == "stand_firm" and len(names) > _LISTED:
                who = f"{len(names)} {'other ' if parts else ''}touched members"
                parts.append(f"{who} {verb}")
            else:
                parts.append(f"{listing(names)} {verb}")
        sentence = capitalised("; ".join(parts)) + "." if parts else ""
        answered = by_response["reinforce"] or by_response["own"] or by_response["capped"]
        return bool(answered), sentence

    def _us_answers_probe(self) -> bool:
        u = self._us_stream.uniform()
        if self.world.state["us.paused"]:
            return False
        probability = self.world.scenario.us.responses.probe.get(self.us.state)
        return u < probability

    def _remember(self, answered: bool, rung: int) -> None:
        self.memory.append((self.world.now, answered))
        self.max_rung = max(self.max_rung, rung)

    # -- the moves -------------------------------------------------------------------------------

    def probe(self, target: str | None = None, reasons: str = "") -> bool:
        """Russia probes ``target`` (drawn if None) now; returns whether it was answered."""
        world = self.world
        if target is None:
            target = self.draw_target()
        if target not in PROBE_TARGETS:
            raise ValueError(f"unknown probe target {target!r}")
        looks = self._looks(target)
        touched = self.touched(target)
        reinforced, sentence = self._answer(touched, "probe")
        us_answers = self._us_answers_probe()
        answered = reinforced or us_answers
        self.probes += 1
        if self.first_probe_day is None:
            self.first_probe_day = world.now
        if not answered:
            self.unanswered += 1
        self._remember(answered, 1)
        if not touched:
            sentence = "It touches no coalition member."
        if us_answers:
            sentence += " The U.S. answers (a statement and an ISR surge)."
        if not answered:
            sentence += " Nobody reinforces: the probe goes unanswered."
        world.log("probe", "RUS", f"Russia probes — {looks}{reasons}. {sentence}")
        world.state.add("adversary.probes", 1)
        if us_answers:
            world.state.add("us.statements", 1)
        if not answered:
            world.state.add("probes.unanswered", 1)
            self.on_unanswered()
        return answered

    def incursion(self, hit: bool | None = None, reasons: str = "") -> bool:
        """Russia makes a limited incursion now; returns whether it was answered."""
        world = self.world
        land = world.state["deployed.reassurance.land"]
        p_hit = 1.0 - math.exp(-land / self.hit_scale)
        u = self._hit_stream.uniform()
        if hit is None:
            hit = u < p_hit
        self.incursions += 1
        if self.first_incursion_day is None:
            self.first_incursion_day = world.now
        what = "a limited incursion on one sector of the line"
        if not hit:
            self._remember(False, 2)
            world.log(
                "incursion",
                "RUS",
                f"Russia makes {what}{reasons}. It meets no coalition troops "
                f"(P(hit) {p_hit:.2f} with {land:,.0f} in Ukraine): no tripwire, no answer.",
            )
            world.state.add("adversary.incursions", 1)
            return False
        self.hits += 1
        touched = self.touched(FORCE_TARGET)
        reinforced, sentence = self._answer(touched, "incursion")
        granted = self._us_review_after_hit()
        answered = reinforced or granted
        self._remember(answered, 2)
        world.log(
            "incursion",
            "RUS",
            f"Russia makes {what}{reasons}. It hits coalition troops (P(hit) {p_hit:.2f} with "
            f"{land:,.0f} in Ukraine): the tripwire is triggered. {sentence}".rstrip(),
        )
        world.state.add("adversary.incursions", 1)
        if granted:
            world.state.add("us.statements", 1)
            self.us.grant(
                "enablers",
                "After Russian fire on coalition troops an immediate U.S. review grants enablers "
                "(rule: us.responses.incursion_review)",
            )
        return answered

    def _us_review_after_hit(self) -> bool:
        u = self._us_stream.uniform()
        if self.us.state != "none":
            return False
        return u < self.world.scenario.us.responses.incursion_review
