"""Dotted paths into scenario data, with list items named by their id, and "did you mean" hints.

One way of naming a place in a scenario serves everything that points at one: error messages
(``pledges.fra-land.amount``), ``--set`` overrides, ``extends:`` merges, sweep parameters (which
may use ``*`` for every item, filtered by ``where``), input diffs and provenance. An item is
named by its ``id`` when it has a scalar one, else by its position.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

Loc = tuple[str | int, ...]
"""A location in the data: mapping keys and list positions."""


def hint(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known name, or nothing."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def item_label(item: Any, index: int) -> str:
    """How a path names a list item: its scalar ``id``, else its position."""
    item_id = item.get("id") if isinstance(item, dict) else None
    return (
        str(item_id)
        if isinstance(item_id, str | int) and not isinstance(item_id, bool)
        else (str(index))
    )


def position(items: Sequence[Any], segment: str) -> int | None:
    """The position of the item a path segment names (by id, else a position), or None."""
    for i, item in enumerate(items):
        if isinstance(item, dict) and str(item.get("id")) == segment:
            return i
    if segment.isdigit() and int(segment) < len(items):
        return int(segment)
    return None


def display_path(data: Any, loc: Sequence[str | int], missing: str | None = None) -> str:
    """A dotted path with list items named by their id: ``pledges.fra-land.amount``.

    Steps of ``loc`` that do not exist in ``data`` are skipped (pydantic adds union tags);
    ``missing`` is appended (a required key that is absent).
    """
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node:
            parts.append(str(step))
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            parts.append(item_label(node[step], step))
            node = node[step]
    if missing:
        parts.append(missing)
    return ".".join(parts) or "(root)"


def flatten(document: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf value by its dotted path (empty mappings and lists are leaves too)."""
    out: dict[str, Any] = {}
    if isinstance(document, dict):
        if not document and prefix:
            out[prefix] = {}
        for key, value in document.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(document, list):
        if not document and prefix:
            out[prefix] = []
        for i, item in enumerate(document):
            out.update(flatten(item, f"{prefix}.{item_label(item, i)}"))
    else:
        out[prefix] = document
    return out


def resolve(document: dict[str, Any], text: str, where: dict[str, Any]) -> list[tuple[Loc, Any]]:
    """Every location a path names, with its value; ``*`` expands over list items matching
    ``where`` (field values to equal).

    Raises:
        KeyError: a segment names nothing; the message says where.
    """
    found: list[tuple[Loc, Any]] = [((), document)]
    for segment in text.split("."):
        following: list[tuple[Loc, Any]] = []
        for loc, node in found:
            if isinstance(node, list):
                for i, item in enumerate(node):
                    if segment == "*":
                        if all(
                            isinstance(item, dict) and item.get(k) == v for k, v in where.items()
                        ):
                            following.append(((*loc, i), item))
                    elif item_label(item, i) == segment:
                        following.append(((*loc, i), item))
            elif isinstance(node, dict):
                if segment not in node:
                    here = display_path(document, loc) if loc else "the scenario"
                    raise KeyError(f"{here} has no key {segment!r}{hint(segment, node)}")
                following.append(((*loc, segment), node[segment]))
        if not following:
            here = display_path(document, found[0][0]) if found[0][0] else "it"
            raise KeyError(f"nothing matches {segment!r} in {here}")
        found = following
    return found
