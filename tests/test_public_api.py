"""The public API is what __all__ says, and every name in it resolves."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sim


def test_all_names_resolve() -> None:
    for name in sim.__all__:
        assert getattr(sim, name) is not None, name


def test_curated_api() -> None:
    assert sorted(sim.__all__) == sim.__all__
    assert set(sim.__all__) == {
        "Comparison",
        "EnvironmentProblem",
        "InputError",
        "MissingExtra",
        "ResultsError",
        "RunResult",
        "Scenario",
        "ScenarioError",
        "SimError",
        "SimulationError",
        "SweepResult",
        "Trace",
        "UsageError",
        "__version__",
        "compare",
        "load_results",
        "load_scenario",
        "run",
        "simulate",
        "sweep",
    }


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nonexistent"):
        sim.nonexistent  # noqa: B018  (the attribute access is the test)


def test_scenario_error_is_a_value_error_with_location() -> None:
    assert issubclass(sim.ScenarioError, ValueError)
    assert issubclass(sim.ScenarioError, sim.SimError)


def test_errors_are_classed_by_cause() -> None:
    from sim.scenario.conditions import ConditionError

    for input_error in (sim.ScenarioError, sim.UsageError, sim.ResultsError, ConditionError):
        assert issubclass(input_error, sim.InputError)
    assert issubclass(sim.InputError, sim.SimError)
    assert issubclass(sim.MissingExtra, sim.EnvironmentProblem)
    assert not issubclass(sim.EnvironmentProblem, sim.InputError)
    assert not issubclass(sim.SimulationError, sim.InputError | sim.EnvironmentProblem)


def test_an_unknown_kpi_reads_without_file_positions() -> None:
    from sim.experiment.results import _kpi_index

    with pytest.raises(sim.UsageError) as caught:
        _kpi_index("nope")
    assert str(caught.value).startswith("unknown KPI 'nope'; KPIs are offensive_given_ceasefire,")


def test_validation_does_not_import_the_batch_layer() -> None:
    code = (
        "import sys, sim; sim.load_scenario('scenarios/baseline.yaml'); "
        "print('pyarrow' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=__file__.rsplit("/tests/", 1)[0],
    )
    assert out.stdout.split() == ["False", "False"]
