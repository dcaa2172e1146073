"""Shared test helpers: small scenarios built in code, the repository's paths."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
MINIMAL = ROOT / "tests" / "data" / "valid" / "minimal.yaml"


def wargame(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command line (``python -m sim``) in ``cwd``; never raises on failure."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


QUIET_ADVERSARY: dict[str, Any] = {
    "offensive": {"base_hazard_per_year": 0.0},
    "violation_regimes": {
        r: {"rate_per_day": 0.0} for r in ("strong", "eroding", "minsk", "escalation")
    },
}


def scenario(**blocks: Any) -> Scenario:
    """A minimal valid scenario; keyword blocks replace the defaults wholesale.

    Its one member delivers all its aid (``delivery: 1``), so payments and deliveries are the
    pledged amounts unless a test says otherwise.
    """
    data: dict[str, Any] = {
        "name": "test",
        "start": "2026-03-01",
        "horizon_days": 730,
        "ceasefire": {"day": 100},
        "members": [{"id": "FRA", "name": "France", "delivery": 1}],
        "pledges": [],
        "adversary": copy.deepcopy(QUIET_ADVERSARY),
        "ukraine": {"war_attrition_per_year": 0, "peace_attrition_per_year": 0},
    }
    data.update(blocks)
    return Scenario.model_validate(data)
