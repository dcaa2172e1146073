"""``wargame schema [--sweep]``: the JSON Schema of scenarios (or of sweep specs)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sim.cli.common import handle_errors


@handle_errors
def schema(
    sweep: Annotated[
        bool, typer.Option("--sweep", help="The schema of sweep specs instead of scenarios.")
    ] = False,
) -> None:
    """Print the JSON Schema of scenario files (or sweep specs), for editors and
    check-jsonschema.
    """
    if sweep:
        from sim.experiment.spec import sweep_json_schema

        document = sweep_json_schema()
    else:
        from sim.scenario import scenario_json_schema

        document = scenario_json_schema()
    typer.echo(json.dumps(document, indent=2, sort_keys=True))
