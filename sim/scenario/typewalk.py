"""Find which scenario model sits at a place in the data, to name the keys allowed there.

Used for "did you mean" hints on unknown keys and to check ``--set`` paths before validation.
Discriminated unions (pledges by ``pillar``, injects by ``action``, distributions by ``dist``)
are resolved from the data itself.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

_TAGS = ("pillar", "action", "dist")


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _tag_of(model: type[BaseModel]) -> tuple[str, str] | None:
    for tag in _TAGS:
        field = model.model_fields.get(tag)
        if field is not None:
            args = get_args(field.annotation)
            if args:
                return tag, str(args[0])
    return None


def _resolve(annotation: Any, data: Any) -> Any:
    """Pick the branch of a union that fits ``data``; return the annotation otherwise."""
    annotation = _unwrap(annotation)
    if get_origin(annotation) in (Union, types.UnionType):
        models = [
            a
            for a in map(_unwrap, get_args(annotation))
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if len(models) == 1:
            return models[0]
        if isinstance(data, dict):
            for model in models:
                tag = _tag_of(model)
                if tag and data.get(tag[0]) == tag[1]:
                    return model
        others = [a for a in map(_unwrap, get_args(annotation)) if a not in models]
        if others and not isinstance(data, dict):
            return others[0]
        return models[0] if models and not isinstance(data, dict) else annotation
    return annotation


def _field(model: type[BaseModel], key: str) -> Any:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return field.annotation
    return None


def annotation_at(
    loc: tuple[str | int, ...], root: Any, model: type[BaseModel] | None = None
) -> Any:
    """The resolved annotation at a data location (list items by position).

    ``model`` is the document's root model (a Scenario unless given).
    """
    if model is None:
        from sim.scenario.schema import Scenario

        model = Scenario
    annotation: Any = model
    data = root
    for step in loc:
        annotation = _resolve(annotation, data)
        origin = get_origin(annotation)
        if origin is list:
            annotation = get_args(annotation)[0]
        elif origin is dict:
            annotation = get_args(annotation)[1]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = _field(annotation, str(step))
            if annotation is None:
                return None
        else:
            return None
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            data = None
    return _resolve(annotation, data)


def field_names_at(
    loc: tuple[str | int, ...], root: Any, model: type[BaseModel] | None = None
) -> set[str]:
    """Keys allowed in the mapping at ``loc`` of ``root`` (empty if it is not a model)."""
    data_here = root
    for step in loc:
        try:
            data_here = data_here[step]
        except (KeyError, IndexError, TypeError):
            data_here = None
    annotation = annotation_at(loc, root, model)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {field.alias or name for name, field in annotation.model_fields.items()}
    if get_origin(annotation) is dict:
        return set(data_here) if isinstance(data_here, dict) else set()
    return set()
