"""KPI tables for the terminal (rich; plain text when piped)."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table


def _number(value: Any, kind: str, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "probability" or unit == "share":
        return f"{value:.1%}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def kpi_table(rows: list[dict[str, Any]], title: str) -> Table:
    """Estimate, 95% interval, median and n for each KPI."""
    table = Table(
        title=title,
        title_justify="left",
        header_style="bold",
        caption="Probabilities: Wilson 95% CI. Days: restricted mean to the horizon "
        "(not reached = horizon), Kaplan–Meier quantiles.",
        caption_justify="left",
    )
    table.add_column("KPI", no_wrap=True)
    for header in ("estimate", "95% CI", "p10 / p50 / p90", "n"):
        table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        kind, unit = row["kind"], row["unit"]
        name = row["kpi"]
        ci = f"{_number(row['ci_low'], kind, unit)} – {_number(row['ci_high'], kind, unit)}"
        spread = " / ".join(_number(row[q], kind, unit) for q in ("p10", "p50", "p90"))
        if kind == "probability":
            spread = ""
        table.add_row(name, _number(row["mean"], kind, unit), ci, spread, str(row["n"]))
    return table


def print_table(table: Table) -> None:
    """Print on stdout; wide enough for one line per KPI when piped to a file."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=120)
    console.print(table)
