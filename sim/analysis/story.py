"""The after-action report of one replication: a dated narrative ending with its outcome.

The timeline keeps what shapes the outcome — the ceasefire, mandates, commitments and
deployments, the U.S., violations, shocks, Russia's decisions and the answers they meet, the
rules that move the U.S. threshold or drop a member's condition, the offensive; routine
deliveries (first tranches, first equipment lots, training places, pledges not honoured) are
summarised after it. A run of reviews at which Russia holds, with no other decision between
them, is told once, at its first review, with the reasons at its first and last.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import TYPE_CHECKING

from sim.engine.trace import Trace

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

ROUTINE = {
    "financing": "First financing tranches",
    "delivery": "First equipment deliveries",
    "training": "Training places opened",
    "lapse": "Pledges not honoured",
}
_REPEATED = {"gap": "financing gaps"}
_LISTED = 3
DECISIONS = ("hold", "probe", "incursion", "offensive")
"""The narrative kinds of Russia's decisions on the ladder."""
_HOLD = "Russia holds: "


def _when(trace: Trace, day: float) -> str:
    date = trace.start + timedelta(days=int(day))
    return f"{date.isoformat()} (day {int(day):>3})"


def _day(trace: Trace, value: float) -> str:
    if math.isnan(value):
        return f"not within the {trace.horizon}-day horizon"
    return f"on {(trace.start + timedelta(days=int(value))).isoformat()} (day {int(value)})"


def _routine(trace: Trace) -> list[str]:
    lines = []
    for kind, title in ROUTINE.items():
        events = [e for e in trace.events if e[1] == kind]
        if not events:
            continue
        first, last = events[0][0], events[-1][0]
        span = (
            f"on {_when(trace, first)}"
            if first == last
            else f"from {_when(trace, first)} to {_when(trace, last)}"
        )
        examples = "; ".join(e[3] for e in events[:2])
        more = f"; and {len(events) - 2} more" if len(events) > 2 else ""
        lines.append(f"{title}: {len(events)}, {span}. {examples}{more}.")
    return lines


def _hold_runs(trace: Trace) -> dict[int, tuple[int, float, str]]:
    """Runs of holds: index of each run's first event → (count, last day, last reasons)."""
    runs: dict[int, tuple[int, float, str]] = {}
    first: int | None = None
    for i, (day, kind, _actor, text) in enumerate(trace.events):
        if kind == "hold":
            if first is None:
                first = i
                runs[i] = (1, day, text.removeprefix(_HOLD))
            else:
                count = runs[first][0]
                runs[first] = (count + 1, day, text.removeprefix(_HOLD))
        elif kind in DECISIONS:
            first = None
    return runs


def _hold_line(trace: Trace, text: str, run: tuple[int, float, str]) -> str:
    count, last_day, last = run
    if count == 1:
        return text
    more = "the next" if count == 2 else f"the next {count - 1}"
    return (
        f"Russia holds at this review and {more}, to {_when(trace, last_day)} — "
        f"first: {text.removeprefix(_HOLD)}; last: {last}"
    )


def _moves(trace: Trace, k: dict[str, float]) -> list[str]:
    """The outcome lines on Russia's moves and the answers, where the trace has them."""
    if "probes" not in k:
        return []
    rungs = ("hold", "probe", "limited incursion", "major offensive")
    top = k["max_rung"]
    highest = "none (no ceasefire)" if math.isnan(top) else rungs[int(top)]
    incursion = (
        f"a limited incursion first {_day(trace, k['incursion_day'])}"
        if k["incursion"]
        else "no limited incursion"
    )
    return [
        f"Russia's moves below war: {k['probes']:.0f} probes ({k['probes_unanswered']:.0f} "
        f"unanswered), {incursion}; highest rung: {highest}",
        f"Members' answers: {k['responses_reinforce']:.0f} reinforce, "
        f"{k['responses_stand_firm']:.0f} stand firm, {k['responses_withdraw']:.0f} withdraw",
    ]


_COMPARISON = re.compile(
    r"^\s*([a-z_][a-z0-9_.]*)\s*(>=|>|<=|<)\s*(-?[0-9.]+|[a-z_][a-z0-9_.]*)\s*$"
)
_WORDS = {
    "committed.reassurance.land": "committed land troops",
    "deployed.reassurance.land": "land troops in Ukraine",
    "committed.reassurance.sea": "committed ships",
    "committed.reassurance.air": "committed aircraft",
    "deployed.reassurance.nations": "nations deployed",
}


def _series(trace: Trace, metric: str) -> list[float]:
    return [float(v) for _, m, v in trace.records if m == metric and not isinstance(v, str)]


def _bound(trace: Trace, text: str) -> tuple[float, float] | None:
    """The number a condition compares with, as (lowest, highest) over the replication: a
    constant, or a metric such as ``us.threshold`` that moves (None if never recorded).
    """
    try:
        number = float(text)
    except ValueError:
        values = _series(trace, text)
        return (min(values), max(values)) if values else None
    return number, number


def why_not(trace: Trace, conditions: list[str], what: str) -> str:
    """Why conditions never all held: the shortfall of each threshold that was not reached
    ("committed land troops reached at most 9,495 of the 10,000 the U.S. requires"; a threshold
    that moved is given as its range, "of the 7,500-10,000").
    """
    reasons = []
    for text in conditions:
        found = _COMPARISON.match(text)
        if found:
            metric, op = found.group(1), found.group(2)
            values = _series(trace, metric)
            bound = _bound(trace, found.group(3))
            if not values or bound is None:
                continue
            upward = op in (">=", ">")
            peak = max(values) if upward else min(values)
            easiest = bound[0] if upward else bound[1]
            met = {
                ">=": peak >= easiest,
                ">": peak > easiest,
                "<=": peak <= easiest,
                "<": peak < easiest,
            }[op]
            if not met:
                words = _WORDS.get(metric, metric)
                reach = "at most" if upward else "at least"
                low, high = bound
                level = f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}"
                reasons.append(f"{words} reached {reach} {peak:,.0f} of the {level} {what}")
        elif text.strip() == "ceasefire" and not any(
            m == "ceasefire" and v for _, m, v in trace.records
        ):
            reasons.append("no ceasefire came")
    return "; ".join(reasons)


def _outcome_us(trace: Trace, scenario: Scenario | None) -> str:
    k = trace.kpis
    enablers = _day(trace, k["us_enablers_day"])
    if math.isnan(k["us_enablers_day"]) and scenario is not None:
        rule = scenario.us.enablers
        if rule.probability == 0:
            enablers = "never — the scenario gives the U.S. no chance of saying yes"
        else:
            reason = why_not(trace, [str(c) for c in rule.conditions], "the U.S. requires")
            enablers = (
                f"never — {reason}"
                if reason
                else f"never — the conditions held at times, but no review said yes "
                f"(probability {rule.probability:g} per review)"
            )
    return f"U.S. enablers: {enablers}; guarantee: {_day(trace, k['us_guarantee_day'])}"


def render_story(trace: Trace, *, full: bool = False, scenario: Scenario | None = None) -> str:
    """The narrative text of a replication, one dated line per key event, then the outcome.

    ``full`` lists every event, routine deliveries included, with no summary of them;
    ``scenario`` lets the outcome say why a milestone never came.
    """
    lines = [
        f"After-action report — scenario '{trace.scenario}', seed {trace.seed}, "
        f"replication {trace.rep}",
        f"{trace.start.isoformat()} to "
        f"{(trace.start + timedelta(days=trace.horizon)).isoformat()} ({trace.horizon} days). "
        "A what-if under stated assumptions — not a forecast.",
        "",
    ]
    counts: dict[str, int] = {}
    runs = _hold_runs(trace)
    for i, (day, kind, _actor, text) in enumerate(trace.events):
        if full:
            lines.append(f"{_when(trace, day)}  {text}")
            continue
        if kind in ROUTINE:
            continue
        if kind == "hold":
            if i in runs:
                lines.append(f"{_when(trace, day)}  {_hold_line(trace, text, runs[i])}")
            continue
        if kind in _REPEATED:
            counts[kind] = counts.get(kind, 0) + 1
            if counts[kind] > _LISTED:
                continue
        lines.append(f"{_when(trace, day)}  {text}")
    for kind, count in counts.items():
        if count > _LISTED:
            lines.append(f"{'':23}  ({count - _LISTED} more {_REPEATED[kind]} not listed)")
    routine = [] if full else _routine(trace)
    if routine:
        lines += ["", "Deliveries", "----------", *routine]
    k = trace.kpis
    lines += ["", "Outcome", "-------"]
    lines.append(f"Renewed major offensive: {_day(trace, k['offensive_day'])}")
    lines.append(f"Ceasefire: {_day(trace, k['ceasefire_day'])}")
    lines.append(_outcome_us(trace, scenario))
    lines.append(
        f"Reassurance force IOC: {_day(trace, k['reassurance_ioc_day'])}; "
        f"FOC: {_day(trace, k['reassurance_foc_day'])}"
    )
    lines.append(
        f"At the horizon: {k['final_deployed_land']:,.0f} troops, {k['final_deployed_sea']:,.0f} "
        f"ships and {k['final_deployed_air']:,.0f} aircraft in Ukraine; "
        f"{k['final_neighbouring']:,.0f} troops in neighbouring countries"
    )
    if math.isnan(k["deterrence_mean"]):
        lines.append("Deterrence: no ceasefire to deter a renewed offensive from")
    else:
        lines.append(
            f"Deterrence while the ceasefire held: mean {k['deterrence_mean']:.2f}, minimum "
            f"{k['deterrence_min']:.2f}, {k['share_below_threshold']:.0%} of its days below the "
            "threshold"
        )
    lines += _moves(trace, k)
    lines.append(
        f"Ceasefire violations: {k['violations']:,.0f}; financing-gap days: "
        f"{k['financing_gap_days']:.0f}; military-sustainment gap days: "
        f"{k['sustainment_gap_days']:.0f}; cohesion at the horizon: {k['cohesion_final']:.0%}"
    )
    fulfilment = ", ".join(
        f"{name.removeprefix('fulfilment_')} {k[name]:.0%}"
        for name in k
        if name.startswith("fulfilment_") and not math.isnan(k[name])
    )
    lines.append(f"Pledges fulfilled: {fulfilment}")
    lines.append(f"({trace.n_events:,} simulation events)")
    return "\n".join(lines)
