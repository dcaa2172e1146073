"""A seminar game's moves: who plays what, on which turn, and why, as dated injects.

A move is an inject (:mod:`sim.scenario.injects`) with three more keys: the ``turn`` it is
played on, the ``team`` that plays it and the ``reason`` the team gave. The game dates it at
its turn's day (or at a later ``at:`` the move names) and writes ``turn``, ``team`` and
``reason`` into the inject's ``note:``, so a played game is an ordinary scenario whose injects
say where they came from (:func:`note` and :func:`parse_note` are each other's inverse).

A moves file (``wargame play --moves``) holds ``moves:``, a list of such items. This module
checks only what a move adds to an inject; the inject itself is validated with the scenario it
joins, so its problems point at the moves file's lines like a scenario's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sim.errors import Problem, ScenarioError
from sim.scenario.injects import INJECTS
from sim.scenario.marked import Mark, MarkedDict, MarkedList

TEAMS: dict[str, tuple[str, ...]] = {
    "coalition": (
        "withdraw_member",
        "scale_pledges",
        "add_pledge",
        "drop_us_condition",
        "set_doctrine",
    ),
    "us": ("trigger_signal", "us_pause", "relax_threshold"),
    "russia": ("probe", "incursion", "adversary_surge"),
    "white": (),
}
"""Each team's menu of inject actions; the white cell (the control team) may play any."""

MOVE_KEYS = ("turn", "team", "reason")
"""The keys a move adds to its inject."""

_NOTE = re.compile(r"^turn (\d+) \(([a-z]+)\)(?:: (.*))?$", re.DOTALL)


def menu(team: str) -> tuple[str, ...]:
    """The actions a team may play (every registered one for the white cell)."""
    return TEAMS[team] or INJECTS.names()


def note(turn: int, team: str, reason: str) -> str:
    """An inject's note for a move: ``turn 3 (coalition): the reason``."""
    return f"turn {turn} ({team})" + (f": {reason}" if reason else "")


def parse_note(text: str | None) -> tuple[int, str, str] | None:
    """``(turn, team, reason)`` of a move's note, or None for an inject that is not a move."""
    found = _NOTE.match(text or "")
    if found is None or found.group(2) not in TEAMS:
        return None
    return int(found.group(1)), found.group(2), found.group(3) or ""


@dataclass(frozen=True)
class Move:
    """One team's move on one turn: the inject's fields (with their marks) and the reason."""

    turn: int
    team: str
    reason: str
    fields: MarkedDict
    """The inject's own keys as written (``action``, its fields, an optional ``at``)."""
    path: str = "moves"
    """Where the move is written, for messages (``moves.3``)."""
    turn_mark: Mark | None = None
    """Where its ``turn`` is written (its mapping's start if the game added it)."""

    def turn_problem(self, message: str) -> Problem:
        """A problem with the move's turn, at the line of its ``turn``."""
        return (self.turn_mark or self.fields.mark).problem(f"{self.path}.turn", message)

    @property
    def action(self) -> str:
        """The inject action played."""
        return str(self.fields.get("action", ""))

    def inject(self, day: int, start: date) -> MarkedDict:
        """The move as an inject document dated at ``day`` (or its own later ``at``), noted.

        Raises:
            ScenarioError: the move's ``at`` is before ``day``, the day of its turn.
        """
        out = copied(self.fields)
        when = out.get("at")
        if when is None:
            put(out, "at", day)
        else:
            at = (when - start).days if isinstance(when, date) else when
            if isinstance(at, int) and not isinstance(at, bool) and at < day:
                raise ScenarioError(
                    [
                        out.marks["at"].problem(
                            f"{self.path}.at",
                            f"day {at} is in the past: turn {self.turn} is played on day {day}",
                        )
                    ]
                )
        put(out, "note", note(self.turn, self.team, self.reason))
        return out

    def describe(self) -> str:
        """One line: ``coalition: scale_pledges member=NLD factor=0.5``."""
        keys = [k for k in self.fields if k not in ("action", "at")]
        keys += ["at"] if "at" in self.fields else []  # a later day, last whatever the order
        fields = " ".join(f"{k}={self.fields[k]}" for k in keys)
        return f"{self.team}: {self.action}" + (f" {fields}" if fields else "")


def put(data: MarkedDict, key: str, value: object) -> None:
    """Set a key the file did not write, marked where its mapping starts."""
    data[key] = value
    data.marks[key] = data.mark
    data.key_marks[key] = data.mark


def copied(data: MarkedDict, drop: tuple[str, ...] = ()) -> MarkedDict:
    """A shallow copy of a marked mapping, marks kept, without the keys in ``drop``."""
    out = MarkedDict(data.mark)
    for key, value in data.items():
        if key not in drop:
            out[key] = value
            out.marks[key] = data.marks[key]
            out.key_marks[key] = data.key_marks[key]
    return out


def replaced(data: MarkedDict, key: str, value: MarkedDict | MarkedList) -> MarkedDict:
    """A shallow copy of ``data`` with ``key`` set to ``value`` (its mark kept if it had one)."""
    out = copied(data, (key,))
    out[key] = value
    out.marks[key] = data.marks.get(key, value.mark)
    out.key_marks[key] = data.key_marks.get(key, value.mark)
    return out


def move_from(item: object, mark: Mark, path: str = "moves") -> Move:
    """A move from its marked mapping, checking the keys a move adds to an inject.

    Raises:
        ScenarioError: not a mapping, no or a bad ``turn``, an unknown ``team``, an action
            not on the team's menu, a ``note`` (the game writes it from ``reason``).
    """
    if not isinstance(item, MarkedDict):
        raise ScenarioError([mark.problem(path, "expected a move: a mapping with turn, team, ...")])
    problems: list[Problem] = []

    def where(key: str) -> Mark:
        return item.marks.get(key, item.mark)

    turn = item.get("turn")
    if isinstance(turn, bool) or not isinstance(turn, int) or turn < 1:
        message = "required key 'turn' is missing" if turn is None else "expected a turn from 1"
        problems.append(where("turn").problem(f"{path}.turn", message))
    team = item.get("team")
    if team not in TEAMS:
        message = (
            "required key 'team' is missing" if team is None else f"unknown team {team!r}"
        ) + f"; teams are {', '.join(TEAMS)}"
        problems.append(where("team").problem(f"{path}.team", message))
    reason = item.get("reason", "")
    if not isinstance(reason, str):
        problems.append(where("reason").problem(f"{path}.reason", "expected text"))
    for key in ("when", "after"):
        if item.get(key) is not None:
            problems.append(
                where(key).problem(
                    f"{path}.{key}",
                    "a move is dated: give 'at' (a day or date from its turn on) or nothing "
                    "(its turn's day)",
                )
            )
    if item.get("note") is not None:
        problems.append(
            where("note").problem(
                f"{path}.note",
                "a move's note is written by the game; give the team's 'reason' instead",
            )
        )
    action = item.get("action")
    known = isinstance(action, str) and action in INJECTS.names()
    if team in TEAMS and known and action not in menu(str(team)):
        problems.append(
            where("action").problem(
                f"{path}.action",
                f"{action!r} is not a {team} move; {team} moves are {', '.join(menu(team))}"
                " (the white cell may play any)",
            )
        )
    if problems:
        raise ScenarioError(problems)
    fields = copied(item, MOVE_KEYS)
    return Move(int(str(turn)), str(team), str(reason), fields, path, where("turn"))


def typed_move(text: str, turn: int, team: str, action: str, reason: str, where: str) -> Move:
    """A move typed at the terminal: its fields as a YAML flow mapping (``{member: NLD}``).

    Raises:
        ScenarioError: the text is not a mapping, or the move's own keys are wrong; located
            at ``where`` (``<turn 3>``), line 1 and the column.
    """
    from sim.scenario.marked import parse_marked

    data = parse_marked(text.strip() or "{}", where)
    if not isinstance(data, MarkedDict):
        raise ScenarioError.single(where, "move", "expected the fields as {key: value, ...}")
    fields = copied(data)
    for key, value in (("turn", turn), ("team", team), ("action", action), ("reason", reason)):
        if key not in fields:
            put(fields, key, value)
    return move_from(fields, data.mark, "move")


def moves_from(data: MarkedDict) -> list[Move]:
    """Every move of a moves document (``moves:``, a list), in the order written.

    Raises:
        ScenarioError: every problem of the moves' own keys, each at its line.
    """
    unknown = [key for key in data if key != "moves"]
    if unknown:
        key = unknown[0]
        raise ScenarioError(
            [
                data.key_marks[key].problem(
                    str(key), f"unknown key {key!r}; a moves file has 'moves'"
                )
            ]
        )
    items = data.get("moves")
    if items is None:
        items = MarkedList(data.mark)
    if not isinstance(items, MarkedList):
        raise ScenarioError([data.marks["moves"].problem("moves", "expected a list of moves")])
    moves: list[Move] = []
    problems: list[Problem] = []
    for i, (item, mark) in enumerate(zip(items, items.marks, strict=True)):
        try:
            moves.append(move_from(item, mark, f"moves.{i}"))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return moves


def read_moves(path: str | Path) -> list[Move]:
    """Read a moves file.

    Raises:
        ScenarioError: unreadable, not a mapping, or a move's own keys are wrong.
    """
    from sim.scenario.loader import read_document

    return moves_from(read_document(Path(path), what="moves"))
