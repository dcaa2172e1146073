"""Numbers in scenario and spec files: booleans, infinities, NaN and sizes the engine cannot hold
are refused where they are written, once for every model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine import simulate
from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.scenario.numbers import MAX_MAGNITUDE, plan
from sim.scenario.pledges import ReassurancePledge, TrainingPledge
from sim.scenario.schema import Member, Regeneration, Scenario

MINIMAL = Path(__file__).resolve().parents[2] / "data" / "valid" / "minimal.yaml"
BOOLEAN = "expected a number, got a boolean"


def first_problem(*overrides: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(MINIMAL, overrides)
    return str(caught.value.problems[0])


@pytest.mark.parametrize(
    ("override", "where", "message"),
    [
        ("pledges.fra-land.amount=yes", "--set:1:25: pledges.fra-land.amount", BOOLEAN),
        ("members.FRA.reliability=off", "--set:1:25: members.FRA.reliability", BOOLEAN),
        (
            "pledges.fra-training.capacity=true",
            "--set:1:31: pledges.fra-training.capacity",
            BOOLEAN,
        ),
        ("horizon_days=no", "--set:1:14: horizon_days", BOOLEAN),
        ("injects.0.at=on", "--set:1:14: injects.0.at", BOOLEAN),
        ("pledges.fra-land.lead_time=yes", "--set:1:28: pledges.fra-land.lead_time", "boolean"),
        (
            "pledges.fra-land.lead_time.low=y",
            "--set:1:32: pledges.fra-land.lead_time.low",
            "got 'y'",
        ),
        (
            "pledges.fra-land.amount=" + "9" * 400,
            "--set:1:25: pledges.fra-land.amount",
            "number too large: an integer of 400 digits",
        ),
        ("pledges.fra-land.amount=.inf", "--set:1:25: pledges.fra-land.amount", "finite"),
        ("ukraine.budget.need_per_day=.nan", "--set:1:29: ukraine.budget.need_per_day", "finite"),
        ("ukraine.budget.need_per_day=1e400", "--set:1:29: ukraine.budget.need_per_day", "finite"),
        (
            "ukraine.budget.initial=2.0e15",
            "--set:1:24: ukraine.budget.initial",
            "number too large: 2e+15",
        ),
    ],
)
def test_numbers_the_engine_cannot_hold_are_refused(
    override: str, where: str, message: str
) -> None:
    line = first_problem(override)
    assert line.startswith(f"{where}: "), line
    assert message in line


def test_yes_as_troops_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "yes.yaml"
    path.write_text(
        MINIMAL.read_text().replace("domain: land, amount: 5000,", "domain: land, amount: yes,")
    )
    line = first_problem_of(path)
    assert line == (
        f"{path}:12:82: pledges.fra-land.amount: expected a number, got a boolean (YAML reads "
        "yes/no, on/off and true/false as booleans) (got True)"
    )


def first_problem_of(path: Path) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return str(caught.value.problems[0])


def test_the_largest_accepted_numbers_run() -> None:
    scenario = load_scenario(
        MINIMAL,
        [
            f"pledges.fra-land.amount={MAX_MAGNITUDE:.0f}",
            f"pledges.fra-training.capacity={int(MAX_MAGNITUDE)}",
            f"ukraine.budget.need_per_day={MAX_MAGNITUDE:.0f}",
            f"adversary.violation_regimes.strong.rate_per_day={MAX_MAGNITUDE:.0f}",
        ],
    )
    assert simulate(scenario, 1, 0).kpis["final_deployed_land"] >= 0


def test_rates_that_would_never_finish_are_refused() -> None:
    line = first_problem("members.FRA.shocks.rate_per_year=1e9")
    assert line.startswith("--set:1:34: members.FRA.shocks.rate_per_year: 1e+09 per year makes ")
    assert "at most 10,000" in line
    line = first_problem("adversary.violation_regimes.strong.mean_spell_days=1e-300")
    assert "adversary.violation_regimes.strong.mean_spell_days: spells of 1e-300 days" in line


def test_plans_follow_the_annotations() -> None:
    assert plan(ReassurancePledge, "amount") == ("scalar", True)  # Pos: capped
    assert plan(Member, "reliability") == ("scalar", False)  # 0..1 bounds itself
    assert plan(Member, "requires_us_backing") is None  # a boolean
    assert plan(TrainingPledge, "capacity") == ("scalar", True)
    assert plan(Regeneration, "step_days") == ("scalar", False)
    assert plan(Scenario, "name") is None
    from sim.experiment.spec import Parameter, SweepSpec

    assert plan(Parameter, "range_") == ("items", True)
    assert plan(SweepSpec, "seed") == ("scalar", False)  # 0 <= seed < 2**63, not capped


def test_the_shipped_scenarios_are_unaffected() -> None:
    root = MINIMAL.parents[3] / "scenarios"
    assert [load_scenario(p).name for p in sorted(root.glob("*.yaml"))]
