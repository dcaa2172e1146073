"""Comparison plots: scenarios overlaid on shared axes, and a forest plot of differences."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis.survival import kaplan_meier
from sim.engine import catalogue
from sim.plot.bars import fulfilment_bars
from sim.plot.drawing import Drawer, draw_all, drawn
from sim.plot.fan import LABELS, band, fan_chart
from sim.plot.standard import run_drawers
from sim.plot.style import PALETTE, caption, figure_of, new_axes, styled, to_dates
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


@styled
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
        suffix = " (reached by the horizon)" if kpi.kind == "event_day" else ""
        labels.append(textwrap.fill(f"{kpi.description}{suffix}", 42))
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


@styled
def overlay_fan(comparison: Comparison, metric: str) -> Figure:
    """One panel per alternative: its median and middle 50% over the reference's, in grey.

    Two bands per panel at most, so translucent colours never blend into an unreadable mix;
    the panels share the y axis, fitted to every median and band drawn.
    """
    start = comparison.reference.scenario.start
    alternatives = list(
        zip(comparison.labels[1:], comparison.results[1:], PALETTE[1:], strict=False)
    )
    columns = min(3, len(alternatives))
    lines = -(-len(alternatives) // columns)
    width = 8.5 if columns == 1 else 4.6 * columns + 0.8
    figure = Figure(figsize=(width, 3.8 * lines + 1.0), layout="constrained")
    axes = figure.subplots(lines, columns, squeeze=False, sharey=True)
    reference = comparison.results[0]
    for index, ax in enumerate(axes.flat):
        if index >= len(alternatives):
            ax.set_visible(False)
            continue
        label, result, colour = alternatives[index]
        fan_chart(result.timeseries, metric, start, ax=ax, colour=colour, label=label, outer=False)
        fan_chart(
            reference.timeseries,
            metric,
            start,
            ax=ax,
            colour="#5a5a5a",
            label=f"{comparison.labels[0]} (dotted: its middle 50%)",
            outer=False,
            inner=False,
        )
        rows = band(reference.timeseries, metric)
        dates = to_dates(start, rows["day"])
        for edge in ("p25", "p75"):  # the reference's band as edges, so neither band hides
            ax.plot(dates, rows[edge], color="#5a5a5a", lw=0.9, ls=":")
        if metric == "deterrence":
            threshold = comparison.reference.scenario.model.deterrence.threshold
            ax.axhline(
                threshold, color="#b00020", lw=1.1, ls="--", label=f"threshold ({threshold:g})"
            )
        ax.set_title(label, loc="left", fontsize=11)
        if index % columns:
            ax.set_ylabel("")
        ax.legend(loc="upper left", fontsize=8.5)
    lows = [ax.dataLim.y0 for ax in axes.flat if ax.get_visible()]
    highs = [ax.dataLim.y1 for ax in axes.flat if ax.get_visible()]
    pad = 0.06 * ((max(highs) - min(0.0, min(lows))) or 1.0)
    axes.flat[0].set_ylim(min(0.0, min(lows)), max(highs) + pad)
    title = LABELS.get(metric, (metric, ""))[0]
    figure.suptitle(
        f"{title}, each posture against '{comparison.labels[0]}' (grey)",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    caption(
        figure,
        _about(comparison)
        + " Lines: medians; shading (dotted for the reference): middle 50% of replications.",
    )
    return figure


@styled
def overlay_survival(comparison: Comparison) -> Figure:
    """Kaplan–Meier curves of no renewed offensive, one per scenario."""
    start = comparison.reference.scenario.start
    ax = new_axes()
    for label, result, colour in zip(comparison.labels, comparison.results, PALETTE, strict=False):
        survival_curve(
            kaplan_meier(result.kpi("offensive_day"), comparison.horizon),
            start,
            ax=ax,
            colour=colour,
            label=label,
        )
    ax.set_title("No renewed major offensive (Kaplan–Meier, 95% bands)", loc="left")
    ax.legend(loc="lower left")
    caption(figure_of(ax), _about(comparison))
    return figure_of(ax)


@styled
def forest_figure(comparison: Comparison) -> Figure:
    """Differences against the reference: shares in points, means relative to the reference."""
    figure = Figure(figsize=(10, 8.0), layout="constrained")
    top, bottom = figure.subplots(2, 1, height_ratios=[len(FOREST_SHARES), len(FOREST_MEANS)])
    forest(comparison, FOREST_SHARES, relative=False, ax=top)
    top.set_title("Differences in shares of replications", loc="left")
    forest(comparison, FOREST_MEANS, relative=True, ax=bottom)
    bottom.set_title("Differences in means, relative to the reference", loc="left")
    caption(figure, _about(comparison))
    return figure


@styled
def overlay_fulfilment(comparison: Comparison) -> Figure:
    """Pledges fulfilled by pillar, scenarios side by side."""
    pairs = list(zip(comparison.labels, comparison.results, PALETTE, strict=False))
    ax = new_axes(8.5, 4.2)
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
    caption(figure_of(ax), _about(comparison))
    return figure_of(ax)


def compare_drawers(comparison: Comparison) -> dict[str, Drawer]:
    """Every comparison plot, by file name, not yet drawn."""
    return {
        "overlay_deterrence": lambda: overlay_fan(comparison, "deterrence"),
        "overlay_deployed_land": lambda: overlay_fan(comparison, "deployed.reassurance.land"),
        "overlay_survival": lambda: overlay_survival(comparison),
        "forest": lambda: forest_figure(comparison),
        "overlay_fulfilment": lambda: overlay_fulfilment(comparison),
    }


def compare_figures(comparison: Comparison) -> dict[str, Figure]:
    """Every comparison plot, by file name, drawn from the runs' data."""
    return drawn(compare_drawers(comparison))


def draw_compare_plots(comparison: Comparison, folder: Path, *, svg: bool = False) -> list[Path]:
    """Overlay fan charts, survival curves, forest plots and fulfilment bars; and each run's
    own plots under ``runs/<label>/plots`` for the runs simulated here (not read from disk).
    """
    drawers = {folder / "plots" / name: draw for name, draw in compare_drawers(comparison).items()}
    for label, result in zip(comparison.labels, comparison.results, strict=True):
        if result.source is None:
            plots = folder / "runs" / label / "plots"
            drawers |= {plots / name: draw for name, draw in run_drawers(result).items()}
    return draw_all(drawers, svg=svg)
