"""The escalation ladder over time: the share of replications on each rung, stacked.

Each rung's share is the mean across replications of its 0/1 series (``rung.<name>`` in
:data:`sim.engine.SERIES`). The shares sum to the share of replications with a ceasefire by that
day; the rest, drawn in grey, are still at war with no ceasefire yet.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
from matplotlib.axes import Axes

from sim.plot.fan import band
from sim.plot.style import date_axis, new_axes, to_dates

RUNG_STYLE = (
    ("rung.hold", "hold", "#cfe8d5"),
    ("rung.probe", "probe (grey zone)", "#edae49"),
    ("rung.incursion", "limited incursion", "#d1495b"),
    ("rung.offensive", "major offensive", "#6b0f1a"),
)
NO_CEASEFIRE = "#dddddd"


def ladder_shares(table: pa.Table, start: date, *, ax: Axes | None = None) -> Axes:
    """Draw the stacked shares of replications on each rung onto ``ax`` (a new one if None)."""
    if ax is None:
        ax = new_axes()
    days = band(table, RUNG_STYLE[0][0])["day"]
    shares = np.vstack([band(table, metric)["mean"] for metric, _, _ in RUNG_STYLE])
    rest = np.clip(1.0 - shares.sum(axis=0), 0.0, 1.0)
    dates = to_dates(start, days)
    ax.stackplot(
        dates,
        *shares,
        rest,
        colors=[colour for _, _, colour in RUNG_STYLE] + [NO_CEASEFIRE],
        labels=[label for _, label, _ in RUNG_STYLE] + ["no ceasefire yet"],
        step="post",
        lw=0,
    )
    ax.set_ylim(0.0, 1.0)
    ax.set_ylabel("share of replications")
    ax.set_title("Russia's rung on the escalation ladder (latest review)", loc="left")
    ax.grid(axis="x", visible=False)
    date_axis(ax)
    return ax
