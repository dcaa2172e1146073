"""What one replication leaves behind: the narrative, the state record, KPIs, event count."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from sim.scenario.metrics import INITIAL, REGIMES, US_STATES

Event = tuple[float, str, str, str]
Record = tuple[float, str, Any]

SERIES = (
    "deterrence",
    "capability",
    "deployed.reassurance.land",
    "deployed.reassurance.sea",
    "deployed.reassurance.air",
    "deployed.neighbouring",
    "trained",
    "financing.paid",
    "equipment.delivered",
    "violations.rate",
    "us.state",
    "rung.hold",
    "rung.probe",
    "rung.incursion",
    "rung.offensive",
)
"""The standard time series, evaluated on the grid for every replication.

``rung.<name>`` is 1 while the replication stands on that rung of the escalation ladder and 0
otherwise, so its mean across replications is the share at that rung: from the ceasefire the
rung chosen at the latest review (hold until the first), after a renewed offensive the offensive
for good; before a ceasefire every rung is 0 (the war is on)."""

RUNG_SERIES = {"rung.hold": 0, "rung.probe": 1, "rung.incursion": 2, "rung.offensive": 3}


def _numeric(metric: str, value: Any) -> float:
    if metric == "us.state":
        return float(US_STATES.index(value))
    if metric == "violations.regime":
        return float(REGIMES.index(value))
    return float(value)


@dataclass(frozen=True)
class Trace:
    """One replication: a picklable record of what happened and its outcome.

    ``events`` is the narrative ``(day, kind, actor, text)``; ``records`` every metric change
    ``(day, metric, value)``; ``kpis`` the outcome measures; ``n_events`` the number of SimPy
    events the replication scheduled.
    """

    scenario: str
    seed: int
    rep: int
    start: date
    horizon: int
    events: list[Event]
    records: list[Record]
    kpis: dict[str, float]
    n_events: int
    regime_rates: dict[str, float] = field(default_factory=dict)
    pledges: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Per pledge id: (delivered, pledged) in the pledge's own unit."""
    forces: list[tuple[float, str, str, str, float, float]] = field(default_factory=list)
    """Force pledges' changes: (day, pledge id, member id, domain, committed, deployed)."""

    def __repr__(self) -> str:
        return (
            f"Trace({self.scenario!r}, seed={self.seed}, rep={self.rep}, "
            f"events={len(self.events):,}, records={len(self.records):,}, "
            f"offensive_day={self.kpis.get('offensive_day')})"
        )

    def to_document(self) -> dict[str, Any]:
        """The trace as JSON-ready data (:meth:`from_document` reads it back)."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "rep": self.rep,
            "start": self.start.isoformat(),
            "horizon": self.horizon,
            "events": [list(e) for e in self.events],
            "records": [list(r) for r in self.records],
            "kpis": {k: None if math.isnan(v) else v for k, v in self.kpis.items()},
            "n_events": self.n_events,
            "regime_rates": self.regime_rates,
            "pledges": {k: list(v) for k, v in self.pledges.items()},
            "forces": [list(f) for f in self.forces],
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Trace:
        """A trace from :meth:`to_document`'s data."""
        return cls(
            scenario=document["scenario"],
            seed=int(document["seed"]),
            rep=int(document["rep"]),
            start=date.fromisoformat(document["start"]),
            horizon=int(document["horizon"]),
            events=[(float(t), k, a, x) for t, k, a, x in document["events"]],
            records=[(float(t), m, v) for t, m, v in document["records"]],
            kpis={k: math.nan if v is None else float(v) for k, v in document["kpis"].items()},
            n_events=int(document["n_events"]),
            regime_rates={k: float(v) for k, v in document["regime_rates"].items()},
            pledges={k: (float(d), float(p)) for k, (d, p) in document["pledges"].items()},
            forces=[
                (float(t), pid, mid, dom, float(c), float(d))
                for t, pid, mid, dom, c, d in document["forces"]
            ],
        )

    def _violation_rate(self) -> tuple[np.ndarray, np.ndarray]:
        """Violations per day of the current regime while a ceasefire is in force, else 0."""
        times, values = [0.0], [0.0]
        ceasefire = False
        regime = REGIMES[0]
        for t, metric, value in self.records:
            if metric == "ceasefire" and value:
                ceasefire = True
            elif metric == "violations.regime":
                regime = value
            elif metric == "offensive" and value:
                times.append(t)
                values.append(0.0)  # no ceasefire in force any more
                break
            else:
                continue
            times.append(t)
            values.append(self.regime_rates.get(regime, 0.0) if ceasefire else 0.0)
        return np.asarray(times), np.asarray(values)

    def _rungs(self) -> tuple[np.ndarray, np.ndarray]:
        """The ladder rung over time: −1 before the ceasefire, then ``adversary.rung``, then 3
        from a renewed offensive.
        """
        times, values = [0.0], [-1.0]
        rung = 0.0
        started = False
        for t, metric, value in self.records:
            if metric == "ceasefire" and value and not started:
                started = True
            elif metric == "adversary.rung":
                rung = float(value)
                if not started:
                    continue
            elif metric == "offensive" and value:
                times.append(t)
                values.append(3.0)
                break
            else:
                continue
            times.append(t)
            values.append(rung)
        return np.asarray(times), np.asarray(values)

    def grid(self, metric: str, step: float = 7.0) -> np.ndarray:
        """The metric's value at days 0, step, 2·step, … up to the horizon (a step function)."""
        return self.grids((metric,), step)[0]

    def grids(self, metrics: tuple[str, ...], step: float = 7.0) -> list[np.ndarray]:
        """Several metrics on the grid, reading the record once."""
        days = grid_days(self.horizon, step)
        wanted = set(metrics)
        buckets: dict[str, tuple[list[float], list[float]]] = {
            m: ([0.0], [_numeric(m, INITIAL[m])]) for m in wanted if m in INITIAL
        }
        for t, metric, value in self.records:
            bucket = buckets.get(metric)
            if bucket is not None:
                bucket[0].append(t)
                bucket[1].append(_numeric(metric, value))
        out = []
        rungs: tuple[np.ndarray, np.ndarray] | None = None
        for metric in metrics:
            if metric in RUNG_SERIES:
                if rungs is None:
                    rungs = self._rungs()
                times = rungs[0]
                values = (rungs[1] == RUNG_SERIES[metric]).astype(float)
            elif metric == "violations.rate":
                times, values = self._violation_rate()
            elif metric in buckets:
                times, values = (np.asarray(x, dtype=float) for x in buckets[metric])
            else:
                raise KeyError(f"unknown metric {metric!r}")
            index = np.searchsorted(times, days, side="right") - 1
            out.append(values[np.clip(index, 0, None)])
        return out


def grid_days(horizon: float, step: float) -> np.ndarray:
    """The grid: 0, step, 2·step, … and the horizon itself."""
    days = np.arange(0.0, horizon, step)
    return np.append(days, float(horizon))
