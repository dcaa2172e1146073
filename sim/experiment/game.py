"""A seminar wargame adjudicated by Monte Carlo: turns, moves as dated injects, branches.

The game starts from a scenario and advances ``turn_days`` at a time from its start: turn k is
played on day (k − 1) × ``turn_days``, the last turn before the horizon. A turn opens on the
*branch* so far — the scenario with every move played before, run for replications 0..n−1
under one seed — and shows its fan of futures and what one timeline (the *representative*
replication, fixed for the whole game: the base scenario's median-deterrence one) did since the
last turn (:mod:`sim.analysis.branch`). The teams then play moves (:mod:`sim.scenario.moves`):
each is validated like a scenario inject, dated at the turn's day, and adjudicated by running
the branch again with it. A replication is a pure function of (scenario, seed, replication) and
its random streams are keyed by purpose, never by the scenario, so the new branch shares every
random number with the last and differs only from the move's day on; the change a move made is
their paired difference. A turn with no move runs nothing: its branch is the last one.

The game as played is an ordinary scenario (:meth:`Game.document`): the base scenario resolved,
with the moves appended to its injects, each noted with its turn, team and reason. Running it
with the game's seed and replications gives the last branch's numbers exactly; replaying it
(:meth:`Game.from_file`) plays the same moves on the same turns.

One executor (a process pool) serves every turn, so no turn pays to start workers.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from sim.analysis import branch as view
from sim.analysis.stats import median_position
from sim.analysis.summary import json_ready
from sim.engine import catalogue
from sim.engine.model import simulate
from sim.engine.rng import check_seed
from sim.engine.trace import Trace
from sim.errors import ScenarioError, SimulationError, UsageError
from sim.experiment import store
from sim.experiment.executors import Executor, make_executor
from sim.experiment.replicate import chunk_size, run_chunk
from sim.experiment.runner import MAX_REPS, Progress, chunk_tasks
from sim.experiment.runner import run as run_scenario
from sim.scenario import document
from sim.scenario.injects import INJECTS
from sim.scenario.loader import load_marked, validate_marked
from sim.scenario.marked import MarkedDict, MarkedList
from sim.scenario.moves import Move, copied, move_from, parse_note, put, replaced
from sim.scenario.schema import Scenario

DEFAULT_TURN_DAYS = 30
DEFAULT_REPS = 200
HEADER = re.compile(r"^# wargame play: turn_days=(\d+) reps=(\d+) seed=(\d+)\s*$", re.MULTILINE)
"""The header line of a saved game that :meth:`Game.from_file` reads its settings from."""


@dataclass
class Branch:
    """The scenario with the moves so far, its replications' KPIs and its representative
    timeline.
    """

    scenario: Scenario
    moves: list[Move]
    kpis: np.ndarray
    """(replications × KPIs) in catalogue order, as a run of the scenario gives them."""
    trace: Trace


@dataclass
class Adjudication:
    """What one move changed: the branch after it minus the branch before, per headline KPI."""

    move: Move
    day: int
    rows: list[dict[str, Any]]
    seconds: float


@dataclass
class Turn:
    """One turn as played: what it opened on, the moves, what each changed."""

    number: int
    day: int
    date: str
    timeline: list[str]
    state: list[tuple[str, str]]
    fan: list[dict[str, Any]]
    still_open: dict[str, Any]
    adjudications: list[Adjudication] = field(default_factory=list)
    screen: str = ""
    """The turn as the terminal showed it (plain text), for the record and the report."""

    def document(self) -> dict[str, Any]:
        """The turn as JSON-ready data (game.json)."""
        return {
            "turn": self.number,
            "day": self.day,
            "date": self.date,
            "timeline": self.timeline,
            "state": [list(s) for s in self.state],
            "fan": json_ready(self.fan),
            "still_open": json_ready([self.still_open])[0],
            "moves": [
                {
                    "team": a.move.team,
                    "action": a.move.action,
                    "reason": a.move.reason,
                    "move": a.move.describe(),
                    "day": a.day,
                    "changes": json_ready(a.rows),
                    "seconds": round(a.seconds, 3),
                }
                for a in self.adjudications
            ],
            "screen": self.screen,
        }


class Game:
    """A game in play: the base scenario, the settings, the branch, the turns played.

    Args:
        base: the base scenario's marked document (``extends:`` resolved), so that a move's
            problems point at its own file and line.
        source: the base scenario's file (for the record).
        reps: replications of every branch.
        seed: the root seed of every branch.
        turn_days: days per turn.
        workers: local worker processes (default: all cores; 1 runs in-process).
        executor: an executor to use (the caller closes it) instead of starting one.

    Raises:
        ScenarioError: the base scenario is invalid.
        UsageError: a setting out of range.
    """

    def __init__(
        self,
        base: MarkedDict,
        source: str,
        *,
        reps: int = DEFAULT_REPS,
        seed: int = 1,
        turn_days: int = DEFAULT_TURN_DAYS,
        workers: int | None = None,
        executor: Executor | None = None,
    ) -> None:
        if isinstance(reps, bool) or not 1 <= reps <= MAX_REPS:
            raise UsageError(f"must be from 1 to {MAX_REPS:,} (got {reps!r})", "--reps")
        check_seed(seed)
        self.base = base
        self.scenario = validate_marked(base)
        if isinstance(turn_days, bool) or not 1 <= turn_days <= self.scenario.horizon_days:
            raise UsageError(
                f"must be from 1 to the horizon, {self.scenario.horizon_days} days "
                f"(got {turn_days!r})",
                "--turn-days",
            )
        self.source = source
        self.reps, self.seed, self.turn_days = reps, seed, turn_days
        self._own = executor is None
        self._workers = workers
        self._executor = executor
        self.moves: list[Move] = []
        self.turns: list[Turn] = []
        self.branch: Branch | None = None
        self.representative = 0

    @classmethod
    def from_scenario(cls, path: str | Path, **settings: Any) -> Game:
        """A new game of a scenario file."""
        return cls(load_marked(path), str(path), **settings)

    @classmethod
    def from_file(cls, path: str | Path, **settings: Any) -> tuple[Game, list[Move]]:
        """A saved game and its moves, to replay: its settings come from its header line
        unless given; its base scenario is the file without the moves' injects.

        Raises:
            ScenarioError: the file is invalid, or has no header line and no settings given.
        """
        path = Path(path)
        data = load_marked(path)
        found = HEADER.search(path.read_text(encoding="utf-8"))
        if found is not None:
            for key, value in zip(("turn_days", "reps", "seed"), found.groups(), strict=True):
                if settings.get(key) is None:
                    settings[key] = int(value)
        settings = {k: v for k, v in settings.items() if v is not None}
        injects = data.get("injects")
        moves: list[Move] = []
        if isinstance(injects, MarkedList):
            kept = MarkedList(injects.mark)
            for i, (item, mark) in enumerate(zip(injects, injects.marks, strict=True)):
                played = parse_note(item.get("note")) if isinstance(item, MarkedDict) else None
                if played is None:
                    kept.append(item)
                    kept.marks.append(mark)
                    continue
                turn, team, reason = played
                fields = copied(item, ("note",))
                put(fields, "turn", turn)
                put(fields, "team", team)
                put(fields, "reason", reason)
                moves.append(move_from(fields, mark, f"injects.{i}"))
            data = replaced(data, "injects", kept)
        game = cls(data, str(path), **settings)
        return game, [game._undated(m) for m in moves]

    def _undated(self, move: Move) -> Move:
        """A replayed move as it was played: without the ``at`` the game gave it (its turn's
        day), so that it reads and is dated as the move first was.
        """
        if move.fields.get("at") != self.day(move.turn):
            return move
        return Move(
            move.turn,
            move.team,
            move.reason,
            copied(move.fields, ("at",)),
            move.path,
            move.turn_mark,
        )

    # -- the calendar ------------------------------------------------------------------------

    @property
    def horizon(self) -> int:
        """The scenario's horizon in days."""
        return self.scenario.horizon_days

    @property
    def n_turns(self) -> int:
        """Turns in the game: one every ``turn_days`` from day 0 while before the horizon."""
        return math.ceil(self.horizon / self.turn_days)

    def day(self, turn: int) -> int:
        """The day turn ``turn`` (from 1) is played on."""
        return (turn - 1) * self.turn_days

    def date(self, day: int) -> str:
        """A day from the start as an ISO date."""
        return (self.scenario.start + timedelta(days=day)).isoformat()

    @property
    def next_turn(self) -> int:
        """The number of the turn to play next (``n_turns + 1`` once the horizon is reached)."""
        return len(self.turns) + 1

    @property
    def over(self) -> bool:
        """Whether every turn has been played."""
        return len(self.turns) >= self.n_turns

    # -- branches ----------------------------------------------------------------------------

    @property
    def executor(self) -> Executor:
        """The executor every branch runs on (started on first use)."""
        if self._executor is None:
            self._executor = make_executor(self._workers)
        return self._executor

    def scenario_with(self, moves: Sequence[Move]) -> Scenario:
        """The base scenario with ``moves`` as dated, noted injects, validated.

        Raises:
            ScenarioError: a move is invalid (an unknown action or member, a day in the past
                or beyond the horizon...), located at the move's own file and line.
        """
        return validate_marked(self._document_with(moves))

    def _document_with(self, moves: Sequence[Move]) -> MarkedDict:
        old = self.base.get("injects")
        injects = MarkedList(old.mark if isinstance(old, MarkedList) else self.base.mark)
        if isinstance(old, MarkedList):
            injects.extend(old)
            injects.marks.extend(old.marks)
        for move in moves:
            injects.append(move.inject(self.day(move.turn), self.scenario.start))
            injects.marks.append(move.fields.mark)
        return replaced(self.base, "injects", injects)

    def check_all(self, moves: Sequence[Move]) -> None:
        """Validate moves as the branch would take them: the moves played so far, then moves
        for this turn or later ones (a scripted game's every move, before anything runs).

        Raises:
            ScenarioError: every move on a turn the game does not have or has already
                played, or else the first problems of the moves as injects, at their lines.
        """
        problems = []
        for move in moves:
            if any(move is played for played in self.moves):
                continue
            if move.turn > self.n_turns:
                message = (
                    f"turn {move.turn} is past the horizon: the game has {self.n_turns} turns "
                    f"of {self.turn_days} days"
                )
            elif move.turn < self.next_turn:
                message = f"turn {move.turn} has been played; the next is {self.next_turn}"
            else:
                continue
            problems.append(move.turn_problem(message))
        if problems:
            raise ScenarioError(problems)
        self.scenario_with(moves)

    def _run(self, scenario: Scenario, moves: list[Move], progress: Progress | None) -> Branch:
        """Run a branch's replications for their KPIs only (no time series: a turn shows none,
        and they cost a fifth of a replication), then its representative timeline.
        """
        chunk = chunk_size(self.reps, self.executor.workers)
        tasks = chunk_tasks(scenario, self.seed, 0, self.reps, chunk, grids=False)
        kpis = np.full((self.reps, len(catalogue.kpis())), np.nan)
        done = 0
        for _task, result in self.executor.imap(run_chunk, tasks):
            kpis[result.first : result.first + len(result.kpis)] = result.kpis
            done += len(result.kpis)
            if progress is not None:
                progress(done, self.reps)
        if self.branch is None:
            # as RunResult.representative: the replication with the median mean deterrence
            column = kpis[:, catalogue.names().index("deterrence_mean")]
            self.representative = median_position(column)
        trace = simulate(scenario, self.seed, self.representative)
        return Branch(scenario, moves, kpis, trace)

    def begin(self, progress: Progress | None = None) -> Branch:
        """Run the base scenario: the branch the first turn opens on."""
        if self.branch is None:
            self.branch = self._run(self.scenario, [], progress)
        return self.branch

    # -- turns -------------------------------------------------------------------------------

    def open_turn(self) -> Turn:
        """The next turn as it opens: the branch's timeline since the last turn, its state on
        the turn's day, and its fan of futures.

        Raises:
            UsageError: every turn has been played.
        """
        if self.over:
            raise UsageError(f"the game is over: all {self.n_turns} turns have been played")
        branch = self.begin()
        number = self.next_turn
        day = self.day(number)
        since = self.day(number - 1) if number > 1 else -1
        return Turn(
            number,
            day,
            self.date(day),
            view.timeline(branch.trace, since, day),
            view.state_at(branch.trace, day),
            view.fan_rows(branch.kpis, self.horizon),
            view.still_open(branch.kpis, day, self.horizon),
        )

    def play(
        self,
        turn: Turn,
        moves: Sequence[Move],
        progress: Callable[[Move], Progress | None] | None = None,
    ) -> Turn:
        """Adjudicate a turn's moves, one after another, each against the branch before it.

        Every move is validated first, so an invalid one leaves the game as it was. A move's
        time is its adjudication's: validating the branch, running its replications and its
        representative timeline.

        Raises:
            ScenarioError: a move is invalid (at its line) or not for this turn.
        """
        problems = [m.turn_problem(f"not a move of turn {turn.number}") for m in moves]
        problems = [p for p, m in zip(problems, moves, strict=True) if m.turn != turn.number]
        if problems:
            raise ScenarioError(problems)
        branch = self.begin()
        played = list(self.moves)
        steps = []
        for move in moves:
            clock = time.perf_counter()
            played = [*played, move]
            steps.append((move, played, self.scenario_with(played), time.perf_counter() - clock))
        for move, moves_so_far, scenario, checked in steps:
            clock = time.perf_counter()
            after = self._run(scenario, moves_so_far, progress(move) if progress else None)
            seconds = checked + time.perf_counter() - clock
            rows = view.change_rows(branch.kpis, after.kpis, self.horizon)
            turn.adjudications.append(Adjudication(move, self.day(move.turn), rows, seconds))
            branch = after
            self.moves = moves_so_far
        self.branch = branch
        self.turns.append(turn)
        return turn

    def final(self) -> list[dict[str, Any]]:
        """The fan of the branch as played so far: at the horizon, once the game is over."""
        return view.fan_rows(self.begin().kpis, self.horizon)

    # -- the record --------------------------------------------------------------------------

    def command(self, file: str = "GAME.yaml") -> str:
        """The ``wargame run`` command that gives the last branch's numbers exactly."""
        return f"wargame run {file} --reps {self.reps} --seed {self.seed}"

    def document(self, file: str = "GAME.yaml") -> str:
        """The game so far as a scenario file: the base resolved, the moves as noted injects.

        Its header line carries the settings a replay needs; ``file`` is the name it is saved
        under, for the commands the header shows.
        """
        scenario = self.scenario_with(self.moves)
        data = document.scenario_document(scenario)
        data["name"] = self.scenario.name.removesuffix("-game") + "-game"
        data["injects"] = [_as_written(inject) for inject in data["injects"]]
        played = len(self.turns)
        header = [
            f"# A seminar game of '{self.scenario.name}' played with wargame play: "
            f"{played} of {self.n_turns} turns of {self.turn_days} days, {len(self.moves)} "
            f"move{'' if len(self.moves) == 1 else 's'}, each an inject noted with its turn, "
            "team and reason.",
            f"# Base scenario: {self.source} (SHA-256 "
            f"{document.scenario_sha256(self.scenario)[:16]}…), resolved below.",
            f"# Run it: {self.command(file)}; replay it: wargame play --replay {file}",
            f"# wargame play: turn_days={self.turn_days} reps={self.reps} seed={self.seed}",
        ]
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        return "\n".join(header) + "\n" + body

    def save(self, path: str | Path) -> Path:
        """Write :meth:`document` to ``path`` (a temporary name, then renamed)."""
        import os

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(self.document(target.name), encoding="utf-8")
        os.replace(tmp, target)
        return target

    def record(self) -> dict[str, Any]:
        """game.json: the settings and every turn as played, with the final fan."""
        return {
            "format_version": store.FORMAT_VERSION,
            "kind": "game",
            "name": self.scenario.name,
            "source": self.source,
            "sha256": document.scenario_sha256(self.scenario),
            "question": self.scenario.description,
            "seed": self.seed,
            "replications": self.reps,
            "turn_days": self.turn_days,
            "turns_in_game": self.n_turns,
            "horizon_days": self.horizon,
            "start": self.scenario.start.isoformat(),
            "representative_replication": self.representative,
            "fan": "over all replications of the branch, from the start to the horizon",
            "change": "branch after the move minus branch before it, paired (common random "
            "numbers), 95% CI",
            "turns": [t.document() for t in self.turns],
            "final": json_ready(self.final()),
            "run": self.command("game.yaml"),
            "versions": store.versions(),
            "command": store.command_line(),
            "written": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    def write_record(self, out: str | Path, *, force: bool = False) -> Path:
        """The game directory, written atomically: game.json, game.yaml and the last
        branch's results directory under ``runs/final`` (its plots are not drawn).

        The last branch is run again as ``wargame run`` runs it, and its KPIs must be the
        game's, number for number.

        Raises:
            SimulationError: they are not (a replication that is not a pure function of
                scenario, seed and replication).
        """
        out = Path(out)
        branch = self.begin()
        result = run_scenario(branch.scenario, self.reps, self.seed, executor=self.executor)
        same = (result.kpis == branch.kpis) | (np.isnan(result.kpis) & np.isnan(branch.kpis))
        if not same.all():
            row = int(np.flatnonzero(~same.all(axis=1))[0])
            raise SimulationError(
                branch.scenario.name, row, self.seed, "the game's KPIs differ from a run's"
            )
        with store.atomic_directory(out, force) as tmp:
            (tmp / "game.yaml").write_text(self.document("game.yaml"), encoding="utf-8")
            target = tmp / "runs" / "final"
            target.mkdir(parents=True)
            result.write_files(target)
            store.write_json(tmp / "game.json", self.record())
        return out

    def close(self) -> None:
        """Stop the workers (if the game started them)."""
        if self._own and self._executor is not None:
            self._executor.close()
            self._executor = None

    def terminate(self) -> None:
        """Stop the workers now (Ctrl-C)."""
        if self._own and self._executor is not None:
            self._executor.terminate()
            self._executor = None


def _as_written(inject: dict[str, Any]) -> dict[str, Any]:
    """An inject's document without the fields left at their defaults (``when: null``,
    ``pledges: []``), as a person would write it; it validates to the same inject.
    """
    fields = INJECTS[inject["action"]].model_fields
    return {
        key: value
        for key, value in inject.items()
        if key == "action"
        or key not in fields
        or value != fields[key].get_default(call_default_factory=True)
    }
