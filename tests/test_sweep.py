"""`wargame sweep`: executors agree bit for bit, resume after SIGKILL, failing points."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sim.experiment.sweep import run_sweep
from sim.experiment.sweepstore import SweepStore
from tests.conftest import MINIMAL, ROOT, wargame


def spec_file(folder: Path, body: str, name: str = "tiny") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\nbase: {MINIMAL}\n{body}")
    return path


GRID = """design: grid
reps: 30
seed: 4
kpis: [offensive, deterrence_mean]
parameters:
  - {name: land, path: pledges.fra-land.amount, range: [1000, 9000], steps: 3}
  - {name: hazard, path: adversary.offensive.base_hazard_per_year, values: [0.2, 0.6]}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """A Dask scheduler and one worker, each a separate process on localhost."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    scheduler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_worker",
            address,
            "--nthreads",
            "1",
            "--nworkers",
            "1",
            "--no-dashboard",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    try:
        yield address
    finally:
        for process in (worker, scheduler):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_serial_processes_and_dask_give_identical_points(
    tmp_path: Path, dask_scheduler: str
) -> None:
    spec = spec_file(tmp_path, GRID)
    outputs = []
    for label, options in (
        ("serial", ["--workers", "1"]),
        ("pool", ["--workers", "2"]),
        ("dask", ["--scheduler", dask_scheduler]),
    ):
        out = tmp_path / label
        result = wargame("sweep", str(spec), "--out", str(out), *options, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "6 points, 6 ok, 0 failed" in result.stdout
        outputs.append(out)
    first = (outputs[0] / "points.parquet").read_bytes()
    for out in outputs[1:]:
        assert (out / "points.parquet").read_bytes() == first, out.name
    table = pq.read_table(outputs[0] / "points.parquet")
    assert table.num_rows == 6
    assert {
        "point",
        "land",
        "hazard",
        "status",
        "offensive",
        "offensive_ci_low",
        "offensive_ci_high",
        "deterrence_mean",
    } <= set(table.column_names)
    assert sorted(p.name for p in (outputs[0] / "plots").glob("*.png")) == [
        "heatmap_deterrence_mean.png",
        "heatmap_offensive.png",
    ]
    # Packed chunks (12 points of 2 replications each, an invalid point among them) too.
    packed = spec_file(
        tmp_path,
        GRID.replace("reps: 30", "reps: 2")
        .replace("range: [1000, 9000], steps: 3", "values: [-5, 1000, 2000, 3000, 4000, 5000]")
        .replace("values: [0.2, 0.6]", "range: [0.1, 0.8], steps: 32"),
        "packed",
    )
    outputs = []
    for label, options in (
        ("serial", ["--workers", "1"]),
        ("pool", ["--workers", "2"]),
        ("dask", ["--scheduler", dask_scheduler]),
    ):
        out = tmp_path / f"packed-{label}"
        result = wargame("sweep", str(packed), "--out", str(out), *options, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "192 points, 160 ok, 32 failed; 16 chunks computed now" in result.stdout
        outputs.append(out)
    first = (outputs[0] / "points.parquet").read_bytes()
    for out in outputs[1:]:
        assert (out / "points.parquet").read_bytes() == first, out.name


def test_sigkill_then_resume_matches_an_uninterrupted_sweep(tmp_path: Path) -> None:
    # 120 points of 4 replications: packed chunks of 7 points (18 files, not 120).
    body = GRID.replace("steps: 3", "steps: 60").replace("reps: 30", "reps: 4")
    spec = spec_file(tmp_path, body, "resumable")
    whole = tmp_path / "whole"
    assert (
        wargame("sweep", str(spec), "--out", str(whole), "--workers", "1", cwd=tmp_path).returncode
        == 0
    )
    layout = SweepStore.open(whole).layout
    assert (layout.chunk_points, layout.chunk_reps, len(layout)) == (7, 4, 18)
    cut = tmp_path / "cut"
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(cut), "--workers", "1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(list((cut / "chunks").glob("part-*.parquet"))) >= 4 if cut.exists() else False:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    before = {p.name for p in (cut / "chunks").glob("part-*.parquet")}
    assert 4 <= len(before) < 18, len(before)
    assert not (cut / "points.parquet").exists()

    status = run_sweep(SweepStore.open(cut), workers=1)
    computed = set(status.computed)
    after = {p.name for p in (cut / "chunks").glob("part-*.parquet")}
    assert len(computed) == len(status.computed)  # each chunk once
    assert not computed & before  # nothing computed twice
    assert before | computed == after == {chunk.name for chunk in layout}  # nothing missing
    assert status.finished_points == 120
    assert (cut / "points.parquet").read_bytes() == (whole / "points.parquet").read_bytes()


def test_a_failing_point_is_recorded_and_the_sweep_goes_on(tmp_path: Path) -> None:
    body = GRID.replace("range: [1000, 9000], steps: 3", "values: [3000, -5, 6000]")
    spec = spec_file(tmp_path, body, "failing")
    out = tmp_path / "failing"
    result = wargame("sweep", str(spec), "--out", str(out), "--workers", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "6 points, 4 ok, 2 failed" in result.stdout
    assert "pledges.fra-land.amount: Input should be greater than 0" in result.stderr
    table = pq.read_table(out / "points.parquet").to_pylist()
    failed = [row for row in table if row["status"] == "failed"]
    assert [row["land"] for row in failed] == [-5, -5]
    assert all("greater than 0" in row["error"] for row in failed)
    assert all(row["offensive"] is None for row in failed)
    assert all(row["offensive"] is not None for row in table if row["status"] == "ok")
    error = json.loads((out / "chunks" / f"fail-p{failed[0]['point']:06d}.json").read_text())
    assert "greater than 0" in error["error"]


def test_every_point_failing_exits_1(tmp_path: Path) -> None:
    body = GRID.replace("range: [1000, 9000], steps: 3", "values: [-1, -2]")
    spec = spec_file(tmp_path, body, "doomed")
    result = wargame(
        "sweep", str(spec), "--out", str(tmp_path / "doomed"), "--workers", "1", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "4 points, 0 ok, 4 failed" in result.stdout


def test_morris_and_inline_sweeps(tmp_path: Path) -> None:
    out = tmp_path / "inline"
    result = wargame(
        "sweep",
        str(MINIMAL),
        "--param",
        "pledges.fra-land.amount=1000:9000",
        "--param",
        "adversary.offensive.base_hazard_per_year=0.1:0.8",
        "--design",
        "morris",
        "--samples",
        "4",
        "--reps",
        "20",
        "--workers",
        "1",
        "--kpi",
        "deterrence_mean",
        "--kpi",
        "ceasefire",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "12 points, 12 ok" in result.stdout  # 4 trajectories × (2 factors + 1)
    indices = json.loads((out / "sensitivity.json").read_text())
    entry = indices["kpis"]["deterrence_mean"]
    assert entry["factors"] == [
        "pledges.fra-land.amount",
        "adversary.offensive.base_hazard_per_year",
    ]
    assert all(mu > 0 for mu in entry["mu_star"])
    assert len(entry["mu_star_conf"]) == len(entry["sigma"]) == 2
    # Neither factor moves the ceasefire (its stream is shared by every point): no indices.
    assert "does not vary" in indices["kpis"]["ceasefire"]["skipped"]
    assert (out / "plots" / "tornado_deterrence_mean.png").exists()
    assert (out / "plots" / "scatter_ceasefire.png").exists()


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            GRID.replace("reps: 30", "repz: 30"),
            ":4:1: repz:",
            "unknown key 'repz' (did you mean 'reps'?)",
        ),
        (
            GRID.replace("pledges.fra-land.amount", "pledges.fra-lnd.amount"),
            ":8:24: parameters.0.path:",
            "nothing matches 'fra-lnd' in pledges",
        ),
        (
            GRID.replace("design: grid", "design: sobol\nsamples: 6").replace(
                "values: [0.2, 0.6]", "range: [0.2, 0.6]"
            ),
            ":1:1: (root):",
            "power of 2 for 'samples'",
        ),
    ],
)
def test_bad_specs_are_refused_with_their_line(
    tmp_path: Path, body: str, where: str, message: str
) -> None:
    spec = spec_file(tmp_path, body, "bad")
    result = wargame("sweep", str(spec), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{spec}{where}"), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "results").exists()
