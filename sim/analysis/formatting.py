"""Numbers as people read them: whole, with thousands separators, in the KPI's own unit.

Terminal tables, Markdown and the HTML report all print KPI values through these functions, so
a share reads "24.3%" and a difference of shares "+4.4 pts" everywhere, and no layout ever has
to cut a number short. Which rows a table shows is decided here too: an event-day KPI whose
share of replications is already a probability KPI (``us_enablers_day`` beside
``us_enablers``) adds only its timing, so tables fold it into that row.
"""

from __future__ import annotations

import math
from typing import Any

from sim.engine import catalogue
from sim.engine.catalogue import KPI

DASH = "—"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def is_share(kind: str, unit: str) -> bool:
    """True for KPIs read as percentages: probabilities, event days (reached by the horizon,
    in comparisons) and means whose unit is a share.
    """
    return kind == "probability" or unit == "share"


def number(value: Any, kind: str = "mean", unit: str = "") -> str:
    """A KPI value: shares as percentages, large numbers with separators, never cut short."""
    if _missing(value):
        return DASH
    v = float(value)
    if is_share(kind, unit):
        return f"{v:.1%}"
    if abs(v) >= 100 or (unit in ("day", "days") and kind in ("event_day", "duration")):
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:,.1f}"
    if v == 0:
        return "0"
    return f"{v:.3g}" if abs(v) >= 0.001 else f"{v:.2e}"


def signed(value: Any, kind: str = "mean", unit: str = "", points: bool = True) -> str:
    """A difference: shares in percentage points ("+4.4 pts"), other values with their sign."""
    if _missing(value):
        return DASH
    v = float(value)
    if is_share(kind, unit):
        return f"{v * 100:+.1f}" + (" pts" if points else "")
    if abs(v) >= 100:
        return f"{v:+,.0f}"
    if abs(v) >= 10:
        return f"{v:+,.1f}"
    if v == 0:
        return "0"
    return f"{v:+.3g}"


def interval(low: Any, high: Any, kind: str = "mean", unit: str = "") -> str:
    """A 95% interval, "1.1% – 5.7%"."""
    if _missing(low) and _missing(high):
        return DASH
    return f"{number(low, kind, unit)} – {number(high, kind, unit)}"


def signed_interval(low: Any, high: Any, kind: str = "mean", unit: str = "") -> str:
    """A difference's interval, "[+2.6, +6.2]" (points implied by the estimate beside it)."""
    if _missing(low) and _missing(high):
        return ""
    return f"[{signed(low, kind, unit, False)}, {signed(high, kind, unit, False)}]"


def p_value(value: Any) -> str:
    """A p-value to two significant figures, "<0.001" below that."""
    if _missing(value):
        return DASH
    v = float(value)
    return "<0.001" if v < 0.001 else f"{v:.2g}"


def unit_label(kpi: KPI) -> str:
    """What a KPI's value counts, in words for a table's unit column."""
    if kpi.kind == "probability":
        return "% of replications"
    if kpi.kind == "event_day":
        return "day (restricted mean)"
    if kpi.unit == "share":
        return "%"
    return kpi.unit


def partner(kpi: KPI) -> KPI | None:
    """The probability KPI an event-day KPI repeats (``us_enablers`` for ``us_enablers_day``),
    or None.
    """
    if kpi.kind != "event_day" or not kpi.name.endswith("_day"):
        return None
    name = kpi.name.removesuffix("_day")
    if name in catalogue.names() and catalogue.get(name).kind == "probability":
        return catalogue.get(name)
    return None


def folded() -> dict[str, str]:
    """Event-day KPIs folded into their probability KPI's row: {probability: event day}."""
    out = {}
    for kpi in catalogue.kpis():
        twin = partner(kpi)
        if twin is not None:
            out[twin.name] = kpi.name
    return out


def estimate_text(row: dict[str, Any]) -> str:
    """A compare row's estimate (event days as the share reaching the event by the horizon)."""
    kind = "probability" if row["kind"] == "event_day" else row["kind"]
    return number(row["estimate"], kind, row["unit"])


def difference_text(row: dict[str, Any]) -> str:
    """``+4.4 pts [+2.6, +6.2] * p<0.001``: an alternative's difference, its 95% interval,
    and the star and p of the same test (no p for Newcombe's interval).
    """
    kind = "probability" if row["kind"] == "event_day" else row["kind"]
    unit = row["unit"]
    mark = " *" if row.get("significant") else ""
    p = row.get("test_p_value")
    tail = ""
    if p is not None and not (isinstance(p, float) and math.isnan(p)):
        shown = p_value(p)
        tail = f" p{shown}" if shown.startswith("<") else f" p={shown}"
    return (
        f"{signed(row['difference'], kind, unit)} "
        f"{signed_interval(row['diff_ci_low'], row['diff_ci_high'], kind, unit)}{mark}{tail}"
    ).strip()


def spread(row: dict[str, Any], day: dict[str, Any] | None = None) -> str:
    """The p10 / p50 / p90 cell of a summary row.

    A probability shown with its event day (``day``, that KPI's row) gets the day's quantiles;
    a probability or a rate alone gets none, since its replications are mostly 0 or 1.
    """
    if day is not None:
        return "day " + " / ".join(
            number(day[q], "event_day", "day") for q in ("p10", "p50", "p90")
        )
    if row["kind"] in ("probability", "rate"):
        return ""
    return " / ".join(number(row[q], row["kind"], row["unit"]) for q in ("p10", "p50", "p90"))
