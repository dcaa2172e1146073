"""Training: capacity-limited pipelines of cohorts.

A training pledge offers ``capacity`` places. Cohorts fill them, train for ``course_days`` and
graduate with a wash-out fraction, back to back, so the steady throughput is
``capacity / course_days · (1 − washout)`` trainees per day. Training abroad starts at once;
in-country training waits for the ceasefire and its member's mandate. Graduates join Ukraine's
pool of trained personnel, which attrition lowers (see :mod:`sim.engine.assessment`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.engine.pledges import PledgeState

if TYPE_CHECKING:
    from sim.engine.world import ProcessGen
    from sim.scenario.schema import TrainingPledge


class TrainingState(PledgeState):
    """A training pledge: one process running cohort after cohort."""

    spec: TrainingPledge

    @property
    def nominal(self) -> float:
        spec = self.spec
        return spec.capacity * (1 - spec.washout) * (self.world.horizon // spec.course_days)

    def lifecycle(self) -> ProcessGen:
        world = self.world
        spec = self.spec
        if spec.location == "in_country":
            yield world.ceasefire
            yield self.member.mandate
        yield from self.wait_conditions()
        if self.blocked():
            return
        first = True
        while self.live and not (spec.location == "in_country" and world.offensive.triggered):
            cohort = round(spec.capacity * self.factor)
            if cohort <= 0:
                return
            if first:
                where = "in Ukraine" if spec.location == "in_country" else "abroad"
                world.log(
                    "training",
                    self.member.spec.id,
                    f"{self.member.name} opens {spec.capacity:,} training places {where}",
                )
                first = False
            yield world.env.timeout(spec.course_days)
            if not self.live:
                return
            graduates = cohort * (1 - spec.washout)
            self.delivered += graduates
            world.assessment.add_trained(graduates)
