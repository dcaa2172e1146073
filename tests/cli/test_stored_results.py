"""Stored results are checked when read: one line naming the directory and the file, exit 2, for
a manifest that is not a mapping, a removed key, a dropped column, no replications...
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.errors import ResultsError
from sim.experiment import store
from sim.experiment.results import load_results
from tests.conftest import MINIMAL


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stored") / "run"
    sim.run(sim.load_scenario(MINIMAL), reps=4, seed=3, workers=1).save(folder)
    return folder


def manifest_edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "manifest.json"
        document = json.loads(path.read_text())
        change(document)
        path.write_text(json.dumps(document))

    return edit


def remove(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda document: document.pop(key) and None


def table_edit(change: Callable[[pa.Table], pa.Table]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "replications.parquet"
        pq.write_table(change(pq.read_table(path)), path)

    return edit


def text(name: str, body: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text(body)


CASES = [
    ("manifest-list", text("manifest.json", "[]"), "manifest.json: expected a mapping, got list"),
    ("manifest-not-json", text("manifest.json", "{"), "manifest.json: not valid JSON"),
    ("seed-removed", manifest_edit(remove("seed")), "manifest.json: required key 'seed'"),
    (
        "seed-text",
        manifest_edit(lambda m: m.update(seed="abc")),
        "manifest.json: 'seed' must be a whole number (got 'abc')",
    ),
    (
        "seed-too-big",
        manifest_edit(lambda m: m.update(seed=2**63)),
        "manifest.json: 'seed' must be from 0 to 2**63 - 1",
    ),
    (
        "no-replications",
        manifest_edit(lambda m: m.update(replications=0)),
        "manifest.json: a run of 0 replications",
    ),
    ("other-format", manifest_edit(lambda m: m.update(format_version=99)), "results format 99"),
    ("a-sweep", manifest_edit(lambda m: m.update(kind="sweep")), "a 'sweep' directory, not a run"),
    (
        "representative-outside",
        manifest_edit(lambda m: m.update(representative_replication=10**9)),
        "'representative_replication' must be one of the replications",
    ),
    (
        "kpi-column-dropped",
        table_edit(lambda t: t.drop_columns(["offensive"])),
        "replications.parquet: column 'offensive' is missing",
    ),
    (
        "kpi-column-text",
        table_edit(
            lambda t: t.set_column(
                t.column_names.index("offensive"), "offensive", pa.array(["x"] * t.num_rows)
            )
        ),
        "replications.parquet: column 'offensive' is string, not number",
    ),
    ("zero-rows", table_edit(lambda t: t.slice(0, 0)), "replications.parquet: no replications"),
    (
        "rows-not-the-manifest's",
        table_edit(lambda t: pa.concat_tables([t, t])),
        "replications.parquet: 8 rows, but manifest.json says 4 replications",
    ),
    (
        "replication-twice",
        table_edit(lambda t: pa.concat_tables([t.slice(0, 2), t.slice(0, 2)])),
        "replications.parquet: a replication appears twice",
    ),
    (
        "parquet-garbage",
        text("replications.parquet", "not parquet"),
        "replications.parquet: not a readable Parquet file",
    ),
    ("timeseries-missing", lambda f: (f / "timeseries.parquet").unlink(), "missing timeseries"),
    (
        "scenario-invalid",
        text("scenario.yaml", "name: x\n"),
        "scenario.yaml: ",
    ),
]


@pytest.mark.parametrize(("name", "corrupt", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_results_directory_is_one_located_line(
    name: str, corrupt: Callable[[Path], None], message: str, complete: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "run"
    shutil.copytree(complete, folder)
    corrupt(folder)
    with pytest.raises(ResultsError) as caught:
        load_results(folder)
    assert str(caught.value).startswith(f"{folder}: "), caught.value
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)

    result = CliRunner().invoke(app, ["plot", str(folder)])
    assert result.exit_code == 2
    assert result.stderr == f"{caught.value}\n"
    assert not (folder / "plots").exists()


def test_a_staging_directory_is_not_a_run(complete: Path, tmp_path: Path) -> None:
    staging = tmp_path / store.STAGING / "run.host.1"
    shutil.copytree(complete, staging)
    with pytest.raises(ResultsError, match="still being written"):
        load_results(staging)


def test_compare_of_runs_names_the_directory_that_differs(complete: Path, tmp_path: Path) -> None:
    other = tmp_path / "short"
    scenario = sim.load_scenario(MINIMAL, ["horizon_days=400"])
    sim.run(scenario, reps=4, seed=3, workers=1).save(other)
    result = CliRunner().invoke(app, ["compare", str(complete), str(other)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{other}: scenario.yaml: horizon_days is 400 here but 730 in {complete}; compared runs "
        "need the same start date and horizon\n"
    )


def test_compare_refuses_a_run_without_replications(complete: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    shutil.copytree(complete, empty)
    table_edit(lambda t: t.slice(0, 0))(empty)
    result = CliRunner().invoke(app, ["compare", str(complete), str(empty)])
    assert result.exit_code == 2
    assert result.stderr == f"{empty}: replications.parquet: no replications\n"
    assert "—" not in result.stdout
