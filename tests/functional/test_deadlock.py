"""The mutual-conditionality deadlock emerges from the rules, and the right moves break it."""

from __future__ import annotations

from typing import Any

from sim.engine import simulate
from tests.conftest import scenario

REPS = 40


def _posture(unconditional: float, conditional: float, injects: list[Any] | None = None):  # type: ignore[no-untyped-def]
    members = [
        {"id": "GBR", "name": "United Kingdom", "requires_us_backing": False},
        {"id": "DEU", "name": "Germany", "requires_us_backing": True},
        {"id": "NLD", "name": "Netherlands", "requires_us_backing": True},
    ]
    pledges = [
        {
            "id": "deu-land",
            "member": "DEU",
            "pillar": "reassurance_force",
            "domain": "land",
            "amount": conditional / 2,
            "lead_time": {"dist": "uniform", "low": 20, "high": 60},
        },
        {
            "id": "nld-land",
            "member": "NLD",
            "pillar": "reassurance_force",
            "domain": "land",
            "amount": conditional / 2,
            "lead_time": {"dist": "uniform", "low": 20, "high": 60},
        },
    ]
    if unconditional:
        pledges.append(
            {
                "id": "gbr-land",
                "member": "GBR",
                "pillar": "reassurance_force",
                "domain": "land",
                "amount": unconditional,
                "lead_time": 30,
            }
        )
    return scenario(
        ceasefire={"day": {"dist": "uniform", "low": 30, "high": 120}},
        members=members,
        pledges=pledges,
        us={
            "enablers": {
                "conditions": ["committed.reassurance.land >= 15000"],
                "probability": 0.7,
                "review_days": 30,
                "decision_delay": 30,
            }
        },
        injects=injects or [],
    )


def _land_ever_deployed(trace) -> bool:  # type: ignore[no-untyped-def]
    return any(m == "deployed.reassurance.land" and v > 0 for _, m, v in trace.records)


def test_everyone_waiting_for_everyone_means_nothing_ever_happens() -> None:
    sc = _posture(unconditional=0, conditional=20_000)
    for rep in range(REPS):
        trace = simulate(sc, seed=5, rep=rep)
        assert trace.kpis["ceasefire"] == 1.0
        assert trace.kpis["us_enablers"] == 0.0, rep
        assert not _land_ever_deployed(trace), rep
        assert not any(kind in ("us", "commit", "deploy") for _, kind, _, _ in trace.events)


def test_too_few_unconditional_troops_keep_the_deadlock() -> None:
    sc = _posture(unconditional=10_000, conditional=20_000)
    for rep in range(REPS):
        trace = simulate(sc, seed=5, rep=rep)
        assert trace.kpis["us_enablers"] == 0.0
        assert trace.kpis["final_deployed_land"] == 10_000  # only the unconditional troops


def test_enough_unconditional_troops_break_it() -> None:
    sc = _posture(unconditional=15_000, conditional=20_000)
    traces = [simulate(sc, seed=5, rep=rep) for rep in range(REPS)]
    broke = [t for t in traces if t.kpis["us_enablers"] == 1.0]
    # A yes has probability 0.7 per monthly review; within ~20 months it almost surely comes.
    assert len(broke) >= 0.9 * REPS
    for trace in broke:
        # Once the U.S. is in, the conditional Europeans commit and deploy too.
        assert trace.kpis["final_deployed_land"] == 35_000
        assert trace.kpis["us_enablers_day"] > trace.kpis["ceasefire_day"]


def test_an_inject_breaks_it() -> None:
    sc = _posture(
        unconditional=0,
        conditional=20_000,
        injects=[{"at": 200, "action": "trigger_signal", "signal": "us.enablers"}],
    )
    for rep in range(REPS):
        trace = simulate(sc, seed=5, rep=rep)
        assert trace.kpis["us_enablers_day"] == 200.0
        assert trace.kpis["final_deployed_land"] == 20_000
