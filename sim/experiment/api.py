"""The notebook face: ``sim.run``, ``sim.compare`` and ``sim.sweep`` take a path or an object.

These wrap the runner, the comparison and the sweep so that a path to a scenario file (or to a
results directory, for comparisons) works wherever a :class:`~sim.scenario.schema.Scenario`
does, and so that each run records the question its scenario file opens with
(``manifest["scenario"]["question"]``) for the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.experiment.comparison import Comparison
from sim.experiment.comparison import compare as compare_items
from sim.experiment.results import RunResult, load_results
from sim.experiment.runner import Precision, Progress
from sim.experiment.runner import run as run_scenario
from sim.experiment.sweep_result import SweepResult
from sim.scenario.comment import opening_comment
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

ScenarioLike = Scenario | str | Path


def as_scenario(item: ScenarioLike, overrides: Sequence[str] = ()) -> tuple[Scenario, str]:
    """The scenario, and the question its file opens with ("" for a Scenario object)."""
    if isinstance(item, Scenario):
        if overrides:
            from sim.errors import UsageError

            raise UsageError(
                "overrides apply to a scenario file: sim.load_scenario(path, overrides=[...])"
            )
        return item, ""
    return load_scenario(item, list(overrides)), opening_comment(item)


def stamp_question(result: RunResult, question: str) -> RunResult:
    """Record the scenario's question in the run's manifest (kept when there is none)."""
    if question:
        result.manifest.setdefault("scenario", {})["question"] = question
    return result


def run(
    scenario: ScenarioLike,
    reps: int | None = None,
    seed: int = 1,
    workers: int | None = None,
    *,
    overrides: Sequence[str] = (),
    precision: Precision | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run a scenario (a file's path or a Scenario) ``reps`` times; see
    :func:`sim.experiment.runner.run`.

    Raises:
        ScenarioError: the file is invalid (every problem, at file, line and column).
    """
    loaded, question = as_scenario(scenario, overrides)
    result = run_scenario(loaded, reps, seed, workers, precision=precision, progress=progress)
    return stamp_question(result, question)


def compare(
    items: Sequence[ScenarioLike | RunResult],
    reps: int | None = None,
    seed: int = 1,
    workers: int | None = None,
    *,
    labels: list[str] | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Compare 2–8 scenarios (paths or Scenarios, run here under common random numbers) or
    stored runs (RunResults or results directories); the first is the reference.
    """
    stored = [i for i in items if isinstance(i, RunResult) or _is_results_dir(i)]
    if stored and len(stored) == len(items):
        results = [i if isinstance(i, RunResult) else load_results(Path(str(i))) for i in items]
        return compare_items(results, labels=labels)
    pairs = [as_scenario(i) for i in items if not isinstance(i, RunResult)]
    if len(pairs) != len(items):
        from sim.errors import UsageError

        raise UsageError("give scenarios or stored runs, not a mix")
    comparison = compare_items(
        [s for s, _ in pairs], reps, seed, workers, labels=labels, progress=progress
    )
    for result, (_, question) in zip(comparison.results, pairs, strict=True):
        stamp_question(result, question)
    return comparison


def _is_results_dir(item: Any) -> bool:
    return isinstance(item, str | Path) and Path(item).is_dir()


def sweep(
    spec: str | Path,
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    force: bool = False,
    seed: int | None = None,
) -> SweepResult:
    """Run a sweep spec file (or reopen a finished sweep directory) and return its results.

    A directory is read as it stands (a finished sweep); a spec file is run into ``out`` (or
    ``results/sweeps/<name>/<time>-<hash>``). Nothing is drawn: plots are for the caller
    (``sim.plot.sweep_figures``).
    """
    from sim.experiment.spec import load_spec_marked
    from sim.experiment.sweep import prepare, run_sweep

    path = Path(spec)
    if path.is_dir():
        return SweepResult.load(path)
    loaded, marks = load_spec_marked(path)
    if seed is not None:
        loaded = loaded.model_copy(update={"seed": seed})
    job = prepare(loaded, path, Path(out) if out is not None else None, force, marks)
    status = run_sweep(job, workers=workers)
    assert status.table is not None
    return SweepResult(job.folder, job, status.table.to_pylist(), status.indices)
