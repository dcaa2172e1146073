"""What a notebook shows of a result: a short repr and an HTML table (``_repr_html_``).

A result's data run to megabytes (a scenario of 100 pledges, 500 replications × 34 KPIs), so
reprs say what the object is in one line, and Jupyter gets a table of the KPIs, formatted as
the terminal and the report format them.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from sim.analysis import formatting as fmt
from sim.engine import catalogue

if TYPE_CHECKING:
    from sim.experiment.comparison import Comparison
    from sim.experiment.results import RunResult

STYLE = (
    "<style>.wg td,.wg th{padding:2px 8px;text-align:right}"
    ".wg td:first-child,.wg th:first-child,.wg td.d{text-align:left}</style>"
)


def _e(text: Any) -> str:
    return html.escape(str(text))


def run_repr(result: RunResult) -> str:
    """The plain ``repr`` of a run: scenario, replications, seed, KPIs, source."""
    where = f", source='{result.source}'" if result.source is not None else ""
    return (
        f"RunResult({result.scenario.name!r}, reps={result.n:,}, seed={result.seed}, "
        f"kpis={result.kpis.shape[1]}{where})"
    )


def run_html(result: RunResult) -> str:
    """The KPI table of a run: estimate, 95% interval, n, unit, description."""
    folded = set(fmt.folded().values())
    lines = [
        STYLE,
        f"<p><b>{_e(result.scenario.name)}</b>: {result.n:,} replications, seed {result.seed}. "
        "A what-if under stated assumptions, not a forecast.</p>",
        '<table class="wg"><thead><tr><th>KPI</th><th>estimate</th><th>95% CI</th>'
        "<th>n</th><th>unit</th><th>description</th></tr></thead><tbody>",
    ]
    for row in result.summary_rows:
        if row["kpi"] in folded:
            continue
        kpi = catalogue.get(row["kpi"])
        kind, unit = row["kind"], row["unit"]
        lines.append(
            f"<tr><td><code>{_e(row['kpi'])}</code></td>"
            f"<td>{_e(fmt.number(row['mean'], kind, unit))}</td>"
            f"<td>{_e(fmt.interval(row['ci_low'], row['ci_high'], kind, unit))}</td>"
            f"<td>{row['n']:,}</td><td class='d'>{_e(fmt.unit_label(kpi))}</td>"
            f"<td class='d'>{_e(kpi.description)}</td></tr>"
        )
    lines.append("</tbody></table>")
    return "".join(lines)


def comparison_repr(comparison: Comparison) -> str:
    """The plain ``repr`` of a comparison: its labels (shortened), replications, pairing."""
    labels = ", ".join(repr(label) for label in comparison.labels)
    if len(labels) > 160:
        labels = labels[:157] + "..."
    return (
        f"Comparison([{labels}], reps={comparison.reference.n:,}, "
        f"{'paired' if comparison.paired else 'unpaired'})"
    )


def comparison_html(comparison: Comparison) -> str:
    """Per KPI: the reference's estimate and each alternative's estimate and difference."""
    folded = set(fmt.folded().values())
    labels = comparison.labels
    head = "".join(f"<th>{_e(label)}</th>" for label in labels)
    lines = [
        STYLE,
        f"<p>Compared with <b>{_e(labels[0])}</b> "
        f"({'paired, common random numbers' if comparison.paired else 'unpaired'}); "
        "difference [95% CI], * the interval excludes 0.</p>",
        f'<table class="wg"><thead><tr><th>KPI</th>{head}<th>description</th></tr></thead><tbody>',
    ]
    by_kpi: dict[str, list[dict[str, Any]]] = {}
    for row in comparison.rows():
        by_kpi.setdefault(row["kpi"], []).append(row)
    for name, group in by_kpi.items():
        if name in folded:
            continue
        kind = "probability" if group[0]["kind"] == "event_day" else group[0]["kind"]
        unit = group[0]["unit"]
        cells = [fmt.number(group[0]["estimate"], kind, unit)]
        for row in group[1:]:
            mark = " *" if row["significant"] else ""
            cells.append(
                f"{fmt.number(row['estimate'], kind, unit)} "
                f"({fmt.signed(row['difference'], kind, unit)} "
                f"{fmt.signed_interval(row['diff_ci_low'], row['diff_ci_high'], kind, unit)}"
                f"{mark})"
            )
        tds = "".join(f"<td>{_e(c)}</td>" for c in cells)
        lines.append(
            f"<tr><td><code>{_e(name)}</code></td>{tds}"
            f"<td class='d'>{_e(catalogue.get(name).description)}</td></tr>"
        )
    lines.append("</tbody></table>")
    return "".join(lines)
