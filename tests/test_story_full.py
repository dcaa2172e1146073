"""``wargame story --full`` lists every event; the outcome says why a milestone never came."""

from __future__ import annotations

from sim.analysis.story import render_story, why_not
from sim.engine.model import simulate
from sim.scenario.loader import load_scenario
from tests.conftest import SCENARIOS


def test_full_lists_every_event_without_the_summary() -> None:
    scenario = load_scenario(SCENARIOS / "baseline.yaml")
    trace = simulate(scenario, 1, 0)
    short, full = render_story(trace), render_story(trace, full=True)
    assert "Deliveries" in short
    assert "Deliveries" not in full
    assert len(full.splitlines()) >= len(trace.events)


def test_a_missing_threshold_is_named_with_its_shortfall() -> None:
    scenario = load_scenario(SCENARIOS / "baseline.yaml")
    trace = simulate(scenario, 2, 0)
    assert trace.kpis["us_enablers_day"] != trace.kpis["us_enablers_day"]  # never (nan)
    peak = max(v for _, m, v in trace.records if m == "committed.reassurance.land")
    reason = why_not(trace, ["committed.reassurance.land >= 10000"], "the U.S. requires")
    assert reason == (
        f"committed land troops reached at most {peak:,.0f} of the 10,000 the U.S. requires"
    )
    # The baseline's condition reads the U.S. threshold, which relaxes and hardens: its range.
    levels = [v for _, m, v in trace.records if m == "us.threshold"]
    low, high = min(levels), max(levels)
    assert low < high
    reason = why_not(trace, ["committed.reassurance.land >= us.threshold"], "the U.S. requires")
    assert reason == (
        f"committed land troops reached at most {peak:,.0f} of the {low:,.0f}–{high:,.0f} "
        "the U.S. requires"
    )
    assert f"U.S. enablers: never — {reason}" in render_story(trace, scenario=scenario)


def test_no_chance_is_said_plainly() -> None:
    scenario = load_scenario(SCENARIOS / "no_us_backing.yaml")
    text = render_story(simulate(scenario, 1, 0), scenario=scenario)
    assert "U.S. enablers: never — the scenario gives the U.S. no chance of saying yes" in text
