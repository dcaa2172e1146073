"""Training: capacity-limited pipelines of cohorts.

A training pledge offers ``capacity`` places. Cohorts fill them, train for ``course_days`` and
graduate with a wash-out fraction, back to back, so the steady throughput is
``capacity / course_days · (1 − washout)`` trainees per day. Training abroad starts at once;
in-country training waits for the ceasefire and its member's mandate. Graduates join Ukraine's
pool of trained personnel, which attrition lowers (see :mod:`sim.engine.ukraine`).
"""

from __future__ import annotations

from typing import Any

from sim.engine.pillars import PledgeState, fulfilment_kpi, register_pillar
from sim.engine.world import ProcessGen
from sim.scenario.pledges import TrainingPledge


@register_pillar
class TrainingState(PledgeState):
    """A training pledge: one process running cohort after cohort."""

    spec_type = TrainingPledge
    label = "Training"
    unit = "graduates"
    contribution_unit = "nominal graduates"
    kpi = fulfilment_kpi("fulfilment_training", "training", "Training delivered ÷ pledged")
    spec: TrainingPledge

    @classmethod
    def promised(cls, spec: Any, horizon: float) -> float:
        """Graduates of back-to-back full cohorts within the horizon."""
        return float(spec.capacity * (1 - spec.washout) * (horizon // spec.course_days))

    @property
    def waits_for_mandate(self) -> bool:
        """In-country trainers wait for their member's mandate."""
        return self.spec.location == "in_country"

    def lifecycle(self) -> ProcessGen:
        """Run cohorts back to back while the pledge is live."""
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
            if not self.live or (spec.location == "in_country" and world.offensive.triggered):
                return  # in-country training stops with a renewed offensive, cohort and all
            graduates = cohort * (1 - spec.washout)
            self.delivered += graduates
            self.ukraine.add_trained(graduates)
