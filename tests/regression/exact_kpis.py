"""Exact golden KPIs of every shipped scenario: deterministic runs compared to a relative 1e-9.

A replication is a pure function of (scenario, seed, replication), so the same code gives the
same numbers; the 1e-9 tolerance only absorbs libm differences between machines. Any change of
the model, however small, fails here. Regenerate deliberately, and say why in the commit:

    python -m tests.regression.exact_kpis

Each file stores, per replication 0..REPS-1 at seed ``SEED``, every KPI (``null`` for an event
not reached).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import sim
from sim.experiment.runner import run

SEED = 7
REPS = 24
EXACT = Path(__file__).parent / "exact"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def shipped() -> list[Path]:
    """Every shipped scenario file (sweep specs and analogues in subfolders are not)."""
    return sorted(SCENARIOS.glob("*.yaml"))


def current(path: Path) -> dict[str, Any]:
    """Per-replication KPIs of a scenario, run now in this process."""
    result = run(sim.load_scenario(path), reps=REPS, seed=SEED, workers=1)
    names = [str(name) for name in result.replications.column_names[4:]]
    return {
        "seed": SEED,
        "replications": REPS,
        "kpis": {
            name: [None if math.isnan(v) else float(v) for v in result.kpi(name)] for name in names
        },
    }


def main() -> None:
    """Write the exact golden file of every shipped scenario."""
    EXACT.mkdir(exist_ok=True)
    for path in shipped():
        target = EXACT / f"{path.stem}.json"
        target.write_text(json.dumps(current(path), indent=1) + "\n")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
