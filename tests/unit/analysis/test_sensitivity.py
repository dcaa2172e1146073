"""sim.analysis.sensitivity: Morris and Sobol' indices on functions with known answers.

Designs come from SALib's own samplers over the unit cube, as sim.experiment.design builds
them. Known answers: a linear function (elementary effects equal the coefficients; Sobol'
S1 = ST = aᵢ²/Σa²) and the Ishigami function (Ishigami & Homma 1990; indices in closed form,
e.g. Saltelli et al., *Global Sensitivity Analysis: The Primer*, 2008).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.analysis.sensitivity import morris_indices, sobol_indices
from sim.experiment.design import salib_problem

LABELS = ["x1", "x2", "x3"]
PROBLEM = salib_problem(LABELS)
LEVELS = 4
DELTA = LEVELS / (2 * (LEVELS - 1))  # SALib's Morris step, 2/3 of the range at 4 levels


def morris_design(trajectories: int, seed: int) -> np.ndarray:
    return np.asarray(morris_sample.sample(PROBLEM, trajectories, num_levels=LEVELS, seed=seed))


def sobol_design(n: int, seed: int) -> np.ndarray:
    return np.asarray(sobol_sample.sample(PROBLEM, n, calc_second_order=False, seed=seed))


def ishigami(unit: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -math.pi + 2 * math.pi * unit
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """First-order and total indices from the closed-form partial variances."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * 8 / 225
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def assert_within(estimates: list[float], half_widths: list[float], truth: list[float]) -> None:
    for est, half, true in zip(estimates, half_widths, truth, strict=True):
        assert abs(est - true) <= half, (est, half, true)


# --------------------------------------------------------------------------- Morris


def test_morris_on_a_linear_function_gives_its_coefficients() -> None:
    unit = morris_design(20, seed=1)
    y = 3.0 * unit[:, 0] - 2.0 * unit[:, 1]
    got = morris_indices(LABELS, unit, y, LEVELS, seed=1)
    assert (got["method"], got["factors"]) == ("morris", LABELS)
    assert got["mu"] == pytest.approx([3.0, -2.0, 0.0], abs=1e-12)
    assert got["mu_star"] == pytest.approx([3.0, 2.0, 0.0], abs=1e-12)
    assert got["sigma"] == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)
    assert got["mu_star_conf"] == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)


def test_morris_effects_are_per_unit_of_the_range() -> None:
    # y = x1²: an elementary effect from x to x + Δ is 2x + Δ, with x ∈ {0, 1/3} at 4 levels,
    # so every effect is Δ or 2/3 + Δ (2/3 or 4/3); their mean is μ = μ*, and their standard
    # deviation follows from the share of each.
    trajectories = 50
    unit = morris_design(trajectories, seed=2)
    got = morris_indices(LABELS, unit, unit[:, 0] ** 2 + unit[:, 1], LEVELS, seed=2)
    low, high = DELTA, 2 / 3 + DELTA
    mu = got["mu"][0]
    share_high = (mu - low) / (high - low)
    assert 0 < share_high < 1
    assert got["mu_star"][0] == pytest.approx(mu, rel=1e-12)
    spread = (high - low) * math.sqrt(share_high * (1 - share_high))
    bessel = math.sqrt(trajectories / (trajectories - 1))
    assert got["sigma"][0] == pytest.approx(spread * bessel, rel=1e-9)
    assert abs(got["mu_star"][0] - 1.0) <= got["mu_star_conf"][0]  # E[2x + Δ] = 1
    assert got["mu"][1:] == pytest.approx([1.0, 0.0], abs=1e-12)


def test_morris_values_are_plain_floats() -> None:
    unit = morris_design(10, seed=3)
    got = morris_indices(LABELS, unit, ishigami(unit), LEVELS, seed=3)
    for key in ("mu_star", "mu_star_conf", "mu", "sigma"):
        assert len(got[key]) == len(LABELS)
        assert all(type(v) is float and math.isfinite(v) for v in got[key])


# --------------------------------------------------------------------------- Sobol'


@pytest.mark.parametrize(("a", "b"), [(3.0, 2.0), (1.0, -4.0)])
def test_sobol_on_a_linear_function(a: float, b: float) -> None:
    unit = sobol_design(1024, seed=1)
    got = sobol_indices(LABELS, a * unit[:, 0] + b * unit[:, 1], seed=1)
    truth = [a * a / (a * a + b * b), b * b / (a * a + b * b), 0.0]
    assert (got["method"], got["factors"]) == ("sobol", LABELS)
    assert_within(got["S1"], got["S1_conf"], truth)
    assert_within(got["ST"], got["ST_conf"], truth)
    assert max(got["S1_conf"] + got["ST_conf"]) < 0.1  # intervals narrow enough to mean something


def test_sobol_on_the_ishigami_function() -> None:
    unit = sobol_design(1024, seed=1)
    got = sobol_indices(LABELS, ishigami(unit), seed=1)
    s1, st = ishigami_indices()
    assert s1 == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)  # the published values
    assert st == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)
    assert_within(got["S1"], got["S1_conf"], s1)
    assert_within(got["ST"], got["ST_conf"], st)
    assert max(got["S1_conf"] + got["ST_conf"]) < 0.1
    # x3 acts only through its interaction with x1: no first-order effect, a clear total one.
    assert got["ST"][2] - got["ST_conf"][2] > 0.1


def test_sobol_bootstrap_is_reproducible_with_its_seed() -> None:
    unit = sobol_design(256, seed=4)
    y = ishigami(unit)
    assert sobol_indices(LABELS, y, seed=9) == sobol_indices(LABELS, y, seed=9)
    assert (
        sobol_indices(LABELS, y, seed=9)["S1_conf"] != sobol_indices(LABELS, y, seed=10)["S1_conf"]
    )
