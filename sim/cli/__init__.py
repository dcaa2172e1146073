"""The ``wargame`` command line: one module per command, no simulation logic here."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from sim.cli.ablate import ablate
from sim.cli.common import EXIT_FAILURE, EXIT_INVALID, EXIT_TERMINATED, Settings, Terminated, err
from sim.cli.compare import compare
from sim.cli.play import play
from sim.cli.plot import plot
from sim.cli.report import report
from sim.cli.run import run
from sim.cli.schema import schema
from sim.cli.story import story
from sim.cli.sweep import sweep
from sim.cli.validate import validate

# Typer 0.29 vendors click (typer._click) where older versions use click itself; either way its
# usage errors derive from click's UsageError, reached here through Typer's public BadParameter.
_CLICK_USAGE_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"
)


def usage_line(exc: Exception) -> str:
    """A click usage error as one line: ``wargame run: --reps: input should be ...``."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "wargame"
    param = getattr(exc, "param", None)
    hint = None
    if param is not None:
        if getattr(param, "param_type_name", "") == "option":
            hint = max(param.opts, key=len)  # --workers rather than -w
        else:
            hint = str(getattr(param, "metavar", None) or param.name or "argument").upper()
    raw = getattr(exc, "message", "") if param is not None else ""
    message = raw or exc.format_message()  # type: ignore[attr-defined]
    if param is not None and not raw:  # a missing argument or option
        message = "required; see --help"
    text = " ".join(str(message).split()).rstrip(".")
    text = text[:1].lower() + text[1:]
    return f"{where}: {hint}: {text}" if hint else f"{where}: {text}"


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


class _OneLineErrors(TyperGroup):
    """The app's group: usage errors as one line (exit 2), SIGTERM unwinds like Ctrl-C."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        previous = None
        if _in_main_thread():
            previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            code = super().main(
                args, prog_name or "wargame", complete_var, standalone_mode=False, **extra
            )
        except _CLICK_USAGE_ERROR as exc:
            if type(exc).__name__ != "NoArgsIsHelpError":  # that one has printed the help
                err(usage_line(exc))
            code = EXIT_INVALID
        except typer.Abort:
            err("aborted")
            code = EXIT_FAILURE
        except Terminated:  # before or after a command ran
            err("terminated; nothing was written")
            code = EXIT_TERMINATED
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        code = code if isinstance(code, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


app = typer.Typer(
    name="wargame",
    help="What-if simulator of post-war security guarantees for Ukraine. "
    "Outputs are what-ifs under stated assumptions, not forecasts.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help: Rich's help renderer costs more to import than the rest of the command line.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=_OneLineErrors,
)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    Settings.reset(debug)


app.command()(validate)
app.command()(run)
app.command()(schema)
app.command()(story)
app.command()(compare)
app.command()(ablate)
app.command()(sweep)
app.command()(plot)
app.command()(report)
app.command()(play)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="wargame")
