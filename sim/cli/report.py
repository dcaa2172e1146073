"""``wargame report DIR... [-o FILE.html]``: a briefing report of results directories."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.common import handle_errors

ReportOption = Annotated[
    bool,
    typer.Option(
        "--report", help="Also write report.html (one self-contained file) into the results."
    ),
]


@handle_errors
def report(
    directories: Annotated[
        list[Path],
        typer.Argument(
            help="Run, compare, sweep or ablation directories (results/<scenario>/latest…).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The HTML file [default: DIR/report.html]."),
    ] = None,
) -> None:
    """Write one self-contained HTML report per directory: findings, KPIs, plots, sources."""
    from sim.errors import UsageError

    if output is not None and len(directories) > 1:
        raise UsageError("give -o with one directory (each directory gets its own report)", "-o")
    for directory in directories:
        written = write(directory, output)
        typer.echo(f"Report: {written}")


def write(directory: Path, output: Path | None = None) -> Path:
    """Write a directory's report, with a status line on a terminal while it is drawn."""
    from sim.cli.progress import activity
    from sim.experiment.store import resolve_latest
    from sim.report import write_report

    with activity(f"writing the report of {directory}"):
        return write_report(resolve_latest(directory), output)
