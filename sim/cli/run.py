"""``wargame run FILE``: a Monte Carlo experiment written to a results directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.cli.common import SeedOption, SetOption, Settings, handle_errors
from sim.cli.formats import Format, FormatOption, emit_run, trailer
from sim.cli.report import ReportOption

if TYPE_CHECKING:
    from sim.experiment.results import Extra, RunResult

WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Local worker processes [default: all cores]."),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Results directory [default: results/<name>/<UTC time>-<hash>]."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing --out directory.")]
NameOption = Annotated[
    str | None,
    typer.Option(
        "--name",
        help="Directory name under results/<scenario>/ instead of <UTC time>-<hash>.",
    ),
]
SvgOption = Annotated[
    bool, typer.Option("--svg", help="Also save each plot as SVG (vector, for print) beside PNG.")
]


def _draw(result: RunResult, svg: bool) -> Extra:
    """Draw the standard plots into a results directory being written."""

    def draw(folder: Path) -> None:
        from sim.cli.progress import activity
        from sim.plot.standard import draw_run_plots

        with activity("drawing the plots"):
            draw_run_plots(result, folder / "plots", svg=svg)

    return draw


@handle_errors
def run(
    file: Annotated[Path, typer.Argument(help="Scenario file.", show_default=False)],
    reps: Annotated[
        int | None, typer.Option("--reps", min=1, help="Replications [default: 500].")
    ] = None,
    precision: Annotated[
        float | None,
        typer.Option(
            "--precision",
            help="Add replications until the KPI's relative 95% "
            "half-width is at most this (e.g. 0.1).",
        ),
    ] = None,
    kpi: Annotated[str, typer.Option("--kpi", help="KPI that --precision targets.")] = "offensive",
    max_reps: Annotated[
        int, typer.Option("--max-reps", min=1, help="Cap for --precision.")
    ] = 20_000,
    seed: SeedOption = 1,
    out: OutOption = None,
    set_: SetOption = None,
    workers: WorkersOption = None,
    force: ForceOption = False,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Draw the plots.")] = True,
    svg: SvgOption = False,
    name: NameOption = None,
    report: ReportOption = False,
    form: FormatOption = Format.table,
) -> None:
    """Run a scenario many times; write the results directory and print the KPI table."""
    from sim.cli.progress import progress_bar
    from sim.experiment import store
    from sim.experiment.api import stamp_question
    from sim.experiment.runner import DEFAULT_REPS, Precision
    from sim.experiment.runner import run as run_experiment
    from sim.scenario import document, load_scenario
    from sim.scenario.comment import opening_comment

    if reps is not None and precision is not None:
        from sim.errors import UsageError

        raise UsageError("give --reps or --precision, not both", "--reps")
    if name is not None and out is not None:
        from sim.errors import UsageError

        raise UsageError("give --out or --name, not both", "--name")
    scenario = load_scenario(file, set_ or ())
    target = Precision(precision, kpi, max_reps) if precision is not None else None
    identity = f"{document.scenario_sha256(scenario)} seed={seed} reps={reps} precision={precision}"
    directory = out or store.new_directory(scenario.name, identity=identity, name=name)
    store.check_target(directory, force)
    Settings.interrupt_note = lambda: results_note(directory)
    planned = reps or (None if precision is not None else DEFAULT_REPS)
    with progress_bar(f"{scenario.name}", planned) as progress:
        result = run_experiment(scenario, reps, seed, workers, precision=target, progress=progress)
    stamp_question(result, opening_comment(file))
    result.save(directory, force=force, extra=_draw(result, svg) if plots else None)
    if out is None:
        store.update_latest(directory)
    emit_run(result.summary_rows, f"{scenario.name}: {result.n:,} replications, seed {seed}", form)
    reached = result.manifest.get("precision")
    if reached:
        verdict = "reached" if reached["met"] else "NOT reached (cap hit)"
        trailer(
            f"Precision on {reached['kpi']}: relative half-width "
            f"{reached['reached_relative_half_width']:.3f} (target "
            f"{reached['target_relative_half_width']:g}) {verdict} after "
            f"{result.n:,} replications",
            form,
        )
    trailer(f"Results: {directory}", form)
    if report:
        from sim.cli.report import write

        trailer(f"Report: {write(directory)}", form)


def results_note(directory: Path) -> str:
    """What Ctrl-C leaves: nothing, or (after the final rename) the complete results."""
    from sim.experiment import store

    if store.completed_here(directory):
        return f"the results were already complete: {directory}"
    return "nothing was written"
