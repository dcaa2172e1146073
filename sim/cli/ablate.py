"""``wargame ablate FILE [--by pillar|domain|member]``: what each item buys, ranked.

Each pillar (or presence domain, or member) is switched off in turn by removing its pledges; the
reference and every variant run under common random numbers, and the items are ranked by what
they buy (reference minus ablated) in mean deterrence and in the offensive risk given a
ceasefire.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sim.cli.common import SeedOption, handle_errors
from sim.cli.run import ForceOption, OutOption, WorkersOption

if TYPE_CHECKING:
    from sim.experiment.ablation import Ablation
    from sim.experiment.results import Extra


def _signed(value: Any, kind: str, unit: str) -> str:
    """A difference as the table shows it: percentage points (2 decimals) for shares, else 3
    decimals, so that an interval that excludes 0 does not print as ending at 0.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "probability" or unit == "share":
        return f"{round(value * 100, 2) + 0.0:+.2f}"  # + 0.0: no "-0.00"
    if abs(value) >= 100:
        return f"{round(value) + 0.0:+,.0f}"
    return f"{round(value, 3) + 0.0:+.3f}"


def _level(value: Any, kind: str, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "probability" or unit == "share":
        return f"{value:.1%}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3f}"


def ablation_table(rows: list[dict[str, Any]], by: str, title: str) -> Table:
    """One line per item, ranked by deterrence bought: what it buys in each KPI [95% CI]."""
    kpis = list(dict.fromkeys(r["kpi"] for r in rows))
    reference = {r["kpi"]: r for r in rows if r["role"] == "reference"}
    cells: dict[tuple[str, str], dict[str, Any]] = {
        (r["kpi"], r["item"]): r for r in rows if r["role"] != "reference"
    }
    items = [r["item"] for r in rows if r["kpi"] == kpis[0] and r["role"] != "reference"]
    table = Table(
        title=title,
        title_justify="left",
        header_style="bold",
        caption="What each buys = reference − without it, paired over replications [95% CI]; "
        "* the interval excludes 0; (n) rank, 1 = buys the most in the better direction. "
        "Shares in percentage points.",
        caption_justify="left",
    )
    table.add_column("rank", justify="right", no_wrap=True)
    table.add_column(by, no_wrap=True)
    table.add_column("pledges", justify="right", no_wrap=True)
    for kpi in kpis:
        ref = reference[kpi]
        table.add_column(
            f"{kpi}\n(reference {_level(ref['estimate'], ref['kind'], ref['unit'])})",
            justify="right",
            no_wrap=True,
        )
    for item in items:
        first = cells[(kpis[0], item)]
        line = [str(first["rank"] or "—"), str(item), str(first["pledges_removed"])]
        for kpi in kpis:
            row = cells[(kpi, item)]
            kind, unit = row["kind"], row["unit"]
            mark = " *" if row["significant"] else "  "
            rank = f" ({row['rank']})" if row["rank"] is not None and kpi != kpis[0] else ""
            line.append(
                f"{_signed(row['buys'], kind, unit)} "
                f"[{_signed(row['buys_ci_low'], kind, unit)}, "
                f"{_signed(row['buys_ci_high'], kind, unit)}]{mark}{rank}"
            )
        table.add_row(*line)
    return table


def _draw(ablation: Ablation) -> Extra:
    """Draw the bar charts, and the reference run's own plots, into the directory."""

    def draw(folder: Path) -> None:
        from sim.plot.ablate import draw_ablation_plots
        from sim.plot.standard import draw_run_plots

        draw_run_plots(ablation.reference, folder / "runs" / "reference" / "plots")
        draw_ablation_plots(ablation, folder / "plots")

    return draw


@handle_errors
def ablate(
    file: Annotated[Path, typer.Argument(help="Scenario file.", show_default=False)],
    by: Annotated[
        str,
        typer.Option("--by", help="What to switch off in turn: pillar, domain or member."),
    ] = "pillar",
    reps: Annotated[
        int | None, typer.Option("--reps", min=1, help="Replications each [default: 500].")
    ] = None,
    seed: SeedOption = 1,
    workers: WorkersOption = None,
    out: OutOption = None,
    force: ForceOption = False,
) -> None:
    """Switch off each pillar, domain or member in turn: what each buys, ranked."""
    from sim.cli.progress import progress_bar
    from sim.experiment.ablation import ablate as run_ablation
    from sim.experiment.store import check_target, new_directory
    from sim.scenario import load_scenario
    from sim.scenario.ablation import check_grouping

    check_grouping(by)
    scenario = load_scenario(file)
    if out is not None:
        check_target(out, force)
    with progress_bar(f"ablate by {by}") as progress:
        ablation = run_ablation(scenario, by, reps, seed, workers, progress=progress)
    directory = out or new_directory("ablate", identity=ablation.identity())
    ablation.save(directory, force=force, extra=_draw(ablation))
    ref = ablation.reference
    title = (
        f"What each {by} buys in '{scenario.name}' (paired, common random numbers; "
        f"{ref.n:,} replications each, seed {ref.seed})"
    )
    console = Console()
    if not console.is_terminal:  # a file or a pipe: wide enough for one line per item
        console = Console(width=220)
    console.print(ablation_table(ablation.rows(), by, title))
    typer.echo(f"Results: {directory}")
