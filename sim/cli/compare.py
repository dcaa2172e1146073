"""``wargame compare A.yaml B.yaml... | DIR...``: paired comparison of scenarios."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sim.cli.common import SeedOption, Settings, handle_errors
from sim.cli.run import ForceOption, OutOption, WorkersOption

if TYPE_CHECKING:
    from sim.experiment.comparison import Comparison
    from sim.experiment.results import Extra


def _fmt(value: Any, kind: str, unit: str, signed: bool = False, pp: bool = True) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind != "mean" or unit == "share":
        if signed:
            return f"{value * 100:+.1f}" + (" pp" if pp else "")
        return f"{value:.1%}"
    sign = "+" if signed else ""
    return f"{value:{sign},.0f}" if abs(value) >= 100 else f"{value:{sign}.3g}"


def comparison_table(rows: list[dict[str, Any]], labels: list[str], paired: bool) -> Table:
    """KPI, the reference, and each alternative: estimate, difference [95% CI], significance."""
    table = Table(
        title=f"Compared with '{labels[0]}' "
        f"({'paired, common random numbers' if paired else 'unpaired'})",
        title_justify="left",
        header_style="bold",
        caption="Alternative columns: estimate, difference from the reference [95% CI]; "
        "* the interval excludes 0; p: log-rank test. Event days: share reaching the "
        "event by the horizon.",
        caption_justify="left",
    )
    table.add_column("KPI", no_wrap=True)
    table.add_column(labels[0], justify="right", no_wrap=True)
    for label in labels[1:]:
        table.add_column(label, justify="right", no_wrap=True)
    by_kpi: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kpi.setdefault(row["kpi"], []).append(row)
    for kpi, group in by_kpi.items():
        ref = group[0]
        cells = [kpi, _fmt(ref["estimate"], ref["kind"], ref["unit"])]
        for row in group[1:]:
            kind, unit = row["kind"], row["unit"]
            mark = " *" if row["significant"] else "  "
            logrank = f" p={row['p_value']:.2g}" if row["p_value"] is not None else ""
            cells.append(
                f"{_fmt(row['estimate'], kind, unit)}  "
                f"{_fmt(row['difference'], kind, unit, True)} "
                f"[{_fmt(row['diff_ci_low'], kind, unit, True, False)}, "
                f"{_fmt(row['diff_ci_high'], kind, unit, True, False)}]{mark}{logrank}"
            )
        table.add_row(*cells)
    return table


def _draw(comparison: Comparison) -> Extra:
    """Draw the overlay plots, and each run's own, into a comparison directory being written."""

    def draw(folder: Path) -> None:
        from sim.plot.compare import draw_compare_plots
        from sim.plot.standard import draw_run_plots

        for label, result in zip(comparison.labels, comparison.results, strict=True):
            if result.source is None:
                draw_run_plots(result, folder / "runs" / label / "plots")
        draw_compare_plots(comparison, folder / "plots")

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
) -> None:
    """Compare scenarios under common random numbers: estimates, differences, overlay plots."""
    from sim.cli.progress import progress_bar
    from sim.cli.run import results_note
    from sim.errors import UsageError
    from sim.experiment.comparison import compare as compare_items
    from sim.experiment.results import load_results
    from sim.experiment.store import check_target, new_directory
    from sim.scenario import load_scenario

    stored = [p for p in items if p.is_dir()]
    if stored and len(stored) != len(items):
        raise UsageError(
            f"give scenario files or results directories, not a mix ({stored[0]} is a directory)"
        )
    if stored:
        if reps is not None:
            raise UsageError("stored runs keep their replications", "--reps")
        comparison = compare_items([load_results(p) for p in items])
    else:
        scenarios = [load_scenario(p) for p in items]
        from sim.experiment.comparison import check_comparable

        check_comparable(scenarios, [str(p) for p in items])
        if out is not None:
            check_target(out, force)
        with progress_bar("compare") as progress:
            comparison = compare_items(scenarios, reps, seed, workers, progress=progress)
    directory = out or new_directory("compare", identity=comparison.identity())
    Settings.interrupt_note = lambda: results_note(directory)
    comparison.save(directory, force=force, extra=_draw(comparison))
    console = Console()
    if not console.is_terminal:  # a file or a pipe: wide enough for one line per KPI
        console = Console(width=60 + 56 * (len(comparison.labels) - 1))
    console.print(comparison_table(comparison.rows(), comparison.labels, comparison.paired))
    if comparison.note:
        typer.echo(f"Note: {comparison.note}")
    typer.echo(f"Results: {directory}")
