"""The ladder plot draws stacked shares of replications per rung onto the axes it is given."""

from __future__ import annotations

from datetime import date

import numpy as np
from matplotlib.figure import Figure

from sim.analysis.bands import bands_table
from sim.engine import SERIES, simulate
from sim.plot.ladder import ladder_shares
from tests.conftest import scenario

DAYS = np.append(np.arange(0.0, 730, 7.0), 730.0)


def _series(probe_rate: float, reps: int) -> np.ndarray:
    sc = scenario(
        ceasefire={"day": {"dist": "uniform", "low": 50, "high": 300}},
        adversary={"decision": "ladder", "ladder": {"probe": {"base_per_year": probe_rate}}},
    )
    return np.stack([simulate(sc, seed=1, rep=r).grids(SERIES, 7.0) for r in range(reps)])


def test_shares_stack_to_the_share_with_a_ceasefire_and_draw_on_the_given_axes() -> None:
    series = _series(6.0, 30)
    table = bands_table(series, DAYS, date(2026, 3, 1))
    rungs = [SERIES.index(f"rung.{r}") for r in ("hold", "probe", "incursion", "offensive")]
    total = series[:, rungs, :].sum(axis=1)
    assert set(np.unique(total)) <= {0.0, 1.0}  # one rung at a time, none before a ceasefire
    ax = Figure().add_subplot()
    assert ladder_shares(table, date(2026, 3, 1), ax=ax) is ax
    assert len(ax.collections) == 5  # four rungs and "no ceasefire yet"
    labels = [t.get_text() for t in ax.legend().get_texts()]
    assert labels == [
        "hold",
        "probe (grey zone)",
        "limited incursion",
        "major offensive",
        "no ceasefire yet",
    ]
    metric = np.asarray(table.column("metric").to_pylist())
    probe = np.asarray(table.column("mean").to_numpy())[metric == "rung.probe"]
    assert probe.max() > 0
