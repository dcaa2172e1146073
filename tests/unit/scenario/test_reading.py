"""Reading input files: only regular files, at most MAX_BYTES + 1 bytes, every YAML problem at
its own line (merge keys, control characters, keys that are not text).
"""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.scenario.marked import MAX_BYTES, parse_marked, read_text

MINIMAL = Path(__file__).resolve().parents[2] / "data" / "valid" / "minimal.yaml"
HEAD = "name: m\nstart: 2025-09-04\nhorizon_days: 730\n"


def problem(call: object) -> str:
    with pytest.raises(ScenarioError) as caught:
        call()  # type: ignore[operator]
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


# --------------------------------------------------------------------------- files


@pytest.mark.timeout(10)
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    assert problem(lambda: load_scenario(fifo)) == (
        f"{fifo}:1:1: (file): is a named pipe (FIFO), not a regular file"
    )


@pytest.mark.timeout(10)
def test_dev_zero_is_refused_without_reading_it() -> None:
    assert problem(lambda: load_scenario("/dev/zero")) == (
        "/dev/zero:1:1: (file): is a character device, not a regular file"
    )


def test_a_symlink_loop_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert problem(lambda: load_scenario(tmp_path / "a.yaml")) == (
        f"{tmp_path / 'a.yaml'}:1:1: (file): is a symbolic link loop "
        "(too many levels of symbolic links)"
    )


def test_a_symlink_loop_in_extends_points_at_extends(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("name: child\nextends: a.yaml\n")
    assert problem(lambda: load_scenario(child)).startswith(
        f"{child}:2:10: extends: base scenario 'a.yaml' cannot be read: is a symbolic link loop"
    )


def test_a_fifo_in_extends_points_at_extends(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "base.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nname: child\n")
    assert problem(lambda: load_scenario(child)).startswith(
        f"{child}:1:10: extends: base scenario 'base.yaml' cannot be read: is a named pipe"
    )


def test_a_directory_is_refused(tmp_path: Path) -> None:
    assert problem(lambda: load_scenario(tmp_path)) == (
        f"{tmp_path}:1:1: (file): is a directory, not a file"
    )


@pytest.mark.timeout(10)
def test_a_huge_sparse_file_is_refused_after_reading_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "sparse.yaml"
    with open(path, "wb") as handle:
        handle.truncate(50 * 10**9)  # 50 GB claimed, no blocks used
    started = time.perf_counter()
    assert problem(lambda: read_text(path)) == (
        f"{path}:1:1: (file): file is 50,000,000,000 bytes, over the {MAX_BYTES:,}-byte limit"
    )
    assert time.perf_counter() - started < 2


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    text = MINIMAL.read_text()
    path.write_text(text + "#" * (MAX_BYTES - len(text.encode())))
    assert len(read_text(path).encode()) == MAX_BYTES


# --------------------------------------------------------------------------- YAML


def parse(text: str) -> object:
    return parse_marked(textwrap.dedent(text).lstrip("\n"), "f.yaml")


def test_nested_merge_keys_are_flattened_in_yaml_order() -> None:
    data = parse(
        """
        a: &a {x: 1, y: 1, z: 1}
        b: &b {<<: *a, y: 2}
        c: {<<: [*b, {x: 9, w: 9}], z: 3}
        """
    )
    assert data == {
        "a": {"x": 1, "y": 1, "z": 1},
        "b": {"x": 1, "y": 2, "z": 1},
        "c": {"x": 1, "y": 2, "z": 3, "w": 9},  # own keys, then b (its own, then a's), then {x, w}
    }


def test_a_valid_scenario_with_nested_merge_keys_loads(tmp_path: Path) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(
        HEAD
        + "members:\n"
        + "  - &fra {id: FRA, name: France, reliability: 0.9}\n"
        + "  - &deu {<<: *fra, id: DEU, name: Germany}\n"
        + "  - {<<: *deu, id: POL}\n"
    )
    members = load_scenario(path).members
    assert [(m.id, m.name, m.reliability) for m in members] == [
        ("FRA", "France", 0.9),
        ("DEU", "Germany", 0.9),
        ("POL", "Germany", 0.9),
    ]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\n<<: 5\n", "f.yaml:2:5: <<", "takes a mapping or a list of mappings"),
        ("a: &a {x: 1}\nb: {<<: [*a, 3]}\n", "f.yaml:2:14: b.<<", "not a value"),
        ("a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n", "f.yaml:4:3: b.<<", "duplicate merge key"),
        ("a: &a {<<: *a, x: 1}\nb: {<<: *a}\n", "f.yaml:1:8: a.<<", "merge cycle"),
        ("b:\n  <<: {x: 1,\n    x: 2}\n", "f.yaml:3:5: b.x", "duplicate key 'x' (first at line 2)"),
        ("a: 1\nb: 'x\x00y'\n", "f.yaml:2:6: (yaml)", "character U+0000 is not allowed"),
        ("a: 1\n# bell \x07\nb: 2\n", "f.yaml:2:8: (yaml)", "character U+0007 is not allowed"),
        ("a: 1\r\nb: 2\r\nc: '\x1b'\r\n", "f.yaml:3:5: (yaml)", "character U+001B"),
        ("a: 1\n~: 2\n", "f.yaml:2:1: (root)", "keys must be text; '~' reads as null"),
        ("a:\n  yes: 2\n", "f.yaml:2:3: a", "keys must be text; 'yes' reads as a boolean"),
        ("a:\n  - {1: x}\n", "f.yaml:2:6: a.0", "keys must be text; '1' reads as a number"),
    ],
)
def test_yaml_problems_point_at_their_own_line(text: str, where: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_marked(text, "f.yaml")
    line = str(caught.value.problems[0])
    assert line.startswith(f"{where}: "), line
    assert message in line
