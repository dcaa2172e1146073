"""Layering scenarios: ``extends:`` merges and ``--set PATH=VALUE`` overrides.

Lists whose items all carry an ``id`` merge by id (an item ``{id: X, remove: true}`` drops X);
other lists, empty lists (``pledges: []`` clears the base's) and scalars are replaced; mappings
merge key by key. Paths name list items by id:
``pledges.fra-land.amount``, ``members.DEU.reliability`` (or by position where items have no id,
``injects.0.factor``). Every merged value keeps the mark of the file it came from.
"""

from __future__ import annotations

from typing import Any

import yaml

from sim.errors import ScenarioError
from sim.scenario.marked import Mark, MarkedDict, MarkedList
from sim.scenario.paths import hint, position
from sim.scenario.typewalk import field_names_at


def _all_have_ids(items: list[Any]) -> bool:
    return all(isinstance(item, dict) and "id" in item for item in items)


def merge(base: Any, child: Any, path: tuple[str, ...] = ()) -> Any:
    """Merge ``child`` over ``base`` (both marked); the child wins.

    ``path`` is where the two values sit in the scenario (list items by id), for messages.

    Raises:
        ScenarioError: a ``remove: true`` item names an id the base does not have, or the
            child's list names the same id twice.
    """
    if isinstance(base, MarkedDict) and isinstance(child, MarkedDict):
        out = MarkedDict(child.mark)
        for key, value in base.items():
            out[key] = value
            out.marks[key] = base.marks[key]
            out.key_marks[key] = base.key_marks[key]
        for key, value in child.items():
            out[key] = merge(base[key], value, (*path, str(key))) if key in base else value
            out.marks[key] = child.marks[key]
            out.key_marks[key] = child.key_marks[key]
        return out
    if (
        isinstance(base, MarkedList)
        and isinstance(child, MarkedList)
        and child  # an empty list clears the base's
        and _all_have_ids(base)
        and _all_have_ids(child)
    ):
        out_list = MarkedList(child.mark)
        index = {item["id"]: i for i, item in enumerate(base)}
        items: list[Any] = list(base)
        marks: list[Mark | None] = list(base.marks)
        first: dict[Any, Mark] = {}
        for item, mark in zip(child, child.marks, strict=True):
            where = (*path, str(item["id"]))
            id_mark = item.marks["id"] if isinstance(item, MarkedDict) else mark
            if item["id"] in first:
                raise ScenarioError(
                    [
                        id_mark.problem(
                            ".".join((*where, "id")),
                            f"duplicate id {item['id']!r} (first at line {first[item['id']].line})",
                        )
                    ]
                )
            first[item["id"]] = id_mark
            pos = index.get(item["id"])
            if item.get("remove") is True:
                if pos is None:
                    raise ScenarioError(
                        [
                            mark.problem(
                                ".".join(where),
                                f"cannot remove {item['id']!r}: "
                                "the base scenario has no item with that id",
                            )
                        ]
                    )
                items[pos] = None
                continue
            if pos is None:
                items.append(item)
                marks.append(mark)
            else:
                items[pos] = merge(items[pos], item, where)
                marks[pos] = mark
        for item, kept in zip(items, marks, strict=True):
            if item is not None and kept is not None:
                out_list.append(item)
                out_list.marks.append(kept)
        return out_list
    return child


def apply_override(data: MarkedDict, text: str, index: int, origin: Mark | None = None) -> None:
    """Apply one ``PATH=VALUE`` override in place; ``index`` is its 1-based position.

    The value is read as YAML (``6000``, ``true``, ``[a, b]``, ``{dist: fixed, value: 3}``).
    ``origin`` is where the override is written (a sweep spec's ``set:`` item); by default it
    is the ``index``-th ``--set`` of the command line, ``--set:INDEX:COLUMN``.

    Raises:
        ScenarioError: the override is malformed or its path does not exist.
    """
    start = origin or Mark("--set", index, 1)

    def at(column: int) -> Mark:  # a column within PATH=VALUE, 1-based
        return Mark(start.file, start.line, start.column + column - 1)

    def _override_problem(_: int, column: int, shown: str, message: str) -> ScenarioError:
        return ScenarioError([at(column).problem(shown, message)])

    if not isinstance(text, str):
        raise _override_problem(index, 1, "(override)", "expected a PATH=VALUE string")
    if "=" not in text:
        raise _override_problem(index, 1, text, "expected PATH=VALUE")
    path, raw = text.split("=", 1)
    segments = path.split(".")
    if not path or any(not s for s in segments):
        raise _override_problem(index, 1, path or "(empty)", "empty path segment")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        value = raw
    node: Any = data
    loc: list[str | int] = []
    column = 1
    for depth, segment in enumerate(segments):
        last = depth == len(segments) - 1
        shown = ".".join(segments[: depth + 1])
        if isinstance(node, MarkedList):
            pos = position(node, segment)
            if pos is None:
                ids = [str(item.get("id")) for item in node if isinstance(item, dict)]
                raise _override_problem(
                    index, column, shown, f"no item with id {segment!r}{hint(segment, ids)}"
                )
            if last:
                node[pos] = value
                node.marks[pos] = at(len(path) + 2)
                return
            loc.append(pos)
            node = node[pos]
        elif isinstance(node, MarkedDict):
            allowed = field_names_at(tuple(loc), data)
            if segment not in allowed and segment not in node:
                raise _override_problem(
                    index, column, shown, f"unknown key {segment!r}{hint(segment, sorted(allowed))}"
                )
            if last:
                node[segment] = value
                node.marks[segment] = at(len(path) + 2)
                node.key_marks.setdefault(segment, at(column))
                return
            if segment not in node or node[segment] is None:
                child = MarkedDict(at(column))
                node[segment] = child
                node.marks[segment] = child.mark
                node.key_marks[segment] = child.mark
            loc.append(segment)
            node = node[segment]
        else:
            raise _override_problem(
                index, column, shown, f"{'.'.join(segments[:depth])} is a value, not a mapping"
            )
        column += len(segment) + 1
