"""Loading scenarios: ``extends:`` merges, ``--set`` overrides, marks, and how problems report."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.scenario.distributions import Uniform
from sim.scenario.loader import load_marked
from sim.scenario.marked import Mark, MarkedDict, MarkedList
from sim.scenario.pledges import FinancingPledge, ReassurancePledge

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "valid" / "minimal.yaml"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A copy of the minimal scenario, so that children can extend it by a relative path."""
    path = tmp_path / "base.yaml"
    shutil.copyfile(MINIMAL, path)
    return path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` that contains ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def ids(items: list[object]) -> list[str]:
    return [getattr(item, "id", "") for item in items]


# --------------------------------------------------------------------------- extends


def test_extends_merges_list_items_by_id(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        name: child
        members:
          - {id: DEU, reliability: 0.5}
          - {id: ITA, name: Italy}
        """,
    )
    scenario = load_scenario(child)
    assert scenario.name == "child"
    assert ids(scenario.members) == ["FRA", "DEU", "POL", "ITA"]  # base order, new ones last
    deu = scenario.member("DEU")
    assert deu.reliability == 0.5
    assert deu.name == "Germany"  # the base's keys survive a partial override
    assert deu.requires_us_backing is True
    assert scenario.member("FRA").reliability == 0.9
    assert len(scenario.pledges) == 5


def test_extends_remove_drops_an_item(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        pledges:
          - {id: deu-finance, remove: true}
          - {id: fra-land, amount: 7000}
        """,
    )
    scenario = load_scenario(child)
    assert ids(scenario.pledges) == ["fra-land", "deu-adjacent", "fra-training", "deu-irist"]
    land = scenario.pledges[0]
    assert isinstance(land, ReassurancePledge)
    assert land.amount == 7000
    assert land.conditions == ["ceasefire"]


def test_extends_remove_of_an_unknown_id(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        pledges:
          - id: ita-land
            remove: true
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    error = caught.value
    assert (error.file, error.line, error.column) == (str(child), 3, 5)
    assert error.path == "pledges.ita-land"
    assert "cannot remove 'ita-land'" in str(error)


def test_lists_without_ids_are_replaced(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        us:
          enablers: {conditions: ["ceasefire"]}
        injects:
          - {at: 10, action: us_pause, days: 5}
        """,
    )
    scenario = load_scenario(child)
    assert scenario.us.enablers.conditions == ["ceasefire"]
    assert scenario.us.enablers.probability == 0.6  # the mapping merged key by key
    assert [inject.action for inject in scenario.injects] == ["us_pause"]


def test_an_empty_list_clears_the_base_list(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        pledges: []
        injects: []
        """,
    )
    scenario = load_scenario(child)
    assert scenario.pledges == []
    assert scenario.injects == []
    assert len(scenario.members) == 3


def test_an_id_twice_in_the_child_is_a_problem(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        pledges:
          - {id: fra-land, amount: 1000}
          - {id: fra-land, amount: 2000}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    error = caught.value
    assert (error.file, error.line, error.column) == (str(child), 4, 10)
    assert error.path == "pledges.fra-land.id"
    assert "duplicate id 'fra-land' (first at line 3)" in str(error)


def test_mappings_merge_key_by_key(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        adversary:
          offensive: {deterrence_sensitivity: 5}
        """,
    )
    scenario = load_scenario(child)
    assert scenario.adversary.offensive.deterrence_sensitivity == 5
    assert scenario.adversary.offensive.base_hazard_per_year == 0.3
    assert scenario.adversary.regeneration.step_days == 30


def test_extends_chains_and_resolves_relative_to_each_file(base: Path, tmp_path: Path) -> None:
    (tmp_path / "variants").mkdir()
    middle = write(
        tmp_path / "variants",
        "middle.yaml",
        """
        extends: ../base.yaml
        name: middle
        horizon_days: 365
        """,
    )
    child = write(
        tmp_path / "variants",
        "child.yaml",
        """
        extends: middle.yaml
        name: child
        members:
          - {id: FRA, reliability: 0.4}
        """,
    )
    scenario = load_scenario(child)
    assert (scenario.name, scenario.horizon_days) == ("child", 365)
    assert scenario.member("FRA").reliability == 0.4
    assert load_scenario(middle).member("FRA").reliability == 0.9


def test_marks_of_merged_values_point_at_their_file(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        name: child
        members:
          - {id: DEU, reliability: 0.5}
        """,
    )
    data = load_marked(child)
    assert "extends" not in data
    assert data.marks["name"] == Mark(str(child), 2, 7)
    assert data.marks["start"] == Mark(str(base), line_of(base, "start:"), 8)
    members = data["members"]
    assert isinstance(members, MarkedList)
    by_id = {item["id"]: mark for item, mark in zip(members, members.marks, strict=True)}
    assert by_id["FRA"].file == str(base)
    assert by_id["DEU"] == Mark(str(child), 4, 5)
    deu = members[1]
    assert isinstance(deu, MarkedDict)
    assert deu.marks["reliability"] == Mark(str(child), 4, 28)
    assert deu.marks["name"] == Mark(str(base), line_of(base, "id: DEU"), 21)


def test_problems_after_a_merge_point_at_the_file_of_the_value(tmp_path: Path) -> None:
    base = write(
        tmp_path,
        "base.yaml",
        """
        name: base
        start: 2025-09-04
        horizon_days: 730
        members:
          - {id: FRA, name: France, reliability: 1.5}
          - {id: DEU, name: Germany}
        """,
    )
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        members:
          - {id: DEU, reliability: -1}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    assert [(p.file, p.line, p.column, p.path) for p in caught.value.problems] == [
        (str(base.resolve()), 5, 42, "members.FRA.reliability"),
        (str(child), 3, 28, "members.DEU.reliability"),
    ]


# --------------------------------------------------------------------------- --set


def test_set_addresses_list_items_by_id() -> None:
    scenario = load_scenario(
        MINIMAL, ["pledges.deu-finance.amount=6000", "members.DEU.reliability=0.7"]
    )
    finance = next(p for p in scenario.pledges if p.id == "deu-finance")
    assert isinstance(finance, FinancingPledge)
    assert finance.amount == 6000
    assert scenario.member("DEU").reliability == 0.7
    assert scenario.member("FRA").reliability == 0.9


def test_set_creates_keys_absent_from_the_file() -> None:
    scenario = load_scenario(MINIMAL, ["us.pause.rate_per_year=0.3", "ukraine.budget.initial=4.5"])
    assert scenario.us.pause.rate_per_year == 0.3
    assert scenario.us.pause.days.mean == 10  # the rest of the block is kept
    assert scenario.ukraine.budget.initial == 4.5


def test_set_values_are_yaml() -> None:
    scenario = load_scenario(
        MINIMAL,
        [
            "pledges.fra-land.lead_time={dist: uniform, low: 10, high: 20}",
            "pledges.fra-land.conditions=[ceasefire, 'day >= 100']",
            "members.DEU.requires_us_backing=false",
            "start=2026-01-01",
            "description='a what-if: no U.S. backing'",  # quoted: a bare ': ' is YAML
        ],
    )
    land = scenario.pledges[0]
    assert isinstance(land, ReassurancePledge)
    assert land.lead_time == Uniform(dist="uniform", low=10, high=20)
    assert land.conditions == ["ceasefire", "day >= 100"]
    assert scenario.member("DEU").requires_us_backing is False
    assert scenario.start.isoformat() == "2026-01-01"
    assert scenario.description == "a what-if: no U.S. backing"


def test_set_applies_after_extends(base: Path, tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        members:
          - {id: DEU, reliability: 0.5}
        """,
    )
    assert load_scenario(child, ["members.DEU.reliability=0.2"]).member("DEU").reliability == 0.2


def test_set_by_position_where_items_have_no_id() -> None:
    scenario = load_scenario(MINIMAL, ["injects.0.member=FRA"])
    assert getattr(scenario.injects[0], "member", None) == "FRA"


def test_set_marks_point_at_the_override() -> None:
    data = load_marked(MINIMAL, ["horizon_days=365", "members.DEU.reliability=0.7"])
    assert data.marks["horizon_days"] == Mark("--set", 1, 14)
    deu = data["members"][1]
    assert deu.marks["reliability"] == Mark("--set", 2, 25)


def test_set_value_problem_points_at_the_override() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(MINIMAL, ["horizon_days=365", "members.DEU.reliability=2"])
    error = caught.value
    assert (error.file, error.line, error.column, error.path) == (
        "--set",
        2,
        25,
        "members.DEU.reliability",
    )


@pytest.mark.parametrize(
    ("override", "column", "path", "message"),
    [
        ("pledges.fra-lnd.amount=1", 9, "pledges.fra-lnd", "(did you mean 'fra-land'?)"),
        ("pledges.fra-land.amont=1", 18, "pledges.fra-land.amont", "(did you mean 'amount'?)"),
        ("us.paus.days=3", 4, "us.paus", "(did you mean 'pause'?)"),
        ("horizon_days.x=3", 14, "horizon_days.x", "horizon_days is a value, not a mapping"),
        ("horizon_days", 1, "horizon_days", "expected PATH=VALUE"),
        ("members..id=3", 1, "members..id", "empty path segment"),
    ],
)
def test_bad_set_paths(override: str, column: int, path: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(MINIMAL, ["horizon_days=365", override])
    error = caught.value
    assert (error.file, error.line, error.column, error.path) == ("--set", 2, column, path)
    assert message in str(error)


# --------------------------------------------------------------------------- reporting


def test_all_field_problems_of_a_file_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """
        name: several-problems
        start: 2025-09-04
        horizon_days: -1
        members:
          - {id: FRA, name: France, reliability: 1.5}
          - {id: DEU, name: Germany, reliabilty: 0.5}
        pledges:
          - {id: fra-land, member: FRA, pillar: reassurance_force, domain: space, amount: 1}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    found = [(p.line, p.column, p.path) for p in caught.value.problems]
    assert found == [
        (3, 15, "horizon_days"),
        (5, 42, "members.FRA.reliability"),
        (6, 30, "members.DEU.reliabilty"),
        (8, 68, "pledges.fra-land.domain"),
    ]
    assert all(p.file == str(path) for p in caught.value.problems)
    assert len(str(caught.value).splitlines()) == 4


def test_scenario_error_attributes_describe_the_first_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """
        name: attributes
        start: 2025-09-04
        horizon_days: 730
        members:
          - {id: FRA, name: France}
        pledges:
          - id: fra-land
            member: FRA
            pillar: reassurance_force
            domain: land
            amount: 0
        injects:
          - {at: 9999, action: us_pause, days: 1}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.file == str(path)
    assert (error.line, error.column) == (11, 13)
    assert error.path == "pledges.fra-land.amount"
    assert str(error.problems[0]).startswith(f"{path}:11:13: pledges.fra-land.amount: ")


def test_cross_item_rules_are_reported_together(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """
        name: rules
        start: 2025-09-04
        horizon_days: 100
        members:
          - {id: FRA, name: France}
        pledges:
          - {id: p, member: DEU, pillar: financing, amount: 1}
          - {id: p, member: FRA, pillar: financing, amount: 1}
        injects:
          - {at: 101, action: withdraw_member, member: FRA}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    found = [(p.line, p.column, p.path) for p in caught.value.problems]
    assert found == [(7, 21, "pledges.p.member"), (8, 10, "pledges.p.id"), (10, 10, "injects.0.at")]


def test_the_valid_base_loads() -> None:
    scenario = load_scenario(MINIMAL)
    assert scenario.name == "minimal"
    assert sorted({p.pillar for p in scenario.pledges}) == [
        "equipment",
        "financing",
        "neighbouring_deployment",
        "reassurance_force",
        "training",
    ]
