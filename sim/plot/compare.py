"""Comparison plots: scenarios overlaid on shared axes, and a forest plot of differences."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis.survival import kaplan_meier
from sim.engine import catalogue
from sim.plot.bars import fulfilment_bars
from sim.plot.fan import fan_chart
from sim.plot.style import PALETTE, caption, figure_of, new_axes, save
from sim.plot.survival import survival_curve

if TYPE_CHECKING:
    from sim.experiment.comparison import Comparison

FOREST_SHARES = (
    "offensive_given_ceasefire",
    "offensive",
    "share_below_threshold",
    "us_enablers",
    "us_guarantee",
    "reassurance_ioc",
    "reassurance_foc",
    "fulfilment_reassurance",
    "cohesion_final",
)
FOREST_MEANS = (
    "deterrence_mean",
    "deterrence_min",
    "ceasefire_held_days",
    "final_deployed_land",
    "financing_gap_days",
    "capability_final",
    "violations",
)


def _about(comparison: Comparison) -> str:
    ref = comparison.reference
    kind = "paired under common random numbers" if comparison.paired else "unpaired"
    return (
        f"Reference '{comparison.labels[0]}'; {ref.n:,} replications each, seed {ref.seed}, {kind}."
    )


def forest(
    comparison: Comparison, names: tuple[str, ...], *, relative: bool, ax: Axes | None = None
) -> Axes:
    """Differences against the reference with 95% intervals, one row per KPI."""
    if ax is None:
        ax = new_axes(7.5, 1.2 + 0.45 * len(names))
    rows = [r for r in comparison.rows() if r["kpi"] in names]
    alternatives = comparison.labels[1:]
    step = 0.8 / max(1, len(alternatives))
    for j, (label, colour) in enumerate(zip(alternatives, PALETTE[1:], strict=False)):
        ys, xs, lows, highs = [], [], [], []
        for i, name in enumerate(names):
            row = next(r for r in rows if r["kpi"] == name and r["scenario"] == label)
            reference = next(r for r in rows if r["kpi"] == name and r["role"] == "reference")
            scale = 100.0
            if relative:
                base = abs(reference["estimate"])
                scale = 100.0 / base if base else math.nan
            ys.append(i - 0.4 + step * (j + 0.5))
            xs.append(row["difference"] * scale)
            lows.append((row["difference"] - row["diff_ci_low"]) * scale)
            highs.append((row["diff_ci_high"] - row["difference"]) * scale)
        ax.errorbar(
            xs,
            ys,
            xerr=[lows, highs],
            fmt="o",
            color=colour,
            capsize=3,
            ms=4,
            label=f"{label} − {comparison.labels[0]}",
        )
    ax.axvline(0, color="#333333", lw=1)
    labels = []
    for name in names:
        kpi = catalogue.get(name)
        suffix = " (reached by horizon)" if kpi.kind == "event_day" else ""
        labels.append(f"{name}{suffix}")
    ax.set_yticks(range(len(names)), labels)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(
        "difference, % of the reference value (95% CI)"
        if relative
        else "difference, percentage points (95% CI)"
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def draw_compare_plots(comparison: Comparison, folder: Path) -> list[Path]:
    """Overlay fan charts, survival curves, forest plots and fulfilment bars."""
    start = comparison.reference.scenario.start
    about = _about(comparison)
    pairs = list(zip(comparison.labels, comparison.results, PALETTE, strict=False))
    written: list[Path] = []

    for metric, name in (
        ("deterrence", "overlay_deterrence"),
        ("deployed.reassurance.land", "overlay_deployed_land"),
    ):
        ax = new_axes()
        for label, result, colour in pairs:
            fan_chart(
                result.timeseries, metric, start, ax=ax, colour=colour, label=label, outer=False
            )
        ax.legend(loc="upper left", ncols=2)
        caption(figure_of(ax), about + " Lines: medians; shading: middle 50% of replications.")
        written += save(figure_of(ax), folder, name)

    ax = new_axes()
    horizon = comparison.horizon
    for label, result, colour in pairs:
        survival_curve(
            kaplan_meier(result.kpi("offensive_day"), horizon),
            start,
            ax=ax,
            colour=colour,
            label=label,
        )
    ax.set_title("No renewed major offensive (Kaplan–Meier, 95% bands)", loc="left")
    ax.legend(loc="lower left")
    caption(figure_of(ax), about)
    written += save(figure_of(ax), folder, "overlay_survival")

    figure = Figure(figsize=(8.5, 7.5), layout="constrained")
    top, bottom = figure.subplots(2, 1, height_ratios=[len(FOREST_SHARES), len(FOREST_MEANS)])
    forest(comparison, FOREST_SHARES, relative=False, ax=top)
    top.set_title("Differences in shares of replications", loc="left")
    forest(comparison, FOREST_MEANS, relative=True, ax=bottom)
    bottom.set_title("Differences in means, relative to the reference", loc="left")
    caption(figure, about)
    written += save(figure, folder, "forest")

    ax = new_axes(8.0, 4.0)
    width = 0.8 / len(pairs)
    for k, (label, result, colour) in enumerate(pairs):
        fulfilment_bars(
            result.summary_rows,
            ax=ax,
            colour=colour,
            label=label,
            offset=-0.4 + width * (k + 0.5),
            width=width,
        )
    ax.set_title("Pledges fulfilled by pillar", loc="left")
    ax.legend(loc="upper right", ncols=2)
    caption(figure_of(ax), about)
    written += save(figure_of(ax), folder, "overlay_fulfilment")
    return written
