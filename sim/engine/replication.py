"""One replication's mechanisms, wired together: what injects and outcome measures act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.engine.adaptation import MemberRules, USThreshold
from sim.engine.adversary import Adversary
from sim.engine.coalition import Cohesion, MemberState
from sim.engine.deterrence import Deterrence
from sim.engine.ladder import LadderRule
from sim.engine.moves import Moves
from sim.engine.pillars import PILLARS, PledgeState
from sim.engine.pillars.forces import Milestones
from sim.engine.ukraine import Ukraine
from sim.engine.us import USBacking
from sim.engine.world import World
from sim.scenario.pledges import PledgeSpec


@dataclass
class Replication:
    """The world and every mechanism of one replication."""

    world: World
    ukraine: Ukraine
    cohesion: Cohesion
    milestones: Milestones
    deterrence: Deterrence
    us: USBacking
    adversary: Adversary
    members: dict[str, MemberState] = field(default_factory=dict)
    moves: Moves | None = None
    """Probes and incursions and their answers (both decision rules; injects use it too)."""
    ladder: LadderRule | None = None
    """Russia's reviews, with ``adversary.decision: ladder``."""
    threshold: USThreshold | None = None
    member_rules: MemberRules | None = None
    pledges: list[PledgeState] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)
    """Values computed once at the end and read by several outcome measures."""

    def add_pledge(self, spec: PledgeSpec, *, during_run: bool = False) -> PledgeState:
        """Create a pledge's state and register it with its member and cohesion.

        Raises:
            KeyError: no pillar is registered for the pledge (the scenario format would not
                have accepted it).
        """
        member = self.members[spec.member]
        pledge = PILLARS[spec.pillar](self.world, spec, member, self.ukraine, self.cohesion)
        self.pledges.append(pledge)
        member.pledges.append(pledge)
        self.cohesion.register(pledge, publish=during_run)
        return pledge
