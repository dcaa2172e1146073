"""Every shipped scenario gives exactly its golden KPIs (relative 1e-9), per replication."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.regression.exact_kpis import EXACT, current, shipped

RELATIVE = 1e-9


def test_every_scenario_has_an_exact_golden_file() -> None:
    assert {p.stem for p in shipped()} == {p.stem for p in EXACT.glob("*.json")}


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.stem)
def test_scenario_gives_exactly_its_golden_kpis(path: Path) -> None:
    expected = json.loads((EXACT / f"{path.stem}.json").read_text())
    now = current(path)
    assert now["seed"] == expected["seed"]
    assert set(now["kpis"]) == set(expected["kpis"])
    for name, old in expected["kpis"].items():
        new = now["kpis"][name]
        assert len(new) == len(old), name
        for rep, (a, b) in enumerate(zip(old, new, strict=True)):
            if a is None or b is None:
                assert a is b, (name, rep, a, b)
            else:
                assert math.isclose(a, b, rel_tol=RELATIVE, abs_tol=1e-12), (name, rep, a, b)
