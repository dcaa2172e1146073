"""A new pillar is one class and one registration: a toy pillar defined here appears in
validation, the engine, the KPI catalogue, a run's summary and the fulfilment plot, with no other
file touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from matplotlib.figure import Figure

import sim
from sim.engine import catalogue
from sim.engine.pillars import PledgeState, fulfilment_kpi, register_pillar, unregister_pillar
from sim.engine.world import ProcessGen
from sim.errors import ScenarioError
from sim.experiment.runner import run
from sim.plot.bars import fulfilment_bars
from sim.scenario.jsonschema import scenario_json_schema
from sim.scenario.pledges import PledgeSpec

TOY_YAML = """\
name: toy
start: 2026-03-01
horizon_days: 365
ceasefire: {day: 100}
members:
  - {id: EST, name: Estonia}
pledges:
  - {id: est-cyber, member: EST, pillar: cyber_defence, teams: 4, days: 30}
"""


class CyberPledge(PledgeSpec):
    """Cyber-defence teams sent after the ceasefire."""

    pillar: Literal["cyber_defence"]
    teams: int
    days: int = 60


class CyberState(PledgeState):
    """Teams arrive ``days`` after the ceasefire; each trains 100 Ukrainian specialists."""

    spec_type = CyberPledge
    label = "Cyber defence"
    unit = "teams"
    kpi = fulfilment_kpi("fulfilment_cyber", "cyber_defence", "Cyber teams sent ÷ pledged")
    spec: CyberPledge

    @classmethod
    def promised(cls, spec: Any, horizon: float) -> float:
        return float(spec.teams)

    def lifecycle(self) -> ProcessGen:
        yield self.world.ceasefire
        yield self.world.env.timeout(self.spec.days)
        if self.blocked():
            return
        self.delivered = self.spec.teams * self.factor
        self.world.log("cyber", self.member.spec.id, f"{self.delivered:.0f} cyber teams arrive")
        self.ukraine.add_trained(100 * self.delivered)


@pytest.fixture
def toy_pillar() -> Iterator[None]:
    register_pillar(CyberState)
    try:
        yield
    finally:
        unregister_pillar("cyber_defence")


@pytest.fixture
def toy_file(tmp_path: Path) -> Path:
    path = tmp_path / "toy.yaml"
    path.write_text(TOY_YAML, encoding="utf-8")
    return path


def test_the_toy_pillar_validates_runs_and_reports(toy_pillar: None, toy_file: Path) -> None:
    scenario = sim.load_scenario(toy_file)
    assert isinstance(scenario.pledges[0], CyberPledge)

    trace = sim.simulate(scenario, seed=1, rep=0)
    assert [e for e in trace.events if e[1] == "cyber"] == [
        (130.0, "cyber", "EST", "4 cyber teams arrive")
    ]
    assert trace.pledges["est-cyber"] == (4.0, 4.0)
    assert trace.kpis["fulfilment_cyber"] == 1.0
    assert "fulfilment_cyber" in catalogue.names()

    result = run(scenario, reps=3, seed=1, workers=1)
    row = next(r for r in result.summary_rows if r["kpi"] == "fulfilment_cyber")
    assert row["mean"] == 1.0

    ax = fulfilment_bars(result.summary_rows, ax=Figure().add_subplot())
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels[-1] == "Cyber defence"
    assert ax.patches[-1].get_height() == 1.0

    definitions = scenario_json_schema()["$defs"]
    assert "CyberPledge" in definitions


def test_the_toy_pillars_fields_are_validated_at_their_line(
    toy_pillar: None, toy_file: Path
) -> None:
    toy_file.write_text(TOY_YAML.replace("teams: 4", "teems: 4"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        sim.load_scenario(toy_file)
    assert [str(p) for p in caught.value.problems] == [
        f"{toy_file}:8:5: pledges.est-cyber.teams: required key 'teams' is missing",
        f"{toy_file}:8:57: pledges.est-cyber.teems: unknown key 'teems' (did you mean 'teams'?)",
    ]


def test_without_its_registration_the_pillar_is_unknown(toy_file: Path) -> None:
    with pytest.raises(ScenarioError, match="unknown pillar 'cyber_defence'"):
        sim.load_scenario(toy_file)
    assert "fulfilment_cyber" not in catalogue.names()
