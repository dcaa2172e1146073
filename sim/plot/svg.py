"""Figures as inline SVG for HTML (the report): text kept as text, ids unique per figure.

Several SVGs in one HTML document share one id space, and matplotlib names clip paths and
glyphs by content, so two figures could claim the same id; each figure's ids get a prefix.
"""

from __future__ import annotations

import io
import re

import matplotlib as mpl
from matplotlib.figure import Figure

from sim.plot.style import style

_ID = re.compile(r'id="([^"]+)"')


def inline_svg(figure: Figure, prefix: str) -> str:
    """The figure as an ``<svg>`` element that scales to its container."""
    buffer = io.StringIO()
    with style(), mpl.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return prefixed(buffer.getvalue(), prefix)


def prefixed(text: str, prefix: str) -> str:
    """An SVG document as an inline ``<svg>`` element: ids prefixed, scaling to its box."""
    text = text[text.index("<svg") :] if "<svg" in text else ""
    ids = set(_ID.findall(text))
    for name in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{name}"
        text = text.replace(f'id="{name}"', f'id="{new}"')
        text = text.replace(f"#{name})", f"#{new})").replace(f'"#{name}"', f'"#{new}"')
    size = re.search(r'<svg[^>]*? width="([0-9.]+)pt"', text)
    natural = f' style="max-width: {float(size.group(1)) * 4 / 3:.0f}px"' if size else ""
    text = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", text, count=1)
    return text.replace("<svg", f'<svg role="img" class="figure"{natural}', 1)
