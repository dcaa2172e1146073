"""``wargame play`` in a real terminal: a tmux session driven by keystrokes reaches the horizon
and saves the game; Ctrl-C in the middle saves the game so far.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SCENARIOS

TMUX = shutil.which("tmux") or "/usr/bin/tmux"


class Terminal:
    """A detached tmux session on its own server, running one command."""

    def __init__(self, socket: str, folder: Path) -> None:
        self.socket = socket
        self.folder = folder

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def start(self, command: str) -> None:
        script = f"cd {shlex.quote(str(self.folder))} && {command}; echo $? > rc.txt; sleep 600"
        self.tmux("new-session", "-d", "-s", "play", "-x", "150", "-y", "50", script)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "play")

    def wait_for(self, text: str, timeout: float = 90.0) -> str:
        def showing() -> str | None:
            shown = self.screen()
            return shown if text in shown else None

        found = _poll(showing, timeout)
        if found is None:
            raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")
        return found

    def type(self, *answers: str) -> None:
        """Type each answer and Enter (an empty answer is Enter alone)."""
        for text in answers:
            if text:
                self.tmux("send-keys", "-t", "play", "-l", text)
            self.tmux("send-keys", "-t", "play", "Enter")

    def exit_code(self, timeout: float = 90.0) -> int:
        rc = self.folder / "rc.txt"
        code = _poll(lambda: rc.read_text().strip() if rc.is_file() else None, timeout)
        if not code:
            raise AssertionError(f"the game never ended; the screen:\n{self.screen()}")
        return int(code)


def _poll(probe: Callable[[], str | None], timeout: float) -> str | None:
    """Ask ``probe`` every 0.2 s until it answers something, or None after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = probe()
        if answer:
            return answer
        time.sleep(0.2)
    return None


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"wargame-test-{os.getpid()}-{tmp_path.name}", tmp_path)
    yield term
    subprocess.run([TMUX, "-L", term.socket, "kill-server"], capture_output=True, check=False)


def _play(turn_days: int) -> str:
    """The command of a small game (10 replications, seed 2, one worker) saved to game.yaml."""
    options = ["--turn-days", str(turn_days), "--reps", "10", "--seed", "2", "--workers", "1"]
    options += ["--save", "game.yaml"]
    baseline = shlex.quote(str(SCENARIOS / "baseline.yaml"))
    python = shlex.quote(sys.executable)
    env = f"PYTHONPATH={shlex.quote(str(ROOT))}"
    return f"env -u COLUMNS {env} {python} -m sim play {baseline} {' '.join(options)}"


def test_an_interactive_game_reaches_the_horizon_and_saves(terminal: Terminal) -> None:
    terminal.start(_play(365))
    terminal.wait_for("Turn 1: [m]ove")
    terminal.type("m", "coalition", "scale_pledges", "{member: NLD, factor: 0.5}", "budget cut")
    terminal.wait_for('queued: coalition: scale_pledges member=NLD factor=0.5 — "budget cut"')
    terminal.type("m")  # a move that is refused, at its field, and the game goes on
    terminal.type("coalition", "withdraw_member", "{member: XXX}", "")
    terminal.wait_for("refused: <turn 1>:1:10:")
    terminal.type("e")
    terminal.wait_for("Adjudication: coalition: scale_pledges")
    terminal.wait_for("Turn 2: [m]ove")
    terminal.type("m", "russia", "probe", "", "test the force")
    terminal.wait_for("queued: russia: probe")
    terminal.type("e")
    assert terminal.exit_code() == 0
    shown = terminal.screen()
    assert "Turn 2 of 2 · day 365" in shown
    assert "Horizon · day 730" in shown
    assert "Game saved: game.yaml" in shown
    saved = (terminal.folder / "game.yaml").read_text(encoding="utf-8")
    assert "note: 'turn 1 (coalition): budget cut'" in saved
    assert "note: 'turn 2 (russia): test the force'" in saved
    assert "XXX" not in saved


def test_ctrl_c_saves_the_game_so_far(terminal: Terminal) -> None:
    terminal.start(_play(300))
    terminal.wait_for("Turn 1: [m]ove")
    terminal.type("m", "us", "us_pause", "{days: 30}", "a pause")
    terminal.wait_for("queued: us: us_pause")
    terminal.type("e")
    terminal.wait_for("Turn 2: [m]ove")
    terminal.tmux("send-keys", "-t", "play", "C-c")
    assert terminal.exit_code() == 130
    shown = terminal.wait_for("interrupted; the game so far (1 turn, 1 move) was saved")
    assert "game.yaml" in shown
    saved = (terminal.folder / "game.yaml").read_text(encoding="utf-8")
    assert "1 of 3 turns of 300 days, 1 move," in saved
    assert "note: 'turn 1 (us): a pause'" in saved
