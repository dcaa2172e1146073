"""What every command shares: error handling, exit codes and common options."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

import typer

from sim.errors import (
    EnvironmentProblem,
    InputError,
    ScenarioError,
    SimError,
    UsageError,
    environment_cause,
)
from sim.limits import MAX_REPLICATION, MAX_SEED

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override a scenario value, e.g. pledges.fra-land-main.amount=6000 (repeatable).",
    ),
]
SeedOption = Annotated[
    int,
    typer.Option(
        "--seed",
        min=0,
        max=MAX_SEED - 1,
        help="Root seed of the random streams (0 to 2**63 - 1).",
    ),
]
RepOption = Annotated[
    int, typer.Option("--rep", min=0, max=MAX_REPLICATION - 1, help="Replication number.")
]


class Terminated(BaseException):
    """SIGTERM arrived; raised in the main thread so that the work unwinds as for Ctrl-C.

    Not a KeyboardInterrupt, so that Typer does not turn it into exit code 130.
    """


class Settings:
    """Options given before the command (``wargame --debug run ...``), set per invocation.

    ``interrupt_note`` is set by a command that writes something: called on Ctrl-C or SIGTERM,
    it says what is on disk (nothing, complete results, a resumable sweep).
    """

    debug = False
    interrupt_note: Callable[[], str] | None = None

    @classmethod
    def reset(cls, debug: bool = False) -> None:
        """Set the options of a new invocation and forget the last one's interrupt note."""
        cls.debug = debug
        cls.interrupt_note = None


def err(message: str) -> None:
    """Print one line on stderr."""
    typer.echo(message, err=True)


def handle_errors(command: F) -> F:
    """Turn library errors into one-line messages and the contract's exit codes.

    Invalid input exits 2 with one line per problem; a problem of the machine (disk full) and
    internal failures exit 1; Ctrl-C exits 130 and SIGTERM 143, saying what is on disk.
    ``--debug`` (before the command) adds the traceback.
    """
    name = f"wargame {command.__name__}"

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):  # the CLI's own exits and errors
            raise
        except ScenarioError as exc:
            for problem in exc.problems:
                err(str(problem))
            _trace()
            raise typer.Exit(EXIT_INVALID) from None
        except UsageError as exc:
            err(f"{name}: {exc}")
            _trace()
            raise typer.Exit(EXIT_INVALID) from None
        except InputError as exc:  # a stored directory: the message starts with its path
            err(str(exc))
            _trace()
            raise typer.Exit(EXIT_INVALID) from None
        except BrokenPipeError:  # `wargame run ... | head`: the reader left; stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except (KeyboardInterrupt, Terminated) as exc:
            note = Settings.interrupt_note() if Settings.interrupt_note else "nothing was written"
            word = "terminated" if isinstance(exc, Terminated) else "interrupted"
            err(f"{word}; {note}")
            code = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
            raise typer.Exit(code) from None
        except EnvironmentProblem as exc:
            err(f"{exc.label}: {exc}")
            _trace()
            raise typer.Exit(EXIT_FAILURE) from None
        except SimError as exc:
            err(f"error: {exc}")
            _trace()
            raise typer.Exit(EXIT_FAILURE) from None
        except Exception as exc:  # the CLI's last line of defence: one line, exit 1
            cause = environment_cause(exc)
            if cause is not None:  # disk full and the like, wherever it struck
                err(f"{EnvironmentProblem.label}: {cause}")
            else:
                first = (str(exc).strip().splitlines() or [""])[0]  # one line, whatever the text
                err(f"internal error: {type(exc).__name__}: {first} (run with --debug for details)")
            _trace()
            raise typer.Exit(EXIT_FAILURE) from None

    return cast(F, wrapper)


def _trace() -> None:
    if Settings.debug:
        traceback.print_exc(file=sys.stderr)
