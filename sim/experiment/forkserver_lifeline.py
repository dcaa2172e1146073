"""Preloaded by the forkserver (see :func:`sim.experiment.executors._context`) so that it dies
with the driver that started it, as its workers do (:mod:`sim.experiment.lifeline`).

Importing it anywhere else does nothing: the death signal is armed only when the import comes
from ``multiprocessing.forkserver.main``, which preloads modules before it starts serving.
"""

from __future__ import annotations

import sys
from types import FrameType

from sim.experiment.lifeline import die_with_parent


def _imported_by_forkserver() -> bool:
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if (
            frame.f_code.co_name == "main"
            and frame.f_globals.get("__name__") == "multiprocessing.forkserver"
        ):
            return True
        frame = frame.f_back
    return False


if _imported_by_forkserver():
    die_with_parent()
