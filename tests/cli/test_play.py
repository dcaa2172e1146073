"""``wargame play`` scripted: a six-turn game whose saved file runs to the last turn's numbers,
its replay, its report, and moves files that are refused at their line with nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sim.analysis import formatting as fmt
from tests.conftest import SCENARIOS, wargame

BASELINE = str(SCENARIOS / "baseline.yaml")
SETTINGS = ["--turn-days", "122", "--reps", "20", "--seed", "5", "--workers", "2"]
MOVES = """\
moves:
  - turn: 1
    team: coalition
    reason: the Dutch budget is cut
    action: scale_pledges
    member: NLD
    factor: 0.5
  - {turn: 2, team: russia, reason: test the force, action: probe}
  - {turn: 3, team: us, reason: a pause in Washington, action: us_pause, days: 60}
  - {turn: 5, team: coalition, reason: Germany goes first, action: drop_us_condition, member: DEU}
  - {turn: 6, team: us, reason: relent, action: trigger_signal, signal: us.enablers, at: 650}
"""


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One scripted game of six turns (turn 4 passes), saved and recorded."""
    folder = tmp_path_factory.mktemp("play")
    (folder / "moves.yaml").write_text(MOVES, encoding="utf-8")
    done = wargame(
        "play", BASELINE, *SETTINGS, "--moves", "moves.yaml", "--save", "game.yaml",
        "--out", "record", cwd=folder,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    record = json.loads((folder / "record" / "game.json").read_text(encoding="utf-8"))
    return {"folder": folder, "stdout": done.stdout, "record": record}


def test_a_scripted_game_plays_six_turns_to_the_horizon(played: dict[str, Any]) -> None:
    out = played["stdout"]
    for turn, day in enumerate((0, 122, 244, 366, 488, 610), start=1):
        assert f"Turn {turn} of 6 · day {day}" in out
    assert "Horizon · day 730" in out
    assert 'Adjudication: us: trigger_signal signal=us.enablers at=650 — "relent" (day 610' in out
    assert "No move this turn: the branch is unchanged." in out  # turn 4
    record = played["record"]
    assert [len(t["moves"]) for t in record["turns"]] == [1, 1, 1, 0, 1, 1]
    assert record["turns"][0]["moves"][0]["reason"] == "the Dutch budget is cut"


def test_the_saved_game_run_gives_exactly_the_numbers_the_last_turn_showed(
    played: dict[str, Any],
) -> None:
    folder = played["folder"]
    text = (folder / "game.yaml").read_text(encoding="utf-8")
    assert "note: 'turn 6 (us): relent'" in text
    done = wargame(
        "run", "game.yaml", "--reps", "20", "--seed", "5", "--no-plots", "--format", "json",
        "--out", "run", cwd=folder,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {row["kpi"]: row for row in json.loads(done.stdout)}
    final = played["record"]["final"]
    keys = ("mean", "ci_low", "ci_high", "p10", "p50", "p90", "n", "events")
    for shown in final:
        assert {k: shown[k] for k in keys} == {k: rows[shown["kpi"]][k] for k in keys}
        line = next(line for line in played["stdout"].splitlines()[::-1] if shown["kpi"] in line)
        row = rows[shown["kpi"]]
        assert fmt.number(row["mean"], row["kind"], row["unit"]) in line


def test_a_replay_plays_the_same_moves_to_the_same_numbers(played: dict[str, Any]) -> None:
    folder = played["folder"]
    done = wargame("play", "--replay", "game.yaml", "--workers", "2", "--out", "again", cwd=folder)
    assert done.returncode == 0, done.stderr
    again = json.loads((folder / "again" / "game.json").read_text(encoding="utf-8"))
    first = played["record"]

    def numbers(record: dict[str, Any]) -> list[Any]:
        return [
            (
                t["turn"],
                t["day"],
                t["timeline"],
                t["fan"],
                [(m["move"], m["changes"]) for m in t["moves"]],
            )
            for t in record["turns"]
        ] + [record["final"]]

    assert numbers(again) == numbers(first)
    assert (again["seed"], again["replications"], again["turn_days"]) == (5, 20, 122)


def test_the_report_renders_the_game_turn_by_turn(played: dict[str, Any]) -> None:
    folder = played["folder"]
    done = wargame("report", "record", cwd=folder)
    assert done.returncode == 0, done.stderr
    html = (folder / "record" / "report.html").read_text(encoding="utf-8")
    assert "Game &#39;baseline&#39;" in html or "Game 'baseline'" in html
    for turn in range(1, 7):
        assert f"Turn {turn} · day" in html
    assert "the Dutch budget is cut" in html
    assert "Every move and what it changed" in html


@pytest.mark.parametrize(
    ("move", "line", "where"),
    [
        ("{turn: 2, team: white, action: launch_nukes}", 3, "moves.yaml:3:"),
        ("{turn: 3, team: coalition, action: withdraw_member, member: XXX}", 3, "moves.yaml:3:"),
        ("{turn: 3, team: russia, action: probe, at: 100}", 3, "moves.yaml:3:"),
        ("{turn: 9, team: russia, action: probe}", 3, "moves.yaml:3:"),
    ],
)
def test_an_invalid_moves_file_is_one_located_line_exit_2_nothing_written(
    tmp_path: Path, move: str, line: int, where: str
) -> None:
    (tmp_path / "moves.yaml").write_text(
        f"moves:\n  - {{turn: 1, team: russia, action: probe}}\n  - {move}\n", encoding="utf-8"
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    done = wargame(
        "play", BASELINE, *SETTINGS, "--moves", "moves.yaml", "--save", "game.yaml",
        "--out", "record", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(where), lines[0]
    assert done.stdout == ""  # refused before the first turn runs
    assert sorted(p.name for p in tmp_path.iterdir()) == before
