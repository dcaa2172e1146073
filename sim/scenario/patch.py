"""A validated scenario with a few values changed, validated where they changed.

A sweep point is its base scenario with one value per factor written in; validating the whole
document again costs a large share of a replication (the baseline has a hundred pledges), and
a sweep of 100,000 points would spend most of its time there. :func:`patched` instead rebuilds
only the spine from the scenario to each changed value: the model holding a changed value is
validated again from its fields, the changed one in document form (exactly as a full
validation would see it) and the unchanged ones as the instances they already are (pydantic
does not validate a model instance again), and so is each model above it, up to the scenario.
So every validator that could see the change runs — the changed field's, its model's and each
ancestor's model validators, the scenario's cross-item rules — and nothing else does. A change
to a union's tag (a pledge's ``pillar``, a distribution's ``dist``) validates that item from
its document instead, so that the union picks its model again. The result is equal to
validating the changed document from scratch, and shares its unchanged sub-models with the base
(they are frozen).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel

from sim.scenario.paths import Loc

M = TypeVar("M", bound=BaseModel)

Change = tuple[Loc, Any]
"""A location in the scenario's document (keys by alias, list positions) and its new value."""

_names: dict[type[BaseModel], dict[str, str]] = {}


def patched(base: M, changes: Sequence[Change]) -> M:
    """``base`` with each value written at its document location, in order, and validated.

    Args:
        base: a validated model (a :class:`~sim.scenario.schema.Scenario`).
        changes: document locations (as :func:`~sim.scenario.document.scenario_document` spells
            them) and the values to write there; later changes see earlier ones, as writes into
            the document would.

    Raises:
        pydantic.ValidationError: the changed scenario is invalid. Its error locations are
            relative to the model validated when it was found, so callers that report it should
            validate the whole document again for the located message.
    """
    return _rebuilt(base, list(changes))


def _field_names(model: type[BaseModel]) -> dict[str, str]:
    """Document keys (aliases and names) to field names, cached per model."""
    found = _names.get(model)
    if found is None:
        found = {}
        for name, info in model.model_fields.items():
            found[name] = name
            if info.alias:
                found[info.alias] = name
        _names[model] = found
    return found


def _rebuilt(model: M, changes: list[Change]) -> M:
    """``model`` validated again with ``changes`` (locations relative to it) written in."""
    names = _field_names(type(model))
    groups: dict[str, list[Change]] = {}
    for loc, value in changes:
        groups.setdefault(str(loc[0]), []).append((loc[1:], value))
    data = dict(model.__dict__)
    for key, inner in groups.items():
        name = names[key]
        current = data[name]
        if _in_place(current, inner):
            data[name] = _rebuilt(current, inner)
        elif (
            isinstance(current, list)
            and inner
            and all(loc and isinstance(loc[0], int) for loc, _ in inner)
        ):
            data[name] = _items_written(current, inner)
        else:
            data[name] = _written(functools.partial(_field_document, model, name), inner)
    return type(model).model_validate(data)


def _in_place(value: Any, changes: list[Change]) -> bool:
    """True if ``value`` is a model that the changes write inside, leaving its tag alone: it can
    be rebuilt from its fields as the model it is.

    A change to a ``Literal`` field (a union's tag, such as ``pillar`` or ``dist``) may make it
    another model, so such a value is validated from its document by its holder instead.
    """
    if not isinstance(value, BaseModel):
        return False
    names = _field_names(type(value))
    return all(
        loc and loc[0] in names and not _tag(type(value), names[str(loc[0])]) for loc, _ in changes
    )


@functools.cache
def _tag(model: type[BaseModel], name: str) -> bool:
    """True if the field's type is (or may be) a ``Literal``."""
    stack = [model.model_fields[name].annotation]
    while stack:
        annotation = stack.pop()
        if get_origin(annotation) is Literal:
            return True
        stack.extend(get_args(annotation))
    return False


def _items_written(items: list[Any], changes: list[Change]) -> list[Any]:
    """The list with each changed item rebuilt in place, or in document form for its holder to
    validate (a discriminated union then picks the item's model again), and the other items as
    they are.
    """
    by_item: dict[int, list[Change]] = {}
    for loc, value in changes:
        by_item.setdefault(int(loc[0]), []).append((loc[1:], value))
    out = list(items)
    for index, inner in by_item.items():
        if _in_place(items[index], inner):
            out[index] = _rebuilt(items[index], inner)
        else:
            out[index] = _written(functools.partial(_value_document, items[index]), inner)
    return out


def _field_document(model: BaseModel, name: str) -> Any:
    """The document form of one field of ``model`` (as a scenario file would hold it)."""
    return model.model_dump(mode="json", by_alias=True, include={name})[
        type(model).model_fields[name].alias or name
    ]


def _value_document(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    return copy.deepcopy(value)


def _written(document: Callable[[], Any], changes: list[Change]) -> Any:
    """The document (made only if a change writes inside it) with the changes written in
    order, each value copied so that no container is shared with the caller's.
    """
    out: Any = None
    made = False
    for loc, value in changes:
        fresh = copy.deepcopy(value) if isinstance(value, dict | list) else value
        if not loc:
            out, made = fresh, True
            continue
        if not made:
            out, made = document(), True
        node = out
        for step in loc[:-1]:
            node = node[step]
        node[loc[-1]] = fresh
    return out
