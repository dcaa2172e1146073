"""``wargame validate FILE... [--set PATH=VALUE] [--strict]``: check scenarios, one line per
problem.

``--strict`` also lists every outcome parameter left at a schema default or without a
``source:``/``assumption:`` note (:mod:`sim.scenario.strict`), so that a scenario meant for
analysis explains every number that moves its outcomes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.common import EXIT_INVALID, SetOption, err, handle_errors
from sim.errors import ScenarioError


@handle_errors
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario files to check.", show_default=False)
    ],
    set_: SetOption = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Also list every outcome parameter left at its default or without a "
            "source:/assumption: note.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing when valid.")] = False,
    sweep: Annotated[
        bool, typer.Option("--sweep", help="The files are sweep specs: check spec, base, paths.")
    ] = False,
) -> None:
    """Check scenario files (or sweep specs): exit 0 when all are valid, else one line per
    problem and exit 2.
    """
    if sweep:
        _validate_specs(files, quiet)
        return
    from sim.scenario.loader import load_scenario
    from sim.scenario.strict import strict_check

    failed = False
    for path in files:
        try:
            if strict:
                scenario, gaps = strict_check(path, set_ or ())
            else:
                scenario, gaps = load_scenario(path, set_ or ()), []
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                err(str(problem))
            continue
        if gaps:
            failed = True
            for problem in gaps:
                err(str(problem))
            continue
        if not quiet:
            typer.echo(
                f"{path}: ok ({scenario.name}: {len(scenario.members)} members, "
                f"{len(scenario.pledges)} pledges, {len(scenario.injects)} injects, "
                f"{scenario.horizon_days} days from {scenario.start.isoformat()}"
                f"{'; strict: every outcome parameter written and noted' if strict else ''})"
            )
    if failed:
        raise typer.Exit(EXIT_INVALID)


def _validate_specs(files: list[Path], quiet: bool) -> None:
    """Check sweep specs: the spec, its base scenario, every parameter path, the design size."""
    from sim.experiment.spec_check import check_spec

    failed = False
    for path in files:
        try:
            design = check_spec(path)
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                err(str(problem))
            continue
        if not quiet:
            spec = design.spec
            typer.echo(
                f"{path}: ok ({spec.name}: {spec.design} design, {design.size:,} points × "
                f"{spec.reps:,} replications, {len(design.factors)} factors, base "
                f"{design.base.name})"
            )
    if failed:
        raise typer.Exit(EXIT_INVALID)
