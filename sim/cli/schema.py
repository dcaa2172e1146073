"""``wargame schema``: the JSON Schema of the scenario format."""

from __future__ import annotations

import json

import typer

from sim.cli.common import handle_errors


@handle_errors
def schema() -> None:
    """Print the JSON Schema of scenario files, for editors and check-jsonschema."""
    from sim.scenario import scenario_json_schema

    typer.echo(json.dumps(scenario_json_schema(), indent=2, sort_keys=True))
