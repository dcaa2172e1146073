"""`wargame run`: the results contract, determinism across workers, interruption, precision."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sim.analysis.summary import COLUMNS
from sim.engine import SERIES, catalogue
from tests.conftest import MINIMAL, wargame

PLOTS = (
    "fan_deterrence",
    "fan_capability",
    "fan_deployed",
    "survival_offensive",
    "cdf_milestones",
    "ladder",
    "fulfilment",
    "timeline",
    "members",
)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cwd = tmp_path_factory.mktemp("run")
    result = wargame(
        "run", str(MINIMAL), "--reps", "60", "--seed", "1", "--workers", "2", "--svg", cwd=cwd
    )
    assert result.returncode == 0, result.stderr
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("Results: ")][-1]
    return cwd / line.removeprefix("Results: ")


def test_writes_every_file_of_the_contract(run_dir: Path) -> None:
    assert run_dir.parent.name == "minimal"
    assert run_dir.parent.parent.name == "results"
    for name in (
        "manifest.json",
        "scenario.yaml",
        "summary.json",
        "summary.csv",
        "replications.parquet",
        "timeseries.parquet",
    ):
        assert (run_dir / name).is_file(), name
    for plot in PLOTS:
        for suffix in ("png", "svg"):
            assert (run_dir / "plots" / f"{plot}.{suffix}").stat().st_size > 1000
    manifest = json.loads((run_dir / "manifest.json").read_text())
    for key in (
        "scenario",
        "seed",
        "replications",
        "versions",
        "command",
        "started",
        "finished",
        "wall_seconds",
        "format_version",
        "provenance",
    ):
        assert key in manifest, key
    assert manifest["seed"] == 1
    assert manifest["replications"] == 60
    assert len(manifest["scenario"]["sha256"]) == 64
    assert "simpy" in manifest["versions"]
    assert manifest["command"].endswith("--workers 2 --svg")
    # Nothing else is left beside it (no temporary directory).
    assert sorted(p.name for p in run_dir.parent.iterdir()) == [run_dir.name, "latest"]
    assert (run_dir.parent / "latest").resolve() == run_dir.resolve()


def test_tables_read_with_pyarrow_and_duckdb(run_dir: Path) -> None:
    import duckdb

    replications = pq.read_table(run_dir / "replications.parquet")
    assert replications.num_rows == 60
    assert replications.column_names == [
        "replication",
        "seed",
        "seed_key",
        "n_events",
        *list(catalogue.names()),
    ]
    timeseries = pq.read_table(run_dir / "timeseries.parquet")
    assert set(timeseries.column("metric").to_pylist()) == set(SERIES)
    con = duckdb.connect()
    count, mean = con.execute(
        f"select count(*), avg(offensive) from '{run_dir / 'replications.parquet'}'"
    ).fetchone()
    assert count == 60
    summary = json.loads((run_dir / "summary.json").read_text())
    offensive = next(row for row in summary if row["kpi"] == "offensive")
    assert mean == pytest.approx(offensive["mean"])
    (bands,) = con.execute(
        f"select count(distinct metric) from '{run_dir / 'timeseries.parquet'}'"
    ).fetchone()
    assert bands == len(SERIES)


def test_summary_csv_has_the_documented_columns(run_dir: Path) -> None:
    with (run_dir / "summary.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert [row["kpi"] for row in rows] == list(catalogue.names())
    for row in rows:
        if row["mean"] and row["ci_low"] and row["ci_high"]:
            assert float(row["ci_low"]) <= float(row["mean"]) <= float(row["ci_high"])


def test_resolved_scenario_reloads_identically(run_dir: Path) -> None:
    import sim
    from sim.scenario.document import scenario_sha256

    reloaded = sim.load_scenario(run_dir / "scenario.yaml")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert scenario_sha256(reloaded) == manifest["scenario"]["sha256"]
    assert reloaded == sim.load_scenario(MINIMAL)


def test_one_and_two_workers_give_identical_bytes(tmp_path: Path) -> None:
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        result = wargame(
            "run",
            str(MINIMAL),
            "--reps",
            "40",
            "--seed",
            "3",
            "--workers",
            workers,
            "--out",
            str(out),
            "--no-plots",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(out)
    for name in ("summary.json", "summary.csv", "replications.parquet", "timeseries.parquet"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_existing_directory_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = wargame("run", str(MINIMAL), "--reps", "5", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    result = wargame(
        "run", str(MINIMAL), "--reps", "5", "--out", str(out), "--force", "--no-plots", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert not (out / "keep.txt").exists()
    assert (out / "summary.json").exists()


def test_sigint_leaves_nothing_and_exits_130(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", str(MINIMAL), "--reps", "20000", "--workers", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4.0)  # well into the replications
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.rglob("*")) == []  # no results directory, no temporary sibling


def test_precision_stops_at_the_target(tmp_path: Path) -> None:
    out = tmp_path / "adaptive"
    result = wargame(
        "run",
        str(MINIMAL),
        "--precision",
        "0.1",
        "--kpi",
        "ceasefire",
        "--seed",
        "2",
        "--workers",
        "1",
        "--out",
        str(out),
        "--no-plots",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    reached = manifest["precision"]
    assert reached["met"] is True
    assert reached["reached_relative_half_width"] <= 0.1
    assert f"after {manifest['replications']:,} replications" in result.stdout
    summary = json.loads((out / "summary.json").read_text())
    row = next(r for r in summary if r["kpi"] == "ceasefire")
    assert (row["ci_high"] - row["ci_low"]) / 2 / row["mean"] <= 0.1


def test_plot_redraws_from_stored_files(run_dir: Path, tmp_path: Path) -> None:
    before = (run_dir / "plots" / "fan_deterrence.svg").read_bytes()
    for path in (run_dir / "plots").iterdir():
        path.unlink()
    result = wargame("plot", str(run_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.stem for p in (run_dir / "plots").glob("*.png")) == sorted(PLOTS)
    assert not list((run_dir / "plots").glob("*.svg"))  # SVG only when asked
    result = wargame("plot", str(run_dir), "--svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (run_dir / "plots" / "fan_deterrence.svg").read_bytes() == before


def test_bad_options_exit_2(tmp_path: Path) -> None:
    result = wargame("run", str(MINIMAL), "--precision", "2", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "wargame run: --precision: must be between 0 and 1 (got 2)\n"
    result = wargame("run", str(MINIMAL), "--precision", "0.1", "--kpi", "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown KPI 'nope'" in result.stderr
    assert not (tmp_path / "results").exists()
