"""What the terminal shows: every number whole at 80 columns, --format, latest, --name.

Runs the real command line in-process (CliRunner) on the small scenario, without plots, with
``COLUMNS`` set as a narrow terminal would set it.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.analysis import formatting as fmt
from sim.cli import app
from tests.conftest import MINIMAL

M = str(MINIMAL)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One narrow run and one narrow comparison, in a scratch working directory."""
    work = tmp_path_factory.mktemp("briefing")
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(work)
    try:
        env = {"COLUMNS": "80"}
        run = runner.invoke(
            app, ["run", M, "--reps", "30", "--workers", "1", "--no-plots"], env=env
        )
        compare = runner.invoke(
            app,
            ["compare", M, M, M, "--reps", "30", "--workers", "1", "--no-plots", "--name", "twin"],
            env=env,
        )
    finally:
        os.chdir(old)
    return {"work": work, "run": run, "compare": compare}


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_run_at_80_columns_prints_every_number_whole(runs: dict[str, object]) -> None:
    result = runs["run"]
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out: str = result.output  # type: ignore[attr-defined]
    assert all(len(line) <= 80 for line in _lines(out)), max(_lines(out), key=len)
    assert "…" not in out
    work: Path = runs["work"]  # type: ignore[assignment]
    summary = json.loads((work / "results" / "minimal" / "latest" / "summary.json").read_text())
    folded = set(fmt.folded().values())
    for row in summary:
        if row["kpi"] in folded:
            assert f"\n{row['kpi']} " not in out  # the event-day rows are folded
            continue
        shown = fmt.number(row["mean"], row["kind"], row["unit"])
        assert f"{row['kpi']}  {shown}  " in out, row["kpi"]
        if row["ci_low"] is not None:
            low = fmt.number(row["ci_low"], row["kind"], row["unit"])
            high = fmt.number(row["ci_high"], row["kind"], row["unit"])
            assert f"{low} – {high}" in out, row["kpi"]


def test_compare_at_80_columns_keeps_every_column_and_number(runs: dict[str, object]) -> None:
    result = runs["compare"]
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out: str = result.output  # type: ignore[attr-defined]
    assert all(len(line) <= 80 for line in _lines(out)), max(_lines(out), key=len)
    assert "…" not in out
    work: Path = runs["work"]  # type: ignore[assignment]
    from sim.report.sections import comparison_of

    comparison, _ = comparison_of(work / "results" / "compare" / "twin")
    folded = set(fmt.folded().values())
    for row in comparison.rows():
        if row["kpi"] in folded:
            assert f"\n{row['kpi']} " not in out  # event days repeat the shares: left out
            continue
        line = f"  {row['scenario']:<9}  {fmt.estimate_text(row):>9}"
        if row["role"] == "alternative":
            line += f"  {fmt.difference_text(row)}"
        assert line in out.replace("\n" + " " * 26, " "), line
    assert (work / "results" / "compare" / "twin" / "compare.json").is_file()
    assert os.readlink(work / "results" / "compare" / "latest") == "twin"


def test_the_star_and_the_p_value_come_from_the_same_test(runs: dict[str, object]) -> None:
    work: Path = runs["work"]  # type: ignore[assignment]
    with open(work / "results" / "compare" / "twin" / "compare.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["role"] == "alternative"]
    assert rows
    for row in rows:
        if row["test_p_value"]:
            assert (float(row["test_p_value"]) < 0.05) == (row["significant"] == "True"), row


def test_latest_points_at_the_newest_run(runs: dict[str, object]) -> None:
    work: Path = runs["work"]  # type: ignore[assignment]
    latest = work / "results" / "minimal" / "latest"
    assert latest.is_symlink()
    assert (latest / "manifest.json").is_file()
    out: str = runs["run"].output  # type: ignore[attr-defined]
    assert f"Results: results/minimal/{os.readlink(latest)}" in out


@pytest.mark.parametrize("form", ["csv", "json", "markdown"])
def test_format_prints_the_table_alone_on_stdout(
    runs: dict[str, object], form: str, tmp_path: Path
) -> None:
    work: Path = runs["work"]  # type: ignore[assignment]
    directory = work / "results" / "compare" / "twin"
    result = CliRunner().invoke(
        app,
        [
            "compare",
            str(directory / "runs" / "minimal"),
            str(directory / "runs" / "minimal-2"),
            "--no-plots",
            "--out",
            str(tmp_path / "c"),
            "--format",
            form,
        ],
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    if form == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {"kpi", "difference", "test_p_value"} <= set(rows[0])
    elif form == "json":
        assert isinstance(json.loads(text), list)
    else:
        assert text.startswith("**Compared with 'minimal'**")
        assert "| `offensive` |" in text
    assert "Results:" not in text


def test_a_directory_name_of_ones_choice() -> None:
    from sim.errors import UsageError
    from sim.experiment.store import new_directory

    assert new_directory("baseline", identity="x", name="briefing-may") == Path(
        "results/baseline/briefing-may"
    )
    for bad in ("latest", "../x", ".hidden", ""):
        with pytest.raises(UsageError):
            new_directory("baseline", identity="x", name=bad)
