"""``wargame plot DIR``: redraw the plots of a stored results directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.common import handle_errors
from sim.cli.run import SvgOption


@handle_errors
def plot(
    directory: Annotated[Path, typer.Argument(help="A results directory.", show_default=False)],
    svg: SvgOption = False,
) -> None:
    """Redraw the standard plots of a results directory from its stored files."""
    from sim.experiment.results import load_results
    from sim.plot.standard import draw_run_plots

    result = load_results(directory)
    written = draw_run_plots(result, directory / "plots", svg=svg)
    typer.echo(f"{len(written)} files written to {directory / 'plots'}")
