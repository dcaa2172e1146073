"""The report of each kind of directory: one file, nothing fetched, the numbers' own words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import sim
from sim.report import detect, render_report, write_report
from sim.report.findings import comparison_findings, lower_first
from tests.conftest import MINIMAL, SCENARIOS


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    comparison = sim.compare([MINIMAL, MINIMAL], reps=12, workers=1)
    comparison.save(folder / "compare")
    comparison.reference.save(folder / "run")
    return folder


def _self_contained(html: str) -> None:
    assert "<script" not in html
    assert "<link" not in html
    assert not re.search(r'(src|href)="(https?:|//)', html)
    assert "default-src 'none'" in html  # the browser would refuse any fetch anyway


def test_a_run_report(saved: Path) -> None:
    html = render_report(saved / "run")
    _self_contained(html)
    assert html.count("<svg") >= 7
    manifest = json.loads((saved / "run" / "manifest.json").read_text())
    assert "Not a forecast." in html
    assert "A small valid scenario" in html  # the question: the file's opening comment
    for note in manifest["provenance"]:
        assert f"<code>{note['path']}</code>" in html
    assert "@media print" in html


def test_a_comparison_report_and_its_findings(saved: Path) -> None:
    html = render_report(saved / "compare")
    _self_contained(html)
    assert "minimal-2 against minimal" in html
    assert "is not distinguishable from the reference" in html  # identical twins
    assert "rises from" not in html
    assert "falls from" not in html
    assert "Inputs that differ" in html


def test_findings_state_only_significant_changes() -> None:
    rows = [
        {
            "kpi": "share_below_threshold",
            "kind": "mean",
            "unit": "share",
            "scenario": "a",
            "role": "reference",
            "estimate": 0.24,
            "difference": None,
            "diff_ci_low": None,
            "diff_ci_high": None,
            "significant": None,
        },
        {
            "kpi": "share_below_threshold",
            "kind": "mean",
            "unit": "share",
            "scenario": "b",
            "role": "alternative",
            "estimate": 0.68,
            "difference": 0.44,
            "diff_ci_low": 0.43,
            "diff_ci_high": 0.46,
            "significant": True,
        },
        {
            "kpi": "offensive",
            "kind": "probability",
            "unit": "share",
            "scenario": "a",
            "role": "reference",
            "estimate": 0.30,
            "difference": None,
            "diff_ci_low": None,
            "diff_ci_high": None,
            "significant": None,
        },
        {
            "kpi": "offensive",
            "kind": "probability",
            "unit": "share",
            "scenario": "b",
            "role": "alternative",
            "estimate": 0.31,
            "difference": 0.01,
            "diff_ci_low": -0.01,
            "diff_ci_high": 0.03,
            "significant": False,
        },
    ]
    found = {f.kpi: f for f in comparison_findings(rows)["b"]}
    assert found["share_below_threshold"].text == (
        "Share of ceasefire days with deterrence below the threshold rises from 24.0% to "
        "68.0% (+44.0 points, 95% CI +43.0 to +46.0)."
    )
    assert "not distinguishable" in found["offensive"].text
    assert not found["offensive"].significant
    assert lower_first("U.S. enablers") == "U.S. enablers"
    assert lower_first("A renewed offensive") == "a renewed offensive"


def test_dispatch_by_directory_kind(saved: Path, tmp_path: Path) -> None:
    assert detect(saved / "run").name == "run"
    assert detect(saved / "compare").name == "compare"
    ablation = tmp_path / "ablation"
    (ablation / "plots").mkdir(parents=True)
    (ablation / "ablate.json").write_text(
        json.dumps(
            {
                "name": "pillars",
                "description": "Which pillar matters?",
                "rows": [{"removed": "training", "offensive": 0.31}],
            }
        )
    )
    (ablation / "plots" / "bars.svg").write_text(
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100pt" '
        'height="50pt" viewBox="0 0 100 50"><rect id="r" width="10" height="10"/></svg>'
    )
    assert detect(ablation).name == "ablation"
    written = write_report(ablation)
    html = written.read_text()
    assert "Which pillar matters?" in html
    assert 'id="a0-r"' in html
    with pytest.raises(sim.ResultsError, match="not a run, comparison, sweep or ablation"):
        detect(tmp_path)


def test_wargame_report_writes_one_file(saved: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sim.cli import app

    out = tmp_path / "brief.html"
    result = CliRunner().invoke(app, ["report", str(saved / "run"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert f"Report: {out}" in result.output
    assert SCENARIOS.is_dir()
