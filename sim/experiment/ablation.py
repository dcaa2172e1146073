"""Ablation: what each pillar, domain or member buys, under common random numbers.

The reference scenario and every variant without one item (:mod:`sim.scenario.ablation`) are
run with the same seed and replications on one executor, so replication r of each draws the
same random numbers for the same purposes and the differences are paired. What an item *buys*
is the reference minus the variant without it: positive deterrence bought, negative offensive
risk bought. Items are ranked by what they buy in the KPI's better direction (rank 1 buys the
most: the largest gain in deterrence, the largest cut in offensive risk), on the point estimate;
each difference carries its paired 95% interval (:func:`sim.analysis.compare.difference`).

The results directory holds ``ablate.json`` (set-up, and per KPI and item the estimate,
difference, interval and rank), ``ablate.csv`` (the same, one row per KPI and item), the
reference run's own directory under ``runs/reference``, and whatever ``extra`` adds (the CLI
draws the plots).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.compare import difference, scenario_estimate
from sim.analysis.summary import columns, json_ready
from sim.engine import catalogue
from sim.engine.catalogue import KPI
from sim.experiment import store
from sim.experiment.executors import make_executor
from sim.experiment.results import Extra, RunResult
from sim.experiment.runner import DEFAULT_REPS, Progress
from sim.experiment.runner import run as run_scenario
from sim.scenario import document
from sim.scenario.ablation import Variant, ablations, check_grouping
from sim.scenario.schema import Scenario

KPIS = (
    "deterrence_mean",
    "offensive_given_ceasefire",
    "offensive",
    "offensive_rate",
    "capability_mean",
)
"""The KPIs an ablation reports, the first two being the ones it ranks by."""
RANKED_BY = KPIS[:2]

CSV_COLUMNS = (
    "kpi",
    "kind",
    "unit",
    "item",
    "role",
    "pledges_removed",
    "estimate",
    "ci_low",
    "ci_high",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "buys",
    "buys_ci_low",
    "buys_ci_high",
    "significant",
    "rank",
    "method",
)
"""Columns of :meth:`Ablation.rows`: ``difference`` is the variant minus the reference (as in
compare.csv), ``buys`` the reference minus the variant, each with its 95% interval."""

_DIFFERENCE_COLUMNS = CSV_COLUMNS[CSV_COLUMNS.index("difference") : CSV_COLUMNS.index("method")]
"""The columns that are empty on the reference's row."""

REFERENCE = "reference"


@dataclass
class Ablation:
    """The reference run and each variant's per-replication KPIs, paired by replication."""

    reference: RunResult
    by: str
    variants: list[Variant]
    kpis: list[np.ndarray]
    """Each variant's (replications × KPIs) array, in catalogue order."""

    def __repr__(self) -> str:
        items = ", ".join(repr(v.label) for v in self.variants)
        if len(items) > 160:
            items = items[:157] + "..."
        ref = self.reference
        return (
            f"Ablation({ref.scenario.name!r}, by={self.by!r}, items=[{items}], "
            f"reps={ref.n:,}, seed={ref.seed})"
        )

    def to_pandas(self) -> Any:
        """The long table of :meth:`rows` as a pandas DataFrame (the ``notebook`` extra)."""
        from sim.experiment.frames import frame

        return frame(self.rows())

    @property
    def horizon(self) -> float:
        """The reference scenario's horizon in days."""
        return float(self.reference.scenario.horizon_days)

    def rows(self) -> list[dict[str, Any]]:
        """Per KPI of :data:`KPIS`: the reference, then every item by rank (see CSV_COLUMNS)."""
        reference = columns(self.reference.kpis)
        tables = [columns(values) for values in self.kpis]
        out: list[dict[str, Any]] = []
        for name in KPIS:
            kpi = catalogue.get(name)
            base = scenario_estimate(kpi, reference, self.horizon)
            out.append(
                {
                    "kpi": name,
                    "kind": kpi.kind,
                    "unit": kpi.unit,
                    "item": REFERENCE,
                    "role": REFERENCE,
                    "pledges_removed": 0,
                    "estimate": base.estimate,
                    "ci_low": base.low,
                    "ci_high": base.high,
                    **dict.fromkeys(_DIFFERENCE_COLUMNS),
                    "method": "the scenario as it is; estimate with its 95% CI",
                }
            )
            group: list[dict[str, Any]] = []
            buys: list[float] = []
            for variant, table in zip(self.variants, tables, strict=True):
                estimate = scenario_estimate(kpi, table, self.horizon)
                diff = difference(kpi, reference, table, self.horizon, paired=True)
                buys.append(0.0 - diff.estimate)
                group.append(
                    {
                        "kpi": name,
                        "kind": kpi.kind,
                        "unit": kpi.unit,
                        "item": variant.label,
                        "role": "ablated",
                        "pledges_removed": len(variant.removed),
                        "estimate": estimate.estimate,
                        "ci_low": estimate.low,
                        "ci_high": estimate.high,
                        "difference": diff.estimate,
                        "diff_ci_low": diff.low,
                        "diff_ci_high": diff.high,
                        "buys": 0.0 - diff.estimate,
                        "buys_ci_low": 0.0 - diff.high,
                        "buys_ci_high": 0.0 - diff.low,
                        "significant": diff.significant,
                        "rank": None,
                        "method": f"buys = reference − ablated; {diff.method}",
                    }
                )
            for row, rank in zip(group, rank_items(kpi, buys), strict=True):
                row["rank"] = rank
            order = sorted(
                range(len(group)),
                key=lambda i: (group[i]["rank"] is None, group[i]["rank"] or 0, i),
            )
            out.extend(group[i] for i in order)
        return out

    def document(self) -> dict[str, Any]:
        """ablate.json: the set-up, the variants, and per KPI the reference and every item."""
        rows = json_ready(self.rows())
        ref = self.reference
        kpis = []
        for name in KPIS:
            kpi = catalogue.get(name)
            mine = [r for r in rows if r["kpi"] == name]
            keep = [c for c in CSV_COLUMNS if c not in ("kpi", "kind", "unit", "role")]
            kpis.append(
                {
                    "kpi": name,
                    "kind": kpi.kind,
                    "unit": kpi.unit,
                    "better": kpi.better,
                    "description": kpi.description,
                    "ranked_by": name in RANKED_BY,
                    "reference": {k: mine[0][k] for k in ("estimate", "ci_low", "ci_high")},
                    "items": [{k: r[k] for k in keep} for r in mine[1:]],
                }
            )
        return {
            "format_version": store.FORMAT_VERSION,
            "kind": "ablate",
            "by": self.by,
            "buys": "reference minus ablated, paired under common random numbers, 95% CI",
            "rank": "1 buys the most in the KPI's better direction (point estimate)",
            "ranked_by": list(RANKED_BY),
            "reference": {
                "name": ref.scenario.name,
                "sha256": document.scenario_sha256(ref.scenario),
                "seed": ref.seed,
                "replications": ref.n,
                "directory": f"runs/{REFERENCE}",
            },
            "variants": [
                {
                    "item": v.label,
                    "name": v.scenario.name,
                    "sha256": document.scenario_sha256(v.scenario),
                    "pledges_removed": list(v.removed),
                    "injects_dropped": list(v.dropped_injects),
                }
                for v in self.variants
            ],
            "kpis": kpis,
            "versions": store.versions(),
            "command": store.command_line(),
        }

    def save(self, out: str | Path, *, force: bool = False, extra: Extra | None = None) -> Path:
        """Write the ablation directory atomically, the reference run's directory inside it.

        ``extra(folder)`` may add files (the plots) before the directory is moved into place.

        Raises:
            ScenarioError: ``out`` exists and ``force`` is false.
        """
        out = Path(out)
        with store.atomic_directory(out, force) as tmp:
            store.write_json(tmp / "ablate.json", self.document())
            rows = json_ready(self.rows())
            store.write_csv(
                tmp / "ablate.csv", CSV_COLUMNS, ([r[c] for c in CSV_COLUMNS] for r in rows)
            )
            target = tmp / "runs" / REFERENCE
            target.mkdir(parents=True)
            self.reference.write_files(target)
            if extra is not None:
                extra(tmp)
        return out

    def identity(self) -> str:
        """What was ablated: the grouping, the reference's digest, seed and replications."""
        ref = self.reference
        return f"ablate:{self.by}:{document.scenario_sha256(ref.scenario)}:{ref.seed}:{ref.n}"


def rank_items(kpi: KPI, buys: list[float]) -> list[int | None]:
    """Rank 1 buys the most in the KPI's better direction; equal amounts share a rank.

    None for every item when the KPI has no better side or an amount is undefined.
    """
    if kpi.better == "neither" or any(math.isnan(b) for b in buys):
        return [None] * len(buys)
    sign = 1.0 if kpi.better == "higher" else -1.0
    scores = [sign * b for b in buys]
    return [1 + sum(other > mine for other in scores) for mine in scores]


def same_inputs(a: Scenario, b: Scenario) -> bool:
    """Whether two scenarios differ in nothing but their name and description."""

    def inputs(scenario: Scenario) -> dict[str, Any]:
        data = document.scenario_document(scenario)
        return {k: v for k, v in data.items() if k not in ("name", "description")}

    return inputs(a) == inputs(b)


def run_ablation(
    scenario: Scenario,
    variants: Sequence[Variant],
    by: str,
    reps: int | None = None,
    seed: int = 1,
    workers: int | None = None,
    *,
    progress: Progress | None = None,
) -> Ablation:
    """Run the reference and every variant under common random numbers, on one executor.

    A variant with the reference's inputs (an item with no pledges) is not run again: its
    replications would be the reference's, number for number.

    Raises:
        ScenarioError: invalid options (reps < 1).
        SimulationError: a replication failed.
    """
    per_run = reps or DEFAULT_REPS
    total = per_run * (1 + len(variants))
    executor = make_executor(workers)

    def step(offset: int) -> Progress:
        def report(done: int, _planned: int) -> None:
            if progress is not None:
                progress(offset + done, total)

        return report

    try:
        reference = run_scenario(scenario, reps, seed, executor=executor, progress=step(0))
        kpis = []
        for k, variant in enumerate(variants, start=1):
            if same_inputs(variant.scenario, scenario):
                kpis.append(reference.kpis.copy())
                step(k * per_run)(per_run, per_run)
                continue
            result = run_scenario(
                variant.scenario, reps, seed, executor=executor, progress=step(k * per_run)
            )
            kpis.append(result.kpis)
    finally:
        executor.close()
    return Ablation(reference, by, list(variants), kpis)


def ablate(
    scenario: Scenario,
    by: str = "pillar",
    reps: int | None = None,
    seed: int = 1,
    workers: int | None = None,
    *,
    progress: Progress | None = None,
) -> Ablation:
    """Switch off each pillar, domain or member of a scenario in turn and run them all.

    Raises:
        ScenarioError: an unknown grouping, or invalid options.
        SimulationError: a replication failed.
    """
    check_grouping(by)
    return run_ablation(
        scenario, ablations(scenario, by), by, reps, seed, workers, progress=progress
    )
