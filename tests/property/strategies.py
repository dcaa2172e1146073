"""Hypothesis strategies for valid scenarios (small, but touching every mechanism)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from sim.scenario.schema import Scenario

MEMBER_IDS = ["FRA", "GBR", "DEU", "NLD", "POL"]
CATEGORIES = ["air_defence", "artillery", "armour", "aircraft", "ammunition"]

days = st.integers(min_value=0, max_value=200)
small_prob = st.floats(min_value=0.0, max_value=1.0)


@st.composite
def distribution(draw: st.DrawFn, high: float = 200.0) -> Any:
    kind = draw(
        st.sampled_from(
            ["fixed", "uniform", "triangular", "lognormal", "exponential", "pert", "normal"]
        )
    )
    a, b, c = sorted(draw(st.floats(min_value=0, max_value=high)) for _ in range(3))
    if kind == "fixed":
        return a
    if kind == "uniform":
        return {"dist": "uniform", "low": a, "high": c}
    if kind in ("triangular", "pert"):
        return {"dist": kind, "low": a, "mode": b, "high": c}
    if kind == "lognormal":
        return {"dist": "lognormal", "median": max(b, 1.0), "sigma": draw(st.floats(0.05, 1.5))}
    if kind == "normal":
        return {"dist": "normal", "mean": b, "sd": draw(st.floats(0, 50))}
    return {"dist": "exponential", "mean": max(b, 1.0)}


@st.composite
def share(draw: st.DrawFn) -> Any:
    """A member's delivery share: fixed, uniform or beta, sometimes above 1 (counted as 1)."""
    kind = draw(st.sampled_from(["fixed", "uniform", "beta"]))
    if kind == "fixed":
        return draw(st.floats(0, 1.5))
    if kind == "uniform":
        low, high = sorted(draw(st.floats(0, 1.5)) for _ in range(2))
        return {"dist": "uniform", "low": low, "high": high}
    return {
        "dist": "beta",
        "mean": draw(st.floats(0, 1)),
        "concentration": draw(st.floats(0.1, 1000)),
    }


@st.composite
def fund(draw: st.DrawFn, initial: float, need: float) -> dict[str, float]:
    return {
        "initial": draw(st.floats(0, initial)),
        "need_per_day": draw(st.floats(0, need)),
    }


@st.composite
def regeneration(draw: st.DrawFn) -> dict[str, Any]:
    """The adversary's regeneration; munitions never fall (so capacity stays above 0)."""
    shells = draw(st.floats(0, 5e6))
    return {
        "personnel_at_ceasefire": draw(st.floats(0, 1e6)),
        "personnel_reference": draw(st.floats(1e5, 1e6)),
        "recruits_per_month": draw(st.floats(0, 5e4)),
        "outflow_per_month": draw(st.floats(0, 5e4)),
        "munitions_at_ceasefire": draw(st.floats(1, 5e6)),
        "munitions_reference": draw(st.floats(1e5, 5e6)),
        "shells_per_year": shells,
        "shell_use_per_year": draw(st.floats(0, shells)),
        "capacity_max": draw(st.floats(1, 10)),
        "step_days": draw(st.integers(1, 365)),
    }


@st.composite
def aid_mix(draw: st.DrawFn) -> dict[str, float]:
    """Shares of military aid's procurement by category, summing to 1."""
    weights = [draw(st.integers(0, 10)) for _ in CATEGORIES]
    if not any(weights):
        weights[0] = 1
    total = sum(weights)
    return {c: w / total for c, w in zip(CATEGORIES, weights, strict=True)}


@st.composite
def pledge(draw: st.DrawFn, pid: str, members: list[str]) -> dict[str, Any]:
    member = draw(st.sampled_from(members))
    pillar = draw(
        st.sampled_from(
            ["training", "financing", "equipment", "reassurance_force", "neighbouring_deployment"]
        )
    )
    base: dict[str, Any] = {"id": pid, "member": member, "pillar": pillar}
    if draw(st.booleans()) and pillar != "training":
        base["conditions"] = [
            draw(
                st.sampled_from(
                    [
                        "ceasefire",
                        "us.state != 'none'",
                        "deterrence > 0.5",
                        "day >= 100",
                        "committed.reassurance.land >= 1000 or not ceasefire",
                    ]
                )
            )
        ]
    if pillar == "training":
        base.update(
            capacity=draw(st.integers(1, 3000)),
            course_days=draw(st.integers(1, 120)),
            washout=draw(st.floats(0, 0.9)),
            location=draw(st.sampled_from(["abroad", "in_country"])),
        )
    elif pillar == "financing":
        base.update(
            use=draw(st.sampled_from(["budget", "military"])),
            amount=draw(st.floats(0.01, 50)),
            tranches=draw(st.integers(1, 12)),
            every=draw(st.integers(0, 120)),
            first_day=draw(days),
            delay=draw(distribution()),
            paid_fraction={"dist": "uniform", "low": 0.5, "high": 1.0},
        )
    elif pillar == "equipment":
        base.update(
            category=draw(st.sampled_from(CATEGORIES)),
            quantity=draw(st.integers(1, 500)),
            lots=draw(st.integers(1, 5)),
            lead_time=draw(distribution(400)),
            from_production=draw(st.booleans()),
        )
    elif pillar == "reassurance_force":
        base.update(
            domain=draw(st.sampled_from(["land", "sea", "air"])),
            amount=draw(st.integers(1, 8000)),
            lead_time=draw(distribution(120)),
            rotation_days=draw(st.sampled_from([None, 90, 180])),
            renewal_probability=draw(st.floats(0.5, 1.0)),
        )
    else:
        base.update(
            host=draw(st.sampled_from(["POL", "ROU", "SVK", "HUN", "MDA"])),
            amount=draw(st.integers(1, 5000)),
            lead_time=draw(distribution(60)),
        )
    return base


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n_members = draw(st.integers(1, len(MEMBER_IDS)))
    ids = MEMBER_IDS[:n_members]
    members = [
        {
            "id": m,
            "name": m.title(),
            "reliability": draw(small_prob),
            "delivery": draw(share()),
            "requires_us_backing": draw(st.booleans()),
            "mandate_delay": draw(distribution(100)),
            "shocks": {
                "rate_per_year": draw(st.floats(0, 1)),
                "withdraw_probability": draw(small_prob),
            },
        }
        for m in ids
    ]
    pledges = [draw(pledge(f"p{i}", ids)) for i in range(draw(st.integers(0, 8)))]
    data: dict[str, Any] = {
        "name": "generated",
        "start": "2026-03-01",
        "horizon_days": draw(st.integers(30, 900)),
        "ceasefire": {"day": draw(distribution(400)), "never_probability": draw(small_prob)},
        "members": members,
        "pledges": pledges,
        "us": {
            "enablers": {
                "conditions": [
                    draw(
                        st.sampled_from(
                            ["committed.reassurance.land >= 2000", "ceasefire", "deterrence < 2"]
                        )
                    )
                ],
                "probability": draw(small_prob),
                "review_days": draw(st.integers(1, 90)),
                "decision_delay": draw(distribution(60)),
                "revocation_rate_per_year": draw(st.floats(0, 2)),
            },
            "guarantee": {
                "probability_per_review": draw(small_prob),
                "ratification_probability": draw(small_prob),
            },
            "pause": {"rate_per_year": draw(st.floats(0, 3)), "days": draw(distribution(30))},
        },
        "adversary": {
            "offensive": {
                "base_hazard_per_year": draw(st.floats(0, 2)),
                "deterrence_sensitivity": draw(st.floats(0, 5)),
            },
            "regeneration": draw(regeneration()),
        },
        "ukraine": {
            "budget": draw(fund(20, 0.3)),
            "military": draw(fund(5, 0.05)),
            "forces": {
                "personnel": draw(st.floats(0, 1e6)),
                "war_mobilisation_per_month": draw(st.floats(0, 5e4)),
                "peace_mobilisation_per_month": draw(st.floats(0, 5e4)),
                "war_attrition_per_year": draw(st.floats(0, 1)),
                "peace_attrition_per_year": draw(st.floats(0, 1)),
            },
        },
        "industry": {
            "production_per_year": {
                c: draw(st.floats(1, 100)) for c in draw(st.sets(st.sampled_from(CATEGORIES)))
            },
            "aid_mix": draw(aid_mix()),
            "procurement_share": draw(small_prob),
            "procurement_lead_time": draw(distribution(300)),
        },
        "model": {"deterrence": {"threshold": draw(st.floats(0, 3))}},
    }
    injects: list[dict[str, Any]] = []
    if pledges and draw(st.booleans()):
        injects.append(
            {
                "at": draw(st.integers(0, data["horizon_days"])),
                "action": "scale_pledges",
                "pledges": [pledges[0]["id"]],
                "factor": draw(st.floats(0, 1)),
            }
        )
    if draw(st.booleans()):
        path = draw(
            st.sampled_from(["ukraine.budget.need_per_day", "ukraine.military.need_per_day"])
        )
        injects.append(
            {
                "at": draw(st.integers(0, data["horizon_days"])),
                "action": "set_parameter",
                "path": path,
                "value": draw(st.floats(0, 0.3)),
            }
        )
    if injects:
        data["injects"] = injects
    return Scenario.model_validate(data)
