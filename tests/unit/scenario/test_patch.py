"""A scenario patched where it changed equals the changed document validated from scratch.

:func:`sim.scenario.patch.patched` validates only the spine from the scenario to each changed
value, passing the unchanged sub-models as instances. That is sound if validating a model from
its own fields gives it back (checked for every sub-model of every shipped scenario), and the
result must then be the very scenario a full validation makes — valid or not — for any change:
random changes anywhere in the shipped scenarios (numbers in and out of bounds, booleans, ids,
references, conditions, dates, distributions swapped for numbers, lists emptied) are checked
against ``Scenario.model_validate`` of the changed document, and so are random points of the
shipped sweep specs.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from sim.experiment.design import build_design
from sim.experiment.spec import load_spec
from sim.scenario.document import scenario_document, scenario_sha256
from sim.scenario.loader import load_scenario
from sim.scenario.patch import Change, patched
from sim.scenario.paths import Loc
from sim.scenario.schema import Scenario
from tests.conftest import MINIMAL, SCENARIOS

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
CONDITIONS = [
    "ceasefire",
    "day >= 90 and us.state == 'enablers'",
    "committed.reassurance.land >= 5000",
    "no_such_metric > 1",
    "day >=",
]


def _models(model: BaseModel) -> Iterator[BaseModel]:
    yield model
    for value in model.__dict__.values():
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, BaseModel):
                yield from _models(item)


@pytest.mark.parametrize("path", [*SHIPPED, MINIMAL], ids=lambda p: Path(p).stem)
def test_every_sub_model_validates_back_from_its_fields(path: Path) -> None:
    for model in _models(load_scenario(path)):
        again = type(model).model_validate(dict(model.__dict__))
        assert again == model
        assert again.model_dump(mode="json") == model.model_dump(mode="json")


def _places(node: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every location of the document below the root, with its value."""
    if loc:
        yield loc, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, (*loc, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _places(value, (*loc, index))


def _another(rng: random.Random, loc: Loc, value: Any, document: dict[str, Any]) -> Any:
    """A new value for ``loc``: often valid, often not."""
    key = loc[-1]
    if isinstance(value, bool):
        return rng.choice([not value, 1, 0.5])
    if isinstance(value, int):
        return rng.choice([value * 2, value // 2, -value, 0, value + 1, round(value * 1.7), 10**16])
    if isinstance(value, float):
        return rng.choice([value * rng.uniform(-0.5, 3.0), 0.0, 1.0, 1e16, value + 0.25])
    if isinstance(value, str):
        if "conditions" in loc or key == "when":
            return rng.choice(CONDITIONS)
        if key == "dist":
            return rng.choice(["fixed", "uniform", "lognormal", "beta", "gamma"])
        if key in ("member", "id", "host"):
            members = [m["id"] for m in document["members"]]
            return rng.choice([*members, "XXX", "fra-land"])
        if key in ("at", "start"):
            return rng.choice(["2026-01-01", "2040-01-01", "2025-06-30", "not a date"])
        return rng.choice([value + "x", "", "strong", "none", "land"])
    if isinstance(value, dict):
        return rng.choice([30, 0.4, {}, {"dist": "fixed", "value": 5}])
    if isinstance(value, list):
        return rng.choice([[], value[:1] * 2, value[::-1]])
    return rng.choice([1, 2.5, "x"])


def _random_changes(rng: random.Random, document: dict[str, Any]) -> list[Change]:
    """One to four changes at random places, none inside another's."""
    places = list(_places(document))
    chosen: list[Change] = []
    for _ in range(rng.randint(1, 4)):
        loc, value = rng.choice(places)
        if any(loc[: len(c)] == c or c[: len(loc)] == loc for c, _ in chosen):
            continue
        chosen.append((loc, _another(rng, loc, value, document)))
    return chosen


def _validated(document: dict[str, Any], changes: list[Change]) -> Scenario | None:
    data = copy.deepcopy(document)
    for loc, value in changes:
        node: Any = data
        for step in loc[:-1]:
            node = node[step]
        node[loc[-1]] = copy.deepcopy(value)
    try:
        return Scenario.model_validate(data)
    except ValidationError:
        return None


def _patched(base: Scenario, changes: list[Change]) -> Scenario | None:
    try:
        return patched(base, changes)
    except ValidationError:
        return None


@pytest.mark.parametrize("path", [SCENARIOS / "baseline.yaml", MINIMAL], ids=lambda p: p.stem)
def test_random_changes_give_the_fully_validated_scenario(path: Path) -> None:
    base = load_scenario(path)
    document = scenario_document(base)
    rng = random.Random(f"patch-{path.stem}")
    outcomes = {True: 0, False: 0}
    for _ in range(300):
        changes = _random_changes(rng, document)
        expected = _validated(document, changes)
        got = _patched(base, changes)
        assert (got is None) == (expected is None), changes
        if got is not None and expected is not None:
            assert got == expected, changes
            assert scenario_sha256(got) == scenario_sha256(expected), changes
        outcomes[got is not None] += 1
        assert scenario_document(base) == document  # the base is never changed
    assert min(outcomes.values()) > 50  # both kinds of outcome were exercised


@pytest.mark.parametrize("spec_name", ["pillar_mix", "us_threshold"])
def test_points_of_the_shipped_sweeps_equal_their_full_validation(spec_name: str) -> None:
    spec = load_spec(SCENARIOS / "sweeps" / f"{spec_name}.yaml")
    design = build_design(spec, load_scenario(SCENARIOS / "sweeps" / spec.base))
    for point in random.Random(spec_name).sample(range(design.size), 12):
        fast, full = design.scenario(point), design.validated(point)
        assert type(fast) is type(full)
        assert fast == full  # a scenario, or the same located reason
        assert isinstance(fast, str) or scenario_sha256(fast) == scenario_sha256(full)


@pytest.mark.parametrize("spec_name", ["assumptions", "pillar_mix", "us_threshold"])
def test_every_point_of_a_shipped_sweep_is_a_valid_scenario(spec_name: str) -> None:
    # pillar_mix scales equipment quantities down to 0.25x: one fire unit stays one, not none.
    spec = load_spec(SCENARIOS / "sweeps" / f"{spec_name}.yaml")
    design = build_design(spec, load_scenario(SCENARIOS / "sweeps" / spec.base))
    reasons = [r for r in map(design.scenario, range(design.size)) if isinstance(r, str)]
    assert reasons == []


def test_only_the_changed_spine_is_rebuilt() -> None:
    base = load_scenario(SCENARIOS / "baseline.yaml")
    hazard = ("adversary", "offensive", "base_hazard_per_year")
    index = next(i for i, p in enumerate(base.pledges) if p.pillar == "financing")
    changed = patched(base, [(hazard, 0.5), (("pledges", index, "amount"), 1.25)])
    assert changed.adversary.offensive.base_hazard_per_year == 0.5
    assert changed.pledges[index].amount == 1.25  # type: ignore[union-attr]
    assert changed.adversary.regeneration is base.adversary.regeneration
    assert changed.ukraine is base.ukraine
    assert changed.us is base.us
    assert all(m is b for m, b in zip(changed.members, base.members, strict=True))
    assert all(
        (p is b) == (i != index)
        for i, (p, b) in enumerate(zip(changed.pledges, base.pledges, strict=True))
    )


def test_later_changes_see_earlier_ones() -> None:
    base = load_scenario(MINIMAL)
    day = ("ceasefire", "day")
    changes: list[Change] = [(day, {"dist": "fixed", "value": 10}), ((*day, "value"), 40)]
    assert patched(base, changes) == _validated(scenario_document(base), changes)
    assert patched(base, changes).ceasefire.day.mean == 40


def test_an_invalid_change_raises_a_validation_error() -> None:
    base = load_scenario(MINIMAL)
    with pytest.raises(ValidationError):
        patched(base, [(("horizon_days",), 0)])
    with pytest.raises(ValidationError, match="outside the horizon"):
        patched(base, [(("horizon_days",), 30)])  # an inject's date falls outside
