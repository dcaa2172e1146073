"""Errors raised by sim, by cause.

::

    SimError                          base of everything this package raises on purpose
    ├── InputError                    the input is wrong; nothing was written (CLI: exit 2)
    │   ├── ScenarioError (ValueError)   problems in a scenario or sweep file (or --set); each
    │   │                                carries file, line, column, dotted path and message
    │   ├── ConditionError (ValueError)  a condition that does not parse (sim.scenario.conditions)
    │   ├── UsageError (ValueError)      a bad option or argument: --reps, --seed, --kpi, --out...
    │   └── ResultsError                 a stored results directory is missing, incomplete,
    │                                    malformed or of another format
    ├── EnvironmentProblem            the machine, not the input: disk full, permissions,
    │   │                             a file-size limit, an unreachable scheduler (CLI: exit 1)
    │   └── MissingExtra              an optional dependency is not installed
    └── SimulationError               a replication raised; a bug in the model (CLI: exit 1)

The CLI prints a ScenarioError as one line per problem, ``FILE:LINE:COL: dotted.path: message``,
a UsageError as ``wargame COMMAND: --option: message``, an EnvironmentProblem as
``environment error: ...`` (``missing extra: ...``), and anything else it did not expect as
``internal error: ...``; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass


class SimError(Exception):
    """Base class of the errors this package raises on purpose."""


class InputError(SimError):
    """The input is wrong (a file, an option, a stored directory); nothing was written."""


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


class ScenarioError(InputError, ValueError):
    """Invalid input in a file: a scenario, an override, a sweep spec.

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
        """The file of the first problem."""
        return self.problems[0].file

    @property
    def line(self) -> int:
        """The line of the first problem."""
        return self.problems[0].line

    @property
    def column(self) -> int:
        """The column of the first problem."""
        return self.problems[0].column

    @property
    def path(self) -> str:
        """The path of the first problem within its document."""
        return self.problems[0].path


class UsageError(InputError, ValueError):
    """A bad option or argument, not a problem inside a file.

    ``option`` names the command-line option it is about (``--reps``), if any; the message reads
    ``--reps: must be at least 1`` with it and just the message without it, as a library caller
    (``result.kpi("nope")``) would want.
    """

    def __init__(self, message: str, option: str | None = None) -> None:
        self.option = option
        self.message = message
        super().__init__(f"{option}: {message}" if option else message)


class ResultsError(InputError):
    """A stored results directory cannot be read as asked; the message names the directory
    and the file.
    """


class EnvironmentProblem(SimError):  # noqa: N818  (the name the issue and the docs use)
    """The machine stopped the work: disk full, no permission, a limit, a missing service.

    ``label`` is how the CLI introduces it.
    """

    label = "environment error"


class MissingExtra(EnvironmentProblem):
    """An optional dependency is not installed; the message says what to install."""

    label = "missing extra"


class SimulationError(SimError):
    """A replication raised; the message names the scenario, replication and seed."""

    def __init__(self, scenario: str, replication: int, seed: int, cause: str) -> None:
        self.scenario = scenario
        self.replication = replication
        self.seed = seed
        super().__init__(f"scenario {scenario!r}, replication {replication}, seed {seed}: {cause}")


_ENVIRONMENT_ERRNOS = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for this system's file-size limit",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EMFILE: "too many open files",
    errno.ENFILE: "too many open files in the system",
    errno.EIO: "input/output error",
}
_ERRNO_IN_TEXT = re.compile(r"\[errno (\d+)\]", re.IGNORECASE)


def environment_cause(exc: BaseException) -> str | None:
    """What the machine objected to, if ``exc`` is such a problem (disk full, no permission,
    out of memory), as one line naming the file; None for anything else.

    pyarrow raises OSError without an errno and puts ``[errno 28]`` in the message instead.
    """
    if isinstance(exc, MemoryError):
        return "out of memory"
    if not isinstance(exc, OSError):
        return None
    code = exc.errno
    if code is None:
        found = _ERRNO_IN_TEXT.search(str(exc))
        code = int(found.group(1)) if found else None
    cause = _ENVIRONMENT_ERRNOS.get(code) if code is not None else None
    if cause is None:
        return None
    where = f": {exc.filename}" if exc.filename is not None else ""
    detail = f" ({exc.strerror})" if exc.strerror and exc.strerror.lower() != cause else ""
    return f"{cause}{where}{detail}"
