"""Every shipped scenario validates, runs, and still gives its expected KPIs.

Tolerance per KPI: the 95% half-width of the difference between two independent estimates,
sqrt(h_expected² + h_now²). A change in the model that moves a KPI by more than its own noise
fails here; regenerate with ``python -m tests.regression.golden_kpis`` when the change is meant.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import sim
from sim.experiment.comparison import compare
from tests.regression.golden_kpis import GOLDEN, SCENARIOS, current

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


def test_every_scenario_has_a_golden_file() -> None:
    assert {p.stem for p in SHIPPED} == {p.stem for p in GOLDEN.glob("*.json")}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_scenario_matches_its_expected_kpis(path: Path) -> None:
    expected = json.loads((GOLDEN / f"{path.stem}.json").read_text())
    now = current(path)
    assert set(now) == set(expected)
    for kpi, old in expected.items():
        new = now[kpi]
        if old["estimate"] is None:
            assert new["estimate"] is None, kpi
            continue
        tolerance = math.hypot(old["half_width"] or 0.0, new["half_width"] or 0.0)
        assert abs(new["estimate"] - old["estimate"]) <= tolerance + 1e-9, (kpi, old, new)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_scenario_opens_with_its_question(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# "), path


def test_no_us_backing_lowers_deterrence_and_raises_the_days_below_the_threshold() -> None:
    """Under common random numbers the posture effect is significant (paired interval)."""
    comparison = compare(
        [
            sim.load_scenario(SCENARIOS / "us_backs_early.yaml"),
            sim.load_scenario(SCENARIOS / "no_us_backing.yaml"),
        ],
        reps=100,
        seed=1,
        workers=1,
    )
    rows = {r["kpi"]: r for r in comparison.rows() if r["role"] == "alternative"}
    assert rows["deterrence_mean"]["diff_ci_high"] < 0, rows["deterrence_mean"]
    assert rows["share_below_threshold"]["diff_ci_low"] > 0, rows["share_below_threshold"]
    assert rows["final_deployed_land"]["diff_ci_high"] < 0, rows["final_deployed_land"]
