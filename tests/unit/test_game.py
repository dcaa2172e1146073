"""The game's logic: turns, moves as dated injects, branches under common random numbers, the
saved game as a scenario, the replay.

Small games of the baseline (a few replications in-process, two turns of a year), run for real.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis import branch as view
from sim.analysis.compare import difference
from sim.analysis.summary import columns
from sim.engine import catalogue
from sim.errors import ScenarioError
from sim.experiment.game import Game
from sim.experiment.runner import run
from sim.scenario import load_scenario
from sim.scenario.moves import Move, typed_move
from tests.conftest import SCENARIOS

BASELINE = SCENARIOS / "baseline.yaml"
REPS = 8


def _game(**settings: object) -> Game:
    options = {"reps": REPS, "seed": 3, "turn_days": 365, "workers": 1, **settings}
    return Game.from_scenario(BASELINE, **options)


def _move(turn: int, team: str, action: str, fields: str, reason: str = "") -> Move:
    return typed_move(fields, turn, team, action, reason, f"<turn {turn}>")


def _play(game: Game, moves: list[Move]) -> Game:
    while not game.over:
        turn = game.open_turn()
        game.play(turn, [m for m in moves if m.turn == turn.number])
    return game


MOVES = [
    _move(1, "coalition", "scale_pledges", "{member: NLD, factor: 0.5}", "budget cut"),
    _move(2, "us", "trigger_signal", "{signal: us.enablers}", "relent"),
    _move(2, "russia", "probe", "{}", "test the force"),
]


def test_turns_are_every_turn_days_from_the_start_until_the_horizon() -> None:
    game = _game(turn_days=300)
    assert game.n_turns == 3  # days 0, 300, 600 of a 730-day horizon
    assert [game.day(t) for t in (1, 2, 3)] == [0, 300, 600]
    assert game.date(300) == "2026-12-26"


def test_a_turn_opens_on_the_branch_and_a_pass_runs_nothing() -> None:
    game = _game()
    turn = game.open_turn()
    assert (turn.number, turn.day, turn.date) == (1, 0, "2026-03-01")
    assert [row["kpi"] for row in turn.fan] == list(view.HEADLINE)
    before = game.begin()
    game.play(turn, [])
    assert game.branch is before
    assert turn.adjudications == []
    second = game.open_turn()
    assert second.number == 2
    assert second.timeline  # a year of the representative timeline has key events
    assert all(" (day " in line or line.endswith("not listed)") for line in second.timeline)


def test_a_move_s_change_is_the_paired_difference_of_the_branches() -> None:
    game = _game()
    before = game.begin().kpis
    turn = game.open_turn()
    game.play(turn, MOVES[:1])
    assert game.branch is not None
    after = game.branch.kpis
    (adjudication,) = turn.adjudications
    assert adjudication.day == 0
    horizon = float(game.horizon)
    for row in adjudication.rows:
        expected = difference(
            catalogue.get(row["kpi"]), columns(before), columns(after), horizon, paired=True
        )
        assert (row["difference"], row["diff_ci_low"], row["diff_ci_high"]) == (
            expected.estimate,
            expected.low,
            expected.high,
        )
    land = next(r for r in adjudication.rows if r["kpi"] == "final_deployed_land")
    assert land["difference"] < 0  # halving the Dutch pledges leaves fewer troops


def test_the_branch_is_the_scenario_with_the_moves_as_injects_run_like_any_scenario() -> None:
    game = _play(_game(), MOVES)
    assert game.branch is not None
    scenario = game.scenario_with(MOVES)
    assert [i.note for i in scenario.injects] == [
        "turn 1 (coalition): budget cut",
        "turn 2 (us): relent",
        "turn 2 (russia): test the force",
    ]
    assert [i.at for i in scenario.injects] == [0, 365, 365]
    result = run(scenario, REPS, 3, workers=1)
    np.testing.assert_array_equal(result.kpis, game.branch.kpis)


def test_same_scenario_seed_and_moves_give_identical_numbers() -> None:
    first, second = _play(_game(), MOVES), _play(_game(), MOVES)
    assert first.branch is not None
    assert second.branch is not None
    np.testing.assert_array_equal(first.branch.kpis, second.branch.kpis)
    assert [a.rows for t in first.turns for a in t.adjudications] == [
        a.rows for t in second.turns for a in t.adjudications
    ]


def test_the_saved_game_runs_to_the_last_branch_and_replays_its_moves(tmp_path: Path) -> None:
    game = _play(_game(), MOVES)
    assert game.branch is not None
    saved = game.save(tmp_path / "game.yaml")
    text = saved.read_text(encoding="utf-8")
    assert "# wargame play: turn_days=365 reps=8 seed=3\n" in text
    assert "note: 'turn 2 (russia): test the force'" in text
    scenario = load_scenario(saved)
    assert scenario.name == "baseline-game"
    np.testing.assert_array_equal(run(scenario, REPS, 3, workers=1).kpis, game.branch.kpis)
    replayed, moves = Game.from_file(saved, workers=1)
    assert (replayed.reps, replayed.seed, replayed.turn_days) == (8, 3, 365)
    assert [(m.turn, m.team, m.reason, m.action) for m in moves] == [
        (m.turn, m.team, m.reason, m.action) for m in MOVES
    ]
    _play(replayed, moves)
    assert replayed.branch is not None
    np.testing.assert_array_equal(replayed.branch.kpis, game.branch.kpis)

    def body(text: str) -> list[str]:  # the scenario without the header comments
        return [line for line in text.splitlines() if not line.startswith("#")]

    assert body(replayed.document("game.yaml")) == body(game.document("game.yaml"))


def test_an_invalid_move_is_refused_at_its_line_and_the_game_is_unchanged() -> None:
    game = _game()
    turn = game.open_turn()
    bad = _move(1, "coalition", "withdraw_member", "{member: XXX}")
    with pytest.raises(ScenarioError) as caught:
        game.play(turn, [MOVES[0], bad])
    (problem,) = caught.value.problems
    assert problem.file == "<turn 1>"
    assert problem.path.endswith("member")
    assert "XXX" in problem.message
    assert game.moves == []
    assert game.turns == []


def test_moves_on_turns_the_game_does_not_have_are_refused() -> None:
    game = _game()
    with pytest.raises(ScenarioError, match="turn 3 is past the horizon: the game has 2 turns"):
        game.check_all([_move(3, "russia", "probe", "{}")])
    _play(game, [])
    assert game.over
    with pytest.raises(ScenarioError, match="turn 1 has been played"):
        game.check_all([_move(1, "russia", "probe", "{}")])


def test_still_open_counts_the_replications_without_an_offensive_yet() -> None:
    kpis = np.full((4, len(catalogue.kpis())), np.nan)
    index = catalogue.names().index("offensive_day")
    kpis[:, index] = [10.0, 200.0, np.nan, np.nan]
    found = view.still_open(kpis, 100.0, 730.0)
    assert (found["open"], found["replications"]) == (3, 4)
    assert found["offensive"] == pytest.approx(1 / 3)
