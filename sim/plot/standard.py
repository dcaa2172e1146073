"""The standard plots of a run, written as PNG and SVG into a results directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from sim.analysis.survival import kaplan_meier
from sim.plot.bars import fulfilment_bars, member_contributions
from sim.plot.fan import fan_chart
from sim.plot.ladder import ladder_shares
from sim.plot.style import PALETTE, caption, figure_of, new_axes, save
from sim.plot.survival import survival_curve
from sim.plot.timeline import timeline

if TYPE_CHECKING:
    from sim.experiment.results import RunResult

DEPLOYED = ("deployed.reassurance.land", "deployed.reassurance.sea", "deployed.reassurance.air")
MILESTONES = (
    ("reassurance_ioc_day", "reassurance force IOC (50% of land troops)"),
    ("reassurance_foc_day", "reassurance force FOC (90%)"),
    ("us_enablers_day", "U.S. enablers approved"),
    ("us_guarantee_day", "U.S. guarantee ratified"),
)


def _about(result: RunResult) -> str:
    return f"Scenario '{result.scenario.name}', {result.n:,} replications, seed {result.seed}."


def draw_run_plots(result: RunResult, folder: Path) -> list[Path]:
    """Draw every standard plot of a run into ``folder``; return the files written."""
    scenario = result.scenario
    start = scenario.start
    horizon = float(scenario.horizon_days)
    about = _about(result)
    written: list[Path] = []

    for metric, name in (("deterrence", "fan_deterrence"), ("capability", "fan_capability")):
        ax = fan_chart(result.timeseries, metric, start)
        if metric == "deterrence":
            threshold = scenario.model.deterrence.threshold
            ax.axhline(
                threshold, color="#b00020", lw=1, ls="--", label=f"threshold ({threshold:g})"
            )
        ax.legend(loc="upper left")
        caption(figure_of(ax), about)
        written += save(figure_of(ax), folder, name)

    figure = Figure(figsize=(11, 3.8), layout="constrained")
    for ax, metric in zip(figure.subplots(1, 3), DEPLOYED, strict=True):
        fan_chart(result.timeseries, metric, start, ax=ax)
    figure.axes[0].legend(loc="upper left")
    caption(figure, about)
    written += save(figure, folder, "fan_deployed")

    ax = survival_curve(kaplan_meier(result.kpi("offensive_day"), horizon), start)
    ax.set_title("No renewed major offensive (Kaplan–Meier, 95% band)", loc="left")
    ax.legend(loc="lower left")
    caption(figure_of(ax), about)
    written += save(figure_of(ax), folder, "survival_offensive")

    ax = new_axes()
    for (kpi, label), colour in zip(MILESTONES, PALETTE, strict=False):
        survival_curve(
            kaplan_meier(result.kpi(kpi), horizon),
            start,
            ax=ax,
            colour=colour,
            label=label,
            incidence=True,
        )
    ax.set_title(
        "When milestones are reached (Kaplan–Meier, 95% bands; censored at the horizon)", loc="left"
    )
    ax.legend(loc="upper left")
    caption(figure_of(ax), about)
    written += save(figure_of(ax), folder, "cdf_milestones")

    ax = ladder_shares(result.timeseries, start)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    caption(figure_of(ax), about)
    written += save(figure_of(ax), folder, "ladder")

    ax = fulfilment_bars(result.summary_rows)
    ax.set_title("Pledges fulfilled by pillar", loc="left")
    caption(figure_of(ax), about)
    written += save(figure_of(ax), folder, "fulfilment")

    if result.trace is not None:
        names = {m.id: m.name for m in scenario.members}
        ax = timeline(result.trace, names)
        ax.set_title(
            f"Timeline of replication {result.trace.rep} (median mean-deterrence)", loc="left"
        )
        caption(figure_of(ax), f"Scenario '{scenario.name}', seed {result.seed}.")
        written += save(figure_of(ax), folder, "timeline")

    figure = member_contributions(scenario)
    figure.suptitle("What each member pledges", x=0.01, ha="left")
    caption(figure, f"Scenario '{scenario.name}' (as pledged, before reliability and conditions).")
    written += save(figure, folder, "members")
    return written
