"""What a notebook sees: short reprs, HTML tables, DataFrames, paths accepted, and plotting
that leaves matplotlib's global settings alone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sim
from tests.conftest import MINIMAL, ROOT, SCENARIOS


@pytest.fixture(scope="module")
def comparison() -> sim.Comparison:
    return sim.compare([MINIMAL, str(MINIMAL)], reps=12, workers=1)


def test_importing_sim_plot_leaves_rcparams_unchanged() -> None:
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); "
        "import sim.plot, sim.plot.standard, sim.plot.compare, sim.plot.sweep, sim.report; "
        "assert dict(mpl.rcParams) == before; print('same')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "same"


def test_drawing_leaves_rcparams_unchanged(comparison: sim.Comparison) -> None:
    import matplotlib as mpl

    import sim.plot

    before = dict(mpl.rcParams)
    figures = sim.plot.run_figures(comparison.reference)
    assert "fan_deterrence" in figures
    assert dict(mpl.rcParams) == before
    assert figures["fan_deterrence"].axes[0].title.get_fontsize() == 12  # the house style


def test_sim_plot_exports_functions_that_return_figures() -> None:
    import inspect

    import sim.plot

    assert sim.plot.__all__
    for name in sim.plot.__all__:
        assert callable(getattr(sim.plot, name)), name
    assert "Figure" in str(inspect.signature(sim.plot.deterrence_fan).return_annotation)


def test_every_result_type_has_a_short_repr(comparison: sim.Comparison, tmp_path: Path) -> None:
    from sim.experiment.ablation import ablate
    from sim.experiment.sweep_result import SweepResult

    scenario = sim.load_scenario(SCENARIOS / "baseline.yaml")
    ablation = ablate(sim.load_scenario(MINIMAL), "pillar", reps=4, workers=1)
    trace = sim.simulate(scenario, seed=1, rep=0)
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f"name: tiny\nbase: {MINIMAL}\nreps: 5\nkpis: [offensive]\nparameters:\n"
        "  - {path: adversary.offensive.base_hazard_per_year, values: [0.1, 0.5]}\n"
    )
    swept = sim.sweep(spec, out=tmp_path / "sweep", workers=1)
    items = [comparison.reference, comparison, scenario, trace, swept, swept.job, ablation]
    items.append(SweepResult.load(tmp_path / "sweep"))
    for item in items:
        text = repr(item)
        assert len(text) < 300, text
        assert text.startswith(type(item).__name__ + "(")
    assert len(swept.to_pandas()) == 2
    assert set(ablation.to_pandas()["role"]) == {"reference", "ablated"}


def test_html_tables_and_data_frames(comparison: sim.Comparison) -> None:
    run = comparison.reference
    assert "<table" in run._repr_html_()
    assert "offensive" in run._repr_html_()
    assert "<table" in comparison._repr_html_()
    summary = run.to_pandas()
    assert summary.loc["offensive", "n"] == 12
    assert len(run.to_pandas("replications")) == 12
    rows = comparison.to_pandas()
    assert set(rows["scenario"]) == {"minimal", "minimal-2"}
    with pytest.raises(sim.UsageError):
        run.to_pandas("nope")


def test_run_and_compare_take_paths_and_record_the_question(comparison: sim.Comparison) -> None:
    question = comparison.reference.manifest["scenario"]["question"]
    assert question.startswith("A small valid scenario")
    result = sim.run(str(MINIMAL), reps=3, workers=1)
    assert result.n == 3
    assert result.manifest["scenario"]["question"] == question
