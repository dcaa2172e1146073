"""Bar charts: pillar fulfilment with intervals, and what each member pledges."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.plot.style import PALETTE, new_axes
from sim.scenario.schema import Scenario

PILLARS = ("training", "financing", "equipment", "reassurance", "neighbouring")
PILLAR_NAMES = {
    "training": "Training",
    "financing": "Financing",
    "equipment": "Equipment",
    "reassurance": "Reassurance force",
    "neighbouring": "Neighbouring deployments",
}
SHORT_NAMES = {
    "training": "Training",
    "financing": "Financing",
    "equipment": "Equipment",
    "reassurance": "Reassurance\nforce",
    "neighbouring": "Neighbouring\ndeployments",
}


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
    means, lows, highs = [], [], []
    for pillar in PILLARS:
        row = by_name.get(f"fulfilment_{pillar}", {})
        mean = _value(row.get("mean"))
        means.append(mean)
        lows.append(mean - _value(row.get("ci_low"), mean))
        highs.append(_value(row.get("ci_high"), mean) - mean)
    x = np.arange(len(PILLARS)) + offset
    ax.bar(x, means, width=width, color=colour, alpha=0.85, label=label)
    ax.errorbar(x, means, yerr=[lows, highs], fmt="none", ecolor="#333333", capsize=3, lw=1)
    ax.set_xticks(np.arange(len(PILLARS)), [SHORT_NAMES[p] for p in PILLARS])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("delivered ÷ pledged (mean, 95% CI)")
    return ax


def _value(value: float | None, default: float = np.nan) -> float:
    return default if value is None or np.isnan(value) else float(value)


def pledged_shares(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Each member's share of what is pledged in each pillar (shares of a pillar sum to 1).

    Units differ within equipment (fire units, tubes, thousands of shells...), so a member's
    equipment share is its share of each category, averaged over the categories pledged.
    Training counts nominal graduates over the horizon; the reassurance force, land troops.
    """
    amounts: dict[str, dict[str, float]] = {p: defaultdict(float) for p in PILLARS}
    categories: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    horizon = scenario.horizon_days
    for pledge in scenario.pledges:
        if pledge.pillar == "training":
            courses = horizon // pledge.course_days
            amounts["training"][pledge.member] += pledge.capacity * courses * (1 - pledge.washout)
        elif pledge.pillar == "financing":
            amounts["financing"][pledge.member] += pledge.amount
        elif pledge.pillar == "equipment":
            categories[pledge.category][pledge.member] += pledge.quantity
        elif pledge.pillar == "reassurance_force":
            if pledge.domain == "land":
                amounts["reassurance"][pledge.member] += pledge.amount
        else:
            amounts["neighbouring"][pledge.member] += pledge.amount
    for by_member in categories.values():
        total = sum(by_member.values())
        for member, quantity in by_member.items():
            amounts["equipment"][member] += quantity / total / len(categories)
    shares: dict[str, dict[str, float]] = {}
    for pillar, by_member in amounts.items():
        total = sum(by_member.values())
        shares[pillar] = {m: v / total for m, v in by_member.items()} if total else {}
    return shares


def member_contributions(scenario: Scenario, figure: Figure | None = None) -> Figure:
    """Small multiples: each member's share of what is pledged in each pillar."""
    shares = pledged_shares(scenario)
    units = {
        "training": "share of nominal graduates",
        "financing": "share of EUR pledged",
        "equipment": "share, averaged over categories",
        "reassurance": "share of land troops for Ukraine",
        "neighbouring": "share of troops",
    }
    shown = [p for p in PILLARS if shares[p]]
    rows = max((len(shares[p]) for p in shown), default=1)
    if figure is None:
        figure = Figure(figsize=(3.1 * max(1, len(shown)), 1.2 + 0.2 * rows), layout="constrained")
    axes = figure.subplots(1, max(1, len(shown)), squeeze=False)[0]
    names = {m.id: m.name for m in scenario.members}
    for ax, pillar, colour in zip(axes, shown, PALETTE, strict=False):
        items = sorted(shares[pillar].items(), key=lambda kv: kv[1])
        labels = [names.get(k, k) for k, _ in items]
        ax.barh(labels, [v for _, v in items], color=colour, alpha=0.85)
        ax.set_title(PILLAR_NAMES[pillar], loc="left")
        ax.set_xlabel(units[pillar])
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.tick_params(axis="y", labelsize=7.5)
        ax.grid(axis="y", visible=False)
    return figure
