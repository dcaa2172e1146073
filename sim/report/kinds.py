"""Which kind of results directory this is, and how each kind becomes a report.

A kind is recognised by a marker file and its content (``manifest.json`` with ``kind: run``,
``compare.json``, a sweep's ``manifest.json`` with ``kind: sweep``, ``ablate.json``), and built
by one function returning the template's context. A new kind (the ablation, say) is one
:func:`register` call.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import ResultsError

Builder = Callable[[Path], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    """One kind of results directory: its name, how to tell it, how to build its report."""

    name: str
    marker: str
    matches: Callable[[dict[str, Any]], bool]
    build: Builder


_KINDS: list[Kind] = []


def register(
    name: str, marker: str, build: Builder, matches: Callable[[dict[str, Any]], bool] | None = None
) -> None:
    """Add a kind: ``marker`` is the JSON file that identifies it (``matches`` may test it)."""
    _KINDS[:] = [k for k in _KINDS if k.name != name]
    _KINDS.append(Kind(name, marker, matches or (lambda _doc: True), build))


def _load_builtin() -> None:
    if not _KINDS:
        # sections registers run, compare, sweep and ablation; game (which imports sections
        # first) the played game
        import sim.report.game
        import sim.report.sections  # noqa: F401


def detect(directory: Path) -> Kind:
    """The kind of a results directory.

    Raises:
        ResultsError: no such directory, or none of the known marker files.
    """
    _load_builtin()
    if not directory.is_dir():
        raise ResultsError(f"{directory}: no such results directory")
    for kind in _KINDS:
        path = directory / kind.marker
        if not path.is_file():
            continue
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ResultsError(f"{directory}: {kind.marker}: not readable JSON ({exc})") from None
        if isinstance(document, dict) and kind.matches(document):
            return kind
    known = ", ".join(sorted({k.marker for k in _KINDS}))
    raise ResultsError(
        f"{directory}: not a run, comparison, sweep or ablation directory (none of {known})"
    )


def render_report(directory: str | Path) -> str:
    """The HTML text of a directory's report."""
    from sim.report.render import render

    folder = Path(directory)
    kind = detect(folder)
    context = kind.build(folder)
    context.setdefault("kind", kind.name)
    return render(context)


def write_report(directory: str | Path, out: str | Path | None = None) -> Path:
    """Write the report of a results directory (default ``DIR/report.html``); return its path.

    The file is written to a temporary name and renamed, so a reader never sees half of it.
    """
    import os

    folder = Path(directory)
    text = render_report(folder)
    target = Path(out) if out is not None else folder / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return target
