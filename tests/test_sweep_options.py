"""Sweep options: --template on a --param, validate --sweep, a scenario given as a spec."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sim.cli import app
from sim.experiment.spec import inline_spec
from tests.conftest import SCENARIOS


def test_a_template_sweeps_a_condition_threshold() -> None:
    spec = inline_spec(
        SCENARIOS / "baseline.yaml",
        "t",
        ["us.enablers.conditions=2000:20000:4"],
        "grid",
        None,
        10,
        1,
        ["us_enablers"],
        ["committed.reassurance.land >= {value}"],
    )
    parameter = spec.parameters[0]
    assert parameter.template == ["committed.reassurance.land >= {value}"]
    assert parameter.int_


def test_validate_sweep_checks_specs() -> None:
    runner = CliRunner()
    specs = sorted(str(p) for p in (SCENARIOS / "sweeps").glob("*.yaml"))
    result = runner.invoke(app, ["validate", "--sweep", *specs])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok (") == len(specs)


def test_a_scenario_given_as_a_spec_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sweep", str(SCENARIOS / "baseline.yaml")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert "this is a scenario, not a sweep spec" in lines[0]
    result = CliRunner().invoke(app, ["validate", "--sweep", str(SCENARIOS / "baseline.yaml")])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_template_needs_a_param() -> None:
    result = CliRunner().invoke(
        app, ["sweep", str(SCENARIOS / "baseline.yaml"), "--template", "x >= {value}"]
    )
    assert result.exit_code == 2
    assert "--template applies to a --param" in result.output
