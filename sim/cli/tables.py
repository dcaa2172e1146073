"""KPI tables for the terminal that never cut a number short.

A wide table (one line per KPI, with its unit and description) when the terminal has room for
it, else a vertical layout (a short block per KPI) that fits 80 columns. The width is the
``COLUMNS`` variable when set, the terminal's otherwise, and 120 when piped. Event-day KPIs
that repeat a share (``us_enablers_day`` beside ``us_enablers``) are folded into the share's
row as the Kaplan–Meier days of the event.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from sim.analysis import formatting as fmt
from sim.engine import catalogue

PIPED_WIDTH = 120
NOTE_FOLDED = (
    "Event days (the *_day KPIs) are folded into the share's row: p10/p50/p90 are then the "
    "Kaplan–Meier days by which 10/50/90% of replications reached the event (— where fewer "
    "did); their restricted means are in summary.csv."
)
NOTE_ESTIMATORS = (
    "Probabilities: share of replications, Wilson 95% CI. Means: Student-t 95% CI. "
    "Rates: ratio estimator."
)


def terminal_width() -> int:
    """``COLUMNS`` when set (also in tests), else the terminal's width, else 120 when piped."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    console = Console()
    return console.width if console.is_terminal else PIPED_WIDTH


def console(width: int | None = None) -> Console:
    """A console of the given width (the terminal's by default)."""
    return Console(width=width or terminal_width())


def natural_width(table: Table) -> int:
    """The width a table needs to print every cell whole."""
    wide = Console(width=10_000)
    return Measurement.get(wide, wide.options, table).maximum


def _spread(row: dict[str, Any], day: dict[str, Any] | None, sep: str = " / ") -> str:
    """p10/p50/p90: of the event's day for a folded share, of the values for a mean; "" where
    there are none (probabilities, rates, quantiles never reached).
    """
    source, kind, unit = (
        (day, "event_day", "day") if day is not None else (row, row["kind"], row["unit"])
    )
    if day is None and row["kind"] in ("probability", "rate"):
        return ""
    cells = [fmt.number(source[q], kind, unit) for q in ("p10", "p50", "p90")]
    if all(c == fmt.DASH for c in cells):
        return ""
    return ("day " if day is not None else "") + sep.join(cells)


def run_rows(rows: list[dict[str, Any]]) -> Iterable[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Summary rows to show, each with its folded event-day row (or None)."""
    by_name = {row["kpi"]: row for row in rows}
    folded = fmt.folded()
    hidden = set(folded.values())
    for row in rows:
        if row["kpi"] in hidden:
            continue
        twin = folded.get(row["kpi"])
        yield row, by_name.get(twin) if twin else None


DESCRIPTION_WIDTH = 24
"""The least room the description column wraps into."""


def kpi_table(rows: list[dict[str, Any]], title: str, describe: bool = True) -> Table:
    """The wide layout: estimate, 95% interval, p10/p50/p90, n, unit and (``describe``) the
    description, which wraps.
    """
    table = Table(
        title=title,
        title_justify="left",
        header_style="bold",
        caption=f"{NOTE_ESTIMATORS} {NOTE_FOLDED}",
        caption_justify="left",
    )
    table.add_column("KPI", no_wrap=True)
    for header in ("estimate", "95% CI", "p10 / p50 / p90", "n"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    if describe:
        table.add_column("description", min_width=DESCRIPTION_WIDTH)
    for row, day in run_rows(rows):
        kind, unit = row["kind"], row["unit"]
        kpi = catalogue.get(row["kpi"])
        cells = [
            row["kpi"],
            fmt.number(row["mean"], kind, unit),
            fmt.interval(row["ci_low"], row["ci_high"], kind, unit),
            _spread(row, day),
            f"{row['n']:,}",
            fmt.unit_label(kpi),
        ]
        table.add_row(*cells, *([kpi.description] if describe else []))
    return table


def vertical_lines(rows: list[dict[str, Any]], title: str, width: int) -> list[str]:
    """The narrow layout: per KPI its estimate and interval, then what it measures."""
    lines = [title, ""]
    for row, day in run_rows(rows):
        kind, unit = row["kind"], row["unit"]
        kpi = catalogue.get(row["kpi"])
        head = (
            f"{row['kpi']}  {fmt.number(row['mean'], kind, unit)}  "
            f"(95% CI {fmt.interval(row['ci_low'], row['ci_high'], kind, unit)}; n {row['n']:,})"
        )
        spread = _spread(row, day, sep="/")
        detail = f"{kpi.description}; {fmt.unit_label(kpi)}"
        if spread:
            detail += f"; p10/p50/p90 {spread}"
        lines += textwrap.wrap(head, width, subsequent_indent="    ", break_on_hyphens=False)
        lines += textwrap.wrap(
            detail, width, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
        )
    lines.append("")
    lines += textwrap.wrap(f"{NOTE_ESTIMATORS} {NOTE_FOLDED}", width)
    return lines


def print_kpis(rows: list[dict[str, Any]], title: str) -> None:
    """The run's KPI table: wide when it fits the terminal, vertical otherwise."""
    width = terminal_width()
    out = console(width)
    if natural_width(kpi_table(rows, title, describe=False)) + DESCRIPTION_WIDTH + 3 <= width:
        out.print(kpi_table(rows, title))
        return
    for line in vertical_lines(rows, title, width):
        out.print(line, markup=False, highlight=False, soft_wrap=True)


def print_table(table: Table) -> None:
    """Print a rich table on stdout at the terminal's width (120 when piped)."""
    console().print(table)
