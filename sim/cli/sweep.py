"""``wargame sweep SPEC.yaml | FILE --param PATH=LO:HI[:N]...``; ``wargame sweep --resume DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.cli.common import EXIT_FAILURE, Settings, handle_errors
from sim.cli.report import ReportOption
from sim.cli.run import ForceOption, OutOption, SvgOption, WorkersOption
from sim.limits import MAX_POINTS, MAX_SEED

if TYPE_CHECKING:
    from sim.experiment.sweep import SweepStatus
    from sim.experiment.sweepstore import SweepStore


@handle_errors
def sweep(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="A sweep spec, or a scenario with --param options.", show_default=False
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            metavar="PATH=LO:HI[:N]",
            help="Sweep a scenario value over [LO, HI] (N grid steps); repeatable.",
        ),
    ] = None,
    template: Annotated[
        list[str] | None,
        typer.Option(
            "--template",
            metavar="TEXT",
            help="Put the i-th --param's value into TEXT at {value}, e.g. "
            "'committed.reassurance.land >= {value}' for us.enablers.conditions; repeatable.",
        ),
    ] = None,
    design: Annotated[
        str, typer.Option("--design", help="grid, lhs, sobol or morris (with --param).")
    ] = "grid",
    samples: Annotated[
        int | None,
        typer.Option(
            "--samples", min=1, help="Points (lhs), base sample (sobol), trajectories (morris)."
        ),
    ] = None,
    reps: Annotated[int, typer.Option("--reps", min=1, help="Replications per point.")] = 100,
    kpi: Annotated[
        list[str] | None, typer.Option("--kpi", help="KPI of interest (with --param); repeatable.")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, max=MAX_SEED - 1, help="Root seed [spec's, or 1]."),
    ] = None,
    out: OutOption = None,
    workers: WorkersOption = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler tcp://HOST:PORT, or 'local' for a LocalCluster."
        ),
    ] = None,
    force: ForceOption = False,
    svg: SvgOption = False,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume", help="Resume an interrupted sweep directory (runs only missing chunks)."
        ),
    ] = None,
    max_points: Annotated[
        int,
        typer.Option("--max-points", min=1, help="Refuse designs with more points than this."),
    ] = MAX_POINTS,
    report: ReportOption = False,
) -> None:
    """Run a batch parameter sweep; write per-point results, sensitivity indices and plots."""
    from sim.errors import UsageError
    from sim.experiment.spec import inline_spec, load_spec_marked, sweep_name
    from sim.experiment.sweep import prepare
    from sim.experiment.sweepstore import SweepStore

    if template and not param:
        raise UsageError("--template applies to a --param", "--template")
    if resume is not None:
        if file is not None or param or out is not None or force:
            raise UsageError(
                "resume takes the directory alone (with --workers or --scheduler)", "--resume"
            )
        job = SweepStore.open(resume)
    elif file is None:
        raise UsageError("give a sweep spec, a scenario with --param, or --resume DIR", "FILE")
    elif param:
        spec = inline_spec(
            file.resolve(),
            sweep_name(file),
            param,
            design,
            samples,
            reps,
            seed if seed is not None else 1,
            kpi or ["offensive", "deterrence_mean"],
            template,
        )
        job = prepare(spec, None, out, force, max_points=max_points)
    else:
        spec, marks = load_spec_marked(file)
        if seed is not None:
            spec = spec.model_copy(update={"seed": seed})
        job = prepare(spec, file, out, force, marks, max_points)
    Settings.interrupt_note = lambda: resume_note(job)
    status = _run(job, workers, scheduler)
    _draw(job, status, svg)
    ok = status.points - len(status.failed_points)
    typer.echo(
        f"Sweep '{job.spec.name}': {status.points} points, {ok} ok, "
        f"{len(status.failed_points)} failed; {len(status.computed)} chunks computed now"
    )
    for point in sorted(status.failed_points)[:5]:
        typer.echo(f"  point {point} failed: {job.failure_text(point)}", err=True)
    typer.echo(f"Results: {job.folder}")
    if ok == 0:
        raise typer.Exit(EXIT_FAILURE)
    if out is None and resume is None:
        from sim.experiment.store import update_latest

        update_latest(job.folder)
    if report:
        from sim.cli.report import write

        typer.echo(f"Report: {write(job.folder)}")


def _draw(job: SweepStore, status: SweepStatus, svg: bool) -> None:
    """Redraw the sweep's plots from its finished point table (the columns they show)."""
    import shutil

    from sim.cli.progress import activity
    from sim.plot.sweep import draw_sweep_plots

    assert status.table is not None
    shown = ["status", *job.design.labels]
    shown += [f"{kpi}{suffix}" for kpi in job.spec.kpis for suffix in ("", "_ci_low", "_ci_high")]
    rows = status.table.select(list(dict.fromkeys(shown))).to_pylist()
    shutil.rmtree(job.folder / "plots", ignore_errors=True)
    with activity("drawing the plots"):
        draw_sweep_plots(job, rows, status.indices, job.folder / "plots", svg=svg)


def _run(job: SweepStore, workers: int | None, scheduler: str | None) -> SweepStatus:
    """Run the sweep, with a bar of chunks and a real ETA on a terminal.

    The bar knows its total from the start and advances one chunk per finished chunk, the
    steady advance rich's time-remaining estimate needs; chunks already on disk (a resumed
    sweep) count as done from the start without feeding the estimate.
    """
    import sys

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from sim.experiment.sweep import run_sweep

    if not sys.stderr.isatty():
        return run_sweep(job, workers=workers, scheduler=scheduler)
    total = len(job.layout)
    on_disk = sum(name.startswith("part-") for name in job.on_disk())
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("chunks · {task.fields[points]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(job.spec.name, total=total, completed=on_disk, points="")

        def update(status: SweepStatus) -> None:
            bar.update(
                task,
                advance=1,
                total=status.chunks,
                points=f"points {status.finished_points:,}/{status.points:,} done, "
                f"{len(status.failed_points)} failed",
            )

        status = run_sweep(job, workers=workers, scheduler=scheduler, progress=update)
        bar.update(task, completed=status.chunks)
        return status


def resume_note(job: SweepStore) -> str:
    """What Ctrl-C leaves of a sweep: the chunks on disk, and how to go on."""
    if not job.folder.is_dir():
        return "nothing was written"
    done = len([name for name in job.on_disk() if name.startswith("part-")])
    return f"{done} chunks are on disk; resume with: wargame sweep --resume {job.folder}"
