"""Sweep chunks: the layout covers the work once, packs points so that files grow with chunks,
not points, and changes nothing in the results; failures stay with their point.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import sim.experiment.replicate
from sim.experiment.chunks import MAX_CHUNK_REPS, MIN_CHUNKS, POINT_CHUNK_REPS, ChunkLayout
from sim.experiment.design import build_design
from sim.experiment.spec import SweepSpec
from sim.experiment.sweep import run_sweep
from sim.experiment.sweepchunk import PointFailure
from sim.experiment.sweepstore import SweepStore
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from tests.conftest import MINIMAL

SIZES = [(1, 1), (3, 7), (16, 1), (17, 3), (100, 10), (1000, 1), (1000, 10), (1601, 10)]
SIZES += [(2, 99), (5, 100), (3, 250), (100_000, 1), (100_000, 10), (7, 1000)]


@pytest.mark.parametrize(("points", "reps"), SIZES)
def test_the_layout_covers_every_replication_of_every_point_once(points: int, reps: int) -> None:
    layout = ChunkLayout.for_design(points, reps)
    chunks = list(layout)
    assert len(chunks) == len(layout)
    assert len({c.name for c in chunks}) == len(chunks)
    covered = sorted((p, r) for c in chunks for p in c.point_range for r in c.rep_range)
    assert covered == [(p, r) for p in range(points) for r in range(reps)]
    assert all(c.points == 1 or c.reps == reps for c in chunks)
    assert all(c.points * c.reps <= max(MAX_CHUNK_REPS, reps) or c.points == 1 for c in chunks)
    groups = list(layout.groups())
    assert [p for points_, _ in groups for p in points_] == list(range(points))
    assert [c for _, group in groups for c in group] == chunks
    assert ChunkLayout.from_manifest({"points": points, "replications_per_point": reps,
                                      **layout.manifest()}) == layout  # fmt: skip


@pytest.mark.parametrize("reps", range(1, 11))
def test_few_replications_per_point_write_at_most_one_file_per_hundred_points(reps: int) -> None:
    for points in (1600, 10_000, 100_000, 1_000_000):
        assert len(ChunkLayout.for_design(points, reps)) * 100 <= points, points


def test_small_sweeps_are_cut_into_enough_chunks_to_share() -> None:
    for points, reps in ((16, 1), (24, 50), (64, 2), (200, 3)):
        assert len(ChunkLayout.for_design(points, reps)) >= MIN_CHUNKS
    # many replications per point: one point per chunk, as many chunks as before
    layout = ChunkLayout.for_design(5, 250)
    assert (layout.chunk_points, layout.chunk_reps, layout.per_point) == (1, POINT_CHUNK_REPS, 3)


def test_a_manifest_without_chunk_points_has_one_point_per_chunk() -> None:
    old = {"points": 3, "replications_per_point": 30, "chunk_replications": 100}
    layout = ChunkLayout.from_manifest(old)
    assert [c.name for c in layout] == [f"part-p{p:06d}-r000000.parquet" for p in range(3)]


def _spec(name: str, land: list[float], reps: int) -> SweepSpec:
    return SweepSpec.model_validate(
        {
            "name": name,
            "base": str(MINIMAL),
            "reps": reps,
            "seed": 3,
            "kpis": ["offensive", "deterrence_mean"],
            "parameters": [
                {"name": "land", "path": "pledges.fra-land.amount", "values": land},
                {
                    "name": "hazard",
                    "path": "adversary.offensive.base_hazard_per_year",
                    "range": [0.1, 0.7],
                    "steps": 8,
                },
            ],
        }
    )


LAND = [-5.0, *(1000.0 * k for k in range(1, 12))]  # 12 values, one invalid: 96 points


def test_packed_chunks_give_the_points_of_one_point_chunks_on_any_executor(tmp_path: Path) -> None:
    design = build_design(_spec("packed", LAND, 2), load_scenario(MINIMAL))
    packed = SweepStore.create(design, tmp_path / "packed")
    assert (packed.layout.chunk_points, len(packed.layout)) == (6, 16)
    status = run_sweep(packed, workers=1)
    assert len(list(packed.chunk_folder.glob("part-*"))) == 16
    assert status.finished_points == 88
    assert len(status.failed_points) == 8
    single = SweepStore.create(design, tmp_path / "single", layout=ChunkLayout(96, 2, 1, 2))
    run_sweep(single, workers=2)
    assert len(list(single.chunk_folder.glob("part-*"))) == 96
    pool = SweepStore.create(design, tmp_path / "pool")
    run_sweep(pool, workers=2)
    expected = (packed.folder / "points.parquet").read_bytes()
    assert (single.folder / "points.parquet").read_bytes() == expected
    assert (pool.folder / "points.parquet").read_bytes() == expected
    rows = pq.read_table(packed.folder / "points.parquet").to_pylist()
    assert [r["status"] for r in rows] == ["failed" if r["land"] < 0 else "ok" for r in rows]
    assert all(r["n"] == (0 if r["land"] < 0 else 2) for r in rows)
    assert all("greater than 0" in r["error"] for r in rows if r["status"] == "failed")


def test_a_replication_that_raises_fails_its_point_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    design = build_design(_spec("boom", LAND[1:4], 3), load_scenario(MINIMAL))
    sweep = SweepStore.create(design, tmp_path / "boom", layout=ChunkLayout(24, 3, 24, 3))
    real = sim.experiment.replicate.simulate

    def flaky(scenario: Scenario, seed: int, rep: int) -> object:
        if scenario.pledges[0].amount == 2000 and rep == 1:  # type: ignore[union-attr]
            raise RuntimeError("the model broke")
        return real(scenario, seed, rep)

    monkeypatch.setattr(sim.experiment.replicate, "simulate", flaky)
    status = run_sweep(sweep, workers=1)
    broken = {p for p in range(24) if design.values[p][0] == 2000}
    assert status.failed_points == broken
    assert status.finished_points == 16
    record = json.loads((sweep.chunk_folder / f"fail-p{min(broken):06d}.json").read_text())
    assert record["replication"] == 1
    assert "RuntimeError: the model broke" in record["traceback"]
    table = pq.read_table(sweep.chunk_folder / "part-p000000-r000000.parquet")
    assert set(table.column("point").to_pylist()) == set(range(24)) - broken


def test_the_earliest_failure_of_a_point_is_kept(tmp_path: Path) -> None:
    design = build_design(_spec("early", LAND[1:3], 2), load_scenario(MINIMAL))
    sweep = SweepStore.create(design, tmp_path / "early")
    sweep.record_failure(PointFailure(4, "late", "trace", replication=250))
    sweep.record_failure(PointFailure(4, "early", "trace", replication=120))
    sweep.record_failure(PointFailure(4, "later", "trace", replication=130))
    assert sweep.failure_text(4) == "early"
