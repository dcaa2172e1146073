"""Fan charts: the median and the 50% and 90% bands of a series across replications."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
from matplotlib.axes import Axes

from sim.plot.style import date_axis, fit_y, new_axes, styled, thousands, to_dates

LABELS = {
    "deterrence": ("Deterrence", "index (1 = parity)"),
    "capability": ("Ukraine's capability", "index (1 = reference force)"),
    "deployed.reassurance.land": ("Land troops in Ukraine", "troops"),
    "deployed.reassurance.sea": ("Ships deployed", "ships"),
    "deployed.reassurance.air": ("Aircraft deployed", "aircraft"),
    "deployed.neighbouring": ("Troops in neighbouring countries", "troops"),
    "trained": ("Coalition-trained personnel", "personnel"),
    "financing.paid": ("Financing paid (cumulative)", "EUR bn"),
    "equipment.delivered": ("Equipment delivered (cumulative)", "units"),
    "violations.rate": ("Ceasefire violations", "per day"),
    "us.state": ("U.S. backing", "0 none · 1 enablers · 2 guarantee"),
    "rung.hold": ("Russia holds", "1 while on this rung"),
    "rung.probe": ("Russia probes", "1 while on this rung"),
    "rung.incursion": ("Limited incursion", "1 while on this rung"),
    "rung.offensive": ("Major offensive", "1 while on this rung"),
}


def band(table: pa.Table, metric: str) -> dict[str, np.ndarray]:
    """The rows of one metric from a bands table, as arrays by column."""
    mask = np.asarray(table.column("metric").to_pylist()) == metric
    return {
        name: np.asarray(table.column(name).to_numpy())[mask]
        for name in ("day", "mean", "p5", "p25", "p50", "p75", "p95")
    }


@styled
def fan_chart(
    table: pa.Table,
    metric: str,
    start: date,
    *,
    ax: Axes | None = None,
    colour: str = "#1f5fa8",
    label: str | None = None,
    outer: bool = True,
    inner: bool = True,
    dashed: bool = False,
) -> Axes:
    """Draw the median and the 50% (``inner``) and 90% (``outer``) bands of ``metric``.

    With a ``label`` (overlays) the median line carries it and the bands stay unlabelled. The
    y axis is refitted to everything drawn on ``ax`` so far, so no later overlay runs off it.
    """
    if ax is None:
        ax = new_axes()
    rows = band(table, metric)
    dates = to_dates(start, rows["day"])
    if outer:
        ax.fill_between(
            dates,
            rows["p5"],
            rows["p95"],
            color=colour,
            alpha=0.15,
            lw=0,
            label=None if label else "middle 90% of replications",
        )
    if inner:
        ax.fill_between(
            dates,
            rows["p25"],
            rows["p75"],
            color=colour,
            alpha=0.3 if outer else 0.2,
            lw=0,
            label=None if label else "middle 50% of replications",
        )
    ax.plot(
        dates,
        rows["p50"],
        color=colour,
        lw=1.8,
        ls="--" if dashed else "-",
        label=label or "median",
    )
    title, unit = LABELS.get(metric, (metric, ""))
    ax.set_title(title, loc="left")
    ax.set_ylabel(unit)
    fit_y(ax)
    if unit in ("troops", "personnel", "units"):
        thousands(ax)
    date_axis(ax)
    return ax
