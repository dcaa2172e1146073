"""``wargame compare A.yaml B.yaml... | DIR...``: paired comparison of scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from sim.cli.common import SeedOption, Settings, handle_errors
from sim.cli.formats import Format, FormatOption, emit_comparison, trailer
from sim.cli.report import ReportOption
from sim.cli.run import ForceOption, NameOption, OutOption, SvgOption, WorkersOption

if TYPE_CHECKING:
    from sim.experiment.comparison import Comparison
    from sim.experiment.results import Extra


def comparison_table(rows: list[dict[str, Any]], labels: list[str], paired: bool) -> Table:
    """KPI, the reference, and each alternative (see :mod:`sim.cli.compare_table`)."""
    from sim.cli.compare_table import comparison_table as table

    return table(rows, labels, paired)


def _draw(comparison: Comparison, svg: bool) -> Extra:
    """Draw the overlay plots, and each run's own, into a comparison directory being written."""

    def draw(folder: Path) -> None:
        from sim.cli.progress import activity
        from sim.plot.compare import draw_compare_plots

        with activity("drawing the plots"):
            draw_compare_plots(comparison, folder, svg=svg)

    return draw


@handle_errors
def compare(
    items: Annotated[
        list[Path],
        typer.Argument(
            help="2–8 scenario files, or 2–8 results directories; the first is the reference.",
            show_default=False,
        ),
    ],
    reps: Annotated[
        int | None, typer.Option("--reps", min=1, help="Replications each [default: 500].")
    ] = None,
    seed: SeedOption = 1,
    out: OutOption = None,
    workers: WorkersOption = None,
    force: ForceOption = False,
    name: NameOption = None,
    report: ReportOption = False,
    form: FormatOption = Format.table,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Draw the plots.")] = True,
    svg: SvgOption = False,
) -> None:
    """Compare scenarios under common random numbers: estimates, differences, overlay plots."""
    from sim.cli.progress import progress_bar
    from sim.cli.run import results_note
    from sim.errors import UsageError
    from sim.experiment.api import stamp_question
    from sim.experiment.comparison import compare as compare_items
    from sim.experiment.results import load_results
    from sim.experiment.runner import DEFAULT_REPS
    from sim.experiment.store import check_target, new_directory, resolve_latest, update_latest
    from sim.scenario import load_scenario
    from sim.scenario.comment import opening_comment

    if name is not None and out is not None:
        raise UsageError("give --out or --name, not both", "--name")

    stored = [p for p in items if p.is_dir()]
    if stored and len(stored) != len(items):
        raise UsageError(
            f"give scenario files or results directories, not a mix ({stored[0]} is a directory)"
        )
    if stored:
        if reps is not None:
            raise UsageError("stored runs keep their replications", "--reps")
        comparison = compare_items([load_results(resolve_latest(p)) for p in items])
    else:
        scenarios = [load_scenario(p) for p in items]
        from sim.experiment.comparison import check_comparable

        check_comparable(scenarios, [str(p) for p in items])
        if out is not None:
            check_target(out, force)
        total = (reps or DEFAULT_REPS) * len(scenarios)
        with progress_bar("compare", total) as progress:
            comparison = compare_items(scenarios, reps, seed, workers, progress=progress)
        for result, path in zip(comparison.results, items, strict=True):
            stamp_question(result, opening_comment(path))
    directory = out or new_directory("compare", identity=comparison.identity(), name=name)
    Settings.interrupt_note = lambda: results_note(directory)
    comparison.save(directory, force=force, extra=_draw(comparison, svg) if plots else None)
    if out is None:
        update_latest(directory)
    emit_comparison(comparison.rows(), comparison.labels, comparison.paired, form)
    if comparison.note:
        trailer(f"Note: {comparison.note}", form)
    trailer(f"Results: {directory}", form)
    if report:
        from sim.cli.report import write

        trailer(f"Report: {write(directory)}", form)
