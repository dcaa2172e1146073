"""Named random streams keyed by (root seed, replication, name), never by the scenario.

Each source of randomness (``"ceasefire"``, ``"member.DEU"``, ``"pledge.fra-land"``,
``"us.enablers.reviews"``, ...) draws from its own generator, built from
``SeedSequence(root, spawn_key=(replication, crc32(name)))``. Because the scenario is not part of
the key, two scenarios replay the same random numbers for the same purposes (common random
numbers), and adding or changing one pledge leaves every other stream's draws unchanged.

Values are drawn by inverse transform from one uniform each, so the k-th value of a stream
depends only on the k-th uniform and the distribution asked for then. Generators are created
lazily (a generator costs several microseconds) and serve uniforms from pre-drawn blocks.

Notes:
    numpy's guidance on keyed seeding: numpy/doc/source/reference/random/parallel.rst.
"""

from __future__ import annotations

import math
import operator
import zlib
from statistics import NormalDist

import numpy as np
from scipy.special import betaincinv, pdtr, pdtrik

from sim.errors import UsageError
from sim.scenario.distributions import (
    DistributionModel,
    Exponential,
    Fixed,
    Lognormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
)

_BLOCK = 16
_STANDARD_NORMAL = NormalDist()

MAX_SEED = 2**63
"""Seeds are 0 <= seed < MAX_SEED: SeedSequence takes any non-negative integer, but results
store the seed in an int64 Parquet column."""
MAX_REPLICATION = 2**31
"""Replication numbers are 0 <= r < MAX_REPLICATION: the Parquet column is int32."""


def check_seed(seed: int, replication: int = 0) -> None:
    """Refuse a root seed or replication number that the streams and results cannot hold.

    Raises:
        UsageError: out of range (``--seed``/``--rep``), before any work is done.
    """
    for value, limit, option, shown in (
        (seed, MAX_SEED, "--seed", "2**63 - 1"),
        (replication, MAX_REPLICATION, "--rep", "2**31 - 1"),
    ):
        try:
            whole = operator.index(value)
        except TypeError:
            whole = -1
        if isinstance(value, bool) or not 0 <= whole < limit:
            raise UsageError(f"must be a whole number from 0 to {shown} (got {value!r})", option)


def stream_key(name: str) -> int:
    """Stable integer id of a stream name (never Python's per-process ``hash``)."""
    return zlib.crc32(name.encode("utf-8"))


class Stream:
    """One named source of randomness for one replication."""

    __slots__ = ("_buffer", "_generator", "_pos", "_record", "name", "replication", "root")

    def __init__(self, root: int, replication: int, name: str, record: list[float] | None) -> None:
        self.root = root
        self.replication = replication
        self.name = name
        self._generator: np.random.Generator | None = None
        self._buffer: list[float] = []
        self._pos = 0
        self._record = record

    @property
    def generator(self) -> np.random.Generator:
        """The numpy generator behind the stream."""
        if self._generator is None:
            key = (self.replication, stream_key(self.name))
            seq = np.random.SeedSequence(self.root, spawn_key=key)
            self._generator = np.random.default_rng(seq)
        return self._generator

    def uniform(self) -> float:
        """The next uniform on [0, 1)."""
        if self._pos == len(self._buffer):
            self._buffer = self.generator.random(_BLOCK).tolist()
            self._pos = 0
        value = self._buffer[self._pos]
        self._pos += 1
        if self._record is not None:
            self._record.append(value)
        return value

    def chance(self, probability: float) -> bool:
        """True with the given probability (one uniform, drawn even when certain)."""
        return self.uniform() < probability

    def sample(self, dist: DistributionModel) -> float:
        """One value of a scenario distribution (one uniform, drawn even when fixed)."""
        return quantile(dist, self.uniform())

    def exponential(self, mean: float) -> float:
        """An exponential value with the given mean (infinite for an infinite mean)."""
        u = self.uniform()
        if math.isinf(mean):
            return math.inf
        return -mean * math.log1p(-u)

    def geometric(self, probability: float) -> float:
        """Trials until the first success (1, 2, ...); infinite when the probability is 0."""
        u = self.uniform()
        if probability <= 0:
            return math.inf
        if probability >= 1:
            return 1.0
        denominator = math.log1p(-probability)
        if denominator == 0.0:  # a probability too small to tell from zero
            return math.inf
        trials = math.log1p(-u) / denominator
        return float(max(1, math.ceil(trials))) if math.isfinite(trials) else math.inf

    def poisson(self, mean: float) -> int:
        """A Poisson count by inverse transform: one uniform however large the mean."""
        u = self.uniform()
        if mean <= 0:
            return 0
        return poisson_quantile(u, mean)


def quantile(dist: DistributionModel, u: float) -> float:
    """Inverse CDF of a scenario distribution at ``u`` in [0, 1)."""
    if isinstance(dist, Fixed):
        return dist.value
    if isinstance(dist, Uniform):
        return dist.low + (dist.high - dist.low) * u
    if isinstance(dist, Triangular):
        low, mode, high = dist.low, dist.mode, dist.high
        if high == low:
            return low
        cut = (mode - low) / (high - low)
        if u < cut:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1 - u) * (high - low) * (high - mode))
    if isinstance(dist, Lognormal):
        return dist.median * math.exp(dist.sigma * _z(u))
    if isinstance(dist, Normal):
        return max(0.0, dist.mean + dist.sd * _z(u))
    if isinstance(dist, Exponential):
        return -dist.mean * math.log1p(-u)
    if isinstance(dist, Pert):
        span = dist.high - dist.low
        if span == 0:
            return dist.low
        alpha = 1 + dist.shape * (dist.mode - dist.low) / span
        beta = 1 + dist.shape * (dist.high - dist.mode) / span
        return dist.low + span * float(betaincinv(alpha, beta, u))
    raise TypeError(f"unknown distribution {dist!r}")


def poisson_quantile(u: float, mean: float) -> int:
    """The smallest k with P(N ≤ k) ≥ u for N ~ Poisson(mean).

    Beyond what scipy's inverse reaches (means of about 1e12 and more, where it returns NaN),
    the normal approximation, exact there to a few counts in 1e6.
    """
    guess = float(pdtrik(u, mean))
    if not math.isfinite(guess):
        return max(0, round(mean + math.sqrt(mean) * _z(u)))
    k = max(0, math.ceil(guess))
    while k > 0 and float(pdtr(k - 1, mean)) >= u:
        k -= 1
    while float(pdtr(k, mean)) < u:
        k += 1
    return int(k)


def _z(u: float) -> float:
    # inv_cdf is undefined at 0; the smallest double uniform keeps it finite.
    return _STANDARD_NORMAL.inv_cdf(min(max(u, 1e-300), 1 - 1e-16))


class Streams:
    """All streams of one replication, created on first use.

    With ``record=True`` every uniform served is kept per stream name in
    ``draws``, which tests use to check that streams do not affect each other.
    """

    def __init__(self, root: int, replication: int, *, record: bool = False) -> None:
        self.root = root
        self.replication = replication
        self.draws: dict[str, list[float]] | None = {} if record else None
        self._streams: dict[str, Stream] = {}

    def __getitem__(self, name: str) -> Stream:
        stream = self._streams.get(name)
        if stream is None:
            record = None
            if self.draws is not None:
                record = self.draws.setdefault(name, [])
            stream = self._streams[name] = Stream(self.root, self.replication, name, record)
        return stream
