"""Conditions of any accepted size parse and evaluate without recursion; larger ones are refused
with a located error, quickly.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from sim.errors import InputError, SimError
from sim.scenario.conditions import (
    MAX_DEPTH,
    MAX_LENGTH,
    ConditionError,
    _tokenize,
    check_condition,
    parse_condition,
)

VALUES = {"ceasefire": True, "day": 10.0, "offensive": False}


@contextmanager
def shallow_stack() -> Iterator[None]:
    """Evaluate with little stack left, as deep inside the engine's callbacks: 60 frames more
    than are in use now.
    """
    limit = sys.getrecursionlimit()
    depth = 0
    frame = sys._getframe()
    while frame.f_back is not None:
        frame, depth = frame.f_back, depth + 1
    sys.setrecursionlimit(depth + 60)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def test_condition_error_is_an_input_error() -> None:
    assert issubclass(ConditionError, InputError)
    assert issubclass(ConditionError, SimError)
    assert issubclass(ConditionError, ValueError)


def test_a_thousand_deep_condition_is_refused_where_it_gets_too_deep() -> None:
    text = "(" * 1000 + "ceasefire" + ")" * 1000
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert str(caught.value) == f"parentheses nested deeper than {MAX_DEPTH} levels"
    assert caught.value.offset == MAX_DEPTH  # the first parenthesis too many
    with pytest.raises(ValueError, match=r"\(at column 33 of the condition\)"):
        check_condition(text)


def test_the_deepest_accepted_condition_evaluates() -> None:
    text = "(" * MAX_DEPTH + "ceasefire and day > 3" + ")" * MAX_DEPTH
    condition = parse_condition.__wrapped__(text)
    with shallow_stack():
        assert condition(VALUES) is True


def test_a_thousand_nots_fold_into_one() -> None:
    even = parse_condition.__wrapped__("not " * 1000 + "ceasefire")
    odd = parse_condition.__wrapped__("not " * 999 + "ceasefire")
    with shallow_stack():
        assert even(VALUES) is True
        assert odd(VALUES) is False
    with pytest.raises(ConditionError, match="'not' needs true/false operands") as caught:
        parse_condition.__wrapped__("not " * 1000 + "day")
    assert caught.value.offset == 4000  # the operand that is not true/false


@pytest.mark.parametrize("word", ["and", "or"])
def test_the_longest_chain_evaluates_without_recursion(word: str) -> None:
    clause = "day > 5" if word == "and" else "offensive"
    count = (MAX_LENGTH - len(clause)) // (len(clause) + len(word) + 2) + 1
    text = f" {word} ".join([clause] * count)
    assert len(text) <= MAX_LENGTH
    assert count > 500
    condition = parse_condition.__wrapped__(text)
    with shallow_stack():
        assert bool(condition(VALUES)) is (word == "and")
        assert bool(condition({**VALUES, "day": 1.0, "offensive": True})) is (word == "or")


def test_a_long_condition_is_refused_at_once() -> None:
    text = " and ".join(["ceasefire"] * 50_000)  # 700 kB
    started = time.perf_counter()
    with pytest.raises(ConditionError, match="699,995 characters long; at most 10,000"):
        parse_condition(text)
    assert time.perf_counter() - started < 0.5


class _CountingText(str):
    """Text that counts the characters its slices copy (the quadratic tokenizer copied the
    rest of the text for every token).
    """

    copied = 0

    def __getitem__(self, key: object) -> str:
        part = str.__getitem__(self, key)  # type: ignore[index]
        _CountingText.copied += len(part)
        return part


def test_tokenising_is_linear() -> None:
    text = _CountingText("day > 1 and " * 5_000 + "ceasefire")
    _CountingText.copied = 0
    tokens = _tokenize(text)
    assert len(tokens) == 4 * 5_000 + 2
    assert _CountingText.copied <= len(text)  # nothing copied per token


def test_tokenising_a_long_text_is_quick() -> None:
    text = "day > 1 and " * 50_000  # far beyond the length limit, to time the tokenizer alone
    started = time.perf_counter()
    assert len(_tokenize(text)) == 4 * 50_000 + 1
    assert time.perf_counter() - started < 30  # the quadratic tokenizer took minutes


@pytest.mark.parametrize(
    ("text", "offset"),
    [("day > 1e400", 6), ("day < 1e16", 6), ("day > 99999999999999999999", 6)],
)
def test_numbers_are_finite_and_bounded(text: str, offset: int) -> None:
    with pytest.raises(ConditionError, match="is too large") as caught:
        parse_condition(text)
    assert caught.value.offset == offset


def test_problems_are_still_reported_in_reading_order() -> None:
    with pytest.raises(ConditionError, match="'or' needs true/false operands") as caught:
        parse_condition("5 or ceasefire or nosuch")
    assert caught.value.offset == 0
