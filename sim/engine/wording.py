"""Small helpers so the narrative reads as English: possessives and counted nouns."""

from __future__ import annotations

_SINGULAR = {"troops": "troop", "ships": "ship", "aircraft": "aircraft", "units": "unit"}


def possessive(name: str) -> str:
    """The possessive of a name: "France's", "the Netherlands'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def counted(amount: float, unit: str) -> str:
    """An amount and its unit, singular for one: "3,000 troops", "1 ship", "2.5 units"."""
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.1f}"
    return f"{number} {_SINGULAR.get(unit, unit) if amount == 1 else unit}"


def the(name: str) -> str:
    """The name, with an article if it reads with one: "the United Kingdom", "Poland"."""
    if name.startswith(("United ", "European ", "Czech Republic")) or name == "Netherlands":
        return f"the {name}"
    return name


def listing(names: list[str]) -> str:
    """Names as an English list: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def capitalised(text: str) -> str:
    """The text with its first letter in upper case ("the United Kingdom" → "The ...")."""
    return text[:1].upper() + text[1:]


ADJECTIVES = {
    "POL": "Polish",
    "ROU": "Romanian",
    "SVK": "Slovak",
    "HUN": "Hungarian",
    "MDA": "Moldovan",
}

HOST_PROBES = (
    "a drone incursion into {adjective} airspace",
    "sabotage on a rail line in {name}",
    "Russian jets violating {adjective} airspace",
    "decoy drones and GNSS jamming over {name}",
)
"""What a probe of a country bordering Ukraine looks like (docs/CALIBRATION.md §14.1)."""

FORCE_PROBES = (
    "drones over the coalition's positions in Ukraine",
    "a spike of shelling near the coalition's positions",
    "GNSS jamming and drone reconnaissance of the coalition's bases",
)
"""What a probe of the reassurance force looks like (docs/CALIBRATION.md §14.7, rung 1)."""
