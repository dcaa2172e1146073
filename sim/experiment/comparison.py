"""Comparing scenarios: run them under the same seed keys, difference them, write it all.

``compare([...])`` takes scenarios (run here, each with the same root seed and replications,
so replication r of every scenario shares its random numbers) or stored run results (paired
when their seeds and replications match, independent otherwise). The first is the reference.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.analysis.compare import ROW_COLUMNS, compare_rows
from sim.analysis.summary import json_ready
from sim.engine import catalogue
from sim.engine.rng import check_seed
from sim.errors import ResultsError, ScenarioError, UsageError
from sim.experiment import store
from sim.experiment.executors import make_executor
from sim.experiment.results import Extra, RunResult
from sim.experiment.runner import DEFAULT_REPS, MAX_REPS, Progress
from sim.experiment.runner import run as run_scenario
from sim.scenario import document
from sim.scenario.schema import Scenario

MIN_SCENARIOS, MAX_SCENARIOS = 2, 8
CSV_COLUMNS = ROW_COLUMNS


def check_comparable(scenarios: list[Scenario], where: list[str], stored: bool = False) -> None:
    """Scenarios must share their timeline to be compared.

    ``where`` names each (its file, or its results directory when ``stored``).

    Raises:
        UsageError: 2–8 scenarios are needed.
        ScenarioError: scenario files with another start date or horizon than the first.
        ResultsError: stored runs with another start date or horizon, naming the directory.
    """
    if not MIN_SCENARIOS <= len(scenarios) <= MAX_SCENARIOS:
        raise UsageError(f"compare needs 2 to 8 scenarios (got {len(scenarios)})")
    first = scenarios[0]
    for scenario, name in zip(scenarios[1:], where[1:], strict=True):
        for attr in ("start", "horizon_days"):
            mine, theirs = getattr(scenario, attr), getattr(first, attr)
            if mine != theirs:
                message = (
                    f"{attr} is {mine} here but {theirs} in {where[0]}; compared "
                    f"{'runs' if stored else 'scenarios'} need the same start date and horizon"
                )
                if stored:
                    raise ResultsError(f"{name}: scenario.yaml: {message}")
                raise ScenarioError.single(name, attr, message)


@dataclass
class Comparison:
    """Per-KPI estimates of every scenario and differences against the first."""

    results: list[RunResult]
    paired: bool
    note: str | None = None
    labels: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.labels:
            self.labels = unique_labels([r.scenario.name for r in self.results])

    @property
    def reference(self) -> RunResult:
        """The first result, which every other is compared against."""
        return self.results[0]

    @property
    def horizon(self) -> float:
        """The reference scenario's horizon in days."""
        return float(self.reference.scenario.horizon_days)

    def rows(self) -> list[dict[str, Any]]:
        """Long table: one row per KPI and scenario (see :data:`CSV_COLUMNS`)."""
        return compare_rows(self.labels, [r.kpis for r in self.results], self.horizon, self.paired)

    def __repr__(self) -> str:
        from sim.experiment.notebook import comparison_repr

        return comparison_repr(self)

    def _repr_html_(self) -> str:
        from sim.experiment.notebook import comparison_html

        return comparison_html(self)

    def to_pandas(self) -> Any:
        """The long table of :meth:`rows` as a pandas DataFrame (the ``notebook`` extra)."""
        from sim.experiment.frames import frame

        return frame(self.rows())

    def document(self) -> dict[str, Any]:
        """compare.json: the set-up and, per KPI, estimates and differences."""
        rows = json_ready(self.rows())
        by_kpi: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_kpi.setdefault(row["kpi"], []).append(row)
        return {
            "format_version": store.FORMAT_VERSION,
            "kind": "compare",
            "reference": self.labels[0],
            "paired": self.paired,
            "note": self.note,
            "scenarios": [
                {
                    "label": label,
                    "name": r.scenario.name,
                    "sha256": document.scenario_sha256(r.scenario),
                    "seed": r.seed,
                    "replications": r.n,
                    "directory": f"runs/{label}",
                }
                for label, r in zip(self.labels, self.results, strict=True)
            ],
            "kpis": [
                {
                    "kpi": kpi.name,
                    "kind": kpi.kind,
                    "unit": kpi.unit,
                    "better": kpi.better,
                    "scenarios": [
                        {k: row[k] for k in CSV_COLUMNS if k not in ("kpi", "kind", "unit")}
                        for row in by_kpi[kpi.name]
                    ],
                }
                for kpi in catalogue.kpis()
            ],
            "versions": store.versions(),
            "command": store.command_line(),
        }

    def save(self, out: str | Path, *, force: bool = False, extra: Extra | None = None) -> Path:
        """Write the comparison directory atomically, each run's directory inside it;
        ``compare.json`` comes last (as a run's manifest does).

        ``extra(folder)`` may add files (the plots) before the directory is moved into place.
        """
        out = Path(out)
        with store.atomic_directory(out, force) as tmp:
            for label, result in zip(self.labels, self.results, strict=True):
                target = tmp / "runs" / label
                if result.source is not None:
                    shutil.copytree(result.source, target)
                else:
                    target.mkdir(parents=True)
                    result.write_files(target)
            if extra is not None:
                extra(tmp)
            rows = json_ready(self.rows())
            store.write_csv(
                tmp / "compare.csv", CSV_COLUMNS, ([r[c] for c in CSV_COLUMNS] for r in rows)
            )
            diff = document.inputs_diff([r.scenario for r in self.results])
            store.write_csv(
                tmp / "inputs_diff.csv",
                ["path", *self.labels],
                ([path, *values] for path, values in diff),
            )
            store.write_json(tmp / "compare.json", self.document())
        return out

    def identity(self) -> str:
        """What was compared: each scenario's digest, seed and replications."""
        return " ".join(
            f"{document.scenario_sha256(r.scenario)}:{r.seed}:{r.n}" for r in self.results
        )


def unique_labels(names: list[str]) -> list[str]:
    """Scenario names, made unique with -2, -3… where repeated."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return labels


def compare(
    items: list[Scenario] | list[RunResult],
    reps: int | None = None,
    seed: int = 1,
    workers: int | None = None,
    *,
    labels: list[str] | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Compare 2–8 scenarios (run here under common random numbers) or stored runs.

    Raises:
        ScenarioError: fewer than 2 or more than 8, different timelines, or a mix.
    """
    if all(isinstance(i, RunResult) for i in items):
        results = [i for i in items if isinstance(i, RunResult)]
        check_comparable(
            [r.scenario for r in results],
            [str(r.source) if r.source is not None else r.scenario.name for r in results],
            stored=True,
        )
        first = results[0]
        paired = all(
            r.seed == first.seed
            and r.n == first.n
            and (r.replications_index == first.replications_index).all()
            for r in results
        )
        note = (
            None
            if paired
            else (
                "seeds or replications differ between the stored runs: differences are unpaired "
                "(Welch / Newcombe), so their intervals are wider than under common random numbers"
            )
        )
        return Comparison(results, paired, note, labels or [])
    scenarios = [i for i in items if isinstance(i, Scenario)]
    if len(scenarios) != len(items):
        raise UsageError("give scenarios or stored runs, not a mix")
    check_comparable(scenarios, labels or [s.name for s in scenarios])
    if reps is not None and (isinstance(reps, bool) or not 1 <= reps <= MAX_REPS):
        raise UsageError(f"must be from 1 to {MAX_REPS:,} (got {reps!r})", "--reps")
    check_seed(seed)
    executor = make_executor(workers)
    try:
        per_scenario = reps or DEFAULT_REPS
        total = per_scenario * len(scenarios)
        results = []
        for k, scenario in enumerate(scenarios):
            offset = k * per_scenario

            def step(done: int, _planned: int, offset: int = offset) -> None:
                if progress is not None:
                    progress(offset + done, total)

            results.append(run_scenario(scenario, reps, seed, executor=executor, progress=step))
    except BaseException:
        executor.terminate()
        raise
    executor.close()
    return Comparison(results, paired=True, labels=labels or [])
