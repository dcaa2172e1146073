"""Sweeps refuse what they cannot run before writing anything: designs too large, infinite
ranges, bad overrides in the spec (at the spec's line); names come from any file name; failure
records keep their traceback; resume takes only a complete sweep directory.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim.experiment.replicate
from sim.cli import app
from sim.errors import ResultsError
from sim.experiment import store
from sim.experiment.spec import inline_spec, sweep_name
from sim.experiment.sweep import prepare, run_sweep
from sim.experiment.sweepstore import SweepStore
from tests.conftest import MINIMAL

M = str(MINIMAL)
AMOUNT = "pledges.fra-land.amount"


def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["sweep", *args])
    return result.exit_code, result.stderr


def spec(folder: Path, body: str) -> Path:
    path = folder / "spec.yaml"
    path.write_text(f"name: limits\nbase: {M}\n{body}")
    return path


def test_an_uncapped_morris_design_is_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.perf_counter()
    code, stderr = invoke(
        tmp_path,
        monkeypatch,
        M,
        "--param",
        f"{AMOUNT}=1000:9000",
        "--param",
        "adversary.offensive.base_hazard_per_year=0.1:0.8",
        "--design",
        "morris",
        "--samples",
        "1000000",
    )
    assert time.perf_counter() - started < 5  # not built, then refused
    assert code == 2
    assert stderr == (
        "wargame sweep: --samples: the morris design has 3,000,000 points, over the limit of "
        "1,000,000; use fewer samples or levels, or raise the limit with --max-points\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_cap_is_an_option_and_applies_to_specs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = spec(
        tmp_path,
        "design: lhs\nsamples: 50\nparameters:\n  - {path: " + AMOUNT + ", range: [1, 2]}\n",
    )
    code, stderr = invoke(tmp_path, monkeypatch, str(path), "--max-points", "49")
    assert code == 2
    assert stderr.startswith(f"{path}:4:10: samples: the lhs design has 50 points, over the ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            f"parameters:\n  - {{path: {AMOUNT}, range: [0.1, .inf]}}\n",
            ":4:50: parameters.0.range.1: ",
            "expected a finite number (got inf)",
        ),
        (
            "parameters:\n  - {path: " + AMOUNT + ", values: [1, .nan]}\n",
            ":4:5: parameters.0: ",
            "values must be finite numbers (got nan)",
        ),
        (
            f"set:\n  - {AMOUNT}x=5\nparameters:\n  - {{path: {AMOUNT}, range: [1, 2]}}\n",
            ":4:22: pledges.fra-land.amountx: ",
            "unknown key 'amountx' (did you mean 'amount'?)",
        ),
        (
            f"set:\n  - {AMOUNT}=yes\nparameters:\n  - {{path: {AMOUNT}, range: [1, 2]}}\n",
            ":4:29: pledges.fra-land.amount: ",
            "expected a number, got a boolean",
        ),
        (
            f"seed: -1\nparameters:\n  - {{path: {AMOUNT}, range: [1, 2]}}\n",
            ":3:7: seed: ",
            "greater than or equal to 0",
        ),
    ],
)
def test_spec_problems_are_at_the_spec_line(
    body: str, where: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = spec(tmp_path, body)
    code, stderr = invoke(tmp_path, monkeypatch, str(path))
    assert code == 2
    (line,) = stderr.splitlines()
    assert line.startswith(f"{path}{where}"), line
    assert message in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


@pytest.mark.parametrize(
    ("param", "where"),
    [
        (f"{AMOUNT}=0.1:inf:3", "--param:1:29: "),
        (f"{AMOUNT}=nan:5", "--param:1:25: "),
        (f"{AMOUNT}=1:1e300", "--param:1:27: "),
    ],
)
def test_infinite_param_ranges_are_refused_at_their_position(
    param: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stderr = invoke(tmp_path, monkeypatch, M, "--param", param)
    assert code == 2
    assert stderr.startswith(f"{where}{param}: LO and HI must be finite numbers")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("file", "name"),
    [
        ("My Scenario.yaml", "my-scenario-sweep"),
        ("_base.yaml", "base-sweep"),
        ("v1.2.final.yaml", "v1-2-final-sweep"),
        ("Ünïcode—😀.yaml", "n-code-sweep"),
        ("___.yaml", "sweep"),
        ("x" * 200 + ".yaml", "x" * 54 + "-sweep"),
    ],
)
def test_sweep_names_come_from_any_file_name(file: str, name: str) -> None:
    assert sweep_name(Path(file)) == name


def test_an_inline_sweep_of_an_awkward_file_name_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    awkward = tmp_path / "My Scenario.yaml"
    shutil.copy(MINIMAL, awkward)
    code, stderr = invoke(
        tmp_path, monkeypatch, str(awkward), "--param", f"{AMOUNT}=1000:9000:2", "--reps", "3",
        "--workers", "1",
    )  # fmt: skip
    assert code == 0, stderr
    assert (tmp_path / "results" / "sweeps" / "my-scenario-sweep").is_dir()


def test_a_failing_replication_is_recorded_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = prepare(
        inline_spec(MINIMAL, "boom", [f"{AMOUNT}=1000:9000:2"], "grid", None, 3, 1, ["offensive"]),
        None,
        tmp_path / "boom",
        False,
    )

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the model broke")

    monkeypatch.setattr(sim.experiment.replicate, "simulate", explode)
    status = run_sweep(job, workers=1)
    assert status.failed_points == {0, 1}
    record = json.loads((job.chunk_folder / "fail-p000000.json").read_text())
    assert record["error"].startswith("SimulationError: scenario 'minimal', replication 0")
    assert "RuntimeError: the model broke" in record["traceback"]
    assert "in explode" in record["traceback"]


def test_resume_takes_only_a_complete_sweep_directory(tmp_path: Path) -> None:
    job = prepare(
        inline_spec(MINIMAL, "ok", [f"{AMOUNT}=1000:9000:2"], "grid", None, 3, 1, ["offensive"]),
        None,
        tmp_path / "ok",
        False,
    )
    staging = tmp_path / store.STAGING / "ok.host.1"
    shutil.copytree(job.folder, staging)
    with pytest.raises(ResultsError, match="still being set up"):
        SweepStore.open(staging)
    broken = tmp_path / "broken"
    shutil.copytree(job.folder, broken)
    (broken / "design.parquet").unlink()
    with pytest.raises(ResultsError, match=r"broken: not a sweep directory \(design.parquet"):
        SweepStore.open(broken)
    (broken / "design.parquet").write_bytes((job.folder / "design.parquet").read_bytes())
    (broken / "manifest.json").write_text("[]")
    with pytest.raises(ResultsError, match=r"manifest\.json: not the manifest of a sweep"):
        SweepStore.open(broken)
    assert SweepStore.open(job.folder).design.size == 2
