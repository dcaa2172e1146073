"""What every command shares: error handling, exit codes and common options."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

import typer

from sim.errors import ScenarioError, SimError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override a scenario value, e.g. pledges.fra-land.amount=6000 (repeatable).",
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="Root seed of the random streams.")]


class Settings:
    """Options given before the command (``wargame --debug run ...``), set per invocation."""

    debug = False


def err(message: str) -> None:
    """Print one line on stderr."""
    typer.echo(message, err=True)


def handle_errors(command: F) -> F:
    """Turn library errors into one-line messages and the contract's exit codes.

    Invalid input exits 2 with one line per problem; other failures exit 1; Ctrl-C exits 130.
    ``--debug`` (before the command) adds the traceback.
    """

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
        except BrokenPipeError:  # `wargame run ... | head`: the reader left; stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except KeyboardInterrupt:
            err("interrupted; nothing was written")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except SimError as exc:
            err(f"error: {exc}")
            _trace()
            raise typer.Exit(EXIT_FAILURE) from None
        except Exception as exc:  # the CLI's last line of defence: one line, exit 1
            first = (str(exc).strip().splitlines() or [""])[0]  # one line, whatever the message
            err(f"internal error: {type(exc).__name__}: {first} (run with --debug for details)")
            _trace()
            raise typer.Exit(EXIT_FAILURE) from None

    return cast(F, wrapper)


def _trace() -> None:
    if Settings.debug:
        traceback.print_exc(file=sys.stderr)
