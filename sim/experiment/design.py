"""From a sweep spec to its points: targets in the base scenario, the design, one scenario each.

Pure: nothing here runs the engine or touches the disk (the base scenario is loaded by the
caller). Values are mapped from the unit cube: a design samples u in [0, 1]^k (grid levels, a
Latin hypercube from scipy.stats.qmc, or SALib's Saltelli/Sobol' and Morris samples) and each
factor turns its u into a value (linear, log, whole numbers, or one of listed values).
"""

from __future__ import annotations

import copy
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import ValidationError

from sim.analysis.sensitivity import salib_problem
from sim.errors import Problem, ScenarioError, UsageError
from sim.experiment.spec import Parameter, SweepSpec
from sim.limits import MAX_POINTS
from sim.scenario.document import scenario_document
from sim.scenario.marked import Mark, MarkedDict
from sim.scenario.patch import Change, patched
from sim.scenario.paths import Loc, display_path, resolve
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Target:
    """One place a factor writes to: its location, dotted path and value in the base."""

    loc: Loc
    dotted: str
    base: Any


@dataclass(frozen=True)
class Factor:
    """A parameter resolved against the base scenario."""

    parameter: Parameter
    targets: tuple[Target, ...]

    @property
    def label(self) -> str:
        """The parameter's label in tables and plots."""
        return self.parameter.label

    def value(self, u: float) -> Any:
        """The value at position ``u`` in [0, 1] of the factor's range (or list)."""
        p = self.parameter
        if p.values is not None:
            return p.values[min(int(u * len(p.values)), len(p.values) - 1)]
        assert p.range_ is not None
        low, high = p.range_
        u = float(u)
        x = (
            math.exp(math.log(low) + u * (math.log(high) - math.log(low)))
            if p.log
            else (low + u * (high - low))
        )
        return round(x) if p.int_ else x

    def levels(self) -> list[Any]:
        """Grid values: the listed values, or ``steps`` points spanning the range."""
        p = self.parameter
        if p.values is not None:
            return list(p.values)
        steps = p.steps or 5
        found = [self.value(i / (steps - 1)) for i in range(steps)]
        return list(dict.fromkeys(found))  # whole numbers may coincide

    def writes(self, value: Any) -> list[Change]:
        """What taking ``value`` writes: each target's location and its value there."""
        out: list[Change] = []
        for target in self.targets:
            if self.parameter.scale:
                written: Any = target.base * value
                if isinstance(target.base, int):
                    # Whole-number fields stay whole, and a positive one stays positive: 0.25×
                    # one fire unit is one fire unit, never none (scaling resizes, not removes).
                    whole = round(written)
                    written = max(1, whole) if target.base > 0 and value > 0 else whole
            elif self.parameter.template is not None:
                written = _fill(self.parameter.template, value)
            elif type(target.base) is int and isinstance(value, float):
                written = round(value)  # a whole-number field takes the nearest whole value
            else:
                written = value
            out.append((target.loc, written))
        return out


def _fill(template: Any, value: Any) -> Any:
    if isinstance(template, str):
        if template == "{value}":
            return value
        return template.replace("{value}", str(value))
    if isinstance(template, list):
        return [_fill(item, value) for item in template]
    if isinstance(template, dict):
        return {k: _fill(v, value) for k, v in template.items()}
    return template


def _resolve(document: dict[str, Any], text: str, where: dict[str, Any]) -> list[Target]:
    """Concrete locations of a path (``*`` expands over list items matching ``where``)."""
    return [
        Target(loc, display_path(document, loc), value)
        for loc, value in resolve(document, text, where)
    ]


@dataclass
class Design:
    """The points of a sweep: one value per factor each, and the scenario at each point."""

    spec: SweepSpec
    base: Scenario
    factors: list[Factor]
    unit: np.ndarray
    """(points × factors) positions in the unit cube (grid: the levels' positions)."""
    values: list[tuple[Any, ...]] = field(default_factory=list)
    _document: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        """The number of points."""
        return len(self.values)

    @property
    def labels(self) -> list[str]:
        """The factors' labels, in factor order."""
        return [f.label for f in self.factors]

    def changes(self, point: int) -> list[Change]:
        """Every value the point writes into the base, factor by factor."""
        return [
            change
            for factor, value in zip(self.factors, self.values[point], strict=True)
            for change in factor.writes(value)
        ]

    def scenario(self, point: int) -> Scenario | str:
        """The scenario at a point, or the reason it is invalid."""
        return point_scenario(self.base, self.changes(point), self._document)

    def validated(self, point: int) -> Scenario | str:
        """The scenario at a point validated from its whole document (what :meth:`scenario`
        equals, at a fraction of the cost), or the reason it is invalid.
        """
        return _from_document(self._document, self.changes(point))


def point_scenario(
    base: Scenario, changes: list[Change], document: dict[str, Any] | None = None
) -> Scenario | str:
    """The base with a point's values written in, validated where they changed
    (:func:`sim.scenario.patch.patched`), or the reason it is invalid.

    An invalid point is validated again from its whole document, so that its reason names the
    first problem in file order at its dotted path, as validating the file would; ``document``
    is the base's document, if the caller has it.
    """
    try:
        return patched(base, changes)
    except ValidationError:
        return _from_document(scenario_document(base) if document is None else document, changes)


def _from_document(base_document: dict[str, Any], changes: list[Change]) -> Scenario | str:
    document = copy.deepcopy(base_document)
    for loc, value in changes:
        node: Any = document
        for step in loc[:-1]:
            node = node[step]
        node[loc[-1]] = value
    try:
        return Scenario.model_validate(document)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = display_path(document, _data_loc(document, first["loc"]))
        message = first["msg"].removeprefix("Value error, ")
        return f"{where}: {message} (got {first.get('input')!r})"


def _data_loc(document: Any, loc: tuple[Any, ...]) -> list[Any]:
    """The steps of a pydantic error location that exist in the data (union tags dropped)."""
    steps, node = [], document
    for step in loc:
        in_dict = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and step < len(node)
        if in_dict or in_list:
            node = node[step]
            steps.append(step)
    return steps


def _problem(spec_marks: MarkedDict | None, index: int, key: str, message: str) -> ScenarioError:
    if spec_marks is not None:
        item = spec_marks["parameters"][index]
        mark: Mark = (
            item.marks.get(key, item.mark) if isinstance(item, MarkedDict) else (spec_marks.mark)
        )
        return ScenarioError([mark.problem(f"parameters.{index}.{key}", message)])
    return ScenarioError([Problem("--param", index + 1, 1, key, message)])


def build_design(
    spec: SweepSpec,
    base: Scenario,
    marks: MarkedDict | None = None,
    max_points: int | None = MAX_POINTS,
) -> Design:
    """Resolve the spec's parameters against ``base`` and lay out its points.

    ``max_points`` caps the design's size (None: no cap, for a sweep already on disk); the
    size is known before any point is drawn, so a design of millions is refused at once.

    Raises:
        ScenarioError: a parameter names nothing in the base, or cannot be scaled, or the
            design has more than ``max_points`` points.
    """
    size = spec.size()
    if max_points is not None and size > max_points:
        message = (
            f"the {spec.design} design has {size:,} points, over the limit of {max_points:,}; "
            "use fewer samples or levels, or raise the limit with --max-points"
        )
        key = "parameters" if spec.design == "grid" else "samples"
        if marks is not None and key in marks:
            raise ScenarioError([marks.marks[key].problem(key, message)])
        raise UsageError(message, "--samples" if key == "samples" else "--param")
    document = scenario_document(base)
    factors = []
    for index, parameter in enumerate(spec.parameters):
        targets: list[Target] = []
        for text in parameter.targets:
            try:
                targets += _resolve(document, text, parameter.where)
            except KeyError as exc:
                key = "path" if parameter.path else "paths"
                raise _problem(marks, index, key, str(exc).strip("'\"")) from None
        if parameter.scale:
            bad = [
                t
                for t in targets
                if not isinstance(t.base, int | float) or isinstance(t.base, bool)
            ]
            if bad:
                raise _problem(
                    marks,
                    index,
                    "scale",
                    f"{bad[0].dotted} is not a number, so it cannot be scaled",
                )
        factors.append(Factor(parameter, tuple(targets)))
    unit = _unit_design(spec, factors)
    values = [tuple(f.value(u) for f, u in zip(factors, row, strict=True)) for row in unit]
    if spec.design == "grid":
        grids = [f.levels() for f in factors]
        values = list(itertools.product(*grids))
        unit = np.array(
            [
                [g.index(v) / max(1, len(g) - 1) for g, v in zip(grids, row, strict=True)]
                for row in values
            ],
            dtype=float,
        )
    return Design(spec, base, factors, unit, values, document)


def _unit_design(spec: SweepSpec, factors: list[Factor]) -> np.ndarray:
    k = len(factors)
    if spec.design == "grid":
        return np.zeros((0, k))
    assert spec.samples is not None
    if spec.design == "lhs":
        from scipy.stats import qmc

        return np.asarray(qmc.LatinHypercube(d=k, seed=spec.seed).random(spec.samples))
    problem = salib_problem([f.label for f in factors])
    if spec.design == "sobol":
        from SALib.sample import sobol

        return np.asarray(
            sobol.sample(problem, spec.samples, calc_second_order=False, seed=spec.seed)
        )
    from SALib.sample import morris

    return np.asarray(morris.sample(problem, spec.samples, num_levels=spec.levels, seed=spec.seed))
