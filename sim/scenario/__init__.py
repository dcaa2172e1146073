"""The scenario format: models, conditions, and the loader with line-marked errors."""

from sim.scenario.jsonschema import scenario_json_schema
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

__all__ = ["Scenario", "load_scenario", "scenario_json_schema"]
