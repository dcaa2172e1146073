"""sim.analysis.bands: the long table of cross-replication bands, exact on tiny arrays."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pytest

from sim.analysis.bands import BAND_COLUMNS, QUANTILES, bands_table
from sim.engine.trace import SERIES

START = date(2026, 3, 1)
DAYS = np.array([0.0, 7.0, 365.0])


def tiny_series(replications: int = 5) -> np.ndarray:
    """Value = replication + 1 + 10·series + 1000·day index: every block distinct."""
    r = np.arange(replications)[:, None, None]
    j = np.arange(len(SERIES))[None, :, None]
    d = np.arange(len(DAYS))[None, None, :]
    return (r + 1 + 10 * j + 1000 * d).astype(float)


def test_schema_and_shape() -> None:
    table = bands_table(tiny_series(), DAYS, START)
    assert table.column_names == ["metric", "day", "date", *BAND_COLUMNS]
    assert table.schema.field("metric").type == pa.string()
    assert table.schema.field("day").type == pa.float64()
    assert table.schema.field("date").type == pa.date32()
    for name in BAND_COLUMNS:
        assert table.schema.field(name).type == pa.float64()
    assert table.num_rows == len(SERIES) * len(DAYS)


def test_rows_are_metric_major_with_dates_from_the_start() -> None:
    table = bands_table(tiny_series(), DAYS, START).to_pydict()
    assert table["metric"] == [m for m in SERIES for _ in DAYS]
    assert table["day"] == [0.0, 7.0, 365.0] * len(SERIES)
    assert table["date"] == [date(2026, 3, 1), date(2026, 3, 8), date(2027, 3, 1)] * len(SERIES)


def test_band_values_by_hand() -> None:
    # Five replications 1..5 (+ offset): mean 3, p5 1.2, p25 2, p50 3, p75 4, p95 4.8.
    table = bands_table(tiny_series(), DAYS, START).to_pydict()
    for row in range(len(table["metric"])):
        j, d = divmod(row, len(DAYS))
        offset = 10 * j + 1000 * d
        got = [table[name][row] for name in BAND_COLUMNS]
        assert got == pytest.approx([offset + v for v in (3, 1.2, 2, 3, 4, 4.8)], abs=1e-9)


def test_bands_match_numpy_on_random_data() -> None:
    series = np.random.default_rng(4).gamma(2.0, 3.0, (37, len(SERIES), len(DAYS)))
    table = bands_table(series, DAYS, START).to_pydict()
    qs = np.quantile(series, QUANTILES, axis=0)  # (quantile, series, day)
    for name, q in zip(BAND_COLUMNS[1:], qs, strict=True):
        assert table[name] == pytest.approx(q.ravel().tolist(), rel=1e-14)
    assert table["mean"] == pytest.approx(series.mean(axis=0).ravel().tolist(), rel=1e-14)


def test_bands_are_ordered() -> None:
    series = np.random.default_rng(9).normal(size=(50, len(SERIES), len(DAYS)))
    table = bands_table(series, DAYS, START).to_pydict()
    for row in range(len(table["metric"])):
        values = [table[name][row] for name in ("p5", "p25", "p50", "p75", "p95")]
        assert values == sorted(values)


def test_one_replication_collapses_every_band_to_its_value() -> None:
    table = bands_table(tiny_series(1), DAYS, START).to_pydict()
    for row in range(len(table["metric"])):
        values = {table[name][row] for name in BAND_COLUMNS}
        assert len(values) == 1


def test_quantiles_are_the_documented_ones() -> None:
    assert QUANTILES == (0.05, 0.25, 0.5, 0.75, 0.95)
    assert BAND_COLUMNS == ("mean", "p5", "p25", "p50", "p75", "p95")
