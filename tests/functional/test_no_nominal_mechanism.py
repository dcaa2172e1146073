"""No nominal mechanism: switching off any mechanism of the baseline changes an outcome.

A mechanism that is in the model but moves no outcome is nominal: its parameters are knobs that
turn nothing, and an analyst cannot explain a number it does not affect. Each mechanism of the
baseline is switched off in turn (its pledges removed, or its parameter set to the value at
which it does nothing), and the variant is compared with the baseline replication by
replication under common random numbers (same seed, one executor, replications 0..n-1). The
test requires a paired 95% interval that excludes 0 in at least one outcome KPI: the catalogue's
``outcomes`` group (offensive risks and rates, how long the ceasefire holds, the U.S. and force
milestones), the KPIs ``wargame ablate`` reports (mean deterrence, capability) and violations per
ceasefire day.

Replications are :data:`REPS` for each mechanism, with the exceptions in :data:`MORE_REPS`,
whose effects are confined to a few futures and so need more replications to show: the regime
feedback acts on violations and on the offensive risk (about 3% of futures in the baseline), not
on deterrence; the neighbouring deployments (2,000 German troops in Poland and Romania) deploy
only once U.S. enablers are in place (about a third of futures) and weigh little. The reference
is run once, at the largest count, and each variant is compared with the reference's first
replications (a replication is a pure function of scenario, seed and index).

``python -m tests.functional.test_no_nominal_mechanism [REPS]`` prints every mechanism's
paired differences in the outcome KPIs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from sim.analysis.compare import Difference, difference
from sim.analysis.summary import columns
from sim.engine import catalogue
from sim.experiment.ablation import KPIS
from sim.experiment.executors import make_executor
from sim.experiment.runner import run
from sim.scenario import load_scenario
from sim.scenario.ablation import DOMAINS, without
from sim.scenario.document import scenario_document
from sim.scenario.pledges import PLEDGES
from sim.scenario.schema import PRESENCE_TERMS, Scenario
from sim.scenario.types import CATEGORIES
from tests.conftest import SCENARIOS

pytestmark = pytest.mark.timeout(900)
"""Every replication of the module runs in one fixture's setup (about 3,200, some 45 s on two idle
cores), which the suite's 300 s per test does not leave room for on a shared, loaded machine."""

SEED = 1
REPS = 100
MORE_REPS = {
    "regime_feedback": 600,
    "pillar:neighbouring_deployment": 600,
    "domain:neighbouring": 600,
}
WORKERS = 2
OUTCOMES = tuple(
    dict.fromkeys(
        [*(k.name for k in catalogue.kpis() if k.group == "outcomes"), *KPIS, "violations_rate"]
    )
)
"""The outcome KPIs: the catalogue's ``outcomes`` group, those ``wargame ablate`` reports, and
violations per ceasefire day (the OSCE-calibrated measure the violation regimes produce)."""

Edit = Callable[[dict[str, Any]], None]


def _set(*path: str, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        node = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _no_tripwire(document: dict[str, Any]) -> None:
    """The tripwire weight to 0, the other presence weights rescaled to sum to 1 again."""
    presence = document["model"]["presence"]
    rest = 1.0 - presence["tripwire"]["weight"]
    for term in PRESENCE_TERMS:
        weight = presence[term]["weight"]
        presence[term]["weight"] = 0.0 if term == "tripwire" else weight / rest


def _no_regeneration(document: dict[str, Any]) -> None:
    """Russia's recruitment, outflow, production and use of shells all 0: capacity stays put."""
    flows = document["adversary"]["regeneration"]
    for key in ("recruits_per_month", "outflow_per_month", "shells_per_year", "shell_use_per_year"):
        flows[key] = 0


def _no_mobilisation(document: dict[str, Any]) -> None:
    forces = document["ukraine"]["forces"]
    forces["war_mobilisation_per_month"] = 0
    forces["peace_mobilisation_per_month"] = 0


PARAMETERS: dict[str, Edit] = {
    "us_pauses": _set("us", "pause", "rate_per_year", value=0.0),
    "production_caps": _set("industry", "production_per_year", value=dict.fromkeys(CATEGORIES)),
    "regime_feedback": _set("adversary", "switching", "slope", value=0.0),
    "financing_gaps": _set("model", "capability", "gap_penalty", value=0.0),
    "sustainment_gaps": _set("model", "capability", "sustainment_penalty", value=0.0),
    "tripwire": _no_tripwire,
    "regeneration": _no_regeneration,
    "mobilisation": _no_mobilisation,
}
"""Mechanisms switched off by a parameter: the value at which each does nothing."""
PLEDGE_GROUPS = {
    **{f"pillar:{p}": ("pillar", p) for p in PLEDGES.names()},
    **{f"domain:{d}": ("domain", d) for d in DOMAINS},
}
"""Mechanisms switched off by removing pledges: each pillar and each presence domain."""
MECHANISMS = (*PLEDGE_GROUPS, *PARAMETERS)


def variant(base: Scenario, mechanism: str) -> Scenario:
    """The baseline with one mechanism switched off."""
    if mechanism in PLEDGE_GROUPS:
        return without(base, *PLEDGE_GROUPS[mechanism]).scenario
    document = scenario_document(base)
    PARAMETERS[mechanism](document)
    document["name"] = f"baseline-no-{mechanism.replace('_', '-')}"
    return Scenario.model_validate(document)


def _inputs(scenario: Scenario) -> str:
    document = scenario_document(scenario)
    return json.dumps(
        {k: v for k, v in document.items() if k not in ("name", "description")}, sort_keys=True
    )


def run_all(reps: int = REPS, more: dict[str, int] | None = None) -> dict[str, Any]:
    """The reference and every variant, on one executor; identical variants run once."""
    more = MORE_REPS if more is None else more
    counts = {m: max(reps, more.get(m, reps)) for m in MECHANISMS}
    base = load_scenario(SCENARIOS / "baseline.yaml")
    executor = make_executor(WORKERS)
    try:
        reference = run(base, max(counts.values()), SEED, executor=executor)
        done: dict[tuple[str, int], np.ndarray] = {}
        results: dict[str, np.ndarray] = {}
        for mechanism in MECHANISMS:
            scenario = variant(base, mechanism)
            key = (_inputs(scenario), counts[mechanism])
            if key not in done:
                done[key] = run(scenario, counts[mechanism], SEED, executor=executor).kpis
            results[mechanism] = done[key]
    finally:
        executor.close()
    return {"reference": reference.kpis, "variants": results, "horizon": base.horizon_days}


def differences(runs: dict[str, Any], mechanism: str) -> dict[str, Difference]:
    """Variant minus reference in every outcome KPI, over the variant's replications."""
    values = runs["variants"][mechanism]
    reference = columns(runs["reference"][: len(values)])
    alternative = columns(values)
    horizon = float(runs["horizon"])
    return {
        name: difference(catalogue.get(name), reference, alternative, horizon, paired=True)
        for name in OUTCOMES
    }


@pytest.fixture(scope="module")
def runs() -> dict[str, Any]:
    return run_all()


def test_the_mechanisms_are_distinct_and_each_changes_its_inputs() -> None:
    base = load_scenario(SCENARIOS / "baseline.yaml")
    inputs = {m: _inputs(variant(base, m)) for m in MECHANISMS}
    assert _inputs(base) not in inputs.values()  # every switch changes something
    same = {m for m in MECHANISMS if inputs[m] == inputs["domain:neighbouring"]}
    assert same == {"domain:neighbouring", "pillar:neighbouring_deployment"}  # the same pledges
    assert len(set(inputs.values())) == len(MECHANISMS) - 1  # all the others differ
    assert len(MECHANISMS) == 17


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_switching_off_the_mechanism_changes_an_outcome(
    runs: dict[str, Any], mechanism: str
) -> None:
    found = differences(runs, mechanism)
    significant = [name for name, diff in found.items() if diff.significant]
    shown = "; ".join(
        f"{name} {d.estimate:+.4g} [{d.low:+.4g}, {d.high:+.4g}]" for name, d in found.items()
    )
    assert significant, f"{mechanism}: no outcome KPI changes significantly: {shown}"


def main(argv: list[str]) -> None:
    """Print each mechanism's paired differences (``*``: the 95% interval excludes 0)."""
    reps = int(argv[0]) if argv else REPS
    runs = run_all(reps, {} if argv else None)
    for mechanism in MECHANISMS:
        n = len(runs["variants"][mechanism])
        cells = [
            f"{name} {d.estimate:+.4g} [{d.low:+.4g}, {d.high:+.4g}]{'*' if d.significant else ''}"
            for name, d in differences(runs, mechanism).items()
            if d.significant or name in KPIS
        ]
        print(f"{mechanism} (n={n}): " + "; ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1:])
