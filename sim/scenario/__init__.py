"""The scenario format: models, conditions, and the loader with line-marked errors.

Its names are imported on first use, so that a light module of the package does not bring
pydantic's models of the whole format along.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.scenario.jsonschema import scenario_json_schema as scenario_json_schema
    from sim.scenario.loader import load_scenario as load_scenario
    from sim.scenario.schema import Scenario as Scenario

__all__ = ["Scenario", "load_scenario", "scenario_json_schema"]

_LAZY = {
    "Scenario": "sim.scenario.schema",
    "load_scenario": "sim.scenario.loader",
    "scenario_json_schema": "sim.scenario.jsonschema",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim.scenario' has no attribute {name!r}")
