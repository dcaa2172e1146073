"""Sweep plots: response curves, heatmaps, tornado bars and per-factor panels.

Axes are in the swept quantity: a ``scale: true`` factor reads "× baseline" with the scaled
base total beside each tick (troops, say), a templated condition its threshold. The baseline
(every factor at its base value) is marked on every plot where it falls within the design.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from sim.analysis import formatting as fmt
from sim.engine import catalogue
from sim.plot.style import PALETTE, caption, figure_of, new_axes, save, styled

if TYPE_CHECKING:
    from sim.experiment.design import Factor
    from sim.experiment.sweepstore import SweepStore

BASELINE_COLOUR = "#b00020"


def _ok(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["status"] == "ok"]


def _kpi_label(name: str) -> str:
    kpi = catalogue.get(name)
    if kpi.kind == "probability":
        return f"{kpi.description} (% of replications)"
    if kpi.kind == "event_day":
        return f"{kpi.description} (restricted mean, days)"
    if kpi.unit == "share":
        return f"{kpi.description} (%)"
    return f"{kpi.description} ({kpi.unit})"


def _percent(kpi: str) -> bool:
    about = catalogue.get(kpi)
    return fmt.is_share(about.kind, about.unit)


def _value_axis(ax: Axes, kpi: str, axis: str = "y") -> None:
    if _percent(kpi):
        formatter = FuncFormatter(lambda v, _p: f"{v:.0%}")
    else:
        formatter = FuncFormatter(lambda v, _p: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _lower_first(text: str) -> str:
    """The text with its first letter in lower case, unless it begins an abbreviation.

    "Time-weighted mean" → "time-weighted mean"; "U.S. enablers" stays as it is.
    """
    if len(text) > 1 and (text[1].isupper() or text[1] in ".'"):
        return text
    return text[:1].lower() + text[1:]


def _wrap(text: str, width: int = 60) -> str:
    import textwrap

    return textwrap.fill(text, width)


def scale_total(factor: Factor) -> float | None:
    """The base total a ``scale: true`` factor multiplies (the sum of its targets' values)."""
    values = [t.base for t in factor.targets if isinstance(t.base, int | float)]
    return float(sum(values)) if values and factor.parameter.scale else None


def baseline_value(factor: Factor) -> float | None:
    """The factor's value in the base scenario, where one can be told: 1 for a scale factor,
    the base value of a single numeric target, or the number a template fills in the base.
    """
    p = factor.parameter
    if p.scale:
        return 1.0
    bases = [t.base for t in factor.targets]
    if p.template is not None:
        pattern = _template_pattern(p.template)
        for base in bases:
            text = " ".join(map(str, base)) if isinstance(base, list) else str(base)
            found = re.search(pattern, text) if pattern else None
            if found:
                return float(found.group(1))
        return None
    if len({repr(b) for b in bases}) == 1 and isinstance(bases[0], int | float):
        return float(bases[0])
    return None


def _template_pattern(template: Any) -> str | None:
    text = template[0] if isinstance(template, list) and template else template
    if not isinstance(text, str) or "{value}" not in text:
        return None
    before, _, after = text.partition("{value}")
    return re.escape(before) + r"(-?[0-9.]+)" + re.escape(after)


def axis_label(factor: Factor) -> str:
    """A factor's axis title in its own terms."""
    p = factor.parameter
    if p.scale:
        where = (
            factor.targets[0].dotted
            if len(factor.targets) == 1
            else (f"{len(factor.targets)} values scaled together")
        )
        return f"{factor.label}: × baseline ({where}; base total in brackets)"
    if p.template is not None:
        text = p.template[0] if isinstance(p.template, list) else p.template
        return f"{factor.label}: N in “{text.replace('{value}', 'N')}”"
    dotted = factor.targets[0].dotted
    return dotted if factor.label == dotted else f"{factor.label} ({dotted})"


def tick_text(factor: Factor, value: Any) -> str:
    """A tick label in the swept quantity: ``0.5×`` with the scaled total beneath it."""
    if not isinstance(value, int | float):
        return str(value)
    total = scale_total(factor)
    if total is not None:
        return f"{value:g}×\n({value * total:,.0f})"
    return fmt.number(value) if abs(value) < 1000 else f"{value:,.0f}"


@styled
def response_curve(
    rows: list[dict[str, Any]],
    factor: Factor,
    kpi: str,
    *,
    ax: Axes | None = None,
    colour: str = PALETTE[0],
) -> Axes:
    """A KPI against one factor (one-factor grids), the baseline marked.

    The bars are each point's own 95% interval. All points share their random numbers, so the
    *differences* between points are much more precise than the bars overlap suggests.
    """
    if ax is None:
        ax = new_axes(7.5, 4.4)
    label = factor.label
    ok = sorted(_ok(rows), key=lambda r: r[label])
    x = np.array([r[label] for r in ok], float)
    y = np.array([r[kpi] for r in ok], float)
    low = y - np.array([r[f"{kpi}_ci_low"] for r in ok], float)
    high = np.array([r[f"{kpi}_ci_high"] for r in ok], float) - y
    ax.plot(x, y, "-", color=colour, lw=1.8, label="estimate")
    ax.errorbar(
        x,
        y,
        yerr=[low, high],
        fmt="o",
        color=colour,
        ms=4,
        capsize=3,
        lw=1,
        label="95% interval of each point alone",
    )
    base = baseline_value(factor)
    if base is not None and x.size and x.min() <= base <= x.max():
        ax.axvline(base, color=BASELINE_COLOUR, ls="--", lw=1.2, label="baseline")
    ax.set_xticks(x, [tick_text(factor, v) for v in x])
    ax.set_xlabel(axis_label(factor))
    ax.set_ylabel(_wrap(_kpi_label(kpi), 40))
    _value_axis(ax, kpi)
    ax.legend(loc="best")
    return ax


@styled
def heatmap(
    rows: list[dict[str, Any]],
    x_factor: Factor,
    y_factor: Factor,
    kpi: str,
    *,
    ax: Axes | None = None,
) -> Axes:
    """A KPI over a two-factor grid, each cell labelled, the baseline outlined."""
    if ax is None:
        ax = new_axes(8.5, 6.0)
    xl, yl = x_factor.label, y_factor.label
    xs = sorted({r[xl] for r in rows})
    ys = sorted({r[yl] for r in rows})
    grid = np.full((len(ys), len(xs)), np.nan)
    for r in _ok(rows):
        grid[ys.index(r[yl]), xs.index(r[xl])] = r[kpi]
    image = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
    bar = figure_of(ax).colorbar(image, ax=ax)
    bar.set_label(_wrap(_kpi_label(kpi), 45))
    _value_axis(bar.ax, kpi)
    ax.set_xticks(range(len(xs)), [tick_text(x_factor, v) for v in xs], fontsize=8.5)
    ax.set_yticks(range(len(ys)), [tick_text(y_factor, v).replace("\n", " ") for v in ys])
    ax.set_xlabel(_wrap(axis_label(x_factor), 80))
    ax.set_ylabel(_wrap(axis_label(y_factor), 45))
    ax.grid(False)
    finite = grid[np.isfinite(grid)]
    middle = float(np.mean([finite.min(), finite.max()])) if finite.size else 0.0
    about = catalogue.get(kpi)
    for (i, j), value in np.ndenumerate(grid):
        if np.isfinite(value):
            text = f"{value:.0%}" if _percent(kpi) else fmt.number(value, about.kind, about.unit)
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if value < middle else "black",
            )
    base_x, base_y = baseline_value(x_factor), baseline_value(y_factor)
    bx, by = _position(xs, base_x), _position(ys, base_y)
    if bx is not None and by is not None and base_x is not None and base_y is not None:
        where = f"{tick_text(x_factor, base_x)}, {tick_text(y_factor, base_y)}".replace("\n", " ")
        from matplotlib.patches import Rectangle

        ax.add_patch(
            Rectangle(
                (bx - 0.5, by - 0.5),
                1,
                1,
                fill=False,
                ec=BASELINE_COLOUR,
                lw=2.2,
                label=f"baseline ({where}; between grid cells where it falls between levels)",
            )
        )
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16 if len(xs) > 6 else -0.12))
    return ax


def _position(levels: list[Any], value: float | None) -> float | None:
    """Where ``value`` sits among grid levels, as a (fractional) index; None outside."""
    if value is None or not levels or not all(isinstance(v, int | float) for v in levels):
        return None
    points = np.array(levels, float)
    if not points.min() <= value <= points.max():
        return None
    return float(np.interp(value, points, np.arange(len(points))))


@styled
def tornado(
    indices: dict[str, Any],
    kpi: str,
    *,
    rows: list[dict[str, Any]] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Factors ranked by Morris μ* (or Sobol' ST, with S1), coloured by the effect's sign.

    Morris' signed mean μ gives the direction (μ* alone is a magnitude); Sobol' indices have
    none, so the sign is that of the rank correlation of the factor with the KPI over points.
    """
    entry = indices["kpis"][kpi]
    factors = entry["factors"]
    if ax is None:
        ax = new_axes(8.5, 1.6 + 0.46 * len(factors))
    if entry["method"] == "morris":
        signs = np.sign(np.asarray(entry["mu"], float))
        main, conf = entry["mu_star"], entry["mu_star_conf"]
    else:
        signs = np.array([_rank_sign(rows or [], f, kpi) for f in factors])
        main, conf = entry["ST"], entry["ST_conf"]
    order = np.argsort(main)
    colours = [PALETTE[0] if signs[i] >= 0 else PALETTE[1] for i in order]
    y = np.arange(len(order))
    ax.barh(
        y,
        [main[i] for i in order],
        xerr=[conf[i] for i in order],
        color=colours,
        alpha=0.9,
        capsize=3,
        height=0.6,
    )
    for row, i in enumerate(order):
        word = "raises" if signs[i] > 0 else "lowers" if signs[i] < 0 else "no clear direction"
        ax.text(main[i] + conf[i], row, f"  {word}", va="center", fontsize=9)
    ax.set_yticks(y, [factors[i] for i in order])
    if entry["method"] == "morris":
        ax.plot(
            [entry["sigma"][i] for i in order],
            y,
            "D",
            color="#333333",
            ms=5,
            label="σ (interactions, non-linearity)",
        )
        ax.set_xlabel(
            _wrap(
                f"μ*: mean |effect| on {_lower_first(_kpi_label(kpi))} over each factor's "
                "full range",
                80,
            )
        )
    else:
        ax.plot(
            [entry["S1"][i] for i in order],
            y,
            "D",
            color="#333333",
            ms=5,
            label="first-order index S1",
        )
        ax.set_xlabel(f"total Sobol' index ST: share of the variance of {kpi}")
    from matplotlib.patches import Patch

    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Patch(color=PALETTE[0], label="raising the factor raises the KPI"),
        Patch(color=PALETTE[1], label="raising the factor lowers the KPI"),
    ]
    ax.set_xlim(0, max(float(main[i] + conf[i]) for i in order) * 1.3)
    ax.grid(axis="y", visible=False)
    ax.legend(handles=handles, loc="lower right")
    return ax


def _rank_sign(rows: list[dict[str, Any]], factor: str, kpi: str) -> float:
    ok = [r for r in _ok(rows) if r.get(kpi) is not None]
    if len(ok) < 3:
        return 0.0
    from scipy.stats import spearmanr

    rho = spearmanr([r[factor] for r in ok], [r[kpi] for r in ok]).statistic
    return 0.0 if rho != rho else float(np.sign(rho))


@styled
def factor_panels(rows: list[dict[str, Any]], factors: list[Factor], kpi: str) -> Figure:
    """The KPI at each design point against each factor, with the mean at each level.

    Designs with few levels per factor (Morris, grids) would show vertical strips of dots;
    each level's mean is drawn as a line over lightly jittered points instead, and sampled
    designs (many distinct values) get the mean of ten quantile bins.
    """
    columns = min(3, len(factors))
    lines = -(-len(factors) // columns)
    figure = Figure(figsize=(4.2 * columns + 0.6, 3.2 * lines + 1.0), layout="constrained")
    axes = figure.subplots(lines, columns, squeeze=False, sharey=True)
    ok = [r for r in _ok(rows) if r.get(kpi) is not None]
    rng = np.random.default_rng(0)  # jitter only; the same picture every time
    for index, ax in enumerate(axes.flat):
        if index >= len(factors):
            ax.set_visible(False)
            continue
        factor = factors[index]
        x = np.array([r[factor.label] for r in ok], float)
        y = np.array([r[kpi] for r in ok], float)
        levels = np.unique(x)
        span = float(np.ptp(x)) or 1.0
        if len(levels) <= 12:
            jitter = rng.uniform(-0.015, 0.015, len(x)) * span
            means = [float(np.mean(y[x == v])) for v in levels]
        else:
            jitter = np.zeros(len(x))
            edges = np.quantile(x, np.linspace(0, 1, 11))
            which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, 9)
            levels = np.array(
                [float(np.mean(x[which == b])) for b in range(10) if (which == b).any()]
            )
            means = [float(np.mean(y[which == b])) for b in range(10) if (which == b).any()]
        ax.scatter(x + jitter, y, s=8, alpha=0.25, color=PALETTE[0], lw=0)
        ax.plot(levels, means, "o-", color=PALETTE[1], ms=4, lw=1.8, label="mean at each level")
        base = baseline_value(factor)
        if base is not None and x.size and x.min() <= base <= x.max():
            ax.axvline(base, color=BASELINE_COLOUR, ls="--", lw=1.1, label="baseline")
        total = scale_total(factor)
        if total is None:
            ax.set_xlabel(_wrap(axis_label(factor), 45), fontsize=9)
            _value_axis(ax, "violations", "x")  # thousands separators
        else:
            ax.set_xlabel(f"{factor.label}: × baseline (1× = {total:,.0f})", fontsize=9)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}×"))
        if index % columns == 0:
            ax.set_ylabel(_wrap(_kpi_label(kpi), 35))
        _value_axis(ax, kpi)
        if index == 0:
            ax.legend(loc="best", fontsize=8.5)
    return figure


def _marginal(rows: list[dict[str, Any]], factor: str, kpi: str) -> dict[Any, float]:
    groups: dict[Any, list[float]] = {}
    for r in _ok(rows):
        groups.setdefault(r[factor], []).append(r[kpi])
    return {k: float(np.mean(v)) for k, v in sorted(groups.items())}


def sweep_figures(
    sweep: SweepStore, rows: list[dict[str, Any]], indices: dict[str, Any] | None
) -> dict[str, Figure]:
    """Every plot the design allows, for each KPI of interest, by file name."""
    spec = sweep.spec
    factors = sweep.design.factors
    numeric = [f for f in factors if all(isinstance(r[f.label], int | float) for r in rows)]
    failed = sum(r["status"] != "ok" for r in rows)
    about = (
        f"Sweep '{spec.name}' ({spec.design}, {len(rows):,} points × {spec.reps:,} "
        f"replications, seed {spec.seed}, common random numbers"
        f"{f'; {failed} failed points not shown' if failed else ''})."
    )
    figures: dict[str, Figure] = {}
    if not _ok(rows):
        return figures
    grid = spec.design == "grid"
    for kpi in spec.kpis:
        words = catalogue.get(kpi).description
        if grid and len(factors) == 2 and len(numeric) == 2:
            ax = heatmap(rows, factors[0], factors[1], kpi)
            ax.set_title(
                _wrap(f"{words}, by {factors[0].label} and {factors[1].label}", 70), loc="left"
            )
            caption(figure_of(ax), about)
            figures[f"heatmap_{kpi}"] = figure_of(ax)
        if grid and len(factors) == 1 and numeric:
            ax = response_curve(rows, factors[0], kpi)
            ax.set_title(_wrap(f"{words}, against {factors[0].label}", 70), loc="left")
            caption(
                figure_of(ax),
                about + " Points share random numbers: differences between them are more "
                "precise than the overlap of their intervals suggests.",
            )
            figures[f"response_{kpi}"] = figure_of(ax)
        if indices is not None and "method" in indices["kpis"].get(kpi, {}):
            ax = tornado(indices, kpi, rows=rows)
            ax.set_title(
                _wrap(f"What drives {_lower_first(words)} ({indices['design']})", 70), loc="left"
            )
            caption(figure_of(ax), about)
            figures[f"tornado_{kpi}"] = figure_of(ax)
    if not grid or len(factors) > 2:
        for kpi in spec.kpis:
            figure = factor_panels(rows, numeric, kpi)
            figure.suptitle(
                f"{catalogue.get(kpi).description}, at each design point",
                x=0.01,
                ha="left",
                fontweight="bold",
            )
            caption(figure, about)
            figures[f"scatter_{kpi}" if not grid else f"response_{kpi}"] = figure
    return figures


@styled
def draw_sweep_plots(
    sweep: SweepStore,
    rows: list[dict[str, Any]],
    indices: dict[str, Any] | None,
    folder: Path,
    *,
    svg: bool = False,
) -> list[Path]:
    """Write every sweep plot into ``folder`` (PNG, and SVG if asked); return the files."""
    written: list[Path] = []
    for name, figure in sweep_figures(sweep, rows, indices).items():
        written += save(figure, folder, name, svg=svg)
    return written
