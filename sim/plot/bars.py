"""Bar charts: pillar fulfilment with intervals, and what each member pledges."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim.engine.pillars import PILLARS
from sim.plot.style import PALETTE, new_axes, styled
from sim.scenario.schema import Scenario


def _short(label: str) -> str:
    """A label broken over lines to fit under a bar."""
    return textwrap.fill(label, 14)


@styled
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
    if label is None:  # one scenario: each bar's value on it
        for xi, mean, high in zip(x, means, highs, strict=True):
            if np.isfinite(mean):
                ax.text(
                    xi,
                    mean + (high if np.isfinite(high) else 0) + 0.02,
                    f"{mean:.0%}",
                    ha="center",
                    va="bottom",
                    fontsize=9.5,
                )
    ax.set_ylim(0, 1.08)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
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


TOP = 8
"""Members named in each pillar's panel; the rest are summed into one bar."""


def _amount(value: float, unit: str) -> str:
    if unit.startswith("EUR"):
        return f"EUR {value:,.1f} bn" if value < 100 else f"EUR {value:,.0f} bn"
    return f"{value:,.0f} {unit}"


def _panels(scenario: Scenario) -> tuple[list[tuple[str, dict[str, float], str]], list[str]]:
    """Pillars with several pledgers (name, amounts by member, unit), and a line for each
    pillar that has one pledger only.
    """
    names = {m.id: m.name for m in scenario.members}
    horizon = float(scenario.horizon_days)
    panels: list[tuple[str, dict[str, float], str]] = []
    single: list[str] = []
    for name, pillar in PILLARS.items():
        specs = [p for p in scenario.pledges if p.pillar == name]
        amounts = {m: v for m, v in pillar.contributions(specs, horizon).items() if v > 0}
        if not amounts:
            continue
        unit = {"reassurance_force": "land troops", "training": "graduates"}.get(name, pillar.unit)
        if pillar.contribution_unit.startswith("each"):
            unit = ""  # equipment: compared within each category, so shares
        if len(amounts) == 1:
            member, value = next(iter(amounts.items()))
            what = _amount(value, unit) if unit else "all of it"
            single.append(f"{pillar.label}: {names.get(member, member)} only ({what})")
            continue
        panels.append((name, amounts, unit))
    return panels, single


def single_pledgers(scenario: Scenario) -> list[str]:
    """Pillars that one member alone pledges to, in words (the members plot leaves them out)."""
    return _panels(scenario)[1]


@styled
def member_contributions(scenario: Scenario, figure: Figure | None = None) -> Figure:
    """What each member pledges, pillar by pillar: amounts in the pillar's unit and shares.

    A panel per pillar that more than one member pledges to: the largest pledgers by name,
    the rest summed into one bar, each bar labelled with its amount and share. Pillars with a
    single pledger (:func:`single_pledgers`) are left to the caption rather than drawn as one
    full bar. Equipment is compared within each category, so its panel shows shares.
    """
    names = {m.id: m.name for m in scenario.members}
    panels, _single = _panels(scenario)
    columns = 2 if len(panels) > 1 else 1
    lines = -(-len(panels) // columns) if panels else 1
    if figure is None:
        figure = Figure(figsize=(12.0, 0.6 + 3.1 * lines), layout="constrained")
    axes = figure.subplots(lines, columns, squeeze=False)
    for index, ax in enumerate(axes.flat):
        if index >= len(panels):
            ax.set_visible(False)
            continue
        name, amounts, unit = panels[index]
        pillar = PILLARS[name]
        total = sum(amounts.values())
        ranked = sorted(amounts.items(), key=lambda kv: kv[1], reverse=True)
        shown = ranked[:TOP]
        rest = ranked[TOP:]
        labels = [names.get(k, k) for k, _ in shown]
        values = [v for _, v in shown]
        if rest:
            labels.append(f"{len(rest)} others")
            values.append(sum(v for _, v in rest))
        labels.reverse()
        values.reverse()
        colour = PALETTE[index % len(PALETTE)]
        ax.barh(labels, values, color=colour, alpha=0.85)
        for y, value in enumerate(values):
            share = value / total
            text = f"{_amount(value, unit)} ({share:.0%})" if unit else f"{share:.0%}"
            ax.text(value, y, "  " + text, va="center", ha="left", fontsize=9)
        ax.set_xlim(0, max(values) * 1.55)
        what = f"{_amount(total, unit)} in all" if unit else "shares within each category"
        ax.set_title(f"{pillar.label} — {what}", loc="left", fontsize=11)
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _p: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
        )
        if not unit:
            ax.xaxis.set_major_formatter(PercentFormatter(total, decimals=0))
        ax.set_xlabel(unit or "share of the category's pledges, averaged over categories")
        ax.tick_params(axis="y", labelsize=9.5)
        ax.grid(axis="y", visible=False)
    return figure
