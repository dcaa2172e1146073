"""The coalition's deterrence, recomputed whenever one of its inputs changes.

    presence   = Σ_d w_d · (1 − exp(−x_d / s_d))          d ∈ land, sea, air, neighbouring,
                                                             tripwire;  Σ_d w_d = 1
    deterrence = (w_cap · capability + w_pres · presence · cohesion + U.S. term) / adversary

``x_d`` are the troops, ships and aircraft deployed in Ukraine, the troops in neighbouring
countries, and the number of nations with land troops in Ukraine (the tripwire: an attack would
hit that many nations' soldiers). Each term saturates on its own, so ships cannot stand in for
troops. The U.S. term depends on the U.S. state and is zero during a pause; ``adversary`` is the
adversary's regenerating offensive capacity. Every weight comes from the scenario's ``model:``
block. Deterrence is a derivation of the state: it is recomputed after the reactions to any of
its inputs and published as the ``deterrence`` metric, which the adversary watches.
"""

from __future__ import annotations

import math

from sim.engine.world import World
from sim.scenario.metrics import US_STATES
from sim.scenario.schema import PRESENCE_TERMS

PRESENCE_METRICS = {
    "land": "deployed.reassurance.land",
    "sea": "deployed.reassurance.sea",
    "air": "deployed.reassurance.air",
    "neighbouring": "deployed.neighbouring",
    "tripwire": "deployed.reassurance.nations",
}
"""The metric each presence term reads."""

INPUTS = (
    "capability",
    *PRESENCE_METRICS.values(),
    "cohesion",
    "us.state",
    "us.paused",
    "adversary.capacity",
)
"""The metrics deterrence is computed from."""


class Deterrence:
    """Deterrence of one replication, kept current."""

    def __init__(self, world: World) -> None:
        self.world = world
        model = world.scenario.model
        self._terms = [
            (
                PRESENCE_METRICS[name],
                model.presence.term(name).weight,
                model.presence.term(name).scale,
            )
            for name in PRESENCE_TERMS
        ]
        weights = model.deterrence
        self._us_terms = {state: getattr(weights.us, state) for state in US_STATES}
        self.w_capability = weights.capability
        self.w_presence = weights.presence
        self._presence = self.presence()
        self.value = self.compute()
        world.state.initialise("deterrence", self.value)
        world.state.derive(PRESENCE_METRICS.values(), self._presence_changed)
        world.state.derive([m for m in INPUTS if m not in PRESENCE_METRICS.values()], self.refresh)

    def presence(self) -> float:
        """Coalition presence, each term with diminishing returns; in [0, 1)."""
        values = self.world.state.values
        total = 0.0
        for metric, weight, scale in self._terms:
            total += weight * (1 - math.exp(-values[metric] / scale))
        return total

    def _presence_changed(self) -> None:
        self._presence = self.presence()
        self.refresh()

    def compute(self) -> float:
        """Deterrence from the current state."""
        values = self.world.state.values
        us_term = 0.0 if values["us.paused"] else self._us_terms[values["us.state"]]
        numerator = (
            self.w_capability * values["capability"]
            + self.w_presence * self._presence * values["cohesion"]
            + us_term
        )
        return float(numerator / values["adversary.capacity"])

    def refresh(self) -> None:
        """Recompute and publish deterrence (a change wakes whoever watches it)."""
        deterrence = self.compute()
        if deterrence != self.value:
            self.value = deterrence
            self.world.state.set("deterrence", deterrence)
