"""What every pledge shares: honoured or not, a scale factor, withdrawal, cohesion.

Each pillar subclasses :class:`PledgeState` with a ``lifecycle`` process. A pledge is honoured
with its member's reliability; a dishonoured pledge is revealed when it would first deliver.
Scaling and withdrawal act at once on what the pledge currently contributes (``apply``), and on
what it delivers later; a process that wakes to find its pledge withdrawn simply ends, so no
process is ever interrupted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.engine.rng import Stream
from sim.scenario.conditions import Condition

if TYPE_CHECKING:
    from sim.engine.members import MemberState
    from sim.engine.world import ProcessGen, World
    from sim.scenario.schema import (
        EquipmentPledge,
        FinancingPledge,
        NeighbouringPledge,
        ReassurancePledge,
        TrainingPledge,
    )

    PledgeSpec = (
        TrainingPledge | FinancingPledge | EquipmentPledge | ReassurancePledge | NeighbouringPledge
    )


class PledgeState:
    """A pledge during one replication."""

    def __init__(self, world: World, spec: PledgeSpec, member: MemberState) -> None:
        self.world = world
        self.spec = spec
        self.member = member
        self.stream: Stream = world.streams[f"pledge.{spec.id}"]
        self.honoured = self.stream.chance(member.spec.reliability)
        self.factor = 1.0
        self.withdrawn = False
        self.failed = False
        self.delivered = 0.0
        self.conditions: list[Condition] = [world.condition(c) for c in spec.conditions]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def nominal(self) -> float:
        """What the pledge promises over the horizon, in its pillar's unit."""
        raise NotImplementedError

    @property
    def share(self) -> float:
        """This pledge's contribution to cohesion: its active share of what was pledged."""
        if self.withdrawn or self.failed:
            return 0.0
        return min(1.0, self.factor)

    @property
    def fulfilment(self) -> float:
        """Delivered ÷ pledged (above 1 only if an inject scaled the pledge up)."""
        nominal = self.nominal
        return self.delivered / nominal if nominal > 0 else 0.0

    def start(self) -> None:
        self.world.process(self.lifecycle())

    def lifecycle(self) -> ProcessGen:
        raise NotImplementedError

    def wait_conditions(self) -> ProcessGen:
        """Wait until every condition of the pledge holds (no wait if it has none)."""
        if self.conditions:
            from sim.engine.state import Watch

            watch = Watch(self.world.state, self.conditions)
            yield watch.when_true()
            watch.close()

    def blocked(self) -> bool:
        """Whether the pledge cannot deliver now: it ended, or it turns out not to be honoured.

        Called when the pledge would first deliver; a dishonoured pledge is revealed (and
        logged) then.
        """
        if not self.live:
            return True
        if self.honoured:
            return False
        old = self.share
        self.failed = True
        self.world.log(
            "lapse", self.member.spec.id, f"{self.member.name} does not honour pledge {self.id}"
        )
        self.world.assessment.share_changed(self, old)
        return True

    def withdraw(self, reason: str) -> None:
        """End the pledge now."""
        if self.withdrawn:
            return
        old = self.share
        self.withdrawn = True
        self.apply(0.0)
        self.world.assessment.share_changed(self, old)

    def rescale(self, factor: float) -> None:
        """Set the pledge's scale factor (1 = as pledged)."""
        if self.withdrawn or factor == self.factor:
            return
        old = self.share
        self.factor = factor
        self.apply(factor)
        self.world.assessment.share_changed(self, old)

    def apply(self, factor: float) -> None:
        """Bring the pledge's current contribution in line with ``factor`` (0 = none)."""

    @property
    def live(self) -> bool:
        return not self.withdrawn and not self.failed and self.member.active
