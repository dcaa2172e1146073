"""Progress on a terminal (stderr), nothing when piped: bars with a real ETA, and a spinner
for work without steps (drawing plots, writing a report).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from sim.experiment.runner import Progress as ProgressCallback


def columns() -> tuple[object, ...]:
    """Description, bar, done/total, elapsed and the time remaining."""
    return (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[ProgressCallback | None]:
    """Yield a ``(done, planned)`` callback drawing a bar, or None when stderr is not a TTY.

    ``total`` (replications planned) is shown from the start, so the bar never reads ``0/?``.
    """
    if not sys.stderr.isatty():
        yield None
        return
    console = Console(stderr=True)
    with Progress(*columns(), console=console, transient=True) as bar:  # type: ignore[arg-type]
        task = bar.add_task(description, total=total)

        def update(done: int, planned: int) -> None:
            bar.update(task, completed=done, total=planned)

        yield update


@contextmanager
def activity(text: str) -> Iterator[None]:
    """A spinner with ``text`` on a terminal while the block runs (nothing when piped)."""
    if not sys.stderr.isatty():
        yield
        return
    with Console(stderr=True).status(text):
        yield
