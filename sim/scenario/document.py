"""A resolved scenario as plain data: its JSON document, digest, YAML and provenance notes.

The document is what results store (``scenario.yaml``), what the digest in a manifest covers,
and what input diffs compare, so a stored run can be reloaded and compared exactly.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml

from sim.scenario.paths import flatten, item_label
from sim.scenario.schema import Scenario


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """The resolved scenario as plain JSON-compatible data (aliases, dates as ISO strings)."""
    document: dict[str, Any] = scenario.model_dump(mode="json", by_alias=True)
    return document


def scenario_sha256(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario's canonical JSON."""
    text = json.dumps(scenario_document(scenario), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML that loads back to the same scenario."""
    header = (
        f"# Resolved scenario '{scenario.name}' (extends: and --set applied).\n"
        "# Load it with: wargame validate scenario.yaml\n"
    )
    body = yaml.safe_dump(
        scenario_document(scenario), sort_keys=False, allow_unicode=True, width=100
    )
    return header + body


def provenance(scenario: Scenario) -> list[dict[str, str]]:
    """Every ``source:``/``assumption:`` note of the scenario, with its dotted path."""
    notes: list[dict[str, str]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            note = {k: node[k] for k in ("source", "assumption") if node.get(k)}
            if note:
                notes.append({"path": path or "(scenario)", **note})
            for key, value in node.items():
                if key not in ("source", "assumption"):
                    walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}.{item_label(item, i)}")

    walk(scenario_document(scenario), "")
    return notes


def inputs_diff(scenarios: list[Scenario]) -> list[tuple[str, list[Any]]]:
    """Every dotted path whose resolved value differs between the scenarios, in order.

    A path absent from a scenario shows as ``None`` there.
    """
    flat = [flatten(scenario_document(s)) for s in scenarios]
    paths = list(dict.fromkeys(path for mapping in flat for path in mapping))
    missing = object()
    rows = []
    for path in paths:
        values = [mapping.get(path, missing) for mapping in flat]
        if any(v != values[0] for v in values[1:]):
            rows.append((path, [None if v is missing else v for v in values]))
    return rows
