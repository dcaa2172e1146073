"""The standard plots of a run: Figures from a run's results, and writing them as PNG and SVG.

:func:`run_figures` draws every plot from the run's stored data (nothing is simulated), for a
results directory, a report or a notebook; :func:`draw_run_plots` writes them to disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from sim.analysis.survival import kaplan_meier
from sim.plot.bars import fulfilment_bars, member_contributions, single_pledgers
from sim.plot.drawing import Drawer, draw_all, drawn
from sim.plot.fan import fan_chart
from sim.plot.ladder import ladder_shares
from sim.plot.style import PALETTE, caption, figure_of, new_axes, styled
from sim.plot.survival import survival_curve
from sim.plot.timeline import timeline

if TYPE_CHECKING:
    from sim.experiment.results import RunResult

DEPLOYED = ("deployed.reassurance.land", "deployed.reassurance.sea", "deployed.reassurance.air")
MILESTONES = (
    ("reassurance_ioc_day", "reassurance force at initial capability (50% of land troops)"),
    ("reassurance_foc_day", "reassurance force at full capability (90%)"),
    ("us_enablers_day", "U.S. enablers approved"),
    ("us_guarantee_day", "U.S. guarantee ratified"),
)


def _about(result: RunResult) -> str:
    return f"Scenario '{result.scenario.name}', {result.n:,} replications, seed {result.seed}."


@styled
def deterrence_fan(result: RunResult) -> Figure:
    """Deterrence across replications, with the threshold below which an offensive is likelier."""
    ax = fan_chart(result.timeseries, "deterrence", result.scenario.start)
    threshold = result.scenario.model.deterrence.threshold
    ax.axhline(threshold, color="#b00020", lw=1.2, ls="--", label=f"threshold ({threshold:g})")
    ax.set_title("Deterrence while the coalition's posture builds", loc="left")
    ax.legend(loc="upper left")
    caption(figure_of(ax), _about(result))
    return figure_of(ax)


@styled
def capability_fan(result: RunResult) -> Figure:
    """Ukraine's capability index across replications."""
    ax = fan_chart(result.timeseries, "capability", result.scenario.start)
    ax.legend(loc="upper left")
    caption(figure_of(ax), _about(result))
    return figure_of(ax)


@styled
def deployed_fan(result: RunResult) -> Figure:
    """Land troops, ships and aircraft in Ukraine across replications."""
    figure = Figure(figsize=(12, 4.0), layout="constrained")
    for ax, metric in zip(figure.subplots(1, 3), DEPLOYED, strict=True):
        fan_chart(result.timeseries, metric, result.scenario.start, ax=ax)
    figure.axes[0].legend(loc="upper left")
    caption(figure, _about(result))
    return figure


@styled
def offensive_survival(result: RunResult) -> Figure:
    """The share of replications without a renewed offensive, day by day (Kaplan–Meier)."""
    horizon = float(result.scenario.horizon_days)
    ax = survival_curve(kaplan_meier(result.kpi("offensive_day"), horizon), result.scenario.start)
    ax.set_title("No renewed major offensive (Kaplan–Meier, 95% band)", loc="left")
    ax.legend(loc="lower left")
    caption(figure_of(ax), _about(result))
    return figure_of(ax)


@styled
def milestones(result: RunResult) -> Figure:
    """When the milestones come: the share of replications reaching each by a date."""
    horizon = float(result.scenario.horizon_days)
    ax = new_axes(7.5, 5.2)
    for (kpi, label), colour in zip(MILESTONES, PALETTE, strict=False):
        survival_curve(
            kaplan_meier(result.kpi(kpi), horizon),
            result.scenario.start,
            ax=ax,
            colour=colour,
            label=label,
            incidence=True,
        )
    ax.set_title("When milestones are reached (Kaplan–Meier, 95% bands)", loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.1))  # below: the curves keep the plot
    caption(figure_of(ax), _about(result) + " Censored at the horizon.")
    return figure_of(ax)


@styled
def ladder(result: RunResult) -> Figure | None:
    """The escalation ladder: the share of replications on each rung, day by day."""
    if "rung.hold" not in result.timeseries.column("metric").unique().to_pylist():
        return None
    ax = ladder_shares(result.timeseries, result.scenario.start)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    caption(figure_of(ax), _about(result))
    return figure_of(ax)


@styled
def fulfilment(result: RunResult) -> Figure:
    """Delivered ÷ pledged, pillar by pillar."""
    ax = fulfilment_bars(result.summary_rows)
    ax.set_title("Pledges fulfilled by pillar", loc="left")
    caption(figure_of(ax), _about(result))
    return figure_of(ax)


@styled
def representative_timeline(result: RunResult) -> Figure | None:
    """The timeline of a typical replication (the one with the median mean deterrence)."""
    if result.trace is None:
        return None
    names = {m.id: m.name for m in result.scenario.members}
    ax = timeline(result.trace, names)
    ax.set_title(
        f"A typical replication (no. {result.trace.rep}, median deterrence): who does what, when",
        loc="left",
    )
    caption(figure_of(ax), f"Scenario '{result.scenario.name}', seed {result.seed}.")
    return figure_of(ax)


@styled
def members(result: RunResult) -> Figure:
    """What each member pledges, pillar by pillar."""
    scenario = result.scenario
    figure = member_contributions(scenario)
    figure.suptitle("What each member pledges", x=0.01, ha="left", fontweight="bold")
    single = single_pledgers(scenario)
    note = f" Single pledger — {'; '.join(single)}." if single else ""
    caption(
        figure,
        f"Scenario '{scenario.name}' (as pledged, before reliability and conditions).{note}",
    )
    return figure


def run_drawers(result: RunResult) -> dict[str, Drawer]:
    """Every standard plot of a run, by file name (``fan_deterrence``…), not yet drawn."""
    return {
        "fan_deterrence": lambda: deterrence_fan(result),
        "fan_capability": lambda: capability_fan(result),
        "fan_deployed": lambda: deployed_fan(result),
        "survival_offensive": lambda: offensive_survival(result),
        "cdf_milestones": lambda: milestones(result),
        "ladder": lambda: ladder(result),
        "fulfilment": lambda: fulfilment(result),
        "timeline": lambda: representative_timeline(result),
        "members": lambda: members(result),
    }


def run_figures(result: RunResult) -> dict[str, Figure]:
    """Every standard plot of a run, by file name (``fan_deterrence``…), drawn from its data."""
    return drawn(run_drawers(result))


def draw_run_plots(result: RunResult, folder: Path, *, svg: bool = False) -> list[Path]:
    """Draw every standard plot of a run into ``folder`` (PNG, and SVG if asked); return the
    files written.
    """
    return draw_all({folder / name: draw for name, draw in run_drawers(result).items()}, svg=svg)
