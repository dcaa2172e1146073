"""A game's moves: the keys a move adds to an inject, its note, its day, where its problems are."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario.injects import INJECTS
from sim.scenario.moves import TEAMS, menu, note, parse_note, read_moves, typed_move


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "moves.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_note_carries_turn_team_and_reason_and_reads_back() -> None:
    text = note(3, "coalition", "budget cut: the Dutch halve theirs")
    assert text == "turn 3 (coalition): budget cut: the Dutch halve theirs"
    assert parse_note(text) == (3, "coalition", "budget cut: the Dutch halve theirs")
    assert parse_note(note(1, "us", "")) == (1, "us", "")
    assert parse_note("budget cut") is None
    assert parse_note("turn 2 (nobody): x") is None
    assert parse_note(None) is None


def test_every_action_is_on_some_team_menu_and_the_white_cell_plays_any() -> None:
    assert set(menu("white")) == set(INJECTS.names())
    teams = {action for team in TEAMS for action in TEAMS[team]}
    assert teams <= set(INJECTS.names())
    assert "probe" in menu("russia")
    assert "probe" not in menu("coalition")


def test_a_moves_file_reads_in_order_with_its_inject_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "moves:\n"
        "  - {turn: 1, team: coalition, reason: cut, action: scale_pledges, member: NLD,"
        " factor: 0.5}\n"
        "  - {turn: 2, team: russia, action: probe, at: 40}\n",
    )
    first, second = read_moves(path)
    assert (first.turn, first.team, first.reason, first.action) == (
        1,
        "coalition",
        "cut",
        "scale_pledges",
    )
    assert dict(first.fields) == {"action": "scale_pledges", "member": "NLD", "factor": 0.5}
    assert (second.turn, second.reason, second.fields["at"]) == (2, "", 40)
    assert first.describe() == "coalition: scale_pledges member=NLD factor=0.5"


def test_a_move_becomes_an_inject_dated_at_its_turn_and_noted() -> None:
    move = typed_move("{member: NLD, factor: 0.5}", 2, "coalition", "scale_pledges", "cut", "<t>")
    inject = move.inject(30, date(2026, 3, 1))
    assert dict(inject) == {
        "action": "scale_pledges",
        "member": "NLD",
        "factor": 0.5,
        "at": 30,
        "note": "turn 2 (coalition): cut",
    }
    assert inject.marks["note"].file == "<t>"


def test_a_later_day_is_kept_and_a_day_in_the_past_is_refused_at_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "moves:\n  - turn: 2\n    team: russia\n    action: probe\n    at: 10\n",
    )
    (move,) = read_moves(path)
    assert move.inject(5, date(2026, 3, 1))["at"] == 10
    with pytest.raises(ScenarioError) as caught:
        move.inject(30, date(2026, 3, 1))
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 5, "moves.0.at")
    assert "day 10 is in the past: turn 2 is played on day 30" in problem.message


@pytest.mark.parametrize(
    ("item", "line", "path", "message"),
    [
        ("{team: us, action: us_pause, days: 5}", 2, "moves.0.turn", "'turn' is missing"),
        ("{turn: 0, team: us, action: us_pause, days: 5}", 2, "moves.0.turn", "a turn from 1"),
        ("{turn: 1, team: nato, action: probe}", 2, "moves.0.team", "unknown team 'nato'"),
        ("{turn: 1, team: coalition, action: probe}", 2, "moves.0.action", "not a coalition move"),
        ("{turn: 1, team: us, action: us_pause, days: 5, note: x}", 2, "moves.0.note", "reason"),
        ("{turn: 1, team: russia, action: probe, when: 'day > 3'}", 2, "moves.0.when", "dated"),
    ],
)
def test_a_move_s_own_keys_are_checked_at_their_line(
    tmp_path: Path, item: str, line: int, path: str, message: str
) -> None:
    moves = _write(tmp_path, f"moves:\n  - {item}\n")
    with pytest.raises(ScenarioError) as caught:
        read_moves(moves)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (str(moves), line, path)
    assert message in problem.message


def test_a_moves_file_has_only_moves(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"moves.yaml:1:1: turns: unknown key 'turns'"):
        read_moves(_write(tmp_path, "turns: []\n"))
    assert read_moves(_write(tmp_path, "moves: []\n")) == []


def test_typed_fields_must_be_a_mapping() -> None:
    with pytest.raises(ScenarioError, match=r"<turn 1>:1:1: move: expected the fields"):
        typed_move("[1, 2]", 1, "us", "us_pause", "", "<turn 1>")
