"""Ablation plots: what each pillar, domain or member buys, one bar chart per KPI.

Bars are the reference minus the scenario without the item, with the paired 95% interval as
whiskers, the item that buys the most (in the KPI's better direction) at the top. A bar is drawn
in the helping colour when the item moves the KPI the better way, so for the offensive risk a
bar to the left (the item lowers the risk) is a help.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes

from sim.engine import catalogue
from sim.plot.style import PALETTE, caption, figure_of, new_axes, save

if TYPE_CHECKING:
    from sim.experiment.ablation import Ablation

HELPS, HURTS = PALETTE[0], PALETTE[1]


def _scale(kpi: str) -> tuple[float, str]:
    """How a KPI's differences are shown: percentage points for shares, else its unit."""
    meta = catalogue.get(kpi)
    if meta.kind == "probability" or meta.unit == "share":
        return 100.0, "percentage points"
    return 1.0, meta.unit


def buys_bars(
    rows: list[dict[str, Any]], kpi: str, *, noun: str = "item", ax: Axes | None = None
) -> Axes:
    """Horizontal bars of what each item buys in ``kpi``, with 95% CI whiskers, sorted by rank.

    ``rows`` are :meth:`~sim.experiment.ablation.Ablation.rows` (the reference row is skipped);
    ``noun`` names the items ("pillar", "member") in the title.
    """
    items = [r for r in rows if r["kpi"] == kpi and r["role"] != "reference"]
    items.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    if ax is None:
        ax = new_axes(7.5, 1.4 + 0.3 * len(items))
    factor, unit = _scale(kpi)
    sign = -1.0 if catalogue.get(kpi).better == "lower" else 1.0
    buys = np.array([_number(r["buys"]) for r in items]) * factor
    lows = np.array([_number(r["buys_ci_low"]) for r in items]) * factor
    highs = np.array([_number(r["buys_ci_high"]) for r in items]) * factor
    y = np.arange(len(items))
    colours = [HELPS if sign * b > 0 else HURTS for b in buys]
    ax.barh(y, buys, color=colours, alpha=0.85)
    ax.errorbar(
        buys, y, xerr=[buys - lows, highs - buys], fmt="none", ecolor="#333333", capsize=3, lw=1
    )
    ax.axvline(0, color="#333333", lw=1)
    ax.set_yticks(y, [str(r["item"]) for r in items])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(f"reference − without the {noun}, {unit} (95% CI)")
    direction = "lower is better: bars to the left help" if sign < 0 else "higher is better"
    ax.set_title(f"What each {noun} buys: {kpi} ({direction})", loc="left")
    return ax


def _number(value: float | None) -> float:
    return np.nan if value is None else float(value)


def draw_ablation_plots(ablation: Ablation, folder: Path) -> list[Path]:
    """One bar chart per reported KPI, ``buys_<kpi>.png`` and ``.svg``."""
    ref = ablation.reference
    about = (
        f"Ablation by {ablation.by} of '{ref.scenario.name}'; {ref.n:,} replications each, "
        f"seed {ref.seed}, paired under common random numbers."
    )
    rows = ablation.rows()
    written: list[Path] = []
    for kpi in dict.fromkeys(row["kpi"] for row in rows):
        ax = buys_bars(rows, kpi, noun=ablation.by)
        caption(figure_of(ax), about)
        # SVG too: the ablation report embeds these files as they are on disk.
        written += save(figure_of(ax), folder, f"buys_{kpi}", svg=True)
    return written
