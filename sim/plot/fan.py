"""Fan charts: the median and the 50% and 90% bands of a series across replications."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
from matplotlib.axes import Axes

from sim.plot.style import date_axis, new_axes, to_dates

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


def fan_chart(
    table: pa.Table,
    metric: str,
    start: date,
    *,
    ax: Axes | None = None,
    colour: str = "#1f5fa8",
    label: str | None = None,
    outer: bool = True,
) -> Axes:
    """Draw the median and the 50% (and, with ``outer``, 90%) bands of ``metric``.

    With a ``label`` (overlays) the median line carries it and the bands stay unlabelled.
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
            label=None if label else "90% of replications",
        )
    ax.fill_between(
        dates,
        rows["p25"],
        rows["p75"],
        color=colour,
        alpha=0.3 if outer else 0.15,
        lw=0,
        label=None if label else "50% of replications",
    )
    ax.plot(dates, rows["p50"], color=colour, lw=1.8, label=label or "median")
    title, unit = LABELS.get(metric, (metric, ""))
    ax.set_title(title, loc="left")
    ax.set_ylabel(unit)
    ax.set_ylim(bottom=min(0.0, float(np.nanmin(rows["p5"])) if len(rows["p5"]) else 0.0))
    date_axis(ax)
    return ax
