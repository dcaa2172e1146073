"""Draw and save many figures, in two processes where the machine has the cores.

Drawing the plots of a run took longer than simulating it, on one core while the other sat
idle. Where ``fork`` is available and more than one core is, :func:`draw_all` forks once: the
child draws every other figure and reports the names it saved through a pipe, the parent draws
the rest. The child inherits the imported matplotlib and the results in memory, so nothing is
pickled or imported twice. If the child fails for any reason the parent draws its share itself,
so an error surfaces with its traceback in the parent, as when drawing serially.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from matplotlib.figure import Figure

from sim.plot.style import save, suffixes

Drawer = Callable[[], Figure | None]
"""Builds one figure, or None where there is nothing to draw (e.g. no ladder)."""


def drawn(drawers: Mapping[str, Drawer]) -> dict[str, Figure]:
    """Every figure drawn, by name, leaving out those with nothing to draw."""
    figures = {name: draw() for name, draw in drawers.items()}
    return {name: figure for name, figure in figures.items() if figure is not None}


def draw_all(drawers: Mapping[Path, Drawer], *, svg: bool = False) -> list[Path]:
    """Draw each figure and save it as ``<key>.png`` (and ``.svg``); return the files written.

    Keys are the files' paths without suffix (``plots/fan_deterrence``); each figure is built
    only when its turn comes, so a process holds one figure at a time.
    """
    keys = list(drawers)
    if len(keys) < 2 or not _can_fork():
        return _draw(drawers, keys, svg)
    half = (len(keys) + 1) // 2
    mine, theirs = keys[:half], keys[half:]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: draw its share, say which were saved, never return
        os.close(read_end)
        _child(drawers, theirs, svg, write_end)
    os.close(write_end)
    finished = False
    try:
        written = _draw(drawers, mine, svg)
        with os.fdopen(read_end, "rb") as pipe:
            saved = pipe.read().decode("utf-8").splitlines()
        finished = os.waitpid(pid, 0)[1] == 0
    finally:
        if not finished:
            with contextlib.suppress(OSError):  # already gone
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    if not finished:
        return written + _draw(drawers, theirs, svg)
    by_name = {str(key): key for key in theirs}
    return written + [path for name in saved for path in _files(by_name[name], svg)]


def _child(drawers: Mapping[Path, Drawer], keys: list[Path], svg: bool, pipe: int) -> None:
    status = 1
    try:
        saved = [str(key) for key in keys if _draw(drawers, [key], svg)]
        os.write(pipe, "\n".join(saved).encode("utf-8"))
        status = 0
    except BaseException:
        pass
    finally:
        os._exit(status)


def _draw(drawers: Mapping[Path, Drawer], keys: Iterable[Path], svg: bool) -> list[Path]:
    written: list[Path] = []
    for key in keys:
        figure = drawers[key]()
        if figure is not None:
            written += save(figure, key.parent, key.name, svg=svg)
    return written


def _files(key: Path, svg: bool) -> list[Path]:
    return [key.with_name(f"{key.name}.{suffix}") for suffix in suffixes(svg)]


def _can_fork() -> bool:
    """Fork on Linux-like systems with two or more usable cores (macOS forks badly with GUIs)."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) > 1
