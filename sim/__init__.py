"""coalition-wargame: a SimPy wargame of post-war security guarantees for Ukraine.

Pipeline: scenario (load, validate) → engine (one replication) → experiment (many, in
parallel; comparisons; sweeps) → analysis (statistics) → plot → cli.

Only the error classes come with the package; everything else is imported on first use, so
that ``wargame --help`` starts at once and validating a scenario never loads the engine,
pyarrow or process pools.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sim.errors import EnvironmentProblem as EnvironmentProblem
from sim.errors import InputError as InputError
from sim.errors import MissingExtra as MissingExtra
from sim.errors import ResultsError as ResultsError
from sim.errors import ScenarioError as ScenarioError
from sim.errors import SimError as SimError
from sim.errors import SimulationError as SimulationError
from sim.errors import UsageError as UsageError

if TYPE_CHECKING:
    from sim.engine.model import simulate as simulate
    from sim.engine.trace import Trace as Trace
    from sim.experiment.api import compare as compare
    from sim.experiment.api import run as run
    from sim.experiment.api import sweep as sweep
    from sim.experiment.comparison import Comparison as Comparison
    from sim.experiment.results import RunResult as RunResult
    from sim.experiment.results import load_results as load_results
    from sim.experiment.sweep_result import SweepResult as SweepResult
    from sim.scenario.loader import load_scenario as load_scenario
    from sim.scenario.schema import Scenario as Scenario

__version__ = "0.1.0"

__all__ = [
    "Comparison",
    "EnvironmentProblem",
    "InputError",
    "MissingExtra",
    "ResultsError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SimError",
    "SimulationError",
    "SweepResult",
    "Trace",
    "UsageError",
    "__version__",
    "compare",
    "load_results",
    "load_scenario",
    "run",
    "simulate",
    "sweep",
]

_LAZY = {
    "Comparison": "sim.experiment.comparison",
    "compare": "sim.experiment.api",
    "RunResult": "sim.experiment.results",
    "load_results": "sim.experiment.results",
    "run": "sim.experiment.api",
    "sweep": "sim.experiment.api",
    "SweepResult": "sim.experiment.sweep_result",
    "simulate": "sim.engine.model",
    "Trace": "sim.engine.trace",
    "load_scenario": "sim.scenario.loader",
    "Scenario": "sim.scenario.schema",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # looked up once
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
