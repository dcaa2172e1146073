"""Key findings written from the numbers: what changes, by how much, and how sure we are.

Only a difference whose 95% interval excludes zero is stated as a change ("rises from 24% to
68% (+44 points, 95% CI +43 to +46)"); a headline KPI that does not move significantly is
said to be indistinguishable, with its interval, rather than left out. Event-day KPIs that
repeat a share are skipped (the share says it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.analysis import formatting as fmt
from sim.engine import catalogue

HEADLINE = (
    "offensive_given_ceasefire",
    "offensive",
    "share_below_threshold",
    "deterrence_mean",
    "us_enablers",
    "reassurance_ioc",
    "final_deployed_land",
)
"""KPIs every comparison speaks to, changed or not, in this order."""
MOST = 8


@dataclass(frozen=True)
class Finding:
    """One sentence, and whether it states a significant change."""

    text: str
    significant: bool
    kpi: str


def lower_first(text: str) -> str:
    """The text with its first letter in lower case, unless it begins an abbreviation.

    "A renewed offensive" → "a renewed offensive"; "U.S. enablers" stays as it is.
    """
    if len(text) > 1 and (text[1].isupper() or text[1] in ".'"):
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def _subject(name: str) -> str:
    kpi = catalogue.get(name)
    text = lower_first(kpi.description)
    if kpi.kind == "probability":
        return f"the share of replications with {text}"
    if kpi.kind == "event_day":
        return f"the share of replications reaching: {text}"
    return text


def _unit_word(row: dict[str, Any]) -> str:
    """The unit after a number in a sentence ("5,080 troops"), none for shares and indices."""
    if fmt.is_share(_kind(row), row["unit"]) or row["unit"] in ("index", "count", "share"):
        return ""
    return f" {row['unit']}"


def _kind(row: dict[str, Any]) -> str:
    return "probability" if row["kind"] == "event_day" else str(row["kind"])


def _value(value: Any, row: dict[str, Any]) -> str:
    return fmt.number(value, _kind(row), row["unit"])


def _change(value: Any, row: dict[str, Any]) -> str:
    kind, unit = _kind(row), row["unit"]
    if fmt.is_share(kind, unit):
        return f"{float(value) * 100:+.1f} points"
    return fmt.signed(value, kind, unit)


def _ci(row: dict[str, Any]) -> str:
    kind, unit = _kind(row), row["unit"]
    low, high = row["diff_ci_low"], row["diff_ci_high"]
    if fmt.is_share(kind, unit):
        return f"95% CI {float(low) * 100:+.1f} to {float(high) * 100:+.1f}"
    return f"95% CI {fmt.signed(low, kind, unit)} to {fmt.signed(high, kind, unit)}"


def sentence(reference: dict[str, Any], row: dict[str, Any]) -> Finding:
    """One KPI's difference as a sentence (``row`` an alternative's compare row)."""
    subject = _subject(row["kpi"])
    before, after = _value(reference["estimate"], row), _value(row["estimate"], row)
    unit = _unit_word(row)
    if row["significant"]:
        verb = "rises" if row["difference"] > 0 else "falls"
        text = (
            f"{upper_first(subject)} {verb} from {before}{unit} to {after}{unit} "
            f"({_change(row['difference'], row)}, {_ci(row)})."
        )
        return Finding(text, True, row["kpi"])
    text = (
        f"{upper_first(subject)} is not distinguishable from the reference: "
        f"{before}{unit} and {after}{unit} ({_change(row['difference'], row)}, {_ci(row)}, "
        "an interval that includes zero)."
    )
    return Finding(text, False, row["kpi"])


def _strength(row: dict[str, Any]) -> float:
    """How many half-widths the difference is from zero (for ordering)."""
    half = (row["diff_ci_high"] - row["diff_ci_low"]) / 2
    return abs(row["difference"]) / half if half else math.inf


def comparison_findings(rows: list[dict[str, Any]]) -> dict[str, list[Finding]]:
    """Per alternative, its findings: headline KPIs first, then the strongest other changes."""
    skip = set(fmt.folded().values())
    by_key = {(r["kpi"], r["scenario"]): r for r in rows}
    references = {r["kpi"]: r for r in rows if r["role"] == "reference"}
    alternatives = list(dict.fromkeys(r["scenario"] for r in rows if r["role"] != "reference"))
    out: dict[str, list[Finding]] = {}
    for label in alternatives:
        found: list[Finding] = []
        usable = [
            r
            for r in rows
            if r["scenario"] == label
            and r["kpi"] not in skip
            and r["difference"] is not None
            and not any(
                isinstance(r[k], float) and math.isnan(r[k])
                for k in ("difference", "diff_ci_low", "diff_ci_high")
            )
        ]
        names = {r["kpi"] for r in usable}
        for name in HEADLINE:
            if name in names:
                found.append(sentence(references[name], by_key[(name, label)]))
        others = sorted(
            (r for r in usable if r["kpi"] not in HEADLINE and r["significant"]),
            key=_strength,
            reverse=True,
        )
        for row in others[: max(0, MOST - len(found))]:
            found.append(sentence(references[row["kpi"]], row))
        out[label] = found
    return out


def run_findings(rows: list[dict[str, Any]]) -> list[str]:
    """A run's headline KPIs as sentences: estimate and 95% interval, in plain words."""
    by_name = {row["kpi"]: row for row in rows}
    out = []
    for name in HEADLINE:
        row = by_name.get(name)
        if row is None or row["mean"] is None or _nan(row["mean"]):
            continue
        kind, unit = row["kind"], row["unit"]
        subject = _subject(name)
        if kind == "probability":
            value = f"{fmt.number(row['mean'], kind, unit)} of replications"
            subject = subject.replace("the share of replications with ", "")
            subject = upper_first(subject)
        else:
            value = fmt.number(row["mean"], kind, unit)
            value += _unit_word({"kind": kind, "unit": unit})
            subject = f"{upper_first(subject)} (mean)"
        ci = fmt.interval(row["ci_low"], row["ci_high"], kind, unit)
        basis = f"{row['n']:,} replications"
        out.append(f"{subject}: {value} (95% CI {ci}; {basis}).")
    return out


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)
