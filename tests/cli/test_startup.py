"""``wargame --help`` starts without the engine: the command line imports it only when a
command needs it (start-up time itself is measured in ``benchmarks/``, not asserted here).
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("numpy", "scipy", "simpy", "pydantic", "pyarrow", "matplotlib", "sim.engine.model")


def _loaded_after(statement: str) -> list[str]:
    loaded = f"' '.join(m for m in {HEAVY!r} if m in sys.modules)"
    probe = f"import sys; {statement}; print('loaded:', {loaded})"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.rsplit("loaded:", 1)[1].split()


def test_the_command_line_imports_no_scientific_stack() -> None:
    assert _loaded_after("import sim.cli") == []


def test_help_loads_nothing_heavy() -> None:
    statement = (
        "import sim.cli; sim.cli.app(['--help'], prog_name='wargame', standalone_mode=False)"
    )
    assert _loaded_after(statement) == []


def test_the_package_imports_only_its_errors() -> None:
    assert _loaded_after("import sim") == []
    assert _loaded_after("import sim; sim.Scenario") == ["pydantic"]
