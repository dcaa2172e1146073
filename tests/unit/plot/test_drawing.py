"""Drawing in two processes gives the files drawing in one does, and fails the way it does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from sim.plot import drawing
from sim.plot.drawing import Drawer, draw_all

PARENT = os.getpid()


def _line(value: int) -> Drawer:
    def draw() -> Figure:
        figure = Figure(figsize=(3, 2))
        figure.add_subplot().plot([0, 1, 2], [0, value, value * value])
        return figure

    return draw


def _drawers(folder: Path) -> dict[Path, Drawer]:
    drawers = {folder / f"line{value}": _line(value) for value in range(5)}
    drawers[folder / "nothing"] = lambda: None  # a plot with nothing to show writes no file
    return drawers


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_two_processes_write_what_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert drawing._can_fork()  # the machines this suite runs on have two cores
    forked = draw_all(_drawers(tmp_path / "forked"), svg=True)
    monkeypatch.setattr(drawing, "_can_fork", lambda: False)
    serial = draw_all(_drawers(tmp_path / "serial"), svg=True)
    assert [p.relative_to(tmp_path / "forked") for p in forked] == [
        p.relative_to(tmp_path / "serial") for p in serial
    ]
    assert len(serial) == 10  # five figures, PNG and SVG, and nothing for "nothing"
    assert _contents(tmp_path / "forked") == _contents(tmp_path / "serial")


def test_png_only_unless_svg_is_asked(tmp_path: Path) -> None:
    written = draw_all(_drawers(tmp_path))
    assert sorted(p.name for p in written) == [f"line{v}.png" for v in range(5)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"line{v}.png" for v in range(5)]


def test_the_parent_draws_what_the_child_could_not(tmp_path: Path) -> None:
    drawers = _drawers(tmp_path)

    def only_in_the_parent() -> Figure:
        if os.getpid() != PARENT:
            raise RuntimeError("the child fails")
        return _line(9)()

    drawers[tmp_path / "last"] = only_in_the_parent  # in the child's half
    written = draw_all(drawers)
    assert {p.name for p in written} == {f"line{v}.png" for v in range(5)} | {"last.png"}


def test_an_error_surfaces_in_the_parent(tmp_path: Path) -> None:
    drawers = _drawers(tmp_path)

    def broken() -> Figure:
        raise ValueError("no data to draw")

    drawers[tmp_path / "broken"] = broken
    with pytest.raises(ValueError, match="no data to draw"):
        draw_all(drawers)
