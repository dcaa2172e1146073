"""``--format table|markdown|csv|json``: the KPI table for a terminal, a document or a program.

``table`` is for people (:mod:`sim.cli.tables`); ``markdown`` pastes into a briefing note with
units and descriptions; ``csv`` and ``json`` carry every column of ``summary.csv`` or
``compare.csv``, numbers unrounded, for programs. With the last three, stdout holds the table
alone and the ``Results:`` line goes to stderr.
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from sim.analysis import formatting as fmt
from sim.engine import catalogue


class Format(StrEnum):
    """The ``--format`` choices for the KPI table."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        case_sensitive=False,
        help="How to print the KPI table: table (terminal), markdown, csv or json.",
    ),
]


def _csv(columns: list[str] | tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    from sim.analysis.summary import json_ready

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in json_ready(rows):
        writer.writerow("" if row.get(c) is None else row.get(c) for c in columns)
    return buffer.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def run_markdown(rows: list[dict[str, Any]], title: str) -> str:
    """A Markdown table of a run's KPIs, with units and descriptions."""
    from sim.cli.tables import run_rows

    lines = [
        f"**{title}**",
        "",
        "| KPI | estimate | 95% CI | p10 / p50 / p90 | n | unit | description |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for row, day in run_rows(rows):
        kpi = catalogue.get(row["kpi"])
        kind, unit = row["kind"], row["unit"]
        spread = fmt.spread(row, day)
        cells = [
            f"`{row['kpi']}`",
            fmt.number(row["mean"], kind, unit),
            fmt.interval(row["ci_low"], row["ci_high"], kind, unit),
            spread,
            f"{row['n']:,}",
            fmt.unit_label(kpi),
            kpi.description,
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def compare_markdown(rows: list[dict[str, Any]], labels: list[str], paired: bool) -> str:
    """A Markdown table of a comparison: per KPI the reference and each alternative."""
    from sim.cli.compare_table import _caption, _estimate, difference_cell, grouped

    header = ["KPI", labels[0], *labels[1:], "description"]
    lines = [
        f"**Compared with '{labels[0]}'** ({'paired' if paired else 'unpaired'})",
        "",
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|---|" + "---:|" * len(labels) + "---|",
    ]
    for kpi, group in grouped(rows):
        cells = [f"`{kpi}`", _estimate(group[0])]
        cells += [f"{_estimate(r)} {difference_cell(r)}" for r in group[1:]]
        cells.append(catalogue.get(kpi).description)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", _caption(paired)]
    return "\n".join(lines) + "\n"


def emit_run(rows: list[dict[str, Any]], title: str, form: Format) -> None:
    """Print a run's KPIs in the chosen format on stdout."""
    if form is Format.table:
        from sim.cli.tables import print_kpis

        print_kpis(rows, title)
    elif form is Format.markdown:
        typer.echo(run_markdown(rows, title), nl=False)
    elif form is Format.csv:
        from sim.analysis.summary import COLUMNS

        typer.echo(_csv(COLUMNS, rows), nl=False)
    else:
        from sim.analysis.summary import json_ready

        typer.echo(json.dumps(json_ready(rows), indent=2, ensure_ascii=False))


def emit_comparison(
    rows: list[dict[str, Any]], labels: list[str], paired: bool, form: Format
) -> None:
    """Print a comparison in the chosen format on stdout."""
    from sim.analysis.compare import ROW_COLUMNS

    if form is Format.table:
        from sim.cli.compare_table import print_comparison

        print_comparison(rows, labels, paired)
    elif form is Format.markdown:
        typer.echo(compare_markdown(rows, labels, paired), nl=False)
    elif form is Format.csv:
        typer.echo(_csv(ROW_COLUMNS, rows), nl=False)
    else:
        from sim.analysis.summary import json_ready

        typer.echo(json.dumps(json_ready(rows), indent=2, ensure_ascii=False))


def trailer(text: str, form: Format) -> None:
    """A closing line (``Results: DIR``): stdout for the table, stderr for the data formats."""
    typer.echo(text, err=form is not Format.table)
