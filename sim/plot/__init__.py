"""Plots: functions that return matplotlib Figures drawn from analysed results.

matplotlib is imported only in this package (ruff TID251 enforces it). Plots take analysed
results and stored traces; nothing here runs the engine. Every function applies the house style
to its own figure (:func:`sim.plot.style.styled`), so importing this package leaves
``matplotlib.rcParams`` as it was. In a notebook::

    import sim, sim.plot
    result = sim.run("scenarios/baseline.yaml", reps=200)
    sim.plot.run_figures(result)["fan_deterrence"]      # a Figure; Jupyter shows it
"""

from sim.plot.bars import fulfilment_bars, member_contributions
from sim.plot.compare import compare_figures, forest_figure, overlay_fan, overlay_survival
from sim.plot.fan import fan_chart
from sim.plot.standard import (
    deployed_fan,
    deterrence_fan,
    members,
    milestones,
    offensive_survival,
    representative_timeline,
    run_figures,
)
from sim.plot.style import save, style
from sim.plot.survival import survival_curve
from sim.plot.sweep import heatmap, response_curve, sweep_figures, tornado
from sim.plot.timeline import timeline

__all__ = [
    "compare_figures",
    "deployed_fan",
    "deterrence_fan",
    "fan_chart",
    "forest_figure",
    "fulfilment_bars",
    "heatmap",
    "member_contributions",
    "members",
    "milestones",
    "offensive_survival",
    "overlay_fan",
    "overlay_survival",
    "representative_timeline",
    "response_curve",
    "run_figures",
    "save",
    "style",
    "survival_curve",
    "sweep_figures",
    "timeline",
    "tornado",
]
