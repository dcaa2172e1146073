"""Sweep plots: response curves, heatmaps, tornado bars and a scatter matrix."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.engine import catalogue
from sim.plot.style import PALETTE, caption, figure_of, new_axes, save

if TYPE_CHECKING:
    from sim.experiment.sweep import Sweep


def _ok(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["status"] == "ok"]


def _kpi_label(name: str) -> str:
    kpi = catalogue.get(name)
    if kpi.kind == "probability":
        return f"{name} (share of replications)"
    if kpi.kind == "event_day":
        return f"{name} (restricted mean, days)"
    return f"{name} ({kpi.unit})"


def response_curve(
    rows: list[dict[str, Any]],
    factor: str,
    kpi: str,
    *,
    ax: Axes | None = None,
    colour: str = PALETTE[0],
) -> Axes:
    """A KPI against one factor, with its 95% interval as a band (one-factor grids)."""
    if ax is None:
        ax = new_axes(6.5, 4.0)
    ok = sorted(_ok(rows), key=lambda r: r[factor])
    x = np.array([r[factor] for r in ok], float)
    ax.fill_between(
        x,
        [r[f"{kpi}_ci_low"] for r in ok],
        [r[f"{kpi}_ci_high"] for r in ok],
        color=colour,
        alpha=0.2,
        lw=0,
        label="95% interval",
    )
    ax.plot(x, [r[kpi] for r in ok], "o-", color=colour, ms=3, label="estimate")
    ax.set_xlabel(factor)
    ax.set_ylabel(_kpi_label(kpi))
    ax.legend(loc="best")
    return ax


def heatmap(
    rows: list[dict[str, Any]], x_factor: str, y_factor: str, kpi: str, *, ax: Axes | None = None
) -> Axes:
    """A KPI over a two-factor grid, each cell labelled with its estimate."""
    if ax is None:
        ax = new_axes(7.0, 5.2)
    xs = sorted({r[x_factor] for r in rows})
    ys = sorted({r[y_factor] for r in rows})
    grid = np.full((len(ys), len(xs)), np.nan)
    for r in _ok(rows):
        grid[ys.index(r[y_factor]), xs.index(r[x_factor])] = r[kpi]
    image = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
    figure_of(ax).colorbar(image, ax=ax, label=_kpi_label(kpi))
    ax.set_xticks(range(len(xs)), [_short(v) for v in xs], rotation=45, ha="right")
    ax.set_yticks(range(len(ys)), [_short(v) for v in ys])
    ax.set_xlabel(x_factor)
    ax.set_ylabel(y_factor)
    ax.grid(False)
    finite = grid[np.isfinite(grid)]
    middle = float(np.mean([finite.min(), finite.max()])) if finite.size else 0.0
    percent = catalogue.get(kpi).kind == "probability" or catalogue.get(kpi).unit == "share"
    for (i, j), value in np.ndenumerate(grid):
        if np.isfinite(value):
            text = f"{value:.0%}" if percent else _short(value)
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value < middle else "black",
            )
    return ax


def tornado(indices: dict[str, Any], kpi: str, *, ax: Axes | None = None) -> Axes:
    """Factors ranked by Morris μ* (or Sobol' ST, with S1), with 95% intervals."""
    entry = indices["kpis"][kpi]
    factors = entry["factors"]
    if ax is None:
        ax = new_axes(7.0, 1.4 + 0.42 * len(factors))
    if entry["method"] == "morris":
        main, conf = entry["mu_star"], entry["mu_star_conf"]
        order = np.argsort(main)
        ax.barh(
            [factors[i] for i in order],
            [main[i] for i in order],
            xerr=[conf[i] for i in order],
            color=PALETTE[0],
            alpha=0.85,
            capsize=3,
            label="μ* (mean |elementary effect|)",
        )
        ax.plot(
            [entry["sigma"][i] for i in order],
            range(len(order)),
            "D",
            color=PALETTE[1],
            ms=5,
            label="σ (interactions, non-linearity)",
        )
        ax.set_xlabel(f"effect on {_kpi_label(kpi)} per full range of the factor")
    else:
        order = np.argsort(entry["ST"])
        y = np.arange(len(order))
        ax.barh(
            y + 0.2,
            [entry["ST"][i] for i in order],
            height=0.4,
            xerr=[entry["ST_conf"][i] for i in order],
            color=PALETTE[0],
            capsize=3,
            label="total index ST",
        )
        ax.barh(
            y - 0.2,
            [entry["S1"][i] for i in order],
            height=0.4,
            xerr=[entry["S1_conf"][i] for i in order],
            color=PALETTE[3],
            capsize=3,
            label="first-order index S1",
        )
        ax.set_yticks(y, [factors[i] for i in order])
        ax.set_xlabel(f"share of the variance of {kpi}")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return ax


def scatter_matrix(rows: list[dict[str, Any]], factors: list[str], kpi: str) -> Figure:
    """A KPI against each factor, one panel per factor (sampled designs), four to a row."""
    columns = min(4, len(factors))
    lines = -(-len(factors) // columns)
    figure = Figure(figsize=(2.9 * columns + 0.6, 2.5 * lines + 0.9), layout="constrained")
    axes = figure.subplots(lines, columns, squeeze=False, sharey=True)
    ok = _ok(rows)
    for index, ax in enumerate(axes.flat):
        if index >= len(factors):
            ax.set_visible(False)
            continue
        factor = factors[index]
        ax.scatter([r[factor] for r in ok], [r[kpi] for r in ok], s=9, alpha=0.6, color=PALETTE[0])
        ax.set_xlabel(factor)
        if index % columns == 0:
            ax.set_ylabel(_kpi_label(kpi))
    return figure


def _short(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3g}"
    return f"{value:,.0f}" if isinstance(value, int | float) else str(value)


def draw_sweep_plots(
    sweep: Sweep, rows: list[dict[str, Any]], indices: dict[str, Any] | None, folder: Path
) -> list[Path]:
    """Every plot the design allows, for each KPI of interest."""
    spec = sweep.spec
    labels = sweep.design.labels
    numeric = [f for f in labels if all(isinstance(r[f], int | float) for r in rows)]
    failed = sum(r["status"] != "ok" for r in rows)
    about = (
        f"Sweep '{spec.name}' ({spec.design}, {len(rows)} points × {spec.reps} "
        f"replications, seed {spec.seed}, common random numbers"
        f"{f'; {failed} failed points not shown' if failed else ''})."
    )
    written: list[Path] = []
    if not _ok(rows):
        return written
    for kpi in spec.kpis:
        if spec.design == "grid" and len(labels) == 2 and len(numeric) == 2:
            ax = heatmap(rows, labels[0], labels[1], kpi)
            ax.set_title(f"{kpi} over {labels[0]} × {labels[1]}", loc="left")
            caption(figure_of(ax), about)
            written += save(figure_of(ax), folder, f"heatmap_{kpi}")
        if spec.design == "grid" and len(labels) == 1 and numeric:
            ax = response_curve(rows, labels[0], kpi)
            ax.set_title(f"{kpi} against {labels[0]}", loc="left")
            caption(figure_of(ax), about)
            written += save(figure_of(ax), folder, f"response_{kpi}")
        if indices is not None and "method" in indices["kpis"].get(kpi, {}):
            ax = tornado(indices, kpi)
            ax.set_title(f"What drives {kpi} ({indices['design']})", loc="left")
            caption(figure_of(ax), about)
            written += save(figure_of(ax), folder, f"tornado_{kpi}")
    if spec.design != "grid":
        for kpi in spec.kpis:
            figure = scatter_matrix(rows, numeric, kpi)
            figure.suptitle(f"{kpi} at each design point, against each factor", x=0.01, ha="left")
            caption(figure, about)
            written += save(figure, folder, f"scatter_{kpi}")
    if spec.design == "grid" and len(labels) > 2:
        for kpi in spec.kpis:
            figure = Figure(figsize=(3.2 * len(numeric) + 0.6, 3.4), layout="constrained")
            for ax, factor in zip(
                figure.subplots(1, len(numeric), squeeze=False)[0], numeric, strict=True
            ):
                marginal = _marginal(rows, factor, kpi)
                ax.plot(list(marginal), list(marginal.values()), "o-", color=PALETTE[0])
                ax.set_xlabel(factor)
                ax.set_ylabel(f"mean {kpi} over the other factors")
            caption(figure, about)
            written += save(figure, folder, f"response_{kpi}")
    return written


def _marginal(rows: list[dict[str, Any]], factor: str, kpi: str) -> dict[Any, float]:
    groups: dict[Any, list[float]] = {}
    for r in _ok(rows):
        groups.setdefault(r[factor], []).append(r[kpi])
    return {k: float(np.mean(v)) for k, v in sorted(groups.items())}
