"""The ``wargame`` command as users run it: start-up, and a run end to end.

Each command runs as a fresh subprocess, so imports, plotting and writing the results are in the
time, as they are for an analyst at a terminal.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.workloads import BASELINE, ROOT


def wargame() -> list[str]:
    """The installed ``wargame`` entry point (beside this Python), else ``python -m sim``."""
    script = Path(sys.executable).with_name("wargame")
    if script.exists():
        return [str(script)]
    found = shutil.which("wargame")
    return [found] if found else [sys.executable, "-m", "sim"]


def seconds(command: list[str], repeats: int = 1) -> float:
    """Least wall time of ``repeats`` runs of ``command`` (from the repository's root).

    Raises:
        subprocess.CalledProcessError: the command failed.
    """
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def startup(repeats: int) -> dict[str, float]:
    """Seconds for ``python -c pass``, ``wargame --help`` and validating the baseline."""
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "help": [*wargame(), "--help"],
        "validate": [*wargame(), "validate", str(BASELINE)],
    }
    best = dict.fromkeys(commands, math.inf)
    for _ in range(repeats):  # interleaved, so all three share the machine's noise
        for name, command in commands.items():
            best[name] = min(best[name], seconds(command))
    return best


def run_end_to_end(folder: Path, reps: int, workers: int) -> tuple[float, float]:
    """``wargame run`` of the baseline (default options otherwise) into ``folder``.

    Returns:
        The command's wall time and the simulation's, as its manifest records it
        (``wall_seconds``: the replications, from starting the workers to closing them).
    """
    command = [*wargame(), "run", str(BASELINE), "--reps", str(reps), "--workers", str(workers)]
    wall = seconds([*command, "--out", str(folder), "--force"])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return wall, float(manifest["wall_seconds"])
