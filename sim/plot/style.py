"""Shared look: colours, the 'not a forecast' footnote, titles, saving as PNG and SVG."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

mpl.rcParams.update(
    {
        "figure.dpi": 110,
        "savefig.dpi": 130,
        "font.size": 9.5,
        "axes.titlesize": 11,
        "axes.labelsize": 9.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.fontsize": 8.5,
        "legend.frameon": False,
        "svg.hashsalt": "coalition-wargame",  # stable SVG ids, so identical plots diff clean
    }
)

FOOTNOTE = "What-if under stated assumptions — not a forecast."
PALETTE = ("#1f5fa8", "#d1495b", "#2e8b57", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#7f7f7f")
DOMAIN_COLOURS = {"land": "#1f5fa8", "sea": "#00798c", "air": "#6a4c93", "neighbouring": "#edae49"}
REGIME_COLOURS = {
    "strong": "#cfe8d5",
    "eroding": "#f6e3a1",
    "minsk": "#f4b183",
    "escalation": "#e06666",
}
US_COLOURS = {"none": "#eeeeee", "enablers": "#9ecae1", "guarantee": "#3182bd"}


def new_axes(width: float = 7.5, height: float = 4.2) -> Axes:
    """A fresh figure (no pyplot, no global state) and its axes."""
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure.add_subplot()


def to_dates(start: date, days: np.ndarray) -> np.ndarray:
    """Model days as datetime64 values for a date axis."""
    origin = np.datetime64(start.isoformat(), "s")
    return origin + (np.asarray(days, dtype=float) * 86400).astype("timedelta64[s]")


def figure_of(ax: Axes) -> Figure:
    """The figure an axes belongs to."""
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    return figure


def date_axis(ax: Axes) -> None:
    locator = AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def caption(figure: Figure, text: str) -> None:
    """The footnote every plot carries: what-if, not forecast, and what it was run on.

    The layout keeps a strip at the bottom free for it, so it never overlaps tick labels.
    """
    lines = textwrap.wrap(f"{FOOTNOTE} {text}", width=int(figure.get_figwidth() * 16))
    strip = (0.1 + 0.14 * len(lines)) / figure.get_figheight()
    engine = figure.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, strip, 1, 1 - strip))  # (left, bottom, width, height)
    figure.text(
        0.005,
        0.04 / figure.get_figheight(),
        "\n".join(lines),
        fontsize=7.5,
        color="#555555",
        ha="left",
        va="bottom",
    )


def save(figure: Figure, folder: Path, name: str) -> list[Path]:
    """Save ``name``.png and ``name``.svg; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix in ("png", "svg"):
        path = folder / f"{name}.{suffix}"
        figure.savefig(path, metadata={"Date": None} if suffix == "svg" else None)
        paths.append(path)
    return paths
