"""Results directories are whole or absent, and runs leave no processes behind: concurrent
writers, SIGKILL while writing, SIGTERM mid-run, Ctrl-C after the final rename, a full disk.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.errors import EnvironmentProblem, ResultsError, UsageError, environment_cause
from sim.experiment import store
from sim.experiment.results import load_results
from tests.conftest import MINIMAL

M = str(MINIMAL)


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _parents() -> dict[int, int]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` now (children, grandchildren...)."""
    parents = _parents()
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped computing; its parent reaps it


def wait_for_workers(process: subprocess.Popen[str], count: int) -> set[int]:
    """The forkserver and ``count`` workers, once they are computing."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = {
            pid
            for pid in descendants(process.pid)
            if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
        }
        if len(found) >= count + 1:
            time.sleep(0.5)  # into the replications
            return descendants(process.pid)
        time.sleep(0.05)
    raise AssertionError("the workers never started")


def gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {pid for pid in pids if alive(pid)}
        if not left:
            return left
        time.sleep(0.05)
    return {pid for pid in pids if alive(pid)}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_mid_run_exits_143_leaving_nothing_and_no_worker(tmp_path: Path) -> None:
    process = start("run", M, "--reps", "20000", "--workers", "2", cwd=tmp_path)
    workers = wait_for_workers(process, 2)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143, stderr
    assert stderr == "terminated; nothing was written\n", stderr
    assert gone_within(workers, 5) == set()
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_the_parent_takes_its_workers(tmp_path: Path) -> None:
    process = start("run", M, "--reps", "20000", "--workers", "2", cwd=tmp_path)
    workers = wait_for_workers(process, 2)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert gone_within(workers, 5) == set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_worker_stops_the_run_as_an_environment_error(tmp_path: Path) -> None:
    process = start("run", M, "--reps", "20000", "--workers", "2", cwd=tmp_path)
    workers = wait_for_workers(process, 2)
    parents = _parents()
    (server,) = (
        pid
        for pid in workers
        if parents.get(pid) == process.pid
        and b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    )
    victim = min(pid for pid in workers if parents.get(pid) == server)
    os.kill(victim, signal.SIGKILL)  # as the out-of-memory killer would
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert stderr == (
        "environment error: a worker process died abruptly (killed by a signal, or out of "
        "memory); the run was stopped\n"
    )
    assert gone_within(workers, 5) == set()
    assert list(tmp_path.rglob("*")) == []


def test_concurrent_writers_one_wins_nothing_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "shared"
    common = ("--reps", "150", "--workers", "1", "--no-plots", "--out", str(out))
    first = start("run", M, "--seed", "1", *common, cwd=tmp_path)
    second = start("run", M, "--seed", "2", *common, cwd=tmp_path)
    outcomes = []
    for process in (first, second):
        _, stderr = process.communicate(timeout=120)
        outcomes.append((process.returncode, stderr))
    codes = sorted(code for code, _ in outcomes)
    assert codes == [0, 2], outcomes
    winner = 1 if outcomes[0][0] == 0 else 2
    loser_says = next(text for code, text in outcomes if code == 2)
    assert loser_says.startswith("wargame run: --out: "), loser_says
    assert any(
        reason in loser_says for reason in ("already exists", "being written", "appeared while")
    )
    assert len(loser_says.splitlines()) == 1
    assert json.loads((out / "manifest.json").read_text())["seed"] == winner
    assert load_results(out).n == 150
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared"]  # no staging left


def test_sigkill_while_writing_leaves_nothing_any_reader_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    monkeypatch.chdir(tmp_path)
    parent = tmp_path / "results" / "minimal"
    complete = parent / "complete"
    sim.run(sim.load_scenario(MINIMAL), reps=20, workers=1).save(complete)
    process = start("run", M, "--reps", "30", "--seed", "5", "--workers", "1", cwd=tmp_path)
    deadline = time.monotonic() + 60
    while not (parent / store.STAGING).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)  # while it draws the plots, before the rename
    process.communicate(timeout=30)
    (staging,) = (parent / store.STAGING).iterdir()
    # The worst case: killed after the last file, before the rename.
    for name in store_files(complete):
        shutil.copy(complete / name, staging / name)

    result = CliRunner().invoke(app, ["plot", str(staging)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{staging}: a results directory still being written")
    with pytest.raises(ResultsError, match="still being written"):
        load_results(staging)
    [(rows,)] = duckdb.sql(
        f"select count(*) from read_parquet('{parent}/*/replications.parquet', filename = true) "
        "where filename not like '%/latest/%'"  # latest: the newest run again (README)
    ).fetchall()
    assert rows == 20  # the complete run only

    again = CliRunner().invoke(app, ["run", M, "--reps", "5", "--workers", "1", "--no-plots"])
    assert again.exit_code == 0, again.stderr
    assert not (parent / store.STAGING).exists()  # the dead writer's staging is cleaned up
    assert sorted(p.name for p in parent.iterdir() if p.name != "latest") == sorted(
        [complete.name, (parent / "latest").resolve().name]
    )


def store_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.is_file()]


def test_ctrl_c_after_the_final_rename_says_the_results_are_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.cli.tables

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.cli.tables, "print_kpis", interrupted)
    out = tmp_path / "done"
    args = ["run", M, "--reps", "5", "--workers", "1", "--no-plots", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 130
    assert result.stderr == f"interrupted; the results were already complete: {out}\n"
    assert load_results(out).n == 5


def test_a_full_disk_is_an_environment_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, table: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(store, "write_parquet", full)
    out = tmp_path / "full"
    args = ["run", M, "--reps", "5", "--workers", "1", "--no-plots", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"environment error: cannot write {out}: disk full: ")
    assert "nothing was written" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("exc", "cause"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device", "x.parquet"),
            "disk full: x.parquet (No space left on device)",
        ),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "disk quota exceeded"),
        (OSError("Error writing bytes to file. Detail: [errno 28] No space left"), "disk full"),
        (MemoryError(), "out of memory"),
        (OSError(errno.ENOENT, "No such file"), None),
        (ValueError("no"), None),
    ],
)
def test_environment_causes(exc: BaseException, cause: str | None) -> None:
    assert environment_cause(exc) == cause


# --------------------------------------------------------------------------- the store


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_directory_that_appears_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "run"

    def overtaken() -> None:
        with store.atomic_directory(out) as staging:
            (staging / "manifest.json").write_text("{}")
            out.mkdir()  # another run published first
            (out / "theirs.txt").write_text("theirs")

    with pytest.raises(UsageError, match="appeared while this run was writing"):
        overtaken()
    assert [p.name for p in out.iterdir()] == ["theirs.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_force_replaces_the_directory_whole(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with store.atomic_directory(out, force=True) as staging:
        (staging / "manifest.json").write_text("{}")
    assert [p.name for p in out.iterdir()] == ["manifest.json"]
    assert store.completed_here(out)


def test_stale_staging_of_dead_writers_is_removed_live_ones_kept(tmp_path: Path) -> None:
    host = store._HOST
    dead, live = dead_pid(), os.getppid()
    (tmp_path / store.STAGING / f"a.{host}.{dead}").mkdir(parents=True)
    (tmp_path / store.STAGING / f"b.{host}.{live}").mkdir()
    (tmp_path / store.STAGING / f"c.otherhost.{dead}").mkdir()  # not ours to judge
    (tmp_path / f".d.partial-{dead}").mkdir()  # left by earlier versions
    removed = store.clean_stale(tmp_path)
    assert sorted(p.name for p in removed) == [f".d.partial-{dead}", f"a.{host}.{dead}"]
    assert sorted(p.name for p in (tmp_path / store.STAGING).iterdir()) == [
        f"b.{host}.{live}",
        f"c.otherhost.{dead}",
    ]
    with pytest.raises(UsageError, match=f"being written by another run \\(pid {live}\\)"):
        store.check_target(tmp_path / "b", force=False)


def test_an_unwritable_parent_is_an_environment_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The operating system refuses the write (as it does for a read-only parent when not root;
    # the suite may run as root, so the refusal is made here).
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with (
        pytest.raises(EnvironmentProblem, match="permission denied"),
        store.atomic_directory(tmp_path / "run"),
    ):
        pass


def test_a_run_result_saves_its_manifest_last(tmp_path: Path) -> None:
    result = sim.run(sim.load_scenario(MINIMAL), reps=3, workers=1)
    order: list[str] = []
    real = store.write_json

    def spy(path: Path, document: object) -> None:
        order.append(path.name)
        real(path, document)

    try:
        store.write_json = spy  # type: ignore[assignment]
        result.save(tmp_path / "run")
    finally:
        store.write_json = real  # type: ignore[assignment]
    assert order[-1] == "manifest.json"
