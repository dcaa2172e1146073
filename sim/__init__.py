"""coalition-wargame: a SimPy wargame of post-war security guarantees for Ukraine.

Pipeline: scenario (load, validate) → engine (one replication) → experiment (many, in
parallel) → analysis (statistics) → plot → cli.
"""

from sim.errors import ScenarioError as ScenarioError
from sim.errors import SimError as SimError
from sim.scenario.loader import load_scenario as load_scenario
from sim.scenario.schema import Scenario as Scenario

__version__ = "0.1.0"

__all__ = [
    "Scenario",
    "ScenarioError",
    "SimError",
    "__version__",
    "load_scenario",
]
