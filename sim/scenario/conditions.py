"""A small, safe condition language, parsed once and never evaluated with ``eval``.

Grammar (``and`` binds tighter than ``or``; comparisons do not chain)::

    expr    := and_ ("or" and_)*
    and_    := not_ ("and" not_)*
    not_    := "not" not_ | compare
    compare := atom (("==" | "!=" | "<" | "<=" | ">" | ">=") atom)?
    atom    := METRIC | NUMBER | STRING | "true" | "false" | "(" expr ")"

Metric names are dotted identifiers from :data:`sim.scenario.metrics.METRICS`. Types are checked
at parse time: numbers compare with numbers, text metrics only with ``==``/``!=`` and one of their
known values, booleans stand alone or combine with ``and``/``or``/``not``.

A condition is at most MAX_LENGTH characters, nested at most MAX_DEPTH parentheses deep, and its
numbers are finite and at most MAX_NUMBER in size. Tokenising is linear in the length; ``and``
and ``or`` chains compile to one n-ary test and runs of ``not`` to one, so the parser recurses
only into parentheses and evaluation never recurses deeper than the nesting, at any accepted
size.
"""

from __future__ import annotations

import difflib
import functools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sim.errors import InputError
from sim.scenario.metrics import METRICS, TEXT_VALUES

MAX_LENGTH = 10_000
"""Longest condition, in characters; real ones are tens of characters."""
MAX_DEPTH = 32
"""Deepest nesting of parentheses."""
MAX_NUMBER = 1e15
"""Largest number literal (in size): beyond what any metric reaches, and finite."""

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>==|!=|<=|>=|<|>|\(|\))
    )""",
    re.VERBOSE,
)
_SPACE = re.compile(r"\s*")
_KEYWORDS = {"and", "or", "not", "true", "false"}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

Values = Mapping[str, Any]


class ConditionError(InputError, ValueError):
    """A condition that does not parse or does not type-check; ``offset`` is 0-based."""

    def __init__(self, message: str, offset: int) -> None:
        self.offset = offset
        super().__init__(message)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class Condition:
    """A parsed condition: evaluate it with ``cond(values)``.

    ``metrics`` are the names it reads (the engine re-checks it when one of them changes);
    ``day_marks`` are the days at which a ``day`` comparison can change its truth.
    """

    source: str
    evaluate: Callable[[Values], bool] = field(repr=False, compare=False)
    metrics: frozenset[str]
    day_marks: tuple[float, ...]

    def __call__(self, values: Values) -> bool:
        """Whether the condition holds for ``values``."""
        return self.evaluate(values)


def _tokenize(text: str) -> list[_Token]:
    """Split into tokens; an unreadable character becomes a ``bad`` token where it stands,
    so that the parser reports problems in reading order. Linear in the length.
    """
    tokens: list[_Token] = []
    pos = 0
    while True:
        space = _SPACE.match(text, pos)
        pos = space.end() if space else pos
        if pos >= len(text):
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            tokens.append(_Token("bad", text[pos], pos))
            break
        kind = match.lastgroup or ""
        value = match.group(kind)
        start = match.start(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = value
        tokens.append(_Token(kind, value, start))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


@dataclass
class _Typed:
    kind: str  # "bool", "number", "text", "literal-text"
    fn: Callable[[Values], Any]
    offset: int
    metric: str | None = None
    literal: Any = None


Fn = Callable[[Values], Any]


def _either(fns: list[Fn]) -> Fn:
    if len(fns) == 2:
        left, right = fns
        return lambda values: left(values) or right(values)
    options = tuple(fns)
    return lambda values: any(fn(values) for fn in options)


def _both(fns: list[Fn]) -> Fn:
    if len(fns) == 2:
        left, right = fns
        return lambda values: left(values) and right(values)
    parts = tuple(fns)
    return lambda values: all(fn(values) for fn in parts)


def _negate(inner: Fn) -> Fn:
    return lambda values: not inner(values)


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise ConditionError(
                f"the condition is {len(text):,} characters long; at most {MAX_LENGTH:,} are "
                "allowed",
                MAX_LENGTH,
            )
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0
        self.metrics: set[str] = set()
        self.day_marks: set[float] = set()

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Condition:
        if self.peek().kind == "end":
            raise ConditionError("empty condition", 0)
        node = self.expr()
        token = self.peek()
        if token.kind == "bad":
            raise ConditionError(f"unexpected character {token.text!r}", token.offset)
        if token.kind != "end":
            raise ConditionError(f"unexpected {token.text!r}", token.offset)
        if node.kind != "bool":
            raise ConditionError(
                f"a condition must be true or false, not a {node.kind.replace('literal-', '')}",
                node.offset,
            )
        return Condition(self.text, node.fn, frozenset(self.metrics), tuple(sorted(self.day_marks)))

    def _bool(self, node: _Typed, word: str) -> None:
        if node.kind != "bool":
            raise ConditionError(f"'{word}' needs true/false operands", node.offset)

    def expr(self) -> _Typed:
        first = self.and_()
        operands = [first]
        while self.peek().kind == "or":
            self.take()
            right = self.and_()
            if len(operands) == 1:  # checked as they come: problems in reading order
                self._bool(first, "or")
            self._bool(right, "or")
            operands.append(right)
        if len(operands) == 1:
            return first
        return _Typed("bool", _either([o.fn for o in operands]), first.offset)

    def and_(self) -> _Typed:
        first = self.not_()
        operands = [first]
        while self.peek().kind == "and":
            self.take()
            right = self.not_()
            if len(operands) == 1:  # checked as they come: problems in reading order
                self._bool(first, "and")
            self._bool(right, "and")
            operands.append(right)
        if len(operands) == 1:
            return first
        return _Typed("bool", _both([o.fn for o in operands]), first.offset)

    def not_(self) -> _Typed:
        if self.peek().kind != "not":
            return self.compare()
        first = self.peek()
        count = 0
        while self.peek().kind == "not":
            self.take()
            count += 1
        inner = self.compare()
        self._bool(inner, "not")
        fn = _negate(inner.fn) if count % 2 else inner.fn
        return _Typed("bool", fn, first.offset)

    def compare(self) -> _Typed:
        left = self.atom()
        token = self.peek()
        if token.kind != "op" or token.text not in _COMPARE:
            return left
        self.take()
        right = self.atom()
        nxt = self.peek()
        if nxt.kind == "op" and nxt.text in _COMPARE:
            raise ConditionError("comparisons do not chain; join them with 'and'", nxt.offset)
        return self._comparison(left, token, right)

    def _comparison(self, left: _Typed, op: _Token, right: _Typed) -> _Typed:
        kinds = {left.kind.replace("literal-", ""), right.kind.replace("literal-", "")}
        if len(kinds) != 1:
            raise ConditionError(
                f"cannot compare {left.kind.replace('literal-', '')} with "
                f"{right.kind.replace('literal-', '')}",
                op.offset,
            )
        kind = kinds.pop()
        if kind in ("text", "bool") and op.text not in ("==", "!="):
            raise ConditionError(f"{kind} values only compare with == or !=", op.offset)
        if kind == "text":
            for side, other in ((left, right), (right, left)):
                if side.metric and other.kind == "literal-text":
                    allowed = TEXT_VALUES.get(side.metric, ())
                    if other.literal not in allowed:
                        raise ConditionError(
                            f"{side.metric} is one of {', '.join(allowed)}, "
                            f"never {other.literal!r}",
                            other.offset,
                        )
        for side, other in ((left, right), (right, left)):
            if side.metric == "day" and other.literal is not None:
                self.day_marks.add(float(other.literal))
        compare = _COMPARE[op.text]
        lf, rf = left.fn, right.fn
        return _Typed("bool", lambda v: compare(lf(v), rf(v)), left.offset)

    def atom(self) -> _Typed:
        token = self.take()
        if token.kind == "number":
            value = float(token.text.replace("_", ""))
            if not abs(value) <= MAX_NUMBER:
                raise ConditionError(
                    f"number {token.text[:20]}{'…' if len(token.text) > 20 else ''} is too large "
                    f"(at most {MAX_NUMBER:g})",
                    token.offset,
                )
            return _Typed("number", lambda v: value, token.offset, literal=value)
        if token.kind == "string":
            text = token.text[1:-1]
            return _Typed("literal-text", lambda v: text, token.offset, literal=text)
        if token.kind in ("true", "false"):
            flag = token.kind == "true"
            return _Typed("bool", lambda v: flag, token.offset, literal=flag)
        if token.kind == "name":
            return self._metric(token)
        if token.kind == "op" and token.text == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ConditionError(
                    f"parentheses nested deeper than {MAX_DEPTH} levels", token.offset
                )
            inner = self.expr()
            self.depth -= 1
            closing = self.take()
            if closing.kind != "op" or closing.text != ")":
                raise ConditionError("missing ')'", closing.offset)
            return inner
        if token.kind == "end":
            raise ConditionError("the condition ends too early", token.offset)
        if token.kind == "bad":
            raise ConditionError(f"unexpected character {token.text!r}", token.offset)
        raise ConditionError(f"unexpected {token.text!r}", token.offset)

    def _metric(self, token: _Token) -> _Typed:
        name = token.text
        nxt = self.peek()
        if nxt.kind == "op" and nxt.text == "(":
            raise ConditionError("calls are not allowed in conditions", nxt.offset)
        kind = METRICS.get(name)
        if kind is None:
            close = difflib.get_close_matches(name, list(METRICS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConditionError(f"unknown metric {name!r}{hint}", token.offset)
        self.metrics.add(name)
        return _Typed(kind, lambda v: v[name], token.offset, metric=name)


@functools.lru_cache(maxsize=4096)
def parse_condition(text: str) -> Condition:
    """Parse and type-check a condition (memoised: a Condition is immutable).

    Raises:
        ConditionError: the text is not a valid condition; ``offset`` says where.
    """
    return _Parser(text).parse()


def check_condition(text: str) -> str:
    """Pydantic validator: accept the text if it parses, with the reason if not."""
    try:
        parse_condition(text)
    except ConditionError as exc:
        raise ValueError(f"{exc} (at column {exc.offset + 1} of the condition)") from None
    return text
