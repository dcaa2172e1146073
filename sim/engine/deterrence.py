"""The coalition's deterrence, recomputed whenever one of its inputs changes.

    presence   = 1 − exp(−(land/L + sea/S + air/A + neighbouring/N))   (diminishing returns)
    deterrence = (w_cap · capability + w_pres · presence · cohesion + U.S. term) / adversary

The U.S. term depends on the U.S. state and is zero during a pause; ``adversary`` is the
adversary's regenerating offensive capacity. Every weight comes from the scenario's ``model:``
block. Deterrence is a derivation of the state: it is recomputed after the reactions to any of
its inputs, and published as the ``deterrence`` metric, which the adversary watches.
"""

from __future__ import annotations

import math

from sim.engine.world import World

INPUTS = (
    "capability",
    "deployed.reassurance.land",
    "deployed.reassurance.sea",
    "deployed.reassurance.air",
    "deployed.neighbouring",
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
        weights = world.scenario.model.deterrence
        scale = weights.presence_scale
        self._presence_scale = (scale.land, scale.sea, scale.air, scale.neighbouring)
        self._us_terms = weights.us
        self.w_capability = weights.capability
        self.w_presence = weights.presence
        self.value = self.compute()
        world.state.initialise("deterrence", self.value)
        world.state.derive(INPUTS, self.refresh)

    def presence(self) -> float:
        """Coalition presence with diminishing returns, in [0, 1)."""
        values = self.world.state.values
        land, sea, air, neighbouring = self._presence_scale
        units = (
            values["deployed.reassurance.land"] / land
            + values["deployed.reassurance.sea"] / sea
            + values["deployed.reassurance.air"] / air
            + values["deployed.neighbouring"] / neighbouring
        )
        return 1 - math.exp(-units)

    def compute(self) -> float:
        """Deterrence from the current state."""
        values = self.world.state.values
        us_term = 0.0 if values["us.paused"] else getattr(self._us_terms, values["us.state"])
        numerator = (
            self.w_capability * values["capability"]
            + self.w_presence * self.presence() * values["cohesion"]
            + us_term
        )
        return float(numerator / values["adversary.capacity"])

    def refresh(self) -> None:
        """Recompute and publish deterrence (a change wakes whoever watches it)."""
        deterrence = self.compute()
        if deterrence != self.value:
            self.value = deterrence
            self.world.state.set("deterrence", deterrence)
