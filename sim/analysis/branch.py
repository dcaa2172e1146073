"""What a seminar game shows of a branch: its fan of futures, what one timeline did, and the
change a move made.

A *branch* is the scenario with the moves played so far, run for the same replications under
the same seed. Its *fan* is the distribution of the headline outcomes over all of those
replications, from the start to the horizon: it is not conditioned on what the representative
timeline shows, except for the one line :func:`still_open` adds (the offensive risk among the
replications with no renewed offensive yet). A move's *change* is the branch after it minus
the branch before it, replication by replication (common random numbers), with the paired 95%
interval of :func:`sim.analysis.compare.difference`.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import numpy as np

from sim.analysis import formatting as fmt
from sim.analysis.compare import compare_rows
from sim.analysis.stats import proportion
from sim.analysis.story import ROUTINE
from sim.analysis.summary import columns, summarise
from sim.engine.trace import Trace

HEADLINE = (
    "offensive",
    "offensive_given_ceasefire",
    "ceasefire",
    "us_enablers",
    "reassurance_ioc",
    "deterrence_mean",
    "final_deployed_land",
    "probes",
    "cohesion_final",
)
"""The outcomes a turn shows, in order: the risk first, then the milestones, then the state."""

STATE = (
    ("ceasefire", "ceasefire"),
    ("offensive", "renewed offensive"),
    ("us.state", "U.S. backing"),
    ("deterrence", "deterrence"),
    ("deployed.reassurance.land", "land troops in Ukraine"),
    ("members.active", "active members"),
    ("cohesion", "cohesion"),
    ("financing.gap", "financing gap"),
    ("adversary.probes", "probes so far"),
)
"""The metrics a turn reads off the representative timeline at its day, with their labels."""

QUIET = frozenset({*ROUTINE, "hold", "gap"})
"""Event kinds a turn's timeline leaves out: routine deliveries, Russia's holds and the
financing gaps that open and close (the state line shows where they stand)."""


def fan_rows(kpis: np.ndarray, horizon: float) -> list[dict[str, Any]]:
    """The summary rows of the headline KPIs, each with ``spread`` (p10 / p50 / p90, or the
    Kaplan–Meier days of a milestone folded in) as the KPI tables print it.
    """
    rows = {row["kpi"]: row for row in summarise(kpis, horizon)}
    folded = fmt.folded()
    out = []
    for name in HEADLINE:
        row = dict(rows[name])
        twin = rows.get(folded.get(name, ""))
        spread = fmt.spread(row, twin)
        row["spread"] = (
            "" if set(spread.removeprefix("day ").split(" / ")) == {fmt.DASH} else spread
        )
        row["estimate_text"] = fmt.number(row["mean"], row["kind"], row["unit"])
        row["interval_text"] = fmt.interval(row["ci_low"], row["ci_high"], row["kind"], row["unit"])
        out.append(row)
    return out


def still_open(kpis: np.ndarray, day: float, horizon: float) -> dict[str, Any]:
    """Among replications with no renewed offensive by ``day``: how many, and the share that
    has one by the horizon (Wilson 95% interval).
    """
    offensive_day = columns(kpis)["offensive_day"]
    open_ = np.isnan(offensive_day) | (offensive_day > day)
    later = np.where(np.isnan(offensive_day), 0.0, 1.0)[open_]
    share = proportion(later)
    return {
        "day": day,
        "open": int(open_.sum()),
        "replications": len(offensive_day),
        "offensive": share.estimate,
        "ci_low": share.low,
        "ci_high": share.high,
        "horizon": horizon,
    }


def change_rows(before: np.ndarray, after: np.ndarray, horizon: float) -> list[dict[str, Any]]:
    """Per headline KPI, ``after`` minus ``before`` over the same replications: the comparison's
    paired rows (:func:`sim.analysis.compare.compare_rows`), with their text as the comparison
    tables print it.
    """
    rows = compare_rows(["before", "after"], [before, after], horizon, paired=True)
    changed = {row["kpi"]: row for row in rows if row["role"] == "alternative"}
    return [{**changed[name], "text": fmt.difference_text(changed[name])} for name in HEADLINE]


def unchanged(rows: list[dict[str, Any]]) -> bool:
    """Whether no headline KPI moved at all (every difference exactly 0 or undefined)."""
    return all(r["difference"] == 0 or math.isnan(r["difference"]) for r in rows)


def timeline(trace: Trace, after: float, upto: float, limit: int = 8) -> list[str]:
    """The timeline's key events with ``after < day <= upto`` (from the start when ``after``
    is negative), dated, at most ``limit`` and a count of the rest.
    """
    lines = []
    for day, kind, _actor, text in trace.events:
        if after < day <= upto and kind not in QUIET:
            when = trace.start + timedelta(days=int(day))
            lines.append(f"{when.isoformat()} (day {int(day):>3})  {text}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"({len(lines) - limit} more events not listed)"]
    return lines


def state_at(trace: Trace, day: float) -> list[tuple[str, str]]:
    """The :data:`STATE` metrics of the timeline at ``day``: their last value by then."""
    latest: dict[str, Any] = {}
    for when, metric, value in trace.records:
        if when > day:
            continue
        latest[metric] = value
    out = []
    for metric, label in STATE:
        if metric not in latest:
            continue
        value = latest[metric]
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif metric == "cohesion":
            text = f"{value:.0%}"
        elif metric == "deterrence":
            text = f"{value:.2f}"
        elif isinstance(value, float | int):
            text = f"{value:,.0f}"
        else:
            text = str(value)
        out.append((label, text))
    return out
