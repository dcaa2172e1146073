"""An external client reading our schema: check-jsonschema against `wargame schema`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SCENARIOS

INVALID = ROOT / "tests" / "data" / "invalid"


def _schema(tmp_path: Path, *options: str) -> Path:
    out = subprocess.run(
        [sys.executable, "-m", "sim", "schema", *options],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    path = tmp_path / "schema.json"
    path.write_text(out.stdout)
    return path


def _check(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_shipped_scenario_passes(tmp_path: Path) -> None:
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert len(files) >= 6
    result = _check(_schema(tmp_path), *files)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "negative_amount",
        "unknown_key_suggestion",
        "unknown_pillar",
        "host_not_neighbour",
        "member_id_lowercase",
    ],
)
def test_invalid_scenarios_fail(tmp_path: Path, name: str) -> None:
    result = _check(_schema(tmp_path), INVALID / f"{name}.yaml")
    assert result.returncode == 1, result.stdout


def test_shipped_sweep_specs_pass_the_sweep_schema(tmp_path: Path) -> None:
    files = sorted((SCENARIOS / "sweeps").glob("*.yaml"))
    result = _check(_schema(tmp_path, "--sweep"), *files)
    assert result.returncode == 0, result.stdout + result.stderr
