"""A Gantt-style timeline of one replication: ceasefire and violations, the U.S., financing
gaps, and each member's forces (committed, then deployed)."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.dates import date2num
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.engine.trace import Trace
from sim.plot.style import DOMAIN_COLOURS, REGIME_COLOURS, US_COLOURS, date_axis, new_axes

Span = tuple[float, float, Any]


def _spans(trace: Trace, metric: str) -> list[Span]:
    """(start, end, value) for each stretch of a metric's value."""
    changes = [(t, v) for t, m, v in trace.records if m == metric]
    spans: list[Span] = []
    for i, (t, v) in enumerate(changes):
        end = changes[i + 1][0] if i + 1 < len(changes) else float(trace.horizon)
        if end > t:
            spans.append((t, end, v))
    return spans


def _force_spans(trace: Trace) -> dict[str, list[tuple[float, float, str, str]]]:
    """Per member: (start, end, domain, 'committed'|'deployed') spans of its force pledges."""
    by_pledge: dict[str, list[tuple[float, str, str, float, float]]] = defaultdict(list)
    for t, pledge, member, domain, committed, deployed in trace.forces:
        by_pledge[pledge].append((t, member, domain, committed, deployed))
    lanes: dict[str, list[tuple[float, float, str, str]]] = defaultdict(list)
    for changes in by_pledge.values():
        for i, (t, member, domain, committed, deployed) in enumerate(changes):
            end = changes[i + 1][0] if i + 1 < len(changes) else float(trace.horizon)
            if end <= t:
                continue
            if deployed > 0:
                lanes[member].append((t, end, domain, "deployed"))
            elif committed > 0:
                lanes[member].append((t, end, domain, "committed"))
    return lanes


def timeline(trace: Trace, member_names: dict[str, str], *, ax: Axes | None = None) -> Axes:
    """Draw the replication's timeline; one lane per actor, dates along the bottom."""
    forces = _force_spans(trace)
    members = sorted(forces, key=lambda m: min(s[0] for s in forces[m]))
    lanes = ["Ceasefire & violations", "U.S. backing", "Financing gaps", *members]
    if ax is None:
        ax = new_axes(8.5, 1.6 + 0.32 * len(lanes))

    def x(day: float) -> float:
        return float(date2num(trace.start + timedelta(days=day)))

    def bar(
        lane: int,
        start: float,
        end: float,
        colour: str,
        height: float = 0.7,
        offset: float = 0.0,
        **style: Any,
    ) -> None:
        ax.broken_barh(
            [(x(start), x(end) - x(start))],
            (lane - height / 2 + offset, height),
            facecolors=colour,
            **style,
        )

    ceasefire = [s for s in _spans(trace, "ceasefire") if s[2]]
    regimes = _spans(trace, "violations.regime")
    for start, end, _ in ceasefire:
        for r_start, r_end, regime in regimes:
            lo, hi = max(start, r_start), min(end, r_end)
            if hi > lo:
                bar(0, lo, hi, REGIME_COLOURS[regime])
    for start, end, state in _spans(trace, "us.state"):
        if state != "none":
            bar(1, start, end, US_COLOURS[state])
    for start, end, paused in _spans(trace, "us.paused"):
        if paused:
            bar(1, start, end, "none", hatch="////", edgecolor="#555555", lw=0)
    for start, end, gap in _spans(trace, "financing.gap"):
        if gap:
            bar(2, start, end, "#c0392b", height=0.45)
    offsets = {"land": -0.22, "sea": 0.0, "air": 0.22, "neighbouring": 0.0}
    for lane, member in enumerate(members, start=3):
        for start, end, domain, status in forces[member]:
            colour = DOMAIN_COLOURS[domain]
            alpha = 1.0 if status == "deployed" else 0.35
            bar(lane, start, end, colour, height=0.22, offset=offsets[domain], alpha=alpha)
    offensive = trace.kpis.get("offensive_day", math.nan)
    attacked = not math.isnan(offensive)
    if attacked:
        ax.axvline(x(offensive), color="#b00020", lw=1.6)
    ax.set_yticks(range(len(lanes)), [member_names.get(lane, lane) for lane in lanes])
    ax.set_ylim(len(lanes) - 0.4, -0.6)
    ax.set_xlim(x(0), x(trace.horizon))
    ax.grid(axis="y", visible=False)
    date_axis(ax)
    legend: list[Artist] = [
        *(Patch(color=REGIME_COLOURS[r], label=f"violations: {r}") for r in REGIME_COLOURS),
        Patch(color=US_COLOURS["enablers"], label="U.S. enablers"),
        Patch(color=US_COLOURS["guarantee"], label="U.S. guarantee"),
        Patch(facecolor="none", hatch="////", edgecolor="#555555", label="U.S. pause"),
        Patch(color="#c0392b", label="financing gap"),
        *(
            Patch(color=DOMAIN_COLOURS[d], label=f"{d}: deployed (pale: committed)")
            for d in ("land", "sea", "air", "neighbouring")
        ),
    ]
    if attacked:
        legend.append(Line2D([], [], color="#b00020", lw=1.6, label="renewed offensive"))
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5)
    return ax
