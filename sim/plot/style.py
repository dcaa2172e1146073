"""Shared look: colours, the 'not a forecast' footnote, titles, saving as PNG and SVG.

The look is a set of rcParams applied per figure (:func:`styled`, a decorator and context
manager around :func:`matplotlib.rc_context`), never on import: a notebook that imports
``sim.plot`` keeps its own matplotlib settings.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

STYLE: dict[str, Any] = {
    "figure.dpi": 110,
    "savefig.dpi": 130,
    "font.size": 10.5,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10.5,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "svg.hashsalt": "coalition-wargame",  # stable SVG ids, so identical plots diff clean
}
"""The house style: sizes readable on a slide, no box around the plot, a light grid."""

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def style() -> Iterator[None]:
    """Apply the house style inside the block only (the caller's rcParams come back after)."""
    with mpl.rc_context(STYLE):  # type: ignore[arg-type]
        yield


def styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw (or save) a figure under the house style; rcParams are restored afterwards."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with style():
            return draw(*args, **kwargs)

    return wrapper


FOOTNOTE = "What-if under stated assumptions — not a forecast."
PALETTE = ("#1f5fa8", "#d1495b", "#2e8b57", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#7f7f7f")
DOMAIN_COLOURS = {"land": "#1f5fa8", "sea": "#00798c", "air": "#6a4c93", "neighbouring": "#edae49"}
REGIME_COLOURS = {
    "strong": "#cfe8d5",
    "eroding": "#f6e3a1",
    "minsk": "#f4b183",
    "escalation": "#e06666",
}
REGIME_WORDS = {
    "strong": "largely respected",
    "eroding": "violations rising",
    "minsk": "frequent violations (as under Minsk II)",
    "escalation": "escalating violations",
}
"""The violation regimes in plain words (the model's names are internal)."""
US_COLOURS = {"none": "#eeeeee", "enablers": "#9ecae1", "guarantee": "#3182bd"}


@styled
def new_axes(width: float = 7.5, height: float = 4.2) -> Axes:
    """A fresh figure (no pyplot, no global state) and its axes, in the house style."""
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure.add_subplot()


def thousands(ax: Axes, axis: str = "y") -> None:
    """Tick labels with thousands separators (9,440 rather than 9440 or 9.44e+03)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def fit_y(ax: Axes, floor: float | None = 0.0, margin: float = 0.06) -> None:
    """Y limits around everything drawn so far (lines and bands), from ``floor`` if given.

    Setting one limit alone freezes the other at the autoscale of the moment, so overlays
    drawn later ran off the top; this takes the data limits of all that is drawn.
    """
    low, high = ax.dataLim.y0, ax.dataLim.y1
    if not (np.isfinite(low) and np.isfinite(high)):
        return
    if floor is not None:
        low = min(floor, low)
    pad = margin * ((high - low) or 1.0)
    bottom = low if floor is not None and low == floor else low - pad
    ax.set_ylim(bottom, high + pad)


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
    """Dates on the x axis: four to nine ticks, concisely labelled."""
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


def suffixes(svg: bool) -> tuple[str, ...]:
    """The file types a plot is saved as: PNG always, SVG when asked (``--svg``)."""
    return ("png", "svg") if svg else ("png",)


@styled
def save(figure: Figure, folder: Path, name: str, *, svg: bool = False) -> list[Path]:
    """Save ``name``.png, and ``name``.svg unless ``svg`` is False; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix in suffixes(svg):
        path = folder / f"{name}.{suffix}"
        figure.savefig(path, metadata={"Date": None} if suffix == "svg" else None)
        paths.append(path)
    return paths
