"""Checking a sweep spec without running it: the spec, its base scenario, every path, the size.

What ``wargame validate --sweep`` runs: the same resolution as :func:`sim.experiment.sweep.
prepare` (base scenario relative to the spec, its ``set:`` overrides, the design built against
it), writing nothing.
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import ScenarioError
from sim.experiment.design import Design, build_design
from sim.experiment.spec import load_spec_marked
from sim.limits import MAX_POINTS
from sim.scenario.loader import load_scenario
from sim.scenario.marked import MarkedList


def check_spec(path: Path, max_points: int | None = MAX_POINTS) -> Design:
    """The design a spec file makes.

    Raises:
        ScenarioError: every problem of the spec, its base or a parameter, at its line.
    """
    spec, marks = load_spec_marked(path)
    base_path = Path(spec.base)
    if not base_path.is_absolute():
        base_path = path.parent / base_path
    if not base_path.is_file():
        where = marks.marks.get("base")
        message = f"base scenario {spec.base!r} not found (looked for {base_path})"
        if where is not None:
            raise ScenarioError([where.problem("base", message)])
        raise ScenarioError.single(str(path), "base", message)
    written = marks.get("set")
    origins = list(written.marks) if isinstance(written, MarkedList) else None
    base = load_scenario(base_path, spec.set_, origins)
    return build_design(spec, base, marks, max_points)
