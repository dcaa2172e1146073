"""The condition language: parsing, type checks, evaluation, and where errors point."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from sim.scenario.conditions import ConditionError, check_condition, parse_condition
from sim.scenario.metrics import METRICS, TEXT_VALUES

BOOLS = list(itertools.product([False, True], repeat=2))


def values(**given: Any) -> dict[str, Any]:
    """A full set of metric values (zeros, false, first text value), with ``given`` replaced.

    Keyword names use ``__`` for dots: ``us__state="none"``.
    """
    base: dict[str, Any] = {}
    for name, kind in METRICS.items():
        base[name] = {"number": 0.0, "bool": False, "text": TEXT_VALUES.get(name, ("",))[0]}[kind]
    for key, value in given.items():
        name = key.replace("__", ".")
        assert name in METRICS, name
        base[name] = value
    return base


# --------------------------------------------------------------------------- truth tables


@pytest.mark.parametrize(("a", "b"), BOOLS)
def test_and(a: bool, b: bool) -> None:
    cond = parse_condition("ceasefire and offensive")
    assert cond(values(ceasefire=a, offensive=b)) is (a and b)


@pytest.mark.parametrize(("a", "b"), BOOLS)
def test_or(a: bool, b: bool) -> None:
    cond = parse_condition("ceasefire or offensive")
    assert cond(values(ceasefire=a, offensive=b)) is (a or b)


@pytest.mark.parametrize("a", [False, True])
def test_not(a: bool) -> None:
    assert parse_condition("not ceasefire")(values(ceasefire=a)) is (not a)
    assert parse_condition("not not ceasefire")(values(ceasefire=a)) is a


@pytest.mark.parametrize(("a", "b", "c"), list(itertools.product([False, True], repeat=3)))
def test_and_binds_tighter_than_or(a: bool, b: bool, c: bool) -> None:
    given = values(ceasefire=a, offensive=b, us__paused=c)
    assert parse_condition("ceasefire or offensive and us.paused")(given) is (a or (b and c))
    assert parse_condition("(ceasefire or offensive) and us.paused")(given) is ((a or b) and c)
    assert parse_condition("not ceasefire and offensive")(given) is ((not a) and b)
    assert parse_condition("not (ceasefire and offensive)")(given) is (not (a and b))


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("day == 10", 10, True),
        ("day == 10", 11, False),
        ("day != 10", 10, False),
        ("day != 10", 11, True),
        ("day < 10", 9, True),
        ("day < 10", 10, False),
        ("day <= 10", 10, True),
        ("day <= 10", 11, False),
        ("day > 10", 11, True),
        ("day > 10", 10, False),
        ("day >= 10", 10, True),
        ("day >= 10", 9, False),
        ("10 < day", 11, True),
        ("10 < day", 10, False),
    ],
)
def test_number_comparisons(text: str, day: int, expected: bool) -> None:
    assert parse_condition(text)(values(day=day)) is expected


def test_numbers_with_underscores_and_exponents() -> None:
    cond = parse_condition("committed.reassurance.land >= 15_000 and day < 1e3")
    assert cond(values(committed__reassurance__land=15000, day=999))
    assert not cond(values(committed__reassurance__land=14999, day=999))
    assert not cond(values(committed__reassurance__land=15000, day=1000))


def test_two_metrics_compare() -> None:
    cond = parse_condition("deterrence > adversary.capacity")
    assert cond(values(deterrence=1.2, adversary__capacity=1.0))
    assert not cond(values(deterrence=0.8, adversary__capacity=1.0))


@pytest.mark.parametrize("quote", ["'", '"'])
def test_text_comparisons(quote: str) -> None:
    cond = parse_condition(f"us.state == {quote}enablers{quote}")
    assert cond(values(us__state="enablers"))
    assert not cond(values(us__state="none"))
    reverse = parse_condition(f"{quote}none{quote} != us.state")
    assert reverse(values(us__state="guarantee"))
    assert not reverse(values(us__state="none"))


def test_bool_literals() -> None:
    assert parse_condition("true")(values())
    assert not parse_condition("false")(values())
    assert parse_condition("ceasefire == true")(values(ceasefire=True))
    assert not parse_condition("ceasefire == true")(values(ceasefire=False))
    assert parse_condition("offensive != false")(values(offensive=True))


def test_whitespace_is_free() -> None:
    cond = parse_condition("  (day>=5)and(  not offensive )  ")
    assert cond(values(day=5))
    assert not cond(values(day=4))


# --------------------------------------------------------------------------- what it reads


def test_metrics_read() -> None:
    cond = parse_condition("day >= 200 and us.state == 'none' or not ceasefire")
    assert cond.metrics == frozenset({"day", "us.state", "ceasefire"})
    assert parse_condition("true").metrics == frozenset()


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("day >= 200", (200.0,)),
        ("day >= 200 and day < 400", (200.0, 400.0)),
        ("400 > day or day == 100", (100.0, 400.0)),
        ("day >= 200 or day > 200", (200.0,)),
        ("day > deterrence", ()),
        ("ceasefire", ()),
        ("trained >= 1000", ()),
    ],
)
def test_day_marks(text: str, marks: tuple[float, ...]) -> None:
    assert parse_condition(text).day_marks == marks


def test_condition_keeps_its_source() -> None:
    text = "day >= 200 and ceasefire"
    assert parse_condition(text).source == text


def test_evaluation_reads_only_the_given_values() -> None:
    """Evaluating looks names up in the mapping; nothing else is consulted."""
    cond = parse_condition("ceasefire and day > 3")
    assert cond({"ceasefire": True, "day": 4})
    with pytest.raises(KeyError):
        cond({"ceasefire": True})


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        # syntax
        ("", "empty condition", 0),
        ("   ", "empty condition", 0),
        ("ceasefire and", "the condition ends too early", 13),
        ("day >", "the condition ends too early", 5),
        ("(ceasefire", "missing ')'", 10),
        ("ceasefire ceasefire", "unexpected 'ceasefire'", 10),
        ("ceasefire)", "unexpected ')'", 9),
        ("day @ 3", "unexpected character '@'", 4),
        ("day >= 3;", "unexpected character ';'", 8),
        ("0 < day < 100", "comparisons do not chain; join them with 'and'", 8),
        ("day = 3", "unexpected character '='", 4),
        ("ceasefire && offensive", "unexpected character '&'", 10),
        # types
        ("day", "a condition must be true or false, not a number", 0),
        ("us.state", "a condition must be true or false, not a text", 0),
        ("'none'", "a condition must be true or false, not a text", 0),
        ("ceasefire >= 1", "cannot compare bool with number", 10),
        ("us.state >= 1", "cannot compare text with number", 9),
        ("day == 'none'", "cannot compare number with text", 4),
        ("us.state > 'none'", "text values only compare with == or !=", 9),
        ("ceasefire < true", "bool values only compare with == or !=", 10),
        (
            "us.state == 'paused'",
            "us.state is one of none, enablers, guarantee, never 'paused'",
            12,
        ),
        (
            "'calm' == violations.regime",
            "violations.regime is one of strong, eroding, minsk, escalation, never 'calm'",
            0,
        ),
        ("day and ceasefire", "'and' needs true/false operands", 0),
        ("ceasefire or 3", "'or' needs true/false operands", 13),
        ("not day", "'not' needs true/false operands", 4),
        # names
        (
            "comitted.reassurance.land >= 1",
            "unknown metric 'comitted.reassurance.land' "
            "(did you mean 'committed.reassurance.land'?)",
            0,
        ),
        (
            "ceasefire and deterence > 1",
            "unknown metric 'deterence' (did you mean 'deterrence'?)",
            14,
        ),
        ("xyzzy", "unknown metric 'xyzzy'", 0),
    ],
)
def test_errors(text: str, message: str, offset: int) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert str(caught.value) == message
    assert caught.value.offset == offset


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("day(1) > 0", "calls are not allowed in conditions", 3),
        ("ceasefire()", "calls are not allowed in conditions", 9),
        ("__import__('os')", "calls are not allowed in conditions", 10),
        ("eval('1') == 1", "calls are not allowed in conditions", 4),
        ("ceasefire.__class__", "unknown metric 'ceasefire.__class__'", 0),
        ("__import__('os').system('touch pwned')", "calls are not allowed in conditions", 10),
        ("[x for x in ()]", "unexpected character '['", 0),
        ("lambda: true", "unknown metric 'lambda'", 0),
    ],
)
def test_code_is_refused(text: str, message: str, offset: int) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert str(caught.value).startswith(message)
    assert caught.value.offset == offset


def test_unknown_metric_hint_names_a_real_metric() -> None:
    with pytest.raises(ConditionError, match=r"did you mean 'us\.state'\?"):
        parse_condition("us.stat == 'none'")


# --------------------------------------------------------------------------- pydantic validator


def test_check_condition_returns_the_text() -> None:
    assert check_condition("day >= 3") == "day >= 3"


def test_check_condition_reports_a_one_based_column() -> None:
    with pytest.raises(ValueError, match=r"^comparisons do not chain.*\(at column 9 of the con"):
        check_condition("0 < day < 100")
    with pytest.raises(ValueError, match="ends too early") as caught:
        check_condition("ceasefire and")
    assert not isinstance(caught.value, ConditionError)  # pydantic sees a plain ValueError
