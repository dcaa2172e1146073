"""`wargame compare`: paired comparison, inputs diff, common random numbers, refusals."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import sim
from sim.experiment.comparison import compare
from sim.experiment.runner import run
from tests.conftest import MINIMAL, SCENARIOS, wargame


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cwd = tmp_path_factory.mktemp("compare")
    result = wargame(
        "compare",
        str(SCENARIOS / "baseline.yaml"),
        str(SCENARIOS / "no_us_backing.yaml"),
        "--reps",
        "40",
        "--seed",
        "1",
        "--workers",
        "2",
        cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    assert "Compared with 'baseline' (paired, common random numbers)" in result.stdout
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("Results: ")][-1]
    return cwd / line.removeprefix("Results: ")


def test_writes_the_comparison_directory(compared: Path) -> None:
    assert compared.parent.name == "compare"
    for name in ("compare.json", "compare.csv", "inputs_diff.csv"):
        assert (compared / name).is_file()
    for plot in (
        "overlay_deterrence",
        "overlay_deployed_land",
        "overlay_survival",
        "forest",
        "overlay_fulfilment",
    ):
        assert (compared / "plots" / f"{plot}.png").is_file()
        assert not (compared / "plots" / f"{plot}.svg").exists()  # SVG only with --svg
    for run_name in ("baseline", "no_us_backing"):
        assert (compared / "runs" / run_name / "replications.parquet").is_file()
        assert (compared / "runs" / run_name / "plots" / "timeline.png").is_file()
    document = json.loads((compared / "compare.json").read_text())
    assert document["paired"] is True
    assert [s["label"] for s in document["scenarios"]] == ["baseline", "no_us_backing"]
    offensive = next(k for k in document["kpis"] if k["kpi"] == "offensive_day")
    alternative = offensive["scenarios"][1]
    assert alternative["diff_ci_low"] <= alternative["difference"] <= alternative["diff_ci_high"]
    assert 0 <= alternative["p_value"] <= 1
    with (compared / "compare.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2 * len(document["kpis"])
    enablers = [r for r in rows if r["kpi"] == "us_enablers"]
    assert float(enablers[1]["estimate"]) == 0.0  # the U.S. never backs in no_us_backing
    assert enablers[1]["rank"] == "2"


def test_inputs_diff_names_exactly_the_changed_paths(compared: Path) -> None:
    with (compared / "inputs_diff.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["path", "baseline", "no_us_backing"]
    paths = {row[0] for row in rows[1:]}
    # no_us_backing.yaml sets: name, description, us.initial (same as the base: none),
    # us.enablers.{probability, assumption}, us.guarantee.{probability_per_review, assumption},
    # us.responses.{incursion_review, assumption}.
    assert paths == {
        "name",
        "description",
        "us.enablers.probability",
        "us.enablers.assumption",
        "us.guarantee.probability_per_review",
        "us.guarantee.assumption",
        "us.responses.incursion_review",
        "us.responses.assumption",
    }
    probability = next(row for row in rows if row[0] == "us.enablers.probability")
    assert probability[1:] == ["0.4", "0.0"]


def test_stored_directories_give_the_same_numbers(compared: Path, tmp_path: Path) -> None:
    result = wargame(
        "compare",
        str(compared / "runs" / "baseline"),
        str(compared / "runs" / "no_us_backing"),
        "--out",
        str(tmp_path / "dirs"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    from_yaml = json.loads((compared / "compare.json").read_text())
    from_dirs = json.loads((tmp_path / "dirs" / "compare.json").read_text())
    assert from_dirs["paired"] is True
    assert from_dirs["kpis"] == from_yaml["kpis"]


def test_unpaired_stored_runs_are_flagged(tmp_path: Path) -> None:
    scenario = sim.load_scenario(MINIMAL)
    first = run(scenario, reps=30, seed=1, workers=1)
    second = run(scenario, reps=30, seed=2, workers=1)
    first.save(tmp_path / "a")
    second.save(tmp_path / "b")
    result = wargame(
        "compare",
        str(tmp_path / "a"),
        str(tmp_path / "b"),
        "--out",
        str(tmp_path / "c"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Note: seeds or replications differ" in result.stdout
    assert json.loads((tmp_path / "c" / "compare.json").read_text())["paired"] is False


def test_common_random_numbers_narrow_the_difference() -> None:
    base = sim.load_scenario(MINIMAL)
    changed = sim.load_scenario(MINIMAL, ["pledges.fra-land.amount=8000"])
    reps = 200
    paired = compare([base, changed], reps=reps, seed=1, workers=1)
    a = run(base, reps=reps, seed=1, workers=1)
    b = run(changed, reps=reps, seed=2, workers=1)  # independent random numbers
    unpaired = compare([a, b])
    assert paired.paired
    assert not unpaired.paired

    def half_width(comparison, kpi):  # type: ignore[no-untyped-def]
        row = next(r for r in comparison.rows() if r["kpi"] == kpi and r["role"] != "reference")
        return (row["diff_ci_high"] - row["diff_ci_low"]) / 2

    # The headline outcomes: mean deterrence and the probability of a renewed offensive.
    for kpi in ("deterrence_mean", "offensive"):
        assert half_width(unpaired, kpi) >= 2 * half_width(paired, kpi), kpi


def test_two_to_eight_scenarios(tmp_path: Path) -> None:
    eight = [str(MINIMAL)] * 8
    result = wargame(
        "compare",
        *eight,
        "--reps",
        "5",
        "--workers",
        "1",
        "--out",
        str(tmp_path / "eight"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    labels = [
        s["label"]
        for s in json.loads((tmp_path / "eight" / "compare.json").read_text())["scenarios"]
    ]
    assert labels == ["minimal", *[f"minimal-{i}" for i in range(2, 9)]]
    for count in (1, 9):
        result = wargame("compare", *([str(MINIMAL)] * count), "--reps", "5", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip().endswith(f"compare needs 2 to 8 scenarios (got {count})")
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ("horizon_days=365", "horizon_days"),
        ("start=2026-01-01", "start"),
    ],
)
def test_different_timelines_are_refused(tmp_path: Path, override: str, field: str) -> None:
    other = tmp_path / "other.yaml"
    text = MINIMAL.read_text()
    key, value = override.split("=")
    other.write_text(
        "\n".join(
            f"{key}: {value}" if line.startswith(f"{key}:") else line for line in text.splitlines()
        )
    )
    result = wargame("compare", str(MINIMAL), str(other), "--reps", "5", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{other}:1:1: {field}: {field} is ")
    assert "same start date and horizon" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "results").exists()
