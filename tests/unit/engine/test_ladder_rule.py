"""The ladder's decision rule, checked analytically (sim/engine/ladder.py; MODEL.md section 22).

The expected probabilities are recomputed here from the equations as written in the docs, not
from the engine's functions; the simulated frequencies come from real reviews of built
replications (``sim.engine.model.build``) whose inputs are fixed by hand.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest

from sim.engine.ladder import Situation, choose, probabilities, rates
from sim.engine.model import build
from sim.scenario.schema import Scenario
from tests.conftest import scenario

DELTA = 30 / 365
PIVOT = 0.7
Z = 3.29
"""Two-sided 99.9% normal quantile: the tolerance of each frequency (binomial standard error)."""

LADDER: dict[str, Any] = {
    "review_days": 30,
    "probe": {
        "base_per_year": 3.0,
        "deterrence_sensitivity": 0.5,
        "regime_multipliers": {"eroding": 1.2},
        "cohesion_loss": 1.0,
        "tripwire": 0.5,
    },
    "incursion": {
        "base_per_year": 0.8,
        "deterrence_sensitivity": 1.5,
        "regime_multipliers": {"eroding": 1.5},
        "capability_gap": 1.0,
        "regeneration": 0.5,
        "tripwire": -1.0,
    },
    "openings": {"us_pause": {"probe": 2.0, "incursion": 1.5}},
    "salami": {"memory_days": 180, "unanswered": 1.3, "answered": 0.8},
}
INPUTS = {
    "deterrence": 0.55,
    "capability": 0.6,
    "adversary.capacity": 1.4,
    "cohesion": 0.9,
    "deployed.reassurance.nations": 2.0,
    "us.paused": True,
}
OFFENSIVE = {"base_hazard_per_year": 0.5, "deterrence_sensitivity": 1.2}


def _scenario() -> Scenario:
    return scenario(
        adversary={
            "decision": "ladder",
            "ladder": LADDER,
            "offensive": OFFENSIVE,
            "violation_regimes": {"eroding": {"offensive_multiplier": 1.5, "rate_per_day": 0}},
        },
        model={"deterrence": {"threshold": PIVOT}},  # the tripwire's scale stays 4 (default)
    )


def _expected() -> list[float]:
    """P(hold), P(probe), P(incursion), P(offensive) from the documented equations."""
    d = INPUTS["deterrence"]
    trip = 1 - math.exp(-2.0 / 4)
    salami = 1.3**2 * 0.8  # two unanswered moves and one answered in memory
    probe = 3.0 * 1.2 * math.exp(-0.5 * (d - PIVOT) + 1.0 * (1 - 0.9) + 0.5 * trip) * 2.0
    incursion = (
        0.8
        * 1.5
        * math.exp(-1.5 * (d - PIVOT) + 1.0 * (1 - 0.6) + 0.5 * (1.4 - 1) - 1.0 * trip)
        * 1.5
        * salami
    )
    offensive = 0.5 * 1.5 * math.exp(-1.2 * (d - PIVOT)) * salami
    weights = [1.0, probe * DELTA, incursion * DELTA, offensive * DELTA]
    return [w / sum(weights) for w in weights]


def _fixed_review(rep: int) -> int:
    """One review of replication ``rep`` with the inputs fixed by hand."""
    built = build(_scenario(), seed=11, rep=rep)
    values = built.world.state.values
    values.update(INPUTS)
    built.adversary.regime = "eroding"
    assert built.moves is not None
    assert built.ladder is not None
    built.moves.memory = [(0.0, False), (0.0, False), (0.0, True)]
    return built.ladder.review()


def test_the_rates_are_the_documented_equations() -> None:
    built = build(_scenario(), seed=11, rep=0)
    built.world.state.values.update(INPUTS)
    built.adversary.regime = "eroding"
    assert built.ladder is not None
    situation = built.ladder.situation(("us_pause",))
    situation = Situation(**{**situation.__dict__, "unanswered": 2, "answered": 1})
    lambdas = rates(built.world.scenario.adversary.ladder, situation, PIVOT)
    assert probabilities(lambdas, 30) == pytest.approx(_expected(), rel=1e-12)


def test_simulated_choices_match_the_rule_within_their_binomial_interval() -> None:
    n = 6000
    counts = Counter(_fixed_review(rep) for rep in range(n))
    for rung, p in enumerate(_expected()):
        tolerance = Z * math.sqrt(p * (1 - p) / n)
        assert abs(counts[rung] / n - p) <= tolerance, (rung, counts[rung] / n, p)


def test_small_rates_give_p_close_to_lambda_delta() -> None:
    probs = probabilities((0.1, 0.02, 0.01), 30)
    for p, rate in zip(probs[1:], (0.1, 0.02, 0.01), strict=True):
        assert p == pytest.approx(rate * DELTA, rel=0.02)
    assert sum(probs) == pytest.approx(1.0)


def test_the_offensive_rate_is_the_hazard_rule_s_with_nothing_in_memory() -> None:
    built = build(_scenario(), seed=3, rep=0)
    built.world.state.values.update(INPUTS)
    built.adversary.regime = "eroding"
    built.adversary.active = True
    assert built.ladder is not None
    situation = built.ladder.situation(())
    offensive = rates(built.world.scenario.adversary.ladder, situation, PIVOT)[2]
    assert offensive == pytest.approx(built.adversary.hazard() * 365, rel=1e-12)


@pytest.mark.parametrize(
    ("u", "rung"), [(0.0, 0), (0.49, 0), (0.5, 1), (0.79, 1), (0.8, 2), (0.96, 3)]
)
def test_choose_reads_the_cumulative_probabilities_hold_first(u: float, rung: int) -> None:
    assert choose((0.5, 0.3, 0.15, 0.05), u) == rung
