"""Rendering the report: the packaged Jinja2 template, autoescaped, figures marked safe.

The template and its stylesheet ship inside the package (``sim/report/templates``), so a
report needs no file outside the installed package and no network.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup


def environment() -> Environment:
    """The Jinja2 environment: templates from the package, HTML autoescaped."""
    return Environment(
        loader=PackageLoader("sim.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(context: dict[str, Any]) -> str:
    """The report's HTML from its context (figures' SVG text is trusted: we drew it)."""
    figures = [{**f, "svg": Markup(f["svg"])} for f in context.get("figures", [])]
    template = environment().get_template("report.html.j2")
    return template.render(**{**context, "figures": figures})
