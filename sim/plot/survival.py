"""Survival and cumulative-incidence curves from Kaplan–Meier estimates."""

from __future__ import annotations

from datetime import date

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from sim.analysis.survival import Survival
from sim.plot.style import date_axis, new_axes, styled, to_dates


@styled
def survival_curve(
    survival: Survival,
    start: date,
    *,
    ax: Axes | None = None,
    colour: str = "#1f5fa8",
    label: str = "no renewed offensive",
    incidence: bool = False,
) -> Axes:
    """Draw S(t) (or 1 − S(t) with ``incidence``) with its 95% band as steps over dates."""
    if ax is None:
        ax = new_axes()
    days = np.concatenate(([0.0], survival.times, [survival.horizon]))
    s, low, high = survival.curve(days)
    if incidence:
        s, low, high = 1 - s, 1 - high, 1 - low
    dates = to_dates(start, days)
    ax.fill_between(dates, low, high, step="post", color=colour, alpha=0.18, lw=0)
    counted = (
        f"reached in {survival.events} of {survival.n} replications"
        if incidence
        else f"the event happened in {survival.events} of {survival.n} replications"
    )
    ax.step(dates, s, where="post", color=colour, lw=1.8, label=f"{label} — {counted}")
    # Fit the axis to what is drawn (a 2% risk would otherwise be a flat line at the top),
    # keeping 0 or 1 in view when the curves come near them.
    low_y, high_y = float(ax.dataLim.y0), float(ax.dataLim.y1)
    bottom = 0.0 if low_y < 0.3 else max(0.0, low_y - 0.02)
    top = 1.0 if high_y > 0.7 else min(1.0, high_y + 0.05)
    pad = 0.02 * (top - bottom)
    ax.set_ylim(bottom - pad, top + pad)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("share of replications" + (" (axis does not start at 0)" if bottom > 0 else ""))
    date_axis(ax)
    return ax
