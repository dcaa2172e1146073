"""The comparison table for the terminal: whole numbers, one test per cell.

Each alternative's cell reads ``estimate  difference [95% CI] * p``: the star and the p-value
come from the same test as the interval (paired t under common random numbers; Welch t for
independent runs; Newcombe's interval, which has no p-value, for independent shares), so they
never disagree. The log-rank p-values of whole survival curves answer another question and are
left to ``compare.csv`` (column ``p_value``). Event-day rows that repeat a share are left out
(their difference *is* that share's); a wide table when the terminal has room, else a vertical
layout per KPI that fits 80 columns.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

from rich.table import Table

from sim.analysis import formatting as fmt
from sim.cli.tables import console, natural_width, terminal_width
from sim.engine import catalogue


def _caption(paired: bool) -> str:
    test = "paired t test on common random numbers" if paired else "Welch t test"
    extra = "" if paired else " (shares of independent runs: Newcombe's interval, no p)"
    return (
        "Each alternative: estimate, difference from the reference [95% CI]; * the interval "
        f"excludes 0 and p < 0.05, both from the same {test}{extra}. Event days are compared "
        "as the share reaching the event by the horizon (their *_day rows repeat the share "
        "rows and are left out; log-rank p-values of whole curves are in compare.csv)."
    )


def grouped(rows: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Rows by KPI, in catalogue order, without the event days folded into a share."""
    hidden = set(fmt.folded().values())
    by_kpi: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kpi.setdefault(row["kpi"], []).append(row)
    for kpi, group in by_kpi.items():
        if kpi not in hidden:
            yield kpi, group


def difference_cell(row: dict[str, Any]) -> str:
    """``+4.4 pts [+2.6, +6.2] * p<0.001`` for an alternative's row."""
    return fmt.difference_text(row)


def _estimate(row: dict[str, Any]) -> str:
    return fmt.estimate_text(row)


def comparison_table(rows: list[dict[str, Any]], labels: list[str], paired: bool) -> Table:
    """The wide layout: KPI, the reference, and each alternative's estimate and difference."""
    table = Table(
        title=f"Compared with '{labels[0]}' "
        f"({'paired, common random numbers' if paired else 'unpaired'})",
        title_justify="left",
        header_style="bold",
        caption=_caption(paired),
        caption_justify="left",
    )
    table.add_column("KPI", no_wrap=True)
    table.add_column(labels[0], justify="right", no_wrap=True)
    for label in labels[1:]:
        table.add_column(label, justify="right", no_wrap=True)
    for kpi, group in grouped(rows):
        cells = [kpi, _estimate(group[0])]
        cells += [f"{_estimate(row)}  {difference_cell(row)}" for row in group[1:]]
        table.add_row(*cells)
    return table


def vertical_lines(
    rows: list[dict[str, Any]], labels: list[str], paired: bool, width: int
) -> list[str]:
    """The narrow layout: per KPI, what it measures, then one line per scenario."""
    pad = max(len(label) for label in labels)
    lines = [
        f"Compared with '{labels[0]}' "
        f"({'paired, common random numbers' if paired else 'unpaired'})",
        "",
    ]
    for kpi, group in grouped(rows):
        about = catalogue.get(kpi)
        unit = fmt.unit_label(about)
        if about.kind == "event_day":
            unit = "% reaching it by the horizon"
        lines += textwrap.wrap(
            f"{kpi} — {about.description} ({unit})",
            width,
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
        lines.append(f"  {group[0]['scenario']:<{pad}}  {_estimate(group[0]):>9}")
        for row in group[1:]:
            text = f"  {row['scenario']:<{pad}}  {_estimate(row):>9}  {difference_cell(row)}"
            lines += textwrap.wrap(
                text, width, subsequent_indent=" " * (pad + 15), break_on_hyphens=False
            )
    lines.append("")
    lines += textwrap.wrap(_caption(paired), width)
    return lines


def print_comparison(rows: list[dict[str, Any]], labels: list[str], paired: bool) -> None:
    """The comparison table: wide when it fits the terminal, vertical otherwise."""
    width = terminal_width()
    out = console(width)
    table = comparison_table(rows, labels, paired)
    if natural_width(table) <= width:
        out.print(table)
        return
    for line in vertical_lines(rows, labels, paired, width):
        out.print(line, markup=False, highlight=False, soft_wrap=True)
