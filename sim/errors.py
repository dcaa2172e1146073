"""Errors raised by sim.

* SimError                      base of everything this package raises on purpose
  + ScenarioError (ValueError)  one or more problems in a scenario or sweep file; each
                                problem carries file, line, column, dotted path and message
  + SimulationError             a replication failed; carries scenario, replication, seed
  + ResultsError                a results directory is missing, incomplete or of another format

The CLI prints a ScenarioError as one line per problem, ``FILE:LINE:COL: dotted.path: message``,
and exits with code 2; any other SimError exits with code 1.
"""

from __future__ import annotations

from dataclasses import dataclass


class SimError(Exception):
    """Base class of the errors this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file.

    Lines and columns are 1-based, as editors show them.
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message}"


class ScenarioError(SimError, ValueError):
    """Invalid input: a scenario, an override, a sweep spec or an option.

    ``problems`` lists every problem found; ``file``, ``line``, ``column`` and ``path`` describe
    the first one, which is usually what a caller wants to show.
    """

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("ScenarioError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(
        cls, file: str, path: str, message: str, line: int = 1, column: int = 1
    ) -> ScenarioError:
        """Build an error with one problem."""
        return cls([Problem(file, line, column, path, message)])

    @property
    def file(self) -> str:
        return self.problems[0].file

    @property
    def line(self) -> int:
        return self.problems[0].line

    @property
    def column(self) -> int:
        return self.problems[0].column

    @property
    def path(self) -> str:
        return self.problems[0].path


class SimulationError(SimError):
    """A replication raised; the message names the scenario, replication and seed."""

    def __init__(self, scenario: str, replication: int, seed: int, cause: str) -> None:
        self.scenario = scenario
        self.replication = replication
        self.seed = seed
        super().__init__(f"scenario {scenario!r}, replication {replication}, seed {seed}: {cause}")


class ResultsError(SimError):
    """A results directory cannot be read or written as asked."""
