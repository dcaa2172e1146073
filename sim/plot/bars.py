"""Bar charts: pillar fulfilment with intervals, and what each member pledges."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.engine.pillars import PILLARS
from sim.plot.style import PALETTE, new_axes
from sim.scenario.schema import Scenario


def _short(label: str) -> str:
    """A label broken over lines to fit under a bar."""
    return textwrap.fill(label, 14)


def fulfilment_bars(
    rows: list[dict[str, Any]],
    *,
    ax: Axes | None = None,
    colour: str = "#1f5fa8",
    label: str | None = None,
    offset: float = 0.0,
    width: float = 0.6,
) -> Axes:
    """Bars of delivered ÷ pledged per pillar with their 95% intervals (summary rows in)."""
    if ax is None:
        ax = new_axes(7.0, 3.8)
    by_name = {row["kpi"]: row for row in rows}
    pillars = list(PILLARS.values())
    means, lows, highs = [], [], []
    for pillar in pillars:
        row = by_name.get(pillar.kpi.name, {})
        mean = _value(row.get("mean"))
        means.append(mean)
        lows.append(mean - _value(row.get("ci_low"), mean))
        highs.append(_value(row.get("ci_high"), mean) - mean)
    x = np.arange(len(pillars)) + offset
    ax.bar(x, means, width=width, color=colour, alpha=0.85, label=label)
    ax.errorbar(x, means, yerr=[lows, highs], fmt="none", ecolor="#333333", capsize=3, lw=1)
    ax.set_xticks(np.arange(len(pillars)), [_short(p.label) for p in pillars])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("delivered ÷ pledged (mean, 95% CI)")
    return ax


def _value(value: float | None, default: float = np.nan) -> float:
    return default if value is None or np.isnan(value) else float(value)


def pledged_shares(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Each member's share of what is pledged in each pillar (shares of a pillar sum to 1).

    Each pillar says how its pledges compare (:meth:`~sim.engine.pillars.PledgeState.
    contributions`): training counts nominal graduates over the horizon, the reassurance force
    land troops, equipment shares within each category.
    """
    shares: dict[str, dict[str, float]] = {}
    for name, pillar in PILLARS.items():
        specs = [p for p in scenario.pledges if p.pillar == name]
        amounts = pillar.contributions(specs, float(scenario.horizon_days))
        total = sum(amounts.values())
        shares[name] = {m: v / total for m, v in amounts.items()} if total else {}
    return shares


def member_contributions(scenario: Scenario, figure: Figure | None = None) -> Figure:
    """Small multiples: each member's share of what is pledged in each pillar."""
    shares = pledged_shares(scenario)
    shown = [name for name in PILLARS if shares[name]]
    rows = max((len(shares[p]) for p in shown), default=1)
    if figure is None:
        figure = Figure(figsize=(3.1 * max(1, len(shown)), 1.2 + 0.2 * rows), layout="constrained")
    axes = figure.subplots(1, max(1, len(shown)), squeeze=False)[0]
    names = {m.id: m.name for m in scenario.members}
    for ax, name, colour in zip(axes, shown, PALETTE, strict=False):
        pillar = PILLARS[name]
        items = sorted(shares[name].items(), key=lambda kv: kv[1])
        labels = [names.get(k, k) for k, _ in items]
        ax.barh(labels, [v for _, v in items], color=colour, alpha=0.85)
        ax.set_title(pillar.label, loc="left")
        ax.set_xlabel(f"share of {pillar.contribution_unit or pillar.unit}")
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.tick_params(axis="y", labelsize=7.5)
        ax.grid(axis="y", visible=False)
    return figure
