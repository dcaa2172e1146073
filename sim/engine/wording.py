"""Small helpers so the narrative reads as English: possessives and counted nouns."""

from __future__ import annotations

_SINGULAR = {"troops": "troop", "ships": "ship", "aircraft": "aircraft", "units": "unit"}


def possessive(name: str) -> str:
    """ "France's", "the Netherlands'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def counted(amount: float, unit: str) -> str:
    """ "3,000 troops", "1 ship", "2.5 units"."""
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.1f}"
    return f"{number} {_SINGULAR.get(unit, unit) if amount == 1 else unit}"
