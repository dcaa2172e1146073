"""The strict check: every outcome parameter written out, and every one of them explained.

A scenario that validates may still lean on schema defaults nobody chose for this question, or
carry numbers nobody has explained. Analysts must be able to say where every number that moves an
outcome comes from, so ``wargame validate --strict`` lists each *outcome parameter* that is

* left at its schema default (not written in the file, nor in a file it ``extends:``), or
* written but without a ``source:`` or ``assumption:`` note on it or on an enclosing item.

Outcome parameters are the leaf fields under the blocks :data:`OUTCOME_BLOCKS` and under each
member's :data:`MEMBER_FIELDS`, found by walking the pydantic models (``Scenario.model_fields``,
recursively), so a field added to the schema is checked without touching this module. A leaf is
anything that is not a nested scenario model: a number, a boolean, a choice, a list of
conditions, or a distribution taken as a whole (a distribution may carry its own note).

The check reads the *marked* data (:func:`sim.scenario.loader.load_marked`): ``extends:`` merged
and ``--set`` applied, before defaults are filled in, with the file, line and column of every
key. A parameter that is written is reported at its key; one that is missing at the key of the
closest enclosing item that is written (the block, the member), since it has no line of its own.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from sim.errors import Problem
from sim.scenario.loader import load_marked, validate_marked
from sim.scenario.marked import Mark, MarkedDict, MarkedList
from sim.scenario.schema import Member, Scenario

OUTCOME_BLOCKS = ("ceasefire", "us", "adversary", "ukraine", "industry", "model")
"""Top-level blocks whose every leaf field is an outcome parameter."""
MEMBER_FIELDS = ("reliability", "delivery", "mandate_delay", "shocks")
"""Fields of each member that are outcome parameters (the rest name or classify it)."""
NOTES = ("source", "assumption")
"""The keys that explain a value."""


def _inactive(scenario: Scenario) -> set[tuple[str, ...]]:
    """Blocks that cannot move an outcome in this scenario, so their defaults need no note:
    the escalation ladder's parameters when Russia decides by the hazard rule.
    """
    if scenario.adversary.decision != "ladder":
        return {("adversary", "ladder")}
    return set()


DEFAULT_MESSAGE = "left at its default ({value}); write it out with a source: or assumption: note"
NO_NOTE_MESSAGE = "no source: or assumption: note on it or an enclosing item"

_MISSING = object()


def strict_check(path: str | Path, overrides: Sequence[str] = ()) -> tuple[Scenario, list[Problem]]:
    """Load and validate a scenario, then list its outcome parameters that fail the strict check.

    Raises:
        ScenarioError: the scenario is invalid (the ordinary validation problems).
    """
    data = load_marked(path, overrides)
    scenario = validate_marked(data)
    return scenario, strict_problems(data, scenario)


def strict_problems(data: MarkedDict, scenario: Scenario) -> list[Problem]:
    """Every outcome parameter of ``data`` left at its default or without a note, in file order.

    Args:
        data: the marked data (``extends:`` resolved, overrides applied).
        scenario: the same data validated; it supplies the default a missing parameter takes.
    """
    found: list[Problem] = []
    skipped = _inactive(scenario)
    for block in OUTCOME_BLOCKS:
        annotation = Scenario.model_fields[block].annotation
        written = block in data
        node = data[block] if written else _MISSING
        anchor = data.key_marks[block] if written else data.mark
        _walk(annotation, node, getattr(scenario, block), (block,), anchor, False, found, skipped)
    members = data.get("members")
    if isinstance(members, MarkedList):
        for item, mark, member in zip(members, members.marks, scenario.members, strict=True):
            if not isinstance(item, MarkedDict):
                continue
            noted = _has_note(item)
            for name in MEMBER_FIELDS:
                annotation = Member.model_fields[name].annotation
                written = name in item
                node = item[name] if written else _MISSING
                anchor = item.key_marks[name] if written else mark
                path = ("members", member.id, name)
                _walk(annotation, node, getattr(member, name), path, anchor, noted, found, skipped)
    return sorted(found, key=lambda p: (p.file, p.line, p.column))  # stable: schema order


def _walk(
    annotation: Any,
    node: Any,
    value: Any,
    path: tuple[str, ...],
    anchor: Mark,
    noted: bool,
    found: list[Problem],
    skipped: frozenset[tuple[str, ...]] | set[tuple[str, ...]] = frozenset(),
) -> None:
    """Check the value at ``path``: recurse into a nested model, judge a leaf.

    ``anchor`` is where a problem here is reported; ``noted`` whether an enclosing item has a
    note.
    """
    if path in skipped:
        return
    model = _model(annotation)
    if model is None:
        dotted = ".".join(path)
        if node is _MISSING:
            found.append(anchor.problem(dotted, DEFAULT_MESSAGE.format(value=shown(value))))
        elif not (noted or _has_note(node)):
            found.append(anchor.problem(dotted, NO_NOTE_MESSAGE))
        return
    mapping = node if isinstance(node, MarkedDict) else None
    noted = noted or _has_note(mapping)
    for name, field in model.model_fields.items():
        if name in NOTES:
            continue
        key = field.alias or name
        written = mapping is not None and key in mapping
        child = mapping[key] if mapping is not None and written else _MISSING
        mark = mapping.key_marks[key] if mapping is not None and written else anchor
        _walk(
            field.annotation, child, getattr(value, name), (*path, key), mark, noted, found, skipped
        )


def _model(annotation: Any) -> type[BaseModel] | None:
    """The scenario model an annotation names, or None for a leaf (unions are leaves)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        return None  # a distribution, or an optional number
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _has_note(node: Any) -> bool:
    """Whether a mapping carries a non-empty ``source:`` or ``assumption:``."""
    if not isinstance(node, dict):
        return False
    return any(isinstance(node.get(k), str) and node[k].strip() for k in NOTES)


def shown(value: Any) -> str:
    """A resolved value as it would be written in YAML (flow style, notes left out)."""
    if isinstance(value, BaseModel):
        dumped = value.model_dump(mode="json", by_alias=True, exclude_none=True)
        return shown({k: v for k, v in dumped.items() if k not in NOTES})
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, str) and not value.replace("_", "").isalnum():
        return repr(value)
    return str(value)
