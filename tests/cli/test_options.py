"""Every bad option or argument is one line, ``wargame COMMAND: --option: message``, exit 2,
before any work and with nothing written; seeds are checked on every command that takes one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from tests.conftest import MINIMAL, wargame

M = str(MINIMAL)
SEED_TOO_BIG = str(2**63)


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["run", M, "--reps", "-1"], "wargame run: --reps: "),
        (["run", M, "--reps", "0"], "wargame run: --reps: "),
        (["run", M, "--reps", "2000000"], "wargame run: --reps: must be from 1 to 1,000,000"),
        (["run", M, "--reps", "many"], "wargame run: --reps: "),
        (["run", M, "--reps", "1000000"], "wargame run: --reps: 1,000,000 replications of this"),
        (
            [
                "run",
                M,
                "--set",
                "horizon_days=7300",
                "--set",
                "model.grid_days=1",
                "--reps",
                "9000",
            ],
            "wargame run: --reps: 9,000 replications of this scenario (7,301 grid days) would keep",
        ),
        (["run", M, "--seed", "abc"], "wargame run: --seed: "),
        (["run", M, "--seed", "-1"], "wargame run: --seed: "),
        (["run", M, "--seed", SEED_TOO_BIG], "wargame run: --seed: "),
        (["run", M, "--seed", str(2**70)], "wargame run: --seed: "),
        (["run", M, "--workers", "0"], "wargame run: --workers: "),
        (["run", M, "--precision", "2"], "wargame run: --precision: must be between 0 and 1"),
        (["run", M, "--precision", "nan"], "wargame run: --precision: must be between 0 and 1"),
        (["run", M, "--precision", "0.1", "--kpi", "nope"], "wargame run: --kpi: unknown KPI"),
        (["run", M, "--precision", "0.1", "--max-reps", "0"], "wargame run: --max-reps: "),
        (["run", M, "--reps", "5", "--precision", "0.1"], "wargame run: --reps: give --reps"),
        (["run", M, "--repz", "5"], "wargame run: no such option: --repz"),
        (["run", M, "--reps"], "wargame: option '--reps' requires an argument"),
        (["run"], "wargame run: FILE: required"),
        (["rnu", M], "wargame: no such command 'rnu'"),
        (["story", M, "--seed", "-1"], "wargame story: --seed: "),
        (["story", M, "--rep", str(2**31)], "wargame story: --rep: "),
        (["story", M, "--seed", SEED_TOO_BIG], "wargame story: --seed: "),
        (["compare", M, M, "--seed", "-1"], "wargame compare: --seed: "),
        (["compare", M, M, "--reps", "0"], "wargame compare: --reps: "),
        (["compare", M], "wargame compare: compare needs 2 to 8 scenarios (got 1)"),
        (["sweep", M, "--param", "x=1:2", "--seed", "-5"], "wargame sweep: --seed: "),
        (["sweep", M, "--param", "x=1:2", "--max-points", "0"], "wargame sweep: --max-points: "),
        (["sweep"], "wargame sweep: FILE: give a sweep spec"),
        (["sweep", "--resume", M, M], "wargame sweep: --resume: resume takes the directory"),
        (["validate"], "wargame validate: FILES: required"),
        (["plot"], "wargame plot: DIRECTORY: required"),
        (["schema", "--sweep", "x"], "wargame schema: got unexpected extra argument(s) (x)"),
    ],
)
def test_bad_options_are_one_line(
    args: list[str], start: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(start), lines[0]
    assert "╭" not in result.stderr
    assert "Usage:" not in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_the_real_command_line_refuses_a_negative_seed_before_any_work(tmp_path: Path) -> None:
    result = wargame("run", M, "--seed", "-1", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "wargame run: --seed: input should be greater than or equal to 0\n"
    assert list(tmp_path.iterdir()) == []


def test_the_largest_seed_runs_and_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "top"
    args = ["run", M, "--reps", "2", "--workers", "1", "--no-plots", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--seed", str(2**63 - 1)])
    assert result.exit_code == 0, result.stderr
    assert pq.read_table(out / "replications.parquet").column("seed").to_pylist() == [2**63 - 1] * 2


def test_library_calls_check_seeds_too() -> None:
    import sim

    scenario = sim.load_scenario(MINIMAL)
    for seed in (-1, 2**63, 1.5, True):
        with pytest.raises(sim.UsageError, match="--seed: must be a whole number"):
            sim.simulate(scenario, seed)  # type: ignore[arg-type]
    with pytest.raises(sim.UsageError, match="--seed"):
        sim.run(scenario, reps=2, seed=-1, workers=1)
    with pytest.raises(sim.UsageError, match="--rep: "):
        sim.simulate(scenario, 1, 2**31)
