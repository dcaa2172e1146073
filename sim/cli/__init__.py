"""The ``wargame`` command line: one module per command, no simulation logic here."""

from __future__ import annotations

from typing import Annotated

import typer

from sim.cli.ablate import ablate
from sim.cli.common import Settings
from sim.cli.compare import compare
from sim.cli.plot import plot
from sim.cli.run import run
from sim.cli.schema import schema
from sim.cli.story import story
from sim.cli.sweep import sweep
from sim.cli.validate import validate

app = typer.Typer(
    name="wargame",
    help="What-if simulator of post-war security guarantees for Ukraine. "
    "Outputs are what-ifs under stated assumptions, not forecasts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    Settings.debug = debug


app.command()(validate)
app.command()(run)
app.command()(schema)
app.command()(story)
app.command()(compare)
app.command()(ablate)
app.command()(sweep)
app.command()(plot)


def main() -> None:
    """Console-script entry point."""
    app()
