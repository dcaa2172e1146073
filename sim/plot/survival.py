"""Survival and cumulative-incidence curves from Kaplan–Meier estimates."""

from __future__ import annotations

from datetime import date

import numpy as np
from matplotlib.axes import Axes

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
    ax.step(dates, s, where="post", color=colour, lw=1.8, label=f"{label} ({counted})")
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("share of replications")
    date_axis(ax)
    return ax
