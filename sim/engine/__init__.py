"""The discrete-event engine: one replication of a what-if timeline as a pure function."""

from sim.engine.model import simulate
from sim.engine.trace import SERIES, Trace

__all__ = ["SERIES", "Trace", "simulate"]
