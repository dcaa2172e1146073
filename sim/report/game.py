"""The report of a played game (a ``wargame play --out`` directory): turn by turn.

Each turn is a group of findings: the day, what the representative timeline did since the last
turn, and each move with its team's reason and the changes it made whose 95% interval excludes
zero (the others are said to be indistinguishable from no change). The tables are the fan the
first turn opened on, every move's changes in full, and the game's outcome at the horizon; the
figures are the standard plots of the last branch (``runs/final``). Nothing is simulated again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.report import sections
from sim.report.kinds import register


def _fan_table(title: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "title": title,
        "columns": ["outcome", "estimate", "95% CI", "p10 / p50 / p90", "n"],
        "numeric": [1, 2, 3, 4],
        "rows": [
            [r["kpi"], r["estimate_text"], r["interval_text"], r["spread"], f"{r['n']:,}"]
            for r in rows
        ],
        "note": "Over all replications of the branch, from the start to the horizon; "
        "probabilities with a Wilson 95% interval, means with a Student-t one.",
    }


def _turn_findings(turn: dict[str, Any]) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {"text": f"Representative timeline: {line}", "significant": None}
        for line in turn["timeline"]
    ]
    state = "; ".join(f"{label} {value}" for label, value in turn["state"])
    if state:
        items.append({"text": f"On day {turn['day']}: {state}.", "significant": None})
    for move in turn["moves"]:
        changed = [f"{c['kpi']} {c['text']}" for c in move["changes"] if c["significant"]]
        reason = f" — “{move['reason']}”" if move["reason"] else ""
        effect = (
            "changed " + "; ".join(changed)
            if changed
            else "no headline outcome changed beyond its 95% interval"
        )
        items.append({"text": f"{move['move']}{reason}: {effect}.", "significant": bool(changed)})
    if not turn["moves"]:
        items.append({"text": "No move: the branch is unchanged.", "significant": None})
    return {"heading": f"Turn {turn['turn']} · day {turn['day']} · {turn['date']}", "items": items}


def build_game(folder: Path) -> dict[str, Any]:
    """A game directory's report: every turn, every move's changes, the outcome."""
    from sim.experiment.results import load_results
    from sim.plot.standard import run_figures

    record = json.loads((folder / "game.json").read_text(encoding="utf-8"))
    name = str(record.get("name", folder.name))
    context = sections._context(
        f"Game '{name}'",
        f"{len(record['turns'])} of {record['turns_in_game']} turns of {record['turn_days']} "
        f"days from {record['start']}, {record['replications']:,} replications per branch, "
        f"seed {record['seed']}",
    )
    context["questions"] = [{"label": name, "text": str(record.get("question") or "")}]
    context["findings"] = [_turn_findings(t) for t in record["turns"]]
    context["changes"] = True
    context["extra"] = [
        f"The fan is {record['fan']}; a move's change is the {record['change']}.",
        f"The saved game (game.yaml here) gives the outcome's numbers exactly: {record['run']}.",
    ]
    if record["turns"]:
        context["tables"].append(
            _fan_table("The branch the game opened on", record["turns"][0]["fan"])
        )
    context["tables"].append(
        {
            "title": "Every move and what it changed",
            "columns": ["turn", "move", "reason", "outcome", "change [95% CI]"],
            "numeric": [],
            "rows": [
                [str(t["turn"]), m["move"], m["reason"], c["kpi"], c["text"]]
                for t in record["turns"]
                for m in t["moves"]
                for c in m["changes"]
            ],
            "note": "Branch after the move minus the branch before it, over the same "
            "replications (common random numbers), paired 95% interval; * where it excludes 0.",
        }
    )
    context["tables"].append(_fan_table("The game's outcome at the horizon", record["final"]))
    final = load_results(folder / "runs" / "final")
    context["figures"] = sections._figures(run_figures(final))
    context["notes"] = sections._notes([(name, final.manifest)])
    context["provenance"] = [
        ("game", f"{record['source']} (SHA-256 {record['sha256'][:16]}…)"),
        (
            "turns",
            f"{len(record['turns'])} of {record['turns_in_game']}, {record['turn_days']} days",
        ),
        ("replications", f"{record['replications']:,} per branch"),
        ("seed", str(record["seed"])),
        ("representative replication", str(record["representative_replication"])),
        ("command", str(record.get("command", ""))),
        ("written", str(record.get("written", ""))),
    ]
    return context


register("game", "game.json", build_game, lambda d: d.get("kind") == "game")
