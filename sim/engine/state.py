"""The replication's published metrics, their change log, and condition watches.

Every metric a condition may read (:data:`sim.scenario.metrics.METRICS`) lives in
:class:`State`. Setting a metric appends ``(t, name, value)`` to the record and calls the
watchers of that name, so threshold conditions are re-checked exactly when what they read
changes, never by polling. ``day`` is the clock itself; conditions on it are re-checked at the
days they mention.

Watchers come in two tiers. Reactions (conditions, mechanisms that respond) run first; then the
derivations that recompute a published quantity from its inputs (capability, deterrence), so a
derived metric is recomputed once its inputs' reactions have run, and changes that those
reactions cause in turn are derived as they happen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import simpy

from sim.scenario.conditions import Condition
from sim.scenario.metrics import INITIAL

Record = tuple[float, str, Any]


class State:
    """Metric values, their change record and the watchers of each metric."""

    __slots__ = ("_derivations", "_subscribers", "_watchers", "env", "records", "values")

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.values: dict[str, Any] = dict(INITIAL)
        self.records: list[Record] = []
        self._watchers: dict[str, list[Callable[[], None]]] = {}
        self._derivations: dict[str, list[Callable[[], None]]] = {}
        self._subscribers: dict[str, tuple[Callable[[], None], ...]] = {}
        """Per metric, its watchers then its derivations, as one tuple: what ``set`` calls.
        Rebuilt when a watch or derivation of the metric is added or removed."""

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def set(self, name: str, value: Any) -> None:
        """Change a metric, record the change, and wake whoever watches it.

        Watchers run before derivations; both from the lists as they were when the change
        happened (one that unwatches during the calls is still called this time).
        """
        values = self.values
        if values[name] == value:
            return
        values[name] = value
        self.records.append((self.env._now, name, value))  # env.now, without the property
        subscribers = self._subscribers.get(name)
        if subscribers:
            for callback in subscribers:
                callback()

    def _subscribe(self, name: str) -> None:
        self._subscribers[name] = (*self._watchers.get(name, ()), *self._derivations.get(name, ()))

    def add(self, name: str, delta: float) -> None:
        """Add to a numeric metric (rounded to 1e-9, so that sums of contingents that come and
        go return to exact values instead of drifting by rounding errors).
        """
        if delta:
            self.set(name, round(self.values[name] + delta, 9))

    def initialise(self, name: str, value: Any) -> None:
        """Set a metric's value at time 0 and record it, without waking anyone."""
        self.values[name] = value
        self.records.append((self.env.now, name, value))

    def watch(self, names: Iterable[str], callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever one of ``names`` changes."""
        for name in names:
            self._watchers.setdefault(name, []).append(callback)
            self._subscribe(name)

    def derive(self, names: Iterable[str], callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever one of ``names`` changes, after its watchers."""
        for name in names:
            self._derivations.setdefault(name, []).append(callback)
            self._subscribe(name)

    def unwatch(self, names: Iterable[str], callback: Callable[[], None]) -> None:
        """Stop calling ``callback``."""
        for name in names:
            watchers = self._watchers.get(name)
            if watchers and callback in watchers:
                watchers.remove(callback)
                self._subscribe(name)

    def holds(self, conditions: Iterable[Condition]) -> bool:
        """Whether every condition holds now."""
        values = self.values
        values["day"] = self.env.now
        return all(cond(values) for cond in conditions)


class Watch:
    """Tracks whether a list of conditions all hold, re-checking only when an input changes.

    ``on_change`` callbacks run with the new truth value. Conditions on ``day`` are re-checked
    at the days they mention (and just after, for strict comparisons).
    """

    __slots__ = ("_callbacks", "_metrics", "active", "conditions", "state", "truth")

    def __init__(self, state: State, conditions: list[Condition]) -> None:
        self.state = state
        self.conditions = conditions
        self._callbacks: list[Callable[[bool], None]] = []
        self._metrics = {m for cond in conditions for m in cond.metrics if m != "day"}
        self.active = True
        self.truth = state.holds(conditions)
        state.watch(self._metrics, self.recheck)
        env = state.env
        for mark in sorted({d for cond in conditions for d in cond.day_marks}):
            for when in (mark, mark + 1e-6):
                if when > env.now:
                    env.timeout(when - env.now).callbacks.append(self._on_day)

    def on_change(self, callback: Callable[[bool], None]) -> None:
        """Call ``callback(truth)`` whenever the combined truth flips."""
        self._callbacks.append(callback)

    def _on_day(self, _event: simpy.Event) -> None:
        self.recheck()

    def recheck(self) -> None:
        """Re-evaluate; notify if the truth flipped."""
        if not self.active:
            return
        truth = self.state.holds(self.conditions)
        if truth != self.truth:
            self.truth = truth
            for callback in tuple(self._callbacks):
                callback(truth)

    def close(self) -> None:
        """Stop watching."""
        self.active = False
        self.state.unwatch(self._metrics, self.recheck)

    def when_true(self) -> simpy.Event:
        """An event that succeeds as soon as the conditions hold (now, if they do)."""
        event = self.state.env.event()
        if self.truth:
            event.succeed()
            return event

        def fire(truth: bool) -> None:
            if truth and not event.triggered:
                event.succeed()
                self._callbacks.remove(fire)

        self._callbacks.append(fire)
        return event
