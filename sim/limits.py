"""The sizes every layer agrees on: seeds, replication numbers and sweep points.

Kept apart from the engine so that the command line can state them in its options without
importing the engine (and numpy and scipy with it) just to print ``--help``.
"""

from __future__ import annotations

MAX_SEED = 2**63
"""Seeds are 0 <= seed < MAX_SEED: the stream key takes the seed's 64 bits, and results store
the seed in an int64 Parquet column."""

MAX_REPLICATION = 2**31
"""Replication numbers are 0 <= r < MAX_REPLICATION: the Parquet column is int32."""

MAX_POINTS = 1_000_000
"""Default cap on a design's points (``--max-points``): a sampled design can ask for millions."""
