"""The same replications driven by EMA Workbench and by Mesa (the ``bench`` extra)."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from benchmarks.workloads import replicate

KPIS = ("offensive", "deterrence_mean")


def ema_function(points: int = 0, reps: int = 0, point: int = 0, rep: int = 0) -> dict[str, Any]:
    """One replication as EMA Workbench calls it: the benchmark's KPIs by name."""
    kpis = replicate(points, reps, point, rep)
    return {k: kpis[k] for k in KPIS}


def run_ema(points: int, reps: int, workers: int) -> int:
    """EMA Workbench: a ReplicatorModel (one experiment per point, its replications inside),
    evaluated by the MultiprocessingEvaluator. Returns the number of replications run.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench import (
            ArrayOutcome,
            Constant,
            IntegerParameter,
            MultiprocessingEvaluator,
            ReplicatorModel,
        )
        from ema_workbench import Scenario as EMAScenario
    logging.getLogger("EMA").setLevel(logging.WARNING)
    model = ReplicatorModel("wargame", function=ema_function)
    model.uncertainties = [IntegerParameter("point", 0, points - 1)]
    model.constants = [Constant("points", points), Constant("reps", reps)]
    model.outcomes = [ArrayOutcome(k) for k in KPIS]  # one value per replication
    model.replications = [{"rep": r} for r in range(reps)]
    scenarios = [EMAScenario(f"p{i}", point=i) for i in range(points)]
    with MultiprocessingEvaluator(model, n_processes=workers) as evaluator:
        experiments, _outcomes = evaluator.perform_experiments(scenarios=scenarios)
    return len(experiments) * reps


def _mesa_model() -> type:
    import mesa

    class WargameModel(mesa.Model):  # type: ignore[misc]
        """One replication as a Mesa model: the run happens at construction, one step collects."""

        def __init__(self, points: int = 0, reps: int = 0, point: int = 0, rep: int = 0) -> None:
            super().__init__(seed=rep)
            self.kpis = replicate(points, reps, point, rep)
            self.datacollector = mesa.DataCollector(
                model_reporters={k: (lambda m, k=k: m.kpis[k]) for k in KPIS}
            )

        def step(self) -> None:
            self.datacollector.collect(self)
            self.running = False

    return WargameModel


try:  # Mesa pickles the model class by name for its worker processes
    WargameModel = _mesa_model()
    WargameModel.__qualname__ = "WargameModel"
except ImportError:  # the bench extra is not installed
    WargameModel = None


def run_mesa(points: int, reps: int, workers: int) -> int:
    """Mesa: batch_run over (point, rep), one model run per replication."""
    import mesa

    parameters = {"points": points, "reps": reps, "point": range(points), "rep": range(reps)}
    results = mesa.batch_run(
        WargameModel,
        parameters,
        number_processes=workers,
        iterations=1,
        max_steps=1,
        display_progress=False,
    )
    return len(results)
