"""``wargame story FILE [--seed S] [--rep K] [--set ...]``: one replication as a narrative."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.common import RepOption, SeedOption, SetOption, handle_errors


@handle_errors
def story(
    file: Annotated[Path, typer.Argument(help="Scenario file.", show_default=False)],
    seed: SeedOption = 1,
    rep: RepOption = 0,
    set_: SetOption = None,
    full: Annotated[
        bool, typer.Option("--full", help="Every event, routine deliveries included; no summary.")
    ] = False,
) -> None:
    """Tell one replication as a dated after-action report, ending with its outcome."""
    from sim.analysis.story import render_story
    from sim.engine import simulate
    from sim.scenario import load_scenario

    scenario = load_scenario(file, set_ or ())
    typer.echo(render_story(simulate(scenario, seed, rep), full=full, scenario=scenario))
