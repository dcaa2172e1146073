"""Worker processes die with the run that started them, even when it is SIGKILLed.

A killed driver cannot stop its workers, so each worker watches for itself, two ways:

* on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` asks the kernel to kill the worker the moment
  its parent (the forkserver, or the driver under spawn) dies;
* everywhere, a daemon thread checks four times a second that its parent is still the process
  that started it and that the driver is alive, and ends the worker (``os._exit``: it holds
  nothing worth saving) otherwise.

The forkserver itself exits when the driver's end of its pipe closes; importing
:mod:`sim.experiment.forkserver_lifeline` there (it is preloaded) also gives it the death signal.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.25


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux); True if it will."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _watch(parent: int, driver: int) -> None:
    while True:
        if os.getppid() != parent or not _alive(driver):
            os._exit(1)
        time.sleep(POLL_SECONDS)


def start_worker(driver: int) -> None:
    """Pool initializer: tie this worker's life to its parent and to the driver ``driver``."""
    parent = os.getppid()
    die_with_parent()
    if parent == 1 or not _alive(driver):  # orphaned before the death signal was armed
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, driver), daemon=True).start()
