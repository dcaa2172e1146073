"""Expected KPIs of every shipped scenario at a small, fixed number of replications.

Regenerate after a deliberate model change (and say why in the commit):

    python -m tests.regression.golden_kpis

Each file stores, per KPI, the estimate and the 95% half-width at ``REPS`` replications with
seed ``SEED`` (as ``wargame run`` reports them).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import sim
from sim.analysis.summary import summarise
from sim.experiment.runner import run

SEED = 1
REPS = 40
GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def current(path: Path) -> dict[str, dict[str, float | None]]:
    """Estimate and half-width of every KPI of a scenario, run now."""
    result = run(sim.load_scenario(path), reps=REPS, seed=SEED, workers=1)
    out: dict[str, dict[str, float | None]] = {}
    for row in summarise(result.kpis, float(result.scenario.horizon_days)):
        half = (row["ci_high"] - row["ci_low"]) / 2
        out[row["kpi"]] = {
            "estimate": None if math.isnan(row["mean"]) else row["mean"],
            "half_width": None if math.isnan(half) else half,
        }
    return out


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for path in sorted(SCENARIOS.glob("*.yaml")):
        target = GOLDEN / f"{path.stem}.json"
        target.write_text(json.dumps(current(path), indent=2) + "\n")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
