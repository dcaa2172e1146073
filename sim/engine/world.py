"""The shared context of one replication: clock, state, random streams and narrative log.

Mechanisms receive the world and the collaborators they act on; they talk through the state's
watches (a metric changes, whoever reads it reacts) and SimPy events (the ceasefire, the
offensive, a member's mandate). The world knows no mechanism.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush

import simpy
from simpy.events import NORMAL, URGENT, Initialize, ProcessGenerator

from sim.engine.rng import Streams
from sim.engine.state import State
from sim.scenario.conditions import Condition, parse_condition
from sim.scenario.schema import Scenario

Event = tuple[float, str, str, str]
"""A narrative event: (day, kind, actor, text)."""

ForceRecord = tuple[float, str, str, str, float, float]
"""A force pledge's change: (day, pledge id, member id, domain, committed, deployed)."""

ProcessGen = ProcessGenerator
"""A SimPy process: a generator that yields events (SimPy's own type)."""

_new = object.__new__


class World:
    """Everything one replication shares. Built by :func:`sim.engine.model.build`."""

    def __init__(self, scenario: Scenario, seed: int, rep: int, *, record_draws: bool = False):
        self.scenario = scenario
        self.seed = seed
        self.rep = rep
        self.horizon = float(scenario.horizon_days)
        self.env = simpy.Environment()
        self.state = State(self.env)
        self.streams = Streams(seed, rep, record=record_draws)
        self.events: list[Event] = []
        self.forces: list[ForceRecord] = []
        self.ceasefire = self.env.event()
        self.offensive = self.env.event()
        self._parsed: dict[str, Condition] = {}

    @property
    def now(self) -> float:
        """The current day."""
        return float(self.env._now)  # env.now without its property: read thousands of times

    def log(self, kind: str, actor: str, text: str) -> None:
        """Add a line to the replication's narrative."""
        self.events.append((self.now, kind, actor, text))

    def condition(self, text: str) -> Condition:
        """Parse a condition once per replication (scenarios validated them already)."""
        cond = self._parsed.get(text)
        if cond is None:
            cond = self._parsed[text] = parse_condition(text)
        return cond

    def at(self, day: float, callback: Callable[[], None]) -> None:
        """Call ``callback`` at ``day`` (now if in the past); one event, no process."""
        self._timeout(day - float(self.env._now)).callbacks.append(lambda _e: callback())

    def until(self, day: float) -> simpy.Timeout:
        """A timeout that ends at ``day`` (at once if that is now or past, e.g. by rounding)."""
        return self._timeout(day - self.env._now)

    def _timeout(self, delay: float) -> simpy.Timeout:
        """``env.timeout(max(0.0, delay))``, built without its checks and calls.

        A replication schedules about a thousand of these; the event, its place in the queue
        and its id are exactly those ``env.timeout`` gives. (``at`` counts from the clock as a
        float and ``until`` from the clock as it is, as they always have: the clock's type shows
        in the records.)
        """
        if not delay > 0.0:  # max(0.0, delay), NaN included
            delay = 0.0
        env = self.env
        timeout = _new(simpy.Timeout)
        timeout.env = env
        timeout.callbacks = []
        timeout._value = None
        timeout._delay = delay
        timeout._ok = True
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), timeout))
        return timeout

    def process(self, generator: ProcessGen) -> simpy.Process:
        """Start a SimPy process: ``env.process(generator)``, built without its checks.

        The process and the initialisation event that starts it are exactly those SimPy makes
        (same queue entry and id); a replication starts about 170 of them.
        """
        env = self.env
        process = _new(simpy.Process)
        process.env = env
        process.callbacks = []
        process._generator = generator
        start = _new(Initialize)
        start.env = env
        start.callbacks = [process._resume]
        start._value = None
        start._ok = True
        heappush(env._queue, (env._now, URGENT, next(env._eid), start))
        process._target = start
        return process

    def declare_ceasefire(self) -> None:
        """The ceasefire takes effect now (once)."""
        if self.ceasefire.triggered:
            return
        self.ceasefire.succeed()
        self.log("ceasefire", "UKR", "Ceasefire takes effect")
        self.state.set("ceasefire", True)
        self.state.set("ceasefire.reached", True)

    @property
    def fighting(self) -> bool:
        """War attrition applies: before the ceasefire, or after a renewed offensive."""
        return not self.ceasefire.triggered or self.offensive.triggered
