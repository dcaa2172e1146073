"""`wargame ablate`: what each pillar, domain or member buys, under common random numbers."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.experiment.ablation import KPIS
from tests.conftest import SCENARIOS, wargame

PILLARS = {"training", "financing", "equipment", "reassurance_force", "neighbouring_deployment"}
DOMAINS = ["land", "sea", "air", "neighbouring"]


def _results(stdout: str, cwd: Path) -> Path:
    line = [ln for ln in stdout.splitlines() if ln.startswith("Results: ")][-1]
    return cwd / line.removeprefix("Results: ")


def _kpi(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(k for k in document["kpis"] if k["kpi"] == name)


def _item(document: dict[str, Any], kpi: str, item: str) -> dict[str, Any]:
    return next(i for i in _kpi(document, kpi)["items"] if i["item"] == item)


@pytest.fixture(scope="module")
def by_pillar(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    cwd = tmp_path_factory.mktemp("ablate")
    result = wargame(
        "ablate",
        str(SCENARIOS / "baseline.yaml"),
        "--reps",
        "20",
        "--seed",
        "1",
        "--workers",
        "2",
        cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    return _results(result.stdout, cwd), result.stdout


def test_writes_the_ablation_directory(by_pillar: tuple[Path, str]) -> None:
    directory, _ = by_pillar
    assert directory.parent == directory.parents[1] / "ablate"
    assert directory.parents[1].name == "results"
    for name in ("ablate.json", "ablate.csv"):
        assert (directory / name).is_file()
    for name in ("manifest.json", "summary.json", "replications.parquet", "scenario.yaml"):
        assert (directory / "runs" / "reference" / name).is_file()
    assert (directory / "runs" / "reference" / "plots" / "timeline.png").is_file()
    for kpi in KPIS:
        for suffix in ("png", "svg"):
            assert (directory / "plots" / f"buys_{kpi}.{suffix}").stat().st_size > 1000
    assert not list(directory.parent.glob(".*partial*"))


def test_ranks_the_five_pillars(by_pillar: tuple[Path, str]) -> None:
    directory, stdout = by_pillar
    document = json.loads((directory / "ablate.json").read_text())
    assert document["kind"] == "ablate"
    assert document["by"] == "pillar"
    assert document["reference"]["replications"] == 20
    assert document["ranked_by"] == ["deterrence_mean", "offensive_given_ceasefire"]
    assert {v["item"] for v in document["variants"]} == PILLARS
    deterrence = _kpi(document, "deterrence_mean")
    assert sorted(i["rank"] for i in deterrence["items"]) == [1, 2, 3, 4, 5]
    ordered = [i["buys"] for i in deterrence["items"]]  # listed best first
    assert ordered == sorted(ordered, reverse=True)
    for item in deterrence["items"]:
        assert item["buys"] == pytest.approx(-item["difference"])
        assert item["buys_ci_low"] <= item["buys"] <= item["buys_ci_high"]
        assert item["buys"] == pytest.approx(deterrence["reference"]["estimate"] - item["estimate"])
    force = _item(document, "deterrence_mean", "reassurance_force")
    assert force["buys_ci_low"] > 0  # the force is most of the presence term
    variant = next(v for v in document["variants"] if v["item"] == "reassurance_force")
    assert len(variant["pledges_removed"]) == force["pledges_removed"] == 35
    summary = json.loads((directory / "runs" / "reference" / "summary.json").read_text())
    mean = next(r["mean"] for r in summary if r["kpi"] == "deterrence_mean")
    assert deterrence["reference"]["estimate"] == pytest.approx(mean)
    with (directory / "ablate.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(KPIS) * (1 + len(PILLARS))
    assert {r["item"] for r in rows} == {*PILLARS, "reference"}
    assert "What each pillar buys in 'baseline'" in stdout
    table = [ln for ln in stdout.splitlines() if any(p in ln for p in PILLARS)]
    first = next(i["item"] for i in deterrence["items"] if i["rank"] == 1)
    assert first in table[0]  # the terminal table is ranked too


def test_by_domain_land_buys_more_deterrence_than_sea(tmp_path: Path) -> None:
    result = wargame(
        "ablate",
        str(SCENARIOS / "baseline.yaml"),
        "--by",
        "domain",
        "--reps",
        "20",
        "--workers",
        "2",
        "--out",
        str(tmp_path / "domains"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "domains" / "ablate.json").read_text())
    assert [v["item"] for v in document["variants"]] == DOMAINS
    land = _item(document, "deterrence_mean", "land")
    sea = _item(document, "deterrence_mean", "sea")
    assert land["buys"] > sea["buys"]
    assert land["buys_ci_low"] > 0
    assert land["rank"] < sea["rank"]


TINY: dict[str, Any] = {
    "name": "tiny",
    "start": "2026-03-01",
    "horizon_days": 400,
    "ceasefire": {"day": 100},
    "members": [
        {"id": "FRA", "name": "France"},
        {"id": "GBR", "name": "United Kingdom"},
        {"id": "ITA", "name": "Italy"},
    ],
    "pledges": [
        {
            "id": "fra-land",
            "member": "FRA",
            "pillar": "reassurance_force",
            "domain": "land",
            "amount": 10000,
            "lead_time": 50,
        },
        {
            "id": "gbr-land",
            "member": "GBR",
            "pillar": "reassurance_force",
            "domain": "land",
            "amount": 5000,
            "lead_time": 100,
        },
    ],
    "adversary": {
        "offensive": {"base_hazard_per_year": 0.0},
        "violation_regimes": {
            r: {"rate_per_day": 0.0} for r in ("strong", "eroding", "minsk", "escalation")
        },
        "regeneration": {
            "personnel_at_ceasefire": 765000,
            "recruits_per_month": 0,
            "outflow_per_month": 0,
            "munitions_at_ceasefire": 2625000,
            "shells_per_year": 0,
            "shell_use_per_year": 0,
        },
    },
    "ukraine": {
        "forces": {
            "personnel": 900000,
            "war_mobilisation_per_month": 0,
            "peace_mobilisation_per_month": 0,
            "war_attrition_per_year": 0,
            "peace_attrition_per_year": 0,
        },
        "trained": 150000,
        "war_attrition_per_year": 0,
        "peace_attrition_per_year": 0,
        "stocks": {
            c: {"war_attrition_per_year": 0, "peace_attrition_per_year": 0}
            for c in ("air_defence", "artillery", "armour", "aircraft", "ammunition")
        },
        "budget": {"need_per_day": 0},
        "military": {"need_per_day": 0},
    },
}
"""Nothing random: the ceasefire on day 100, every member honours its pledges, Ukraine's
capability stays at 1, Russia's capacity at 1 (its flows are 0), no offensive. FRA's 10,000
troops deploy on day 150, GBR's 5,000 on day 200, ITA pledges nothing."""


def _presence(land: float, nations: int) -> float:
    """The baseline's presence weights: land 0.45 (scale 10,000), tripwire 0.15 (scale 4)."""
    return 0.45 * (1 - math.exp(-land / 10_000)) + 0.15 * (1 - math.exp(-nations / 4))


def test_a_member_ablation_of_a_tiny_scenario_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY, sort_keys=False), encoding="utf-8")
    result = wargame(
        "ablate", str(path), "--by", "member", "--reps", "4", "--workers", "1", "--out", "out",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "out" / "ablate.json").read_text())
    ceasefire = 300.0  # days of ceasefire, 100 to the horizon at 400
    # deterrence = 0.6 x capability (1) + 0.5 x presence x cohesion (1), over capacity 1
    reference = 0.6 + 0.5 * (50 * _presence(10_000, 1) + 200 * _presence(15_000, 2)) / ceasefire
    without_fra = 0.6 + 0.5 * 200 * _presence(5_000, 1) / ceasefire
    without_gbr = 0.6 + 0.5 * 250 * _presence(10_000, 1) / ceasefire
    deterrence = _kpi(document, "deterrence_mean")
    assert deterrence["reference"]["estimate"] == pytest.approx(reference, abs=1e-12)
    expected = {"FRA": reference - without_fra, "GBR": reference - without_gbr, "ITA": 0.0}
    for item in deterrence["items"]:
        buys = expected[item["item"]]
        assert item["buys"] == pytest.approx(buys, abs=1e-12)
        assert item["buys_ci_low"] == pytest.approx(buys, abs=1e-12)  # the same every time
        assert item["buys_ci_high"] == pytest.approx(buys, abs=1e-12)
    assert [(i["item"], i["rank"]) for i in deterrence["items"]] == [
        ("FRA", 1),
        ("GBR", 2),
        ("ITA", 3),
    ]
    assert {v["item"]: v["pledges_removed"] for v in document["variants"]} == {
        "FRA": ["fra-land"],
        "GBR": ["gbr-land"],
        "ITA": [],
    }
    for name in ("offensive", "offensive_given_ceasefire", "offensive_rate"):
        kpi = _kpi(document, name)
        assert kpi["reference"]["estimate"] == 0.0
        assert all(i["buys"] == 0.0 and not i["significant"] for i in kpi["items"])
        assert {i["rank"] for i in kpi["items"]} == {1}  # equal amounts share a rank
    capability = _kpi(document, "capability_mean")
    assert capability["reference"]["estimate"] == pytest.approx(1.0, abs=1e-12)


def test_an_unknown_grouping_exits_2_with_one_line(tmp_path: Path) -> None:
    result = wargame(
        "ablate", str(SCENARIOS / "baseline.yaml"), "--by", "country", "--reps", "2", cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "--by:1:1: --by: unknown grouping 'country'; use one of pillar, domain, member"
    ]
    assert result.stdout == ""
    assert not (tmp_path / "results").exists()
