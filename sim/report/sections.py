"""The report's content for each kind of directory: question, findings, tables, figures, notes.

Each builder reads what the directory stores and returns the template's context; figures are
drawn by :mod:`sim.plot` from the stored data (never re-simulated). Registered at import with
:func:`sim.report.kinds.register`.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.analysis import formatting as fmt
from sim.engine import catalogue
from sim.errors import ResultsError
from sim.plot.svg import inline_svg, prefixed
from sim.report.findings import comparison_findings, run_findings
from sim.report.kinds import register

DISCLAIMER = (
    "These are what-ifs under stated assumptions, not forecasts. Their value is in comparing "
    "postures under the same assumptions and random numbers; every source and assumption "
    "behind the numbers is listed at the end."
)


TITLES = {
    "fan_deterrence": "Deterrence across replications, with the threshold",
    "fan_capability": "Ukraine's capability across replications",
    "fan_deployed": "Forces deployed in Ukraine: land troops, ships, aircraft",
    "survival_offensive": "Share of replications with no renewed offensive, day by day",
    "cdf_milestones": "When the milestones are reached",
    "fulfilment": "Pledges fulfilled, pillar by pillar",
    "timeline": "A typical replication, actor by actor",
    "members": "What each member pledges",
    "overlay_deterrence": "Deterrence, each posture against the reference",
    "overlay_deployed_land": "Land troops in Ukraine, each posture against the reference",
    "overlay_survival": "No renewed offensive, all postures",
    "forest": "Differences from the reference, with 95% intervals",
    "overlay_fulfilment": "Pledges fulfilled by pillar, all postures",
}
"""Captions of the standard figures in words (file names are for the disk)."""


def _figures(figures: dict[str, Any], titles: dict[str, str] | None = None) -> list[dict[str, str]]:
    titles = {**TITLES, **(titles or {})}
    out = []
    for index, (name, figure) in enumerate(figures.items()):
        out.append(
            {
                "name": name,
                "title": titles.get(name, name.replace("_", " ")),
                "svg": inline_svg(figure, f"f{index}"),
            }
        )
    return out


def run_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The KPI table of a run: estimate, interval, spread, n, unit, description."""
    by_name = {row["kpi"]: row for row in rows}
    folded = fmt.folded()
    hidden = set(folded.values())
    body = []
    for row in rows:
        if row["kpi"] in hidden:
            continue
        kpi = catalogue.get(row["kpi"])
        kind, unit = row["kind"], row["unit"]
        twin = by_name.get(folded.get(row["kpi"], ""))
        spread = fmt.spread(row, twin)
        body.append(
            [
                row["kpi"],
                fmt.number(row["mean"], kind, unit),
                fmt.interval(row["ci_low"], row["ci_high"], kind, unit),
                spread,
                f"{row['n']:,}",
                fmt.unit_label(kpi),
                kpi.description,
            ]
        )
    return {
        "title": "Key performance indicators",
        "columns": ["KPI", "estimate", "95% CI", "p10 / p50 / p90", "n", "unit", "description"],
        "numeric": [1, 2, 3, 4],
        "rows": body,
        "note": "Probabilities: share of replications, Wilson 95% interval. Means: Student-t "
        "95% interval, p10/p50/p90 of the replications. For milestones, p10/p50/p90 are the "
        "Kaplan–Meier days by which 10/50/90% of replications reached them (— where fewer did).",
    }


def _notes(manifests: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every source and assumption note, once, with the scenarios that carry it."""
    seen: dict[tuple[str, str, str], list[str]] = {}
    for label, manifest in manifests:
        for note in manifest.get("provenance", []) or []:
            key = (
                note.get("path", ""),
                note.get("source", "") or "",
                note.get("assumption", "") or "",
            )
            seen.setdefault(key, []).append(label)
    count = len(manifests)
    return [
        {
            "path": path,
            "source": source,
            "assumption": assumption,
            "scenarios": "" if len(labels) == count else ", ".join(labels),
        }
        for (path, source, assumption), labels in seen.items()
    ]


def _provenance(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    scenario = manifest.get("scenario", {})
    items = [
        ("scenario", f"{scenario.get('name', '')} (SHA-256 {scenario.get('sha256', '')[:16]}…)"),
        ("period", f"{scenario.get('start', '')}, {scenario.get('horizon_days', '')} days"),
        ("replications", f"{manifest.get('replications', 0):,}"),
        ("seed", str(manifest.get("seed", ""))),
        ("random streams", str(manifest.get("seed_key", ""))),
        ("executor", f"{manifest.get('executor', '')}, {manifest.get('workers', '')} workers"),
        ("started", str(manifest.get("started", ""))),
        ("wall time", f"{manifest.get('wall_seconds', '')} s"),
        ("command", str(manifest.get("command", ""))),
        (
            "versions",
            ", ".join(f"{k} {v}" for k, v in (manifest.get("versions") or {}).items()),
        ),
    ]
    return [(k, v) for k, v in items if v.strip(" ,()")]


def _question(manifest: dict[str, Any]) -> str:
    scenario = manifest.get("scenario", {})
    return str(scenario.get("question") or scenario.get("description") or "")


def _context(title: str, subtitle: str) -> dict[str, Any]:
    from importlib import metadata

    try:
        version = metadata.version("coalition-wargame")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "title": title,
        "subtitle": subtitle,
        "disclaimer": DISCLAIMER,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": version,
        "questions": [],
        "findings": [],
        "tables": [],
        "figures": [],
        "inputs": None,
        "notes": [],
        "provenance": [],
        "extra": [],
        "changes": False,
    }


def build_run(folder: Path) -> dict[str, Any]:
    """A run directory's report."""
    from sim.experiment.results import load_results
    from sim.plot.standard import run_figures

    result = load_results(folder)
    manifest = result.manifest
    name = result.scenario.name
    context = _context(
        f"Scenario '{name}'",
        f"{result.n:,} replications, seed {result.seed}, from {result.scenario.start} over "
        f"{result.scenario.horizon_days} days",
    )
    context["questions"] = [{"label": name, "text": _question(manifest)}]
    if result.scenario.description and result.scenario.description != _question(manifest):
        context["questions"][0]["description"] = result.scenario.description
    context["findings"] = [
        {
            "heading": "",
            "items": [{"text": t, "significant": None} for t in run_findings(result.summary_rows)],
        }
    ]
    context["tables"] = [run_table(result.summary_rows)]
    context["figures"] = _figures(run_figures(result))
    context["notes"] = _notes([(name, manifest)])
    context["provenance"] = _provenance(manifest)
    return context


def _read_csv(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def comparison_of(folder: Path) -> Any:
    """The Comparison a compare directory stores (its runs under ``runs/``)."""
    from sim.experiment.comparison import Comparison
    from sim.experiment.results import load_results

    document = json.loads((folder / "compare.json").read_text(encoding="utf-8"))
    try:
        entries = document["scenarios"]
        results = [load_results(folder / entry["directory"]) for entry in entries]
        labels = [entry["label"] for entry in entries]
    except (KeyError, TypeError) as exc:
        raise ResultsError(f"{folder}: compare.json: not a comparison ({exc})") from None
    return Comparison(results, bool(document.get("paired")), document.get("note"), labels), document


def compare_table(rows: list[dict[str, Any]], labels: list[str]) -> dict[str, Any]:
    """Per KPI: each scenario's estimate, and each alternative's difference [95% CI]."""
    hidden = set(fmt.folded().values())
    by_kpi: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kpi.setdefault(row["kpi"], []).append(row)
    body = []
    for name, group in by_kpi.items():
        if name in hidden:
            continue
        kpi = catalogue.get(name)
        cells = [name, fmt.estimate_text(group[0])]
        cells += [f"{fmt.estimate_text(r)} ({fmt.difference_text(r)})" for r in group[1:]]
        body.append([*cells, fmt.unit_label(kpi), kpi.description])
    return {
        "title": "Key performance indicators, each posture against the reference",
        "columns": ["KPI", *labels, "unit", "description"],
        "numeric": list(range(1, len(labels) + 1)),
        "rows": body,
        "note": "Alternatives: estimate (difference from the reference [95% CI]); * the "
        "interval excludes 0, p from the same test. Milestones are compared as the share "
        "reaching them by the horizon; log-rank p-values of whole curves are in compare.csv.",
    }


def build_compare(folder: Path) -> dict[str, Any]:
    """A comparison directory's report."""
    from sim.plot.compare import compare_figures

    comparison, document = comparison_of(folder)
    labels = comparison.labels
    reference = comparison.reference
    context = _context(
        f"{', '.join(labels[1:])} against '{labels[0]}'",
        f"{reference.n:,} replications each, seed {reference.seed}, "
        f"{'paired under common random numbers' if comparison.paired else 'unpaired'}",
    )
    context["questions"] = [
        {
            "label": label,
            "text": _question(result.manifest),
            "description": result.scenario.description
            if result.scenario.description != _question(result.manifest)
            else "",
        }
        for label, result in zip(labels, comparison.results, strict=True)
    ]
    rows = comparison.rows()
    found = comparison_findings(rows)
    context["findings"] = [
        {
            "heading": f"{label} against {labels[0]}"
            + (f" — {result.scenario.description}" if result.scenario.description else ""),
            "items": [{"text": f.text, "significant": f.significant} for f in found[label]],
        }
        for label, result in zip(labels[1:], comparison.results[1:], strict=True)
    ]
    context["changes"] = True
    if comparison.note:
        context["extra"].append(comparison.note)
    context["tables"] = [compare_table(rows, labels)]
    context["figures"] = _figures(compare_figures(comparison))
    diff = _read_csv(folder / "inputs_diff.csv")
    if diff:
        context["inputs"] = {
            "title": f"Inputs that differ ({len(diff) - 1:,} values)",
            "columns": diff[0],
            "rows": diff[1:],
        }
    context["notes"] = _notes(
        [(label, r.manifest) for label, r in zip(labels, comparison.results, strict=True)]
    )
    context["provenance"] = [
        (
            "scenarios",
            ", ".join(
                f"{s.get('label')} (seed {s.get('seed')}, "
                f"{s.get('replications', 0):,} replications, "
                f"SHA-256 {str(s.get('sha256', ''))[:12]}…)"
                for s in document.get("scenarios", [])
            ),
        ),
        ("paired", "yes, common random numbers" if comparison.paired else "no"),
        ("command", str(document.get("command", ""))),
        ("versions", ", ".join(f"{k} {v}" for k, v in (document.get("versions") or {}).items())),
    ]
    return context


def build_sweep(folder: Path) -> dict[str, Any]:
    """A sweep directory's report: what was swept, what moved, the plots, every point."""
    from sim.experiment.sweep_result import SweepResult
    from sim.plot.sweep import sweep_figures
    from sim.scenario import document as scenario_document
    from sim.scenario.loader import load_scenario

    sweep = SweepResult.load(folder)
    spec = sweep.job.spec
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    context = _context(
        f"Sweep '{spec.name}'",
        f"{spec.design} design, {len(sweep.points):,} points × {spec.reps:,} replications, "
        f"seed {spec.seed}, common random numbers",
    )
    base = load_scenario(folder / "base.yaml")
    context["questions"] = [{"label": spec.name, "text": spec.description or base.description}]
    items: list[dict[str, Any]] = []
    labels = sweep.job.design.labels
    ok = [p for p in sweep.points if p["status"] == "ok"]
    for name in spec.kpis:
        kpi = catalogue.get(name)
        values = [(p[name], p) for p in ok if p[name] is not None]
        if not values:
            continue
        low, high = min(values, key=lambda v: v[0]), max(values, key=lambda v: v[0])
        items.append(
            {
                "text": f"{kpi.description}: from {fmt.number(low[0], kpi.kind, kpi.unit)} "
                f"({_where(low[1], labels)}) to {fmt.number(high[0], kpi.kind, kpi.unit)} "
                f"({_where(high[1], labels)}) across the design.",
                "significant": None,
            }
        )
        entry = (sweep.indices or {}).get("kpis", {}).get(name, {})
        if "method" in entry:
            key = "mu_star" if entry["method"] == "morris" else "ST"
            top = max(range(len(entry["factors"])), key=lambda i: entry[key][i])
            items.append(
                {
                    "text": f"What moves it most: {entry['factors'][top]} "
                    f"({'Morris μ*' if key == 'mu_star' else 'total Sobol index'} "
                    f"{entry[key][top]:.3g}).",
                    "significant": None,
                }
            )
    if sweep.failed:
        items.append(
            {"text": f"{sweep.failed} points failed and are not shown.", "significant": False}
        )
    context["findings"] = [{"heading": "", "items": items}]
    labels = sweep.job.design.labels
    body = []
    for p in sweep.points[:500]:
        cells = [str(p["point"])] + [
            f"{p[f]:,}" if isinstance(p[f], int | float) else str(p[f]) for f in labels
        ]
        for name in spec.kpis:
            kpi = catalogue.get(name)
            cells.append(fmt.number(p[name], kpi.kind, kpi.unit))
        body.append([*cells, p["status"]])
    context["tables"] = [
        {
            "title": "Points" + (" (first 500)" if len(sweep.points) > 500 else ""),
            "columns": ["point", *labels, *spec.kpis, "status"],
            "numeric": list(range(0, len(labels) + len(spec.kpis) + 1)),
            "rows": body,
            "note": "Each point's estimate from its replications; all points share random "
            "numbers. Every column with its interval is in points.parquet.",
        }
    ]
    context["figures"] = _figures(sweep_figures(sweep.job, sweep.points, sweep.indices))
    context["inputs"] = {
        "title": "What was swept",
        "columns": ["factor", "paths", "values"],
        "rows": [
            [
                f["label"],
                ", ".join(f["targets"]),
                "× baseline" if f.get("scale") else "set",
            ]
            for f in manifest.get("factors", [])
        ],
    }
    context["notes"] = _notes([(base.name, {"provenance": scenario_document.provenance(base)})])
    context["provenance"] = [
        (
            "base scenario",
            f"{base.name} (SHA-256 {manifest.get('base', {}).get('sha256', '')[:16]}…)",
        ),
        ("design", f"{spec.design}, {manifest.get('points', 0):,} points"),
        ("replications per point", f"{spec.reps:,}"),
        ("seed", str(spec.seed)),
        ("created", str(manifest.get("created", ""))),
        ("command", str(manifest.get("command", ""))),
        ("versions", ", ".join(f"{k} {v}" for k, v in (manifest.get("versions") or {}).items())),
    ]
    return context


def _where(point: dict[str, Any], labels: list[str]) -> str:
    return ", ".join(
        f"{f} = {point[f]:,}" if isinstance(point[f], int | float) else f"{f} = {point[f]}"
        for f in labels
    )


def build_ablation(folder: Path) -> dict[str, Any]:
    """An ablation directory (``ablate.json``): its summary, tables and stored figures.

    The ablation's own format is young; this reads what any JSON document offers (a name, a
    description, lists of rows) and inlines the SVG plots the directory holds.
    """
    document = json.loads((folder / "ablate.json").read_text(encoding="utf-8"))
    name = str(document.get("name") or document.get("scenario") or folder.name)
    context = _context(f"Ablation '{name}'", str(document.get("subtitle", "")))
    context["questions"] = [
        {"label": name, "text": str(document.get("question") or document.get("description") or "")}
    ]
    for key, value in document.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            columns = list(dict.fromkeys(k for v in value for k in v))
            rows = [[_cell(v.get(c)) for c in columns] for v in value[:500]]
            context["tables"].append(
                {
                    "title": key.replace("_", " "),
                    "columns": columns,
                    "numeric": [],
                    "rows": rows,
                    "note": "",
                }
            )
    figures = []
    for index, path in enumerate(sorted((folder / "plots").glob("*.svg"))):
        text = prefixed(path.read_text(encoding="utf-8"), f"a{index}")
        figures.append({"name": path.stem, "title": path.stem.replace("_", " "), "svg": text})
    context["figures"] = figures
    context["provenance"] = [
        (k, _cell(v)) for k, v in document.items() if not isinstance(v, list | dict)
    ]
    return context


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return fmt.number(value)
    if isinstance(value, dict | list):
        return json.dumps(value)[:200]
    return "" if value is None else str(value)


register("run", "manifest.json", build_run, lambda d: d.get("kind", "run") == "run")
register("compare", "compare.json", build_compare, lambda d: d.get("kind") == "compare")
register("sweep", "manifest.json", build_sweep, lambda d: d.get("kind") == "sweep")
register("ablation", "ablate.json", build_ablation)
