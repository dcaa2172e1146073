"""The strict check: outcome parameters written out and noted, reported at their lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.errors import Problem
from sim.scenario.document import scenario_document
from sim.scenario.schema import Scenario
from sim.scenario.strict import (
    DEFAULT_MESSAGE,
    NO_NOTE_MESSAGE,
    OUTCOME_BLOCKS,
    shown,
    strict_check,
)
from tests.conftest import SCENARIOS, wargame

NOTE = "Test value (assumption)."


def _drop_empty_notes(node: Any) -> Any:
    """A dumped document without the ``source: null`` / ``assumption: null`` pydantic writes."""
    if isinstance(node, dict):
        return {
            k: _drop_empty_notes(v)
            for k, v in node.items()
            if not (k in ("source", "assumption") and v is None)
        }
    if isinstance(node, list):
        return [_drop_empty_notes(v) for v in node]
    return node


def complete_document() -> dict[str, Any]:
    """A scenario with every outcome parameter written out and a note on each block."""
    scenario = Scenario.model_validate(
        {
            "name": "complete",
            "start": "2026-03-01",
            "horizon_days": 365,
            "members": [{"id": "FRA", "name": "France"}],
        }
    )
    document = _drop_empty_notes(scenario_document(scenario))
    for block in OUTCOME_BLOCKS:
        document[block]["assumption"] = NOTE
    document["members"][0]["assumption"] = NOTE
    return document


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def line_of(path: Path, text: str, after: int = 0) -> int:
    """The 1-based line of the first line after ``after`` that contains ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if number > after and text in line:
            return number
    raise AssertionError(f"{text!r} not in {path} after line {after}")


def problems(path: Path) -> list[Problem]:
    return strict_check(path)[1]


def test_a_complete_scenario_passes(tmp_path: Path) -> None:
    assert problems(write(tmp_path / "s.yaml", complete_document())) == []


def test_a_missing_parameter_is_reported_once_at_its_enclosing_key(tmp_path: Path) -> None:
    document = complete_document()
    del document["adversary"]["offensive"]["deterrence_sensitivity"]
    path = write(tmp_path / "s.yaml", document)
    line = line_of(path, "offensive:", after=line_of(path, "adversary:"))
    assert problems(path) == [
        Problem(
            str(path),
            line,
            3,
            "adversary.offensive.deterrence_sensitivity",
            DEFAULT_MESSAGE.format(value="3"),
        )
    ]


def test_a_missing_block_is_reported_leaf_by_leaf_with_the_defaults(tmp_path: Path) -> None:
    document = complete_document()
    del document["ceasefire"]
    path = write(tmp_path / "s.yaml", document)
    found = problems(path)
    assert [p.path for p in found] == ["ceasefire.day", "ceasefire.never_probability"]
    assert found[0].message == DEFAULT_MESSAGE.format(
        value="{dist: lognormal, median: 150, sigma: 0.6}"
    )
    assert {(p.line, p.column) for p in found} == {(1, 1)}  # the file's first key


def test_a_note_on_the_enclosing_block_covers_its_fields(tmp_path: Path) -> None:
    document = complete_document()
    assert problems(write(tmp_path / "a.yaml", document)) == []  # only the block has a note
    del document["adversary"]["assumption"]
    document["adversary"]["offensive"]["source"] = "A test source."
    path = write(tmp_path / "b.yaml", document)
    found = problems(path)
    paths = [p.path for p in found]
    assert "adversary.offensive.base_hazard_per_year" not in paths  # its own block is noted
    assert "adversary.regeneration.recruits_per_month" in paths
    assert all(p.path.startswith("adversary.") for p in found)
    assert all(p.message == NO_NOTE_MESSAGE for p in found)
    recruits = next(p for p in found if p.path == "adversary.regeneration.recruits_per_month")
    assert recruits.line == line_of(path, "recruits_per_month:")


def test_a_distribution_may_carry_its_own_note(tmp_path: Path) -> None:
    document = complete_document()
    del document["ceasefire"]["assumption"]
    document["ceasefire"]["day"]["source"] = "A test source."
    path = write(tmp_path / "s.yaml", document)
    assert [p.path for p in problems(path)] == ["ceasefire.never_probability"]


def test_member_fields_are_checked_and_other_member_keys_are_not(tmp_path: Path) -> None:
    document = complete_document()
    member = document["members"][0]
    del member["assumption"]
    del member["shocks"]
    path = write(tmp_path / "s.yaml", document)
    member_line = line_of(path, "- id: FRA")
    found = [p for p in problems(path) if p.path.startswith("members.")]
    assert [(p.path, p.line) for p in found] == [  # in file order: the member's line first
        ("members.FRA.shocks.rate_per_year", member_line),
        ("members.FRA.shocks.withdraw_probability", member_line),
        ("members.FRA.shocks.scale", member_line),
        ("members.FRA.reliability", line_of(path, "reliability:")),
        ("members.FRA.delivery", line_of(path, "delivery:")),
        ("members.FRA.mandate_delay", line_of(path, "mandate_delay:")),
    ]  # not its id, name, kind or requires_us_backing
    assert found[0].message == DEFAULT_MESSAGE.format(value="0")
    assert found[3].message == NO_NOTE_MESSAGE


def test_parameters_and_notes_in_the_extended_file_count(tmp_path: Path) -> None:
    base = complete_document()
    del base["us"]["pause"]["rate_per_year"]
    write(tmp_path / "base.yaml", base)
    child = tmp_path / "child.yaml"
    child.write_text(
        "extends: base.yaml\n"
        "name: child\n"
        "us:\n"
        "  pause: {rate_per_year: 0.5}\n"  # no note here: the base's note on `us` covers it
        "adversary:\n"
        "  offensive: {base_hazard_per_year: 0.2}\n",
        encoding="utf-8",
    )
    assert problems(child) == []
    del base["us"]["assumption"]
    write(tmp_path / "base.yaml", base)
    found = problems(child)
    assert [p.path for p in found if p.path == "us.pause.rate_per_year"] == [
        "us.pause.rate_per_year"
    ]
    pause = next(p for p in found if p.path == "us.pause.rate_per_year")
    assert (pause.file, pause.line, pause.message) == (str(child), 4, NO_NOTE_MESSAGE)
    assert all(p.message == NO_NOTE_MESSAGE for p in found)  # written in one file or the other


def test_a_parameter_missing_from_both_files_is_reported(tmp_path: Path) -> None:
    base = complete_document()
    del base["ukraine"]["forces"]["war_mobilisation_per_month"]
    write(tmp_path / "base.yaml", base)
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nname: child\n", encoding="utf-8")
    assert [p.path for p in problems(child)] == ["ukraine.forces.war_mobilisation_per_month"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (0.35, "0.35"),
        (True, "true"),
        (None, "null"),
        ([], "[]"),
        (["ceasefire"], "[ceasefire]"),
        (["us.state != 'none'"], "[\"us.state != 'none'\"]"),
    ],
)
def test_defaults_are_shown_as_yaml(value: Any, text: str) -> None:
    assert shown(value) == text


def test_the_command_lists_every_gap_and_exits_2(tmp_path: Path) -> None:
    document = complete_document()
    del document["ceasefire"]["never_probability"]
    del document["model"]["assumption"]
    path = write(tmp_path / "s.yaml", document)
    plain = wargame("validate", str(path), cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    strict = wargame("validate", "--strict", str(path), cwd=tmp_path)
    assert strict.returncode == 2
    lines = strict.stderr.splitlines()
    assert lines[0] == (
        f"{path}:{line_of(path, 'ceasefire:')}:1: ceasefire.never_probability: "
        + DEFAULT_MESSAGE.format(value="0")
    )
    assert len(lines) > 1
    assert all(line.startswith(f"{path}:") for line in lines)
    assert all(": model." in line for line in lines[1:])
    assert strict.stdout == ""


def test_every_shipped_scenario_passes_strict(tmp_path: Path) -> None:
    files = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "analogues").glob("*.yaml"))
    assert len(files) >= 7
    result = wargame("validate", "--strict", *map(str, files), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("strict: every outcome parameter written and noted") == len(files)
