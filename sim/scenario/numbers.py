"""Numbers in input files: never booleans, always finite, of a size the engine can hold.

YAML 1.1 reads ``yes``/``no``/``on``/``off``/``true``/``false`` as booleans and pydantic would
take ``True`` for 1; a 400-digit integer has no float; ``.inf`` and ``.nan`` poison arithmetic.
:class:`sim.scenario.base.Item` applies these checks to every field of every model that takes a
number and not a boolean (found from its annotation), so each rule is written once: whatever
``validate`` accepts, ``run`` can compute with.
"""

from __future__ import annotations

import math
import types
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

MAX_MAGNITUDE = 1e15
"""Largest number (in size) a field takes unless it states both of its own bounds: far above any
troop count, amount or rate the model means, far below where float arithmetic overflows."""

Plan = tuple[str, bool] | None
"""How a field is checked: ("scalar" | "items", capped), or None for a field that is not a
number."""
_plans: dict[tuple[type, str], Plan] = {}


def _parts(annotation: Any) -> tuple[set[Any], list[Any], bool, bool]:
    """Leaf types, container element annotations, and whether lower/upper bounds are stated."""
    leaves: set[Any] = set()
    elements: list[Any] = []
    lower = upper = False
    stack = [annotation]
    while stack:
        item = stack.pop()
        origin = get_origin(item)
        if origin is Annotated:
            base, *metadata = get_args(item)
            for meta in metadata:
                constraints = meta.metadata if isinstance(meta, FieldInfo) else [meta]
                for constraint in constraints:
                    lower |= isinstance(constraint, annotated_types.Ge | annotated_types.Gt)
                    upper |= isinstance(constraint, annotated_types.Le | annotated_types.Lt)
            stack.append(base)
        elif origin in (Union, types.UnionType):
            stack.extend(get_args(item))
        elif origin in (list, tuple):
            elements.extend(a for a in get_args(item) if a is not Ellipsis)
        else:
            leaves.add(item)
    return leaves, elements, lower, upper


def _numeric(leaves: set[Any]) -> bool:
    return bool(leaves & {int, float}) and bool not in leaves and Any not in leaves


def plan(model: type, name: str) -> Plan:
    """How field ``name`` of ``model`` is checked (cached per model and field)."""
    key = (model, name)
    if key not in _plans:
        field: FieldInfo | None = getattr(model, "model_fields", {}).get(name)
        found: Plan = None
        if field is not None:
            leaves, elements, lower, upper = _parts(field.annotation)
            for constraint in field.metadata:
                lower |= isinstance(constraint, annotated_types.Ge | annotated_types.Gt)
                upper |= isinstance(constraint, annotated_types.Le | annotated_types.Lt)
            if _numeric(leaves):
                found = ("scalar", not (lower and upper))
            elif elements and all(_numeric(_parts(e)[0]) for e in elements):
                inner_lower, inner_upper = (
                    any(_parts(e)[2] for e in elements),
                    any(_parts(e)[3] for e in elements),
                )
                found = ("items", not (inner_lower and inner_upper))
        _plans[key] = found
    return _plans[key]


BOOLEAN = "expected a number, got a boolean (YAML reads yes/no, on/off and true/false as booleans)"


_numeric_keys: dict[type, dict[str, tuple[str, bool]]] = {}


def _checked_keys(model: type) -> dict[str, tuple[str, bool]]:
    """The keys a file may use (aliases and names) for the model's number fields, with their
    plans (cached per model).
    """
    found = _numeric_keys.get(model)
    if found is None:
        fields: dict[str, FieldInfo] = getattr(model, "model_fields", {})
        found = {}
        for name, field in fields.items():
            how = plan(model, name)
            if how is not None:
                found[name] = how
                if field.alias:
                    found[field.alias] = how
        _numeric_keys[model] = found
    return found


def check_numbers(model: type, data: Any) -> Any:
    """Before validation of ``model``: every number field's value is a finite number of a size
    the engine can hold, not a boolean (which pydantic would take for 1 or 0).

    Text that reads as a number (YAML takes ``1e400`` for text) is checked as that number.

    Raises:
        ValidationError: located at each such field (pydantic prefixes the outer location).
    """
    if not isinstance(data, dict):
        return data
    errors: list[InitErrorDetails] = []
    for key, (kind, capped) in _checked_keys(model).items():
        if key not in data:
            continue
        value = data[key]
        listed = kind == "items" and isinstance(value, list | tuple)
        for index, item in enumerate(value if listed else [value]):
            message = _problem(item, capped)
            if message is not None:
                errors.append(
                    InitErrorDetails(
                        type=PydanticCustomError("number", message),
                        loc=(key, index) if listed else (key,),
                        input=item,
                    )
                )
    if errors:
        raise ValidationError.from_exception_data(model.__name__, errors)
    return data


def _problem(value: Any, capped: bool) -> str | None:
    if isinstance(value, bool):
        return BOOLEAN
    number: float | int
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None  # not a number at all: pydantic says so
    else:
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return "expected a finite number"
    if capped and abs(number) > MAX_MAGNITUDE:
        return _too_large(number)
    return None


def _too_large(number: float) -> str:
    shown = f"{number:.3g}" if isinstance(number, float) else _digits(number)
    return f"number too large: {shown} (at most {MAX_MAGNITUDE:g} in size)"


def _digits(number: int) -> str:
    if abs(number) < 10**20:
        return str(number)
    try:
        return f"an integer of {len(str(abs(number)))} digits"
    except ValueError:  # beyond Python's limit on converting integers to text
        return f"an integer of about {int(number.bit_length() * math.log10(2)) + 1} digits"
