"""Load a scenario file: YAML with line marks → ``extends:`` → ``--set`` → validated Scenario.

Every problem is reported with its file, line, column and dotted path (list items by id), all
problems of a file at once, and nothing is written anywhere.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sim.errors import Problem, ScenarioError
from sim.scenario.marked import (
    Mark,
    MarkedDict,
    MarkedList,
    parse_marked,
    read_text,
    to_plain,
    unreadable,
)
from sim.scenario.overlay import apply_override, merge
from sim.scenario.paths import display_path
from sim.scenario.rules import rule_violations
from sim.scenario.schema import Scenario
from sim.scenario.typewalk import field_names_at

M = TypeVar("M", bound=BaseModel)


def read_document(path: Path, *, what: str = "scenario") -> MarkedDict:
    """Read one YAML file that must hold a mapping.

    Raises:
        ScenarioError: unreadable, empty, not YAML, or not a mapping.
    """
    name = str(path)
    data = parse_marked(read_text(path, name), name)
    if data is None:
        raise ScenarioError.single(name, "(file)", f"the file is empty; expected a {what} mapping")
    if isinstance(data, MarkedList):
        raise ScenarioError(
            [data.mark.problem("(root)", f"expected a mapping of {what} keys, got a list")]
        )
    if not isinstance(data, MarkedDict):
        raise ScenarioError.single(
            name, "(root)", f"expected a mapping of {what} keys, got a {type(data).__name__}"
        )
    return data


def _real(path: Path) -> Path:
    """The absolute path with symbolic links resolved as far as they go (a loop stays as is:
    reading it reports the loop).
    """
    return Path(os.path.realpath(path))


def _resolve_extends(path: Path, chain: tuple[Path, ...]) -> MarkedDict:
    data = read_document(path)
    parent = data.get("extends")
    if parent is None:
        return data
    mark = data.marks["extends"]
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError([mark.problem("extends", "expected a relative path to a scenario")])
    base_path = _real(path.parent / parent)
    if base_path in chain or base_path == _real(path):
        cycle = " -> ".join(p.name for p in (*chain, _real(path), base_path))
        raise ScenarioError([mark.problem("extends", f"extends cycle: {cycle}")])
    reason = unreadable(base_path)
    if reason is not None:
        shown = "not found" if reason.startswith("no such file") else f"cannot be read: {reason}"
        raise ScenarioError(
            [mark.problem("extends", f"base scenario {parent!r} {shown} (looked for {base_path})")]
        )
    base = _resolve_extends(base_path, (*chain, _real(path)))
    merged: MarkedDict = merge(base, data)
    del merged["extends"]
    return merged


def load_marked(
    path: str | Path, overrides: Sequence[str] = (), origins: Sequence[Mark] | None = None
) -> MarkedDict:
    """Read, resolve ``extends:`` and apply overrides, keeping marks; no validation yet.

    ``origins`` are where the overrides are written, if not on the command line (``--set``).
    """
    path = Path(path)
    data = _resolve_extends(path, ())
    for i, text in enumerate(overrides, start=1):
        apply_override(data, text, i, origins[i - 1] if origins else None)
    return data


def load_scenario(
    path: str | Path, overrides: Sequence[str] = (), origins: Sequence[Mark] | None = None
) -> Scenario:
    """Load and validate a scenario file.

    Args:
        path: the YAML file.
        overrides: ``PATH=VALUE`` strings applied after ``extends:``, as ``--set`` does.
        origins: where each override is written (a sweep spec's ``set:`` items), so that their
            problems point there; by default at the ``--set`` options.

    Raises:
        ScenarioError: with every problem found, each pointing at file, line and field.
    """
    data = load_marked(path, overrides, origins)
    return validate_marked(data)


def validate_marked(data: MarkedDict) -> Scenario:
    """Validate marked data into a Scenario, reporting problems at their marks."""
    plain = to_plain(data)
    plain.pop("extends", None)
    try:
        scenario = Scenario.model_validate(plain, context={"defer_rules": True})
    except ValidationError as exc:
        raise ScenarioError(_sorted(_pydantic_problems(exc, data))) from None
    found = rule_violations(scenario)
    if found:
        raise ScenarioError(
            _sorted([locate(data, loc).problem(display_path(data, loc), msg) for loc, msg in found])
        )
    return scenario


def validate_document(data: MarkedDict, model: type[M]) -> M:
    """Validate marked data into any model of this package, problems located at their marks.

    Raises:
        ScenarioError: every field problem, at its file, line and column.
    """
    try:
        return model.model_validate(to_plain(data))
    except ValidationError as exc:
        raise ScenarioError(_sorted(_pydantic_problems(exc, data, model))) from None


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.file, p.line, p.column, p.path, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.file, p.line, p.column))


class _Located:
    def __init__(self, mark: Mark, data_loc: tuple[str | int, ...], node: Any) -> None:
        self.mark = mark
        self.data_loc = data_loc
        self.node = node

    def problem(self, path: str, message: str) -> Problem:
        return self.mark.problem(path, message)


def _walk(data: Any, loc: Sequence[str | int], *, key_mark: bool = False) -> _Located:
    """Follow a pydantic loc through marked data, skipping union tags it adds."""
    node = data
    mark: Mark = data.mark
    data_loc: list[str | int] = []
    for depth, step in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, MarkedDict) and step in node:
            mark = node.key_marks[step] if (last and key_mark) else node.marks[step]
            node = node[step]
            data_loc.append(step)
        elif isinstance(node, MarkedList) and isinstance(step, int) and 0 <= step < len(node):
            mark = node.marks[step]
            node = node[step]
            data_loc.append(step)
        # Anything else is a union tag or branch name pydantic adds, or a missing key.
    return _Located(mark, tuple(data_loc), node)


def locate(data: MarkedDict, loc: Sequence[str | int]) -> _Located:
    """The mark of the value at ``loc`` (or of the closest enclosing value that exists)."""
    return _walk(data, loc)


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return ""
    text = repr(value)
    return f" (got {text[:60]}{'…' if len(text) > 60 else ''})"


def _pydantic_problems(
    exc: ValidationError, data: MarkedDict, model: type[BaseModel] = Scenario
) -> list[Problem]:
    grouped: dict[tuple[str, Mark], list[str]] = {}
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        kind = error["type"]
        if kind == "extra_forbidden":
            where = _walk(data, loc, key_mark=True)
            key = str(loc[-1])
            allowed = sorted(field_names_at(where.data_loc[:-1], data, model))
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            message = f"unknown key {key!r}{hint}"
            path = display_path(data, where.data_loc)
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            where = _walk(data, loc)
            tag = (error.get("ctx") or {}).get("discriminator", "").strip("'")
            node = where.node if isinstance(where.node, MarkedDict) else None
            if node is not None and tag in node:
                expected = (error.get("ctx") or {}).get("expected_tags", "")
                known = [name.strip(" '") for name in expected.split(",")]
                close = difflib.get_close_matches(str(node[tag]), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                message = f"unknown {tag} {node[tag]!r}{hint}; expected one of {expected}"
                where = _Located(node.marks[tag], (*where.data_loc, tag), node[tag])
            else:
                message = f"required key {tag!r} is missing"
            path = display_path(data, where.data_loc, missing=None if node and tag in node else tag)
        elif kind == "missing":
            where = _walk(data, loc)
            field = str(loc[-1])
            message = f"required key {field!r} is missing"
            path = display_path(data, where.data_loc, missing=field)
        else:
            where = _walk(data, loc)
            message = _message(error["msg"]) + _shown(error.get("input"))
            path = display_path(data, where.data_loc)
        grouped.setdefault((path, where.mark), []).append(message)
    problems = []
    for (path, mark), messages in grouped.items():
        distinct = list(dict.fromkeys(messages))
        message = " or ".join(distinct) if len(distinct) > 1 else distinct[0]
        problems.append(mark.problem(path, message))
    return problems


def _message(msg: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg
