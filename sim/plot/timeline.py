"""A Gantt-style timeline of one replication: ceasefire and violations, the U.S., financing
gaps, and each member's forces (committed, then deployed).
"""

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
from sim.plot.style import (
    DOMAIN_COLOURS,
    REGIME_COLOURS,
    REGIME_WORDS,
    US_COLOURS,
    date_axis,
    new_axes,
    styled,
)

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


@styled
def timeline(trace: Trace, member_names: dict[str, str], *, ax: Axes | None = None) -> Axes:
    """Draw the replication's timeline; one lane per actor, dates along the bottom.

    A renewed offensive ends the story: nothing is drawn after it, and the axis stops just
    past it. The legend names only what is drawn, in plain words.
    """
    offensive = trace.kpis.get("offensive_day", math.nan)
    attacked = not math.isnan(offensive)
    end = float(offensive) if attacked else float(trace.horizon)
    forces = {
        member: [(a, min(b, end), d, st) for a, b, d, st in spans if a < end]
        for member, spans in _force_spans(trace).items()
    }
    forces = {m: spans for m, spans in forces.items() if spans}
    members = sorted(forces, key=lambda m: min(s[0] for s in forces[m]))
    lanes = ["Ceasefire & violations", "U.S. backing", "Ukraine's budget", *members]
    if ax is None:
        ax = new_axes(11.0, 2.6 + 0.34 * len(lanes))
    drawn: dict[str, Artist] = {}

    def x(day: float) -> float:
        return float(date2num(trace.start + timedelta(days=day)))

    def bar(
        lane: int,
        start: float,
        stop: float,
        colour: str,
        height: float = 0.7,
        offset: float = 0.0,
        **style: Any,
    ) -> bool:
        stop = min(stop, end)
        if stop <= start:
            return False
        ax.broken_barh(
            [(x(start), x(stop) - x(start))],
            (lane - height / 2 + offset, height),
            facecolors=colour,
            **style,
        )
        return True

    ceasefire = [s for s in _spans(trace, "ceasefire") if s[2]]
    regimes = _spans(trace, "violations.regime")
    for start, stop, _ in ceasefire:
        for r_start, r_end, regime in regimes:
            lo, hi = max(start, r_start), min(stop, r_end)
            if hi > lo and bar(0, lo, hi, REGIME_COLOURS[regime]):
                drawn.setdefault(
                    f"regime:{regime}",
                    Patch(color=REGIME_COLOURS[regime], label=f"ceasefire, {REGIME_WORDS[regime]}"),
                )
    for start, stop, state in _spans(trace, "us.state"):
        if state != "none" and bar(1, start, stop, US_COLOURS[state]):
            drawn.setdefault(f"us:{state}", Patch(color=US_COLOURS[state], label=US_WORDS[state]))
    for start, stop, paused in _spans(trace, "us.paused"):
        if paused and bar(1, start, stop, "none", hatch="////", edgecolor="#555555", lw=0):
            drawn.setdefault(
                "pause",
                Patch(
                    facecolor="none", hatch="////", edgecolor="#555555", label="U.S. support paused"
                ),
            )
    for start, stop, gap in _spans(trace, "financing.gap"):
        if gap and bar(2, start, stop, "#c0392b", height=0.45):
            drawn.setdefault("gap", Patch(color="#c0392b", label="Ukraine's budget empty"))
    offsets = {"land": -0.22, "sea": 0.0, "air": 0.22, "neighbouring": 0.0}
    for lane, member in enumerate(members, start=3):
        for start, stop, domain, status in forces[member]:
            colour = DOMAIN_COLOURS[domain]
            alpha = 1.0 if status == "deployed" else 0.35
            if bar(lane, start, stop, colour, height=0.22, offset=offsets[domain], alpha=alpha):
                where = "in a neighbouring country" if domain == "neighbouring" else "in Ukraine"
                what = DOMAIN_WORDS[domain]
                key = f"{domain}:{status}"
                label = (
                    f"{what} deployed {where}"
                    if status == "deployed"
                    else f"{what} committed, not yet deployed"
                )
                drawn.setdefault(key, Patch(color=colour, alpha=alpha, label=label))
    if attacked:
        ax.axvline(x(offensive), color="#b00020", lw=1.8)
        drawn["offensive"] = Line2D(
            [], [], color="#b00020", lw=1.8, label="renewed major offensive (the story ends)"
        )
    ax.set_yticks(range(len(lanes)), [member_names.get(lane, lane) for lane in lanes])
    ax.set_ylim(len(lanes) - 0.4, -0.6)
    ax.set_xlim(x(0), x(end + (0.02 * trace.horizon if attacked else 0.0)))
    ax.grid(axis="y", visible=False)
    date_axis(ax)
    order = [k for k in _LEGEND_ORDER if k in drawn]
    ax.legend(
        handles=[drawn[k] for k in order],
        loc="upper left",
        bbox_to_anchor=(0.0, -0.06),
        ncols=3,
        fontsize=9,
    )
    return ax


US_WORDS = {"enablers": "U.S. enablers approved", "guarantee": "U.S. guarantee ratified"}
DOMAIN_WORDS = {"land": "land troops", "sea": "ships", "air": "aircraft", "neighbouring": "troops"}
_LEGEND_ORDER = (
    *(f"regime:{r}" for r in REGIME_COLOURS),
    "us:enablers",
    "us:guarantee",
    "pause",
    "gap",
    *(f"{d}:{s}" for d in DOMAIN_COLOURS for s in ("deployed", "committed")),
    "offensive",
)
