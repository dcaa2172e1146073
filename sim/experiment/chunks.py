"""How a sweep's work is cut into chunks: the unit of dispatch, of storage and of resuming.

A chunk is a block of consecutive design points × a block of replications, written as one
Parquet file when it finishes. Sweeps of few replications per point pack many points into a
chunk, so that files grow with chunks, not points (a 100,000-point sweep of one replication per
point writes 100 files, not 100,000); sweeps of many replications keep one point per chunk and
split its replications, as they always did. The layout is fixed when the sweep is created and
recorded in its manifest: it depends only on the design's size, never on the workers, so a
sweep resumed with other workers (or on a Dask cluster) looks for exactly the same files, and
listing ``chunks/`` says exactly which work is done.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_CHUNK_REPS = 1_000
"""Most replications in a chunk of packed points: seconds of work, small enough that an
interrupted sweep loses little and a progress bar moves."""
POINT_CHUNK_REPS = 100
"""Replications per chunk of a point that has this many or more: about a second of work, far
above dispatch overhead (METHODS §4.3); such points are never packed together."""
MIN_CHUNKS = 16
"""Chunks a small sweep is cut into at least (where it has the points), so that the workers
share it evenly."""


@dataclass(frozen=True)
class Chunk:
    """Points ``first_point`` … ``first_point + points − 1``, replications ``first_rep`` …
    ``first_rep + reps − 1`` of each.
    """

    first_point: int
    points: int
    first_rep: int
    reps: int

    @property
    def name(self) -> str:
        """Its file in ``chunks/``, named by its first point and first replication."""
        return f"part-p{self.first_point:06d}-r{self.first_rep:06d}.parquet"

    @property
    def point_range(self) -> range:
        """The design points the chunk covers."""
        return range(self.first_point, self.first_point + self.points)

    @property
    def rep_range(self) -> range:
        """The replications the chunk runs at each of its points."""
        return range(self.first_rep, self.first_rep + self.reps)


@dataclass(frozen=True)
class ChunkLayout:
    """The chunks of a design of ``points`` points × ``reps`` replications each.

    Every chunk but a point's or the design's last holds ``chunk_points`` points of
    ``chunk_reps`` replications; either ``chunk_points`` is 1 or ``chunk_reps`` is all of a
    point's replications.
    """

    points: int
    reps: int
    chunk_points: int
    chunk_reps: int

    @classmethod
    def for_design(cls, points: int, reps: int) -> ChunkLayout:
        """The layout of a new sweep: packed points below :data:`POINT_CHUNK_REPS`
        replications, at most :data:`MAX_CHUNK_REPS` replications and at least
        :data:`MIN_CHUNKS` chunks where the design allows.
        """
        if reps >= POINT_CHUNK_REPS:
            return cls(points, reps, 1, POINT_CHUNK_REPS)
        target = min(MAX_CHUNK_REPS, math.ceil(points * reps / MIN_CHUNKS))
        return cls(points, reps, max(1, min(points, target // reps)), reps)

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any]) -> ChunkLayout:
        """The layout a manifest records; a manifest without ``chunk_points`` predates packed
        chunks and has one point per chunk.
        """
        return cls(
            int(manifest["points"]),
            int(manifest["replications_per_point"]),
            int(manifest.get("chunk_points", 1)),
            int(manifest["chunk_replications"]),
        )

    def manifest(self) -> dict[str, int]:
        """What the manifest records of the layout."""
        return {"chunk_points": self.chunk_points, "chunk_replications": self.chunk_reps}

    @property
    def per_point(self) -> int:
        """Chunks holding each point (more than one only for points split by replications)."""
        return math.ceil(self.reps / self.chunk_reps) if self.chunk_points == 1 else 1

    def __len__(self) -> int:
        if self.chunk_points == 1:
            return self.points * self.per_point
        return math.ceil(self.points / self.chunk_points)

    def __iter__(self) -> Iterator[Chunk]:
        """Every chunk, in order of points, then replications."""
        for first_point in range(0, self.points, self.chunk_points):
            points = min(self.chunk_points, self.points - first_point)
            for first_rep in range(0, self.reps, self.chunk_reps):
                yield Chunk(
                    first_point, points, first_rep, min(self.chunk_reps, self.reps - first_rep)
                )

    def groups(self) -> Iterator[tuple[range, list[Chunk]]]:
        """Points and the chunks that hold all their replications, in order: a packed chunk
        and its points, or one point and its chunks.
        """
        group: list[Chunk] = []
        for chunk in self:
            if group and chunk.first_point != group[0].first_point:
                yield group[0].point_range, group
                group = []
            group.append(chunk)
        if group:
            yield group[0].point_range, group
