"""The adversary: regenerating capacity, ceasefire-violation regimes, a renewed offensive.

After the ceasefire the adversary's offensive capacity is fed by recruitment and production:

    P(t) = P_0 + (recruits − outflow) · months(t),   M(t) = M_0 + (shells − use) · years(t)
    capacity(t) = min(capacity_max, (P(t) / P_ref + M(t) / M_ref) / 2)

with ``t`` counted from the ceasefire and re-evaluated every ``step_days``. Capacity 1 is what a
renewed major offensive needs; the reference levels are set so that the central recruitment and
production rates reach it about six months after the fighting stops (the Danish intelligence
service's local-war clock). Before the ceasefire capacity is 1 (the war is on).

Violations follow regimes (strong, eroding, minsk, escalation). A spell in a regime lasts an
exponential time with the regime's mean; its violation count is one Poisson draw for the whole
spell. At the end of a spell the regime worsens with probability
``1 / (1 + exp(slope · (deterrence − midpoint)))`` and otherwise improves.

The renewed major offensive has hazard

    λ(t) = base / 365 · m(regime) · surge · exp(−s · (deterrence − D*))   per day,

zero before the ceasefire; ``D*`` is ``model.deterrence.threshold``. With
``adversary.decision: hazard`` its time is found exactly by inverting the cumulative hazard: one
Exp(1) target is drawn per replication and, whenever λ changes, the day the cumulative hazard
reaches it is recomputed and a single check is scheduled then. With ``decision: ladder`` the
hazard is not integrated: the same λ is the top rung's rate at Russia's reviews
(:mod:`sim.engine.ladder`), which launch the offensive through :meth:`Adversary.launch`.
"""

from __future__ import annotations

import functools
import math

from sim.engine.world import ProcessGen, World
from sim.scenario.metrics import REGIMES

CAPACITY_FLOOR = 0.01
"""The least offensive capacity (a drained adversary still counts as a small threat)."""


class Adversary:
    """The adversary during one replication."""

    def __init__(self, world: World) -> None:
        self.world = world
        spec = world.scenario.adversary
        self.spec = spec
        self.base_per_year = spec.offensive.base_hazard_per_year
        self.sensitivity = spec.offensive.deterrence_sensitivity
        self.pivot = world.scenario.model.deterrence.threshold
        self.integrated = spec.decision == "hazard"
        """Whether the offensive comes by the integrated hazard (else the ladder launches it)."""
        self.surge = 1.0
        self.regime: str = spec.initial_regime
        self.violations = 0
        self.offensive_day: float | None = None
        self.active = False
        self._target = world.streams["adversary.offensive"].exponential(1.0)
        self._regimes = world.streams["adversary.regimes"]
        self._counts = world.streams["adversary.violations"]
        self._cumulative = 0.0
        self._since = 0.0
        self._rate = 0.0
        self._due = math.inf
        self._scheduled = math.inf
        self._spell_start = 0.0
        world.state.initialise("violations.regime", self.regime)
        world.state.watch(("deterrence",), self.hazard_changed)

    def start(self) -> None:
        """Start the process that, from the ceasefire, regenerates capacity and runs the regimes."""
        self.world.process(self._after_ceasefire())

    # -- regeneration, regimes -----------------------------------------------------------------

    def capacity(self, days: float) -> float:
        """Offensive capacity ``days`` after the ceasefire."""
        spec = self.spec.regeneration
        personnel = spec.personnel_at_ceasefire + (
            spec.recruits_per_month - spec.outflow_per_month
        ) * (days * 12 / 365)
        munitions = spec.munitions_at_ceasefire + (
            spec.shells_per_year - spec.shell_use_per_year
        ) * (days / 365)
        index = (
            max(0.0, personnel) / spec.personnel_reference
            + max(0.0, munitions) / spec.munitions_reference
        ) / 2
        # A capacity of 0 would mean no threat at all and an infinite deterrence; the floor
        # keeps deterrence finite for scenarios that drain both stocks.
        return max(CAPACITY_FLOOR, min(spec.capacity_max, index))

    def _after_ceasefire(self) -> ProcessGen:
        world = self.world
        yield world.ceasefire
        start = world.now
        self.active = True
        world.state.set("adversary.capacity", self.capacity(0.0))
        self.hazard_changed()
        step = self.spec.regeneration.step_days
        for k in range(1, int((world.horizon - start) // step) + 1):
            world.at(start + k * step, functools.partial(self._regenerate, self.capacity(k * step)))
        yield from self._spells()

    def _regenerate(self, capacity: float) -> None:
        if self.offensive_day is not None:
            return
        before = self.world.state["adversary.capacity"]
        self.world.state.set("adversary.capacity", capacity)
        if before < 1.0 <= capacity:
            self.world.log(
                "regeneration",
                "RUS",
                "Russia's offensive capacity is regenerated: enough for a renewed major offensive",
            )

    def _spells(self) -> ProcessGen:
        world = self.world
        switching = self.spec.switching
        self._spell_start = world.now
        while True:
            regime = self.spec.violation_regimes.get(self.regime)
            length = self._regimes.exponential(regime.mean_spell_days)
            end = self._spell_start + length
            if end >= world.horizon:
                return
            yield world.until(end)
            if self.offensive_day is not None:
                return
            self._book_spell(end)
            deterrence = world.state["deterrence"]
            worsen = 1.0 / (
                1.0 + math.exp(min(700.0, switching.slope * (deterrence - switching.midpoint)))
            )
            index = REGIMES.index(self.regime)
            step = 1 if self._regimes.chance(worsen) else -1
            regime_name = REGIMES[min(len(REGIMES) - 1, max(0, index + step))]
            if regime_name != self.regime:
                self.regime = regime_name
                world.log(
                    "regime",
                    "RUS",
                    f"Violations shift to '{regime_name}' (deterrence {deterrence:.2f})",
                )
                world.state.set("violations.regime", regime_name)
                self.hazard_changed()

    def _book_spell(self, end: float) -> None:
        rate = self.spec.violation_regimes.get(self.regime).rate_per_day
        count = self._counts.poisson(rate * max(0.0, end - self._spell_start))
        self._spell_start = end
        if count:
            self.violations += count
            self.world.state.set("violations.total", float(self.violations))

    def finish(self) -> None:
        """Book the spell still open at the horizon (or at the offensive)."""
        if self.active:
            end = self.offensive_day if self.offensive_day is not None else self.world.horizon
            if end > self._spell_start:
                self._book_spell(end)

    # -- the offensive -------------------------------------------------------------------------

    def hazard(self) -> float:
        """The offensive hazard per day now."""
        if not self.active or self.offensive_day is not None:
            return 0.0
        multiplier = self.spec.violation_regimes.get(self.regime).offensive_multiplier
        deterrence = self.world.state["deterrence"]
        exponent = min(700.0, -self.sensitivity * (deterrence - self.pivot))
        return self.base_per_year / 365.0 * multiplier * self.surge * math.exp(exponent)

    def rate_at(self, deterrence: float) -> float:
        """The offensive rate per year at ``deterrence``, in the current regime and surge (the
        hazard's λ times 365; the ladder's top rung before salami).
        """
        multiplier = self.spec.violation_regimes.get(self.regime).offensive_multiplier
        exponent = min(700.0, -self.sensitivity * (deterrence - self.pivot))
        return self.base_per_year * multiplier * self.surge * math.exp(exponent)

    def hazard_changed(self) -> None:
        """Re-integrate the hazard up to now and reschedule the offensive check."""
        if not self.integrated or not self.active or self.offensive_day is not None:
            return
        now = self.world.now
        self._cumulative += self._rate * (now - self._since)
        self._since = now
        self._rate = self.hazard()
        if self._rate <= 0:
            self._due = math.inf
            return
        self._due = now + max(0.0, self._target - self._cumulative) / self._rate
        if self._due < self._scheduled and self._due < self.world.horizon:
            self._schedule(self._due)

    def _schedule(self, when: float) -> None:
        self._scheduled = when
        self.world.at(when, lambda: self._check(when))

    def _check(self, when: float) -> None:
        if when != self._scheduled or self.offensive_day is not None:
            return  # superseded by an earlier check
        self._scheduled = math.inf
        now = self.world.now
        if self._due <= now + 1e-9:
            self._launch()
        elif self._due < self.world.horizon:
            self._schedule(self._due)

    def _launch(self) -> None:
        deterrence = self.world.state["deterrence"]
        self.launch(f"(deterrence {deterrence:.2f}, regime '{self.regime}')")

    def launch(self, reasons: str) -> None:
        """The renewed major offensive starts now; ``reasons`` complete the narrative line."""
        world = self.world
        self.offensive_day = world.now
        world.log("offensive", "RUS", f"Russia launches a renewed major offensive {reasons}")
        world.offensive.succeed()
        world.state.set("offensive", True)

    def surge_for(self, factor: float, days: float) -> None:
        """Multiply the hazard by ``factor`` for ``days`` (an inject)."""
        self.surge *= factor
        self.world.log(
            "surge", "RUS", f"Adversary surge: offensive hazard ×{factor:g} for {days:.0f} days"
        )
        self.hazard_changed()

        def end() -> None:
            self.surge /= factor
            self.hazard_changed()

        self.world.at(self.world.now + days, end)

    def set_base_hazard(self, per_year: float) -> None:
        """Change the base hazard of the offensive (an inject)."""
        self.base_per_year = per_year
        self.hazard_changed()

    def set_sensitivity(self, sensitivity: float) -> None:
        """Change the hazard's sensitivity to deterrence (an inject)."""
        self.sensitivity = sensitivity
        self.hazard_changed()
