"""``wargame play SCENARIO``: a turn-based seminar wargame adjudicated by Monte Carlo.

Each turn prints the branch so far (what the representative timeline did since the last turn,
its state on the day, the fan of futures to the horizon), then takes the teams' moves — typed
at prompts, from ``--moves MOVES.yaml``, or from a saved game (``--replay``) — and prints what
each move changed. The game logic is :mod:`sim.experiment.game`; this module only talks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sim.cli.common import Settings, Terminated, handle_errors
from sim.cli.run import ForceOption, WorkersOption
from sim.limits import MAX_SEED

if TYPE_CHECKING:
    from rich.console import Console

    from sim.experiment.game import Adjudication, Game, Turn
    from sim.scenario.moves import Move

_COMMON_FIELDS = ("action", "at", "when", "after", "note", "source", "assumption")


@handle_errors
def play(
    scenario: Annotated[
        Path | None, typer.Argument(help="Scenario file to play.", show_default=False)
    ] = None,
    turn_days: Annotated[
        int | None, typer.Option("--turn-days", min=1, help="Days per turn [default: 30].")
    ] = None,
    reps: Annotated[
        int | None,
        typer.Option("--reps", min=1, help="Replications of every branch [default: 200]."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            min=0,
            max=MAX_SEED - 1,
            help="Root seed of the random streams (0 to 2**63 - 1) [default: 1].",
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="Write the game (the scenario with the moves as noted injects) here; an "
            "interactive game saves to <scenario>-game.yaml without it.",
        ),
    ] = None,
    moves: Annotated[
        Path | None,
        typer.Option("--moves", help="Play each turn's moves from this file (no prompts)."),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option("--replay", help="Replay a saved game (its settings from its header)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write the game record directory (for wargame report)."),
    ] = None,
    workers: WorkersOption = None,
    force: ForceOption = False,
) -> None:
    """Play a seminar wargame turn by turn; every move is adjudicated over the replications."""
    from sim.errors import UsageError
    from sim.experiment import store
    from sim.experiment.game import DEFAULT_REPS, DEFAULT_TURN_DAYS, Game
    from sim.scenario.moves import read_moves

    if (scenario is None) == (replay is None):
        raise UsageError("give a SCENARIO to play or --replay GAME.yaml, not both", "SCENARIO")
    if replay is not None and moves is not None:
        raise UsageError("a replayed game brings its own moves", "--moves")
    if out is not None:
        store.check_target(out, force)
    settings: dict[str, Any] = {"reps": reps, "seed": seed, "turn_days": turn_days}
    scripted: list[Move] | None
    if replay is not None:
        game, scripted = Game.from_file(replay, workers=workers, **settings)
    else:
        assert scenario is not None
        game = Game.from_scenario(
            scenario,
            workers=workers,
            reps=reps or DEFAULT_REPS,
            seed=1 if seed is None else seed,
            turn_days=turn_days or DEFAULT_TURN_DAYS,
        )
        scripted = read_moves(moves) if moves is not None else None
    if scripted is not None:
        game.check_all(scripted)  # a bad move stops the game before anything runs
    interactive = scripted is None
    target = save or (Path(f"{game.scenario.name}-game.yaml") if interactive else None)
    _play(game, scripted, target, out, force)


def _play(
    game: Game, scripted: list[Move] | None, save: Path | None, out: Path | None, force: bool
) -> None:
    from sim.cli.tables import console as make_console

    console = make_console()
    console.record = True
    title = (
        f"wargame play: '{game.scenario.name}', {game.n_turns} turns of {game.turn_days} days "
        f"from {game.scenario.start}, {game.reps:,} replications per branch, seed {game.seed}"
    )
    console.print(title, markup=False, highlight=False)
    if scripted is None:
        console.print(
            "Teams: coalition, us, russia, white (the white cell may play any move). Ctrl-C "
            f"saves the game so far{f' to {save}' if save else ''}.",
            markup=False,
            highlight=False,
        )
    Settings.interrupt_note = lambda: _saved_note(game, save)
    try:
        while not game.over:
            turn = game.open_turn()
            _show_turn(console, game, turn)
            if scripted is None:
                chosen = _ask_moves(console, game, turn)
                if chosen is None:  # save and quit
                    break
            else:
                chosen = [m for m in scripted if m.turn == turn.number]
                for move in chosen:
                    console.print(f"  move: {_quoted(move)}", markup=False, highlight=False)
            game.play(turn, chosen, lambda m: None)
            _show_adjudications(console, game, turn.adjudications)
            turn.screen = console.export_text(clear=True)
        if game.over:
            _show_final(console, game)
    except (KeyboardInterrupt, Terminated):
        game.terminate()
        if save is not None:
            game.save(save)
        raise
    except BaseException:
        game.terminate()
        raise
    game.close()
    if save is not None:
        game.save(save)
        console.print(f"Game saved: {save}", markup=False, highlight=False)
    if out is not None:
        game.write_record(out, force=force)
        console.print(f"Game record: {out}", markup=False, highlight=False)


def _saved_note(game: Game, save: Path | None) -> str:
    played = f"{_count(len(game.turns), 'turn')}, {_count(len(game.moves), 'move')}"
    if save is None:
        return f"the game so far ({played}) was not saved (no --save)"
    return f"the game so far ({played}) was saved to {save}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _quoted(move: Move) -> str:
    return move.describe() + (f' — "{move.reason}"' if move.reason else "")


def _show_turn(console: Console, game: Game, turn: Turn) -> None:
    from rich.rule import Rule

    from sim.analysis import formatting as fmt

    console.print(
        Rule(f"Turn {turn.number} of {game.n_turns} · day {turn.day} · {turn.date}", align="left")
    )
    since = f"day {game.day(turn.number - 1)}" if turn.number > 1 else "the start"
    console.print(
        f"Since {since}, in the representative timeline (replication {game.representative}):",
        markup=False,
        highlight=False,
    )
    for line in turn.timeline or ["(no key event)"]:
        console.print(f"  {line}", markup=False, highlight=False)
    state = " · ".join(f"{label} {value}" for label, value in turn.state)
    console.print(f"On day {turn.day}: {state}", markup=False, highlight=False)
    console.print(_fan_table(game, turn.fan, f"Fan of futures to the horizon (day {game.horizon})"))
    s = turn.still_open
    console.print(
        f"No renewed offensive yet on day {turn.day} in {s['open']:,} of {s['replications']:,} "
        f"replications; among them {fmt.number(s['offensive'], 'probability')} "
        f"({fmt.interval(s['ci_low'], s['ci_high'], 'probability')}) have one by the horizon.",
        markup=False,
        highlight=False,
    )


def _fan_table(game: Game, rows: list[dict[str, Any]], title: str) -> Any:
    from rich.table import Table

    from sim.engine import catalogue

    table = Table(
        title=f"{title}, over all {game.reps:,} replications of the branch",
        title_justify="left",
        header_style="bold",
    )
    table.add_column("outcome", no_wrap=True)
    table.add_column("estimate", justify="right", no_wrap=True)
    table.add_column("95% CI", justify="right", no_wrap=True)
    table.add_column("p10 / p50 / p90", justify="right", no_wrap=True)
    if console_width() >= 140:
        table.add_column("what it measures")
    for row in rows:
        table.add_row(
            row["kpi"],
            row["estimate_text"],
            row["interval_text"],
            row["spread"],
            *([catalogue.get(row["kpi"]).description] if console_width() >= 140 else []),
        )
    return table


def console_width() -> int:
    """The terminal's width (``COLUMNS`` when set): descriptions only where they fit."""
    from sim.cli.tables import terminal_width

    return terminal_width()


def _show_adjudications(console: Console, game: Game, adjudications: list[Adjudication]) -> None:
    from rich.table import Table

    if not adjudications:
        console.print("No move this turn: the branch is unchanged.", markup=False, highlight=False)
        return
    for a in adjudications:
        console.print(
            f"Adjudication: {_quoted(a.move)} (day {a.day}; {game.reps:,} replications in "
            f"{a.seconds:.2f} s)",
            markup=False,
            highlight=False,
        )
        table = Table(
            header_style="bold",
            caption="Change = branch after the move − branch before it, same replications "
            "(common random numbers), paired 95% CI; * where it excludes zero.",
            caption_justify="left",
        )
        table.add_column("outcome", no_wrap=True)
        table.add_column("change [95% CI]", no_wrap=True)
        for row in a.rows:
            table.add_row(row["kpi"], row["text"])
        console.print(table)


def _show_final(console: Console, game: Game) -> None:
    from rich.rule import Rule

    console.print(Rule(f"Horizon · day {game.horizon} · {game.date(game.horizon)}", align="left"))
    console.print(_fan_table(game, game.final(), "The game's outcome"))
    console.print(
        f"The saved game gives exactly these numbers: {game.command()}",
        markup=False,
        highlight=False,
    )


def _ask_moves(console: Console, game: Game, turn: Turn) -> list[Move] | None:
    """The turn's moves from the prompts; None to save and quit."""
    from rich.prompt import Prompt

    from sim.errors import ScenarioError
    from sim.scenario.moves import TEAMS, menu, typed_move

    chosen: list[Move] = []
    while True:
        answer = Prompt.ask(
            f"Turn {turn.number}: \\[m]ove, \\[e]nd the turn and adjudicate, \\[s]ave and quit",
            console=console,
            choices=["m", "e", "s"],
            default="e",
        )
        if answer == "s":
            return None
        if answer == "e":
            return chosen
        team = Prompt.ask("  Team", console=console, choices=list(TEAMS))
        action = Prompt.ask("  Action", console=console, choices=list(menu(team)))
        fields = Prompt.ask(
            f"  Fields of {action} as {{key: value}} ({_hint(action)})",
            console=console,
            default="{}",
            show_default=False,
        )
        reason = Prompt.ask("  Reason (for the record)", console=console, default="")
        try:
            move = typed_move(fields, turn.number, team, action, reason, f"<turn {turn.number}>")
            game.check_all([*game.moves, *chosen, move])
        except ScenarioError as exc:
            for problem in exc.problems:
                console.print(f"  refused: {problem}", markup=False, highlight=False)
            continue
        chosen.append(move)
        console.print(f"  queued: {_quoted(move)}", markup=False, highlight=False)


def _hint(action: str) -> str:
    """The action's fields, required ones starred; an optional ``at`` (a later day)."""
    from sim.scenario.injects import INJECTS

    model = INJECTS[action]
    names = [
        f"{name}*" if info.is_required() else name
        for name, info in model.model_fields.items()
        if name not in _COMMON_FIELDS
    ]
    return ", ".join([*names, "at"]) if names else "none needed; at"
