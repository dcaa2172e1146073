"""Named random streams keyed by (root seed, replication, name), never by the scenario.

Each source of randomness (``"ceasefire"``, ``"member.DEU"``, ``"pledge.fra-land"``,
``"us.enablers.reviews"``, ...) is its own stream. Because the scenario is not part of the key,
two scenarios replay the same random numbers for the same purposes (common random numbers), and
adding or changing one pledge leaves every other stream's draws unchanged.

The streams are counter-based: the k-th uniform of a stream is a pure function of (root seed,
replication, crc32(name), k),

    key = mix(mix(mix(root) ⊕ replication·γ) ⊕ crc32(name)·c)
    u_k = (mix(key + (k + 1)·γ) >> 11) · 2⁻⁵³

with ``mix`` the SplitMix64 finaliser and γ its golden-ratio increment, so a stream needs no
generator object (creating ~250 numpy generators per replication cost more than the rest of
the random numbers together) and any executor reproduces it exactly. Values are drawn by
inverse transform from one uniform each, so the k-th value of a stream depends only on the k-th
uniform and the distribution asked for then. A test checks uniformity and independence across
streams.

Notes:
    SplitMix64: Steele, Lea & Flood (2014), "Fast splittable pseudorandom number generators",
    OOPSLA; the finaliser is Stafford's "Mix13".
"""

from __future__ import annotations

import functools
import math
import operator
import zlib
from collections.abc import Callable
from statistics import NormalDist
from typing import Any

from scipy.special import betaincinv, pdtr, pdtrc, pdtrik

from sim.errors import UsageError
from sim.limits import MAX_REPLICATION as MAX_REPLICATION
from sim.limits import MAX_SEED as MAX_SEED
from sim.scenario.distributions import (
    Beta,
    DistributionModel,
    Exponential,
    Fixed,
    Lognormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
)

SEED_KEY = (
    "counter-based SplitMix64 stream per (seed, replication, crc32(stream name)); "
    "see sim.engine.rng"
)
"""How a replication's random numbers derive from its seed (recorded in manifests)."""

_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15
_NAME = 0xD1B54A32D192ED03
_UNIT = 2.0**-53
_STANDARD_NORMAL = NormalDist()


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


def _mix(z: int) -> int:
    """The SplitMix64 finaliser: a bijection of 64-bit integers that scrambles every bit."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


@functools.lru_cache(maxsize=4096)
def stream_key(name: str) -> int:
    """Stable integer id of a stream name (never Python's per-process ``hash``).

    Cached: a replication opens ~250 streams, and their names recur in every replication.
    """
    return zlib.crc32(name.encode("utf-8"))


@functools.lru_cache(maxsize=64)
def _replica_key(root: int, replication: int) -> int:
    """The part of every stream key that depends on the seed and replication only.

    Cached, so a replication's ~250 streams mix it once rather than once each.
    """
    return _mix(_mix(root & _MASK) ^ ((replication * _GAMMA) & _MASK))


def stream_base(root: int, replication: int, name: str) -> int:
    """The 64-bit key of one stream of one replication."""
    return _mix(_replica_key(root, replication) ^ ((stream_key(name) * _NAME) & _MASK))


class Stream:
    """One named source of randomness for one replication."""

    __slots__ = ("_base", "_count", "_record", "name", "replication", "root")

    def __init__(self, root: int, replication: int, name: str, record: list[float] | None) -> None:
        self.root = root
        self.replication = replication
        self.name = name
        self._base = stream_base(root, replication, name)
        self._count = 0
        self._record = record

    def uniform(self) -> float:
        """The next uniform on [0, 1)."""
        self._count += 1
        z = (self._base + self._count * _GAMMA) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK  # _mix, inlined: the hot path
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        value = ((z ^ (z >> 31)) >> 11) * _UNIT
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


def _triangular(dist: Triangular, u: float) -> float:
    low, mode, high = dist.low, dist.mode, dist.high
    if high == low:
        return low
    cut = (mode - low) / (high - low)
    if u < cut:
        return low + math.sqrt(u * (high - low) * (mode - low))
    return high - math.sqrt((1 - u) * (high - low) * (high - mode))


def _beta(dist: Beta, u: float) -> float:
    if dist.mean_ <= 0 or dist.mean_ >= 1:
        return dist.mean_
    return float(betaincinv(dist.alpha, dist.beta, u))


def _pert(dist: Pert, u: float) -> float:
    span = dist.high - dist.low
    if span == 0:
        return dist.low
    alpha = 1 + dist.shape * (dist.mode - dist.low) / span
    beta = 1 + dist.shape * (dist.high - dist.mode) / span
    return dist.low + span * float(betaincinv(alpha, beta, u))


_QUANTILES: dict[type, Callable[[Any, float], float]] = {
    Fixed: lambda d, u: d.value,
    Uniform: lambda d, u: d.low + (d.high - d.low) * u,
    Triangular: _triangular,
    Lognormal: lambda d, u: d.median * math.exp(d.sigma * _z(u)),
    Normal: lambda d, u: max(0.0, d.mean + d.sd * _z(u)),
    Exponential: lambda d, u: -d.mean * math.log1p(-u),
    Beta: _beta,
    Pert: _pert,
}
"""The inverse CDF of each distribution (dispatch by type: draws are on the hot path)."""


def quantile(dist: DistributionModel, u: float) -> float:
    """Inverse CDF of a scenario distribution at ``u`` in [0, 1).

    Raises:
        TypeError: a distribution without an inverse CDF here.
    """
    inverse = _QUANTILES.get(type(dist))
    if inverse is None:
        raise TypeError(f"unknown distribution {dist!r}")
    return inverse(dist, u)


def poisson_quantile(u: float, mean: float) -> int:
    """The smallest k with P(N ≤ k) ≥ u for N ~ Poisson(mean).

    Beyond what scipy's inverse reaches (means of about 1e12 and more, where it returns NaN),
    the normal approximation, exact there to a few counts in 1e6.
    """
    guess = float(pdtrik(u, mean))
    if not math.isfinite(guess):
        return max(0, round(mean + math.sqrt(mean) * _z(u)))
    k = max(0, math.ceil(guess))
    while k > 0 and _reaches(k - 1, u, mean):
        k -= 1
    while not _reaches(k, u, mean):
        k += 1
    return int(k)


def _reaches(k: int, u: float, mean: float) -> bool:
    """P(N ≤ k) ≥ u; in the upper tail as P(N > k) ≤ 1 − u, which does not round to 1."""
    if u > 0.5:
        return float(pdtrc(k, mean)) <= 1.0 - u
    return float(pdtr(k, mean)) >= u


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
