"""Briefing reports: one self-contained HTML file for a run, comparison, sweep or ablation.

``write_report(directory)`` reads a results directory (never re-simulating), draws its figures
with :mod:`sim.plot` as inline SVG, writes key findings from the numbers, and renders the
packaged Jinja2 template into ``report.html``: no script, no stylesheet or font fetched, so it
opens offline and prints to a clean PDF. Each kind of directory is one registration
(:mod:`sim.report.kinds`).
"""

from sim.report.kinds import detect, register, render_report, write_report

__all__ = ["detect", "register", "render_report", "write_report"]
