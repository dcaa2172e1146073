"""The JSON Schema of scenario files, for editors and external validators.

Two variants of every definition: the full one, and a partial one for files that ``extends:``
a base (every key optional, unions matched loosely, ``remove: true`` allowed on items with an
id), chosen by whether the file has an ``extends`` key. Distributions also accept a bare
number, as the loader does.
"""

from __future__ import annotations

from typing import Any

from sim.scenario.schema import Scenario

_PARTIAL = "Partial"


def _widen_distributions(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _widen_distributions(v) for k, v in node.items()}
        disc = node.get("discriminator")
        if isinstance(disc, dict) and disc.get("propertyName") == "dist":
            return {"anyOf": [{"type": "number", "minimum": 0}, node]}
        return node
    if isinstance(node, list):
        return [_widen_distributions(v) for v in node]
    return node


def _partial(node: Any) -> Any:
    if isinstance(node, list):
        return [_partial(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("required", "discriminator"):
            continue
        if key == "oneOf":
            out["anyOf"] = _partial(value)
        elif key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
            out[key] = "#/$defs/" + _PARTIAL + value.removeprefix("#/$defs/")
        else:
            out[key] = _partial(value)
    properties = out.get("properties")
    if isinstance(properties, dict) and "id" in properties:
        out["properties"] = {
            **properties,
            "remove": {"const": True, "description": "Drop the base item with this id."},
        }
    return out


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of scenario files, full or extending a base."""
    top = Scenario.model_json_schema(by_alias=True)
    definitions: dict[str, Any] = top.pop("$defs")
    definitions["Scenario"] = top
    definitions = _widen_distributions(definitions)
    partial = {_PARTIAL + name: _partial(schema) for name, schema in definitions.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "coalition-wargame scenario",
        "description": "A scenario file; with `extends:`, only what differs from the base.",
        "$defs": {**definitions, **partial},
        "if": {"required": ["extends"], "properties": {"extends": {"type": "string"}}},
        "then": {"$ref": f"#/$defs/{_PARTIAL}Scenario"},
        "else": {"$ref": "#/$defs/Scenario"},
    }
