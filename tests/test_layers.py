"""The one pipeline: scenario → engine → analysis → experiment → plot / report → cli.

Each layer imports only itself and the layers to its left (and ``sim.errors`` and
``sim.limits``, which every layer shares); ``report`` may use ``plot``. Imports inside functions
and under ``TYPE_CHECKING`` count too. The check walks the source with ``ast`` and is itself
tested on a package built here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

LAYERS = ("scenario", "engine", "analysis", "experiment", "plot", "report", "cli")
SHARED = ("errors", "limits")


def _rank(layer: str) -> int:
    # plot and report share a rank but report stands after plot: report may draw, plot may not
    # write reports.
    return LAYERS.index(layer)


def violations(package: Path) -> list[str]:
    """Every import in ``package`` (a ``sim`` folder) that points against the layer order."""
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        if len(parts) < 2 or parts[0] not in LAYERS:
            continue
        mine = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            else:
                continue
            for module in modules:
                steps = module.split(".")
                if steps[0] != package.name:
                    continue
                target = steps[1] if len(steps) > 1 else "(package)"
                if target in SHARED or target == mine:
                    continue
                allowed = target in LAYERS and _rank(target) < _rank(mine)
                if not allowed:
                    where = path.relative_to(package.parent)
                    found.append(f"{where}:{node.lineno}: {mine} imports {module}")
                break
    return sorted(found)


def test_no_import_runs_against_the_layer_order() -> None:
    assert violations(ROOT / "sim") == []


def test_the_check_catches_experiment_importing_plot(tmp_path: Path) -> None:
    package = tmp_path / "sim"
    for layer in ("experiment", "plot", "engine"):
        (package / layer).mkdir(parents=True)
        (package / layer / "__init__.py").write_text("")
    (package / "experiment" / "results.py").write_text(
        "from sim.engine import simulate\n"
        "def save():\n"
        "    from sim.plot.standard import draw_run_plots\n"
    )
    (package / "engine" / "model.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from sim.experiment.results import RunResult\n"
        "import sim\n"
    )
    assert violations(package) == [
        "sim/engine/model.py:3: engine imports sim.experiment.results",
        "sim/engine/model.py:4: engine imports sim",
        "sim/experiment/results.py:3: experiment imports sim.plot.standard",
    ]
