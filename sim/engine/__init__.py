"""The discrete-event engine: one replication of a what-if timeline as a pure function.

Its names are imported on first use, so that a light module of the package (the KPI
catalogue, which the command line reads for its tables) does not bring SimPy and scipy along.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.engine.model import simulate as simulate
    from sim.engine.trace import SERIES as SERIES
    from sim.engine.trace import Trace as Trace

__all__ = ["SERIES", "Trace", "simulate"]

_LAZY = {"SERIES": "sim.engine.trace", "Trace": "sim.engine.trace", "simulate": "sim.engine.model"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim.engine' has no attribute {name!r}")
