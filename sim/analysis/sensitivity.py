"""Sensitivity indices from per-point means, with SALib.

The simulator is stochastic, so each design point's output is the mean over its replications,
all points sharing the same random numbers (common random numbers): the model seen by SALib is
then a deterministic function of the parameters (METHODS.md §5.8).

Notes:
    Morris elementary effects (μ*, σ) and Sobol' first-order and total indices (S1, ST) with
    bootstrap confidence intervals: Herman & Usher (2017), SALib, JOSS 2(9).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.engine import catalogue


def salib_problem(labels: list[str]) -> dict[str, Any]:
    """SALib's problem dictionary over the unit cube (factors are mapped from [0, 1])."""
    return {"num_vars": len(labels), "names": labels, "bounds": [[0.0, 1.0]] * len(labels)}


def _clean(values: np.ndarray) -> list[float | None]:
    return [None if not math.isfinite(float(v)) else float(v) for v in values]


def morris_indices(
    labels: list[str], unit: np.ndarray, y: np.ndarray, levels: int, seed: int
) -> dict[str, Any]:
    """μ* (with its 95% interval), μ and σ per factor; effects per unit of the factor's range."""
    from SALib.analyze import morris

    result = morris.analyze(
        salib_problem(labels), unit, y, num_levels=levels, conf_level=0.95, seed=seed
    )
    return {
        "method": "morris",
        "factors": labels,
        "mu_star": _clean(result["mu_star"]),
        "mu_star_conf": _clean(result["mu_star_conf"]),
        "mu": _clean(result["mu"]),
        "sigma": _clean(result["sigma"]),
    }


def sobol_indices(labels: list[str], y: np.ndarray, seed: int) -> dict[str, Any]:
    """First-order and total Sobol' indices with their 95% half-widths."""
    from SALib.analyze import sobol

    result = sobol.analyze(
        salib_problem(labels), y, calc_second_order=False, conf_level=0.95, seed=seed
    )
    return {
        "method": "sobol",
        "factors": labels,
        "S1": _clean(result["S1"]),
        "S1_conf": _clean(result["S1_conf"]),
        "ST": _clean(result["ST"]),
        "ST_conf": _clean(result["ST_conf"]),
    }


def sweep_indices(
    design: str,
    labels: list[str],
    unit: np.ndarray,
    outputs: dict[str, np.ndarray],
    *,
    replications: int,
    failed: int,
    levels: int,
    seed: int,
) -> dict[str, Any] | None:
    """The sensitivity document of a finished sweep (``sensitivity.json``), or None.

    Only Morris and Sobol' designs have indices; they need every point, so a sweep with a
    failed point says why it has none rather than report indices of a broken design.

    Args:
        design: the spec's design (``grid``, ``lhs``, ``sobol``, ``morris``).
        labels: the factors' labels, in design order.
        unit: the design's (points × factors) positions in the unit cube.
        outputs: per KPI of interest, its estimate at every point (``nan`` where missing).
        replications: replications per point (reported with the indices).
        failed: how many points failed.
        levels: the Morris grid levels.
        seed: the spec's seed (SALib's bootstrap draws from it).
    """
    if design not in ("morris", "sobol"):
        return None
    out: dict[str, Any] = {
        "design": design,
        "points": len(unit),
        "replications_per_point": replications,
        "kpis": {},
    }
    if failed:
        out["skipped"] = (
            f"{failed} point(s) failed, so the design is incomplete and no indices are computed"
        )
        return out
    for name, y in outputs.items():
        if np.isnan(y).any() or np.ptp(y) == 0:
            out["kpis"][name] = {"skipped": "the KPI does not vary (or is missing) across points"}
            continue
        if design == "morris":
            out["kpis"][name] = morris_indices(labels, unit, y, levels, seed)
        else:
            out["kpis"][name] = sobol_indices(labels, y, seed)
        out["kpis"][name]["kind"] = catalogue.get(name).kind
    return out
