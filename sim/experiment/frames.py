"""pandas DataFrames of results, for notebooks (pandas is the ``notebook`` extra).

pandas is imported only when a frame is asked for, so the package runs without it.
"""

from __future__ import annotations

from typing import Any

from sim.errors import MissingExtra


def pandas() -> Any:
    """The pandas module.

    Raises:
        MissingExtra: pandas is not installed.
    """
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise MissingExtra(
            "pandas is needed for to_pandas(): pip install 'coalition-wargame[notebook]'"
        ) from None
    return pd


def frame(rows: list[dict[str, Any]], index: str | None = None) -> Any:
    """A DataFrame of row dictionaries (``index`` as its index when given)."""
    table = pandas().DataFrame.from_records(rows)
    return table.set_index(index) if index is not None and len(table) else table
