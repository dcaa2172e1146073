"""The question a scenario file answers: the comment block it opens with.

Every shipped scenario opens with comment lines saying what it asks ("No U.S. backing: what if
the U.S. never offers enablers or a guarantee?"); reports quote them, since the resolved
scenario a run stores has lost its comments.
"""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 1_000_000


def opening_comment(path: str | Path) -> str:
    """The file's leading ``#`` lines as one paragraph ("" if it opens otherwise).

    A line of only ``#`` or ``=`` rules is dropped; the text of the rest is joined by spaces.
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(MAX_BYTES)
    except OSError:
        return ""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body and set(body) - set("=-#"):
            lines.append(body)
    return " ".join(lines)
