"""Comparing scenarios: run them under the same seed keys, difference them, write it all.

``compare([...])`` takes scenarios (run here, each with the same root seed and replications,
so replication r of every scenario shares its random numbers) or stored run results (paired
when their seeds and replications match, independent otherwise). The first is the reference.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.analysis.compare import Difference, difference, ranks, scenario_estimate
from sim.analysis.summary import json_ready
from sim.engine.kpis import KPIS
from sim.engine.rng import check_seed
from sim.errors import ResultsError, ScenarioError, UsageError
from sim.experiment import store
from sim.experiment.executors import make_executor
from sim.experiment.results import RunResult
from sim.experiment.runner import DEFAULT_REPS, MAX_REPS, Progress
from sim.experiment.runner import run as run_scenario
from sim.scenario.schema import Scenario

MIN_SCENARIOS, MAX_SCENARIOS = 2, 8
CSV_COLUMNS = (
    "kpi",
    "kind",
    "unit",
    "scenario",
    "role",
    "estimate",
    "ci_low",
    "ci_high",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "significant",
    "rank",
    "method",
)


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
        return self.results[0]

    @property
    def horizon(self) -> float:
        return float(self.reference.scenario.horizon_days)

    def rows(self) -> list[dict[str, Any]]:
        """Long table: one row per KPI and scenario (see :data:`CSV_COLUMNS`)."""
        out: list[dict[str, Any]] = []
        for kpi in KPIS:
            estimates = [
                scenario_estimate(kpi, r.kpi(kpi.name), self.horizon) for r in self.results
            ]
            order = ranks(kpi, [e.estimate for e in estimates])
            for i, (result, estimate) in enumerate(zip(self.results, estimates, strict=True)):
                diff: Difference | None = None
                if i > 0:
                    diff = difference(
                        kpi,
                        self.reference.kpi(kpi.name),
                        result.kpi(kpi.name),
                        self.horizon,
                        self.paired,
                    )
                out.append(
                    {
                        "kpi": kpi.name,
                        "kind": kpi.kind,
                        "unit": kpi.unit,
                        "scenario": self.labels[i],
                        "role": "reference" if i == 0 else "alternative",
                        "estimate": estimate.estimate,
                        "ci_low": estimate.low,
                        "ci_high": estimate.high,
                        "difference": diff.estimate if diff else None,
                        "diff_ci_low": diff.low if diff else None,
                        "diff_ci_high": diff.high if diff else None,
                        "p_value": diff.p_value if diff else None,
                        "significant": diff.significant if diff else None,
                        "rank": order[i],
                        "method": diff.method
                        if diff
                        else "estimate: "
                        + (
                            "mean, t interval"
                            if kpi.kind == "mean"
                            else "share (event days: reached by the horizon), Wilson interval"
                        ),
                    }
                )
        return out

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
                    "sha256": store.scenario_sha256(r.scenario),
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
                for kpi in KPIS
            ],
            "versions": store.versions(),
            "command": store.command_line(),
        }

    def save(self, out: str | Path, *, force: bool = False, plots: bool = True) -> Path:
        """Write the comparison directory atomically, each run's directory inside it;
        ``compare.json`` comes last (as a run's manifest does)."""
        out = Path(out)
        with store.atomic_directory(out, force) as tmp:
            for label, result in zip(self.labels, self.results, strict=True):
                target = tmp / "runs" / label
                if result.source is not None:
                    shutil.copytree(result.source, target)
                else:
                    target.mkdir(parents=True)
                    if plots:
                        from sim.plot.standard import draw_run_plots

                        draw_run_plots(result, target / "plots")
                    result.write_files(target)
            if plots:
                from sim.plot.compare import draw_compare_plots

                draw_compare_plots(self, tmp / "plots")
            (tmp / "compare.csv").write_text(_csv(self.rows(), CSV_COLUMNS), encoding="utf-8")
            (tmp / "inputs_diff.csv").write_text(inputs_diff_csv(self), encoding="utf-8")
            store.write_json(tmp / "compare.json", self.document())
        return out

    def digest(self) -> str:
        text = "".join(
            store.scenario_sha256(r.scenario) + str(r.seed) + str(r.n) for r in self.results
        )
        return hashlib.sha256(text.encode()).hexdigest()


def unique_labels(names: list[str]) -> list[str]:
    """Scenario names, made unique with -2, -3… where repeated."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return labels


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in json_ready(rows):
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return buffer.getvalue()


def flatten(document: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to leaf values; list items by id where they have one."""
    out: dict[str, Any] = {}
    if isinstance(document, dict):
        if not document and prefix:
            out[prefix] = {}
        for key, value in document.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(document, list):
        if not document and prefix:
            out[prefix] = []
        for i, item in enumerate(document):
            label = item["id"] if isinstance(item, dict) and "id" in item else i
            out.update(flatten(item, f"{prefix}.{label}"))
    else:
        out[prefix] = document
    return out


def inputs_diff(scenarios: list[Scenario]) -> list[tuple[str, list[Any]]]:
    """Every dotted path whose resolved value differs between the scenarios, in order."""
    flat = [flatten(store.scenario_document(s)) for s in scenarios]
    paths: list[str] = []
    seen: set[str] = set()
    for mapping in flat:
        for path in mapping:
            if path not in seen:
                seen.add(path)
                paths.append(path)
    missing = object()
    rows = []
    for path in paths:
        values = [mapping.get(path, missing) for mapping in flat]
        if any(v != values[0] for v in values[1:]):
            rows.append((path, [None if v is missing else v for v in values]))
    return rows


def inputs_diff_csv(comparison: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["path", *comparison.labels])
    for path, values in inputs_diff([r.scenario for r in comparison.results]):
        writer.writerow(
            [
                path,
                *(
                    "" if v is None else json.dumps(v) if isinstance(v, dict | list) else v
                    for v in values
                ),
            ]
        )
    return buffer.getvalue()


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
