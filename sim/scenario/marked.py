"""Read YAML into plain dicts and lists that remember where each value came from.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two duplicate keys. This
reader composes the node tree with the safe loader, then builds :class:`MarkedDict` and
:class:`MarkedList` containers whose ``marks`` give the file, line and column of every key and
value, so that a validation error can point at its line. It also refuses duplicate keys, files
over a size limit (reading at most one byte more), anything but regular files (a FIFO would
block, ``/dev/zero`` never ends), non-UTF-8 bytes, control characters (at their line), keys that
are not text, and alias bombs (aliases that expand past a node budget). Merge keys (``<<``)
follow YAML's rules, nested ones included; a ``<<`` of anything but mappings is an error.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml

from sim.errors import Problem, ScenarioError

MAX_BYTES = 1_000_000
"""Largest input file read, in bytes; scenarios are a few tens of kilobytes."""
MAX_NODES = 100_000
"""Largest number of YAML nodes after expanding aliases; guards against alias bombs."""
MAX_DEPTH = 64


@dataclass(frozen=True)
class Mark:
    """Where a value starts: file name, 1-based line and column."""

    file: str
    line: int
    column: int

    def problem(self, path: str, message: str) -> Problem:
        """A problem located at this mark."""
        return Problem(self.file, self.line, self.column, path, message)


class MarkedDict(dict[Any, Any]):
    """A dict with the marks of its keys (``key_marks``) and values (``marks``)."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.marks: dict[Any, Mark] = {}
        self.key_marks: dict[Any, Mark] = {}


class MarkedList(list[Any]):
    """A list with the mark of each item."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.marks: list[Mark] = []


def _mark(file: str, node_mark: yaml.Mark | None) -> Mark:
    if node_mark is None:
        return Mark(file, 1, 1)
    return Mark(file, node_mark.line + 1, node_mark.column + 1)


_DEFAULT_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_MERGE = "tag:yaml.org,2002:merge"
_KINDS = {"NoneType": "null", "bool": "a boolean", "int": "a number", "float": "a number"}
_KINDS.update(date="a date", datetime="a date and time", bytes="binary data")
_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class _TooDeepError(Exception):
    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column
        super().__init__(f"nested deeper than {MAX_DEPTH} levels")


class _DepthChecked:
    """A composer refusing to nest deeper than MAX_DEPTH before Python's recursion limit."""

    depth: int

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:  # the root is composed at depth 1
                event: yaml.Event = cast(Any, self).peek_event()
                start = event.start_mark
                line, column = (start.line + 1, start.column + 1) if start else (1, 1)
                raise _TooDeepError(line, column)
            return super().compose_node(parent, index)  # type: ignore[misc, no-any-return]
        finally:
            self.depth -= 1


class _Loader(_DepthChecked, yaml.SafeLoader):
    """The pure-Python safe loader, depth checked."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0


_EventParser: Any
try:
    from yaml._yaml import CParser as _EventParser
except ImportError:  # PyYAML built without libyaml
    _EventParser = None
_LIBYAML = _EventParser is not None
_EventBase: Any = _EventParser or object


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``: from libyaml's events where PyYAML has it (parsing is most of
    the time of reading a scenario in pure Python), composed here with the same depth check.

    A text libyaml refuses, or that holds a character PyYAML refuses, is parsed again in pure
    Python, so that every problem is reported as PyYAML words and places it.
    """
    if _LIBYAML and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return _EventLoader(text).get_single_node()
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


class _EventLoader(_DepthChecked, yaml.composer.Composer, yaml.resolver.Resolver, _EventBase):  # type: ignore[misc]
    """libyaml's parser under PyYAML's composer and resolver (``yaml.CSafeLoader`` composes in
    C, where the depth check cannot reach); the parser comes last, so that the composer's
    methods are the ones called.
    """

    def __init__(self, stream: str) -> None:
        _EventParser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.depth = 0


def _tag(tag: str) -> str:
    """A tag as written in YAML: ``!!python/object`` rather than its full URI."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag.removeprefix(prefix) if tag.startswith(prefix) else tag


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path) or "(root)"


def _segment(index: int, item: yaml.Node) -> str:
    """Name a list item as the loader's paths do: by its scalar ``id``, else by position."""
    if isinstance(item, yaml.MappingNode):
        for key_node, value_node in item.value:
            if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                return str(value_node.value)
    return str(index)


class _Builder:
    """Build marked containers from a composed node tree, expanding aliases under a budget.

    Problems carry the dotted path of the value (list items by id). A node met a second time is
    an alias being expanded; problems inside an expansion point at the value written in the file
    that holds the alias, not at the anchor's definition.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.nodes = 0
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def build(
        self,
        node: yaml.Node,
        depth: int = 0,
        path: tuple[str, ...] = (),
        site: tuple[Mark, tuple[str, ...]] | None = None,
    ) -> Any:
        self.nodes += 1
        mark = _mark(self.file, node.start_mark)
        if site is None or id(node) not in self.seen:
            site = (mark, path)
        self.seen.add(id(node))
        if self.nodes > MAX_NODES:
            where, at = site
            raise ScenarioError(
                [
                    where.problem(
                        _dotted(at),
                        f"more than {MAX_NODES:,} values after expanding "
                        "aliases; refusing a possible alias bomb",
                    )
                ]
            )
        if depth > MAX_DEPTH:
            where, at = site
            raise ScenarioError(
                [where.problem(_dotted(at), f"nested deeper than {MAX_DEPTH} levels")]
            )
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _DEFAULT_TAGS:
            raise ScenarioError(
                [mark.problem(_dotted(path), f"unsupported YAML tag {_tag(node.tag)!r}")]
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, mark, depth, path, site)
        if isinstance(node, yaml.SequenceNode):
            seq = MarkedList(mark)
            for index, item in enumerate(node.value):
                seq.marks.append(_mark(self.file, item.start_mark))
                seq.append(self.build(item, depth + 1, (*path, _segment(index, item)), site))
            return seq
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError as exc:  # e.g. 2025-02-30: PyYAML matches the pattern, date() refuses
            raise ScenarioError(
                [mark.problem(_dotted(path), f"invalid value {node.value!r}: {exc}")]
            ) from None
        except yaml.YAMLError:  # a tag the safe loader does not know, e.g. !!python/object
            raise ScenarioError(
                [mark.problem(_dotted(path), f"unsupported YAML tag {_tag(node.tag)!r}")]
            ) from None

    def _mapping(
        self,
        node: yaml.MappingNode,
        mark: Mark,
        depth: int,
        path: tuple[str, ...],
        site: tuple[Mark, tuple[str, ...]],
    ) -> MarkedDict:
        result = MarkedDict(mark)
        merged = self._merged(node, path, frozenset({id(node)}))
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self._key(key_node, depth, path, site)
            key_mark = _mark(self.file, key_node.start_mark)
            if key in result:
                first = result.key_marks[key]
                raise ScenarioError(
                    [
                        key_mark.problem(
                            _dotted((*path, str(key))),
                            f"duplicate key {key!r} (first at line {first.line})",
                        )
                    ]
                )
            result.key_marks[key] = key_mark
            result.marks[key] = _mark(self.file, value_node.start_mark)
            result[key] = self.build(value_node, depth + 1, (*path, str(key)), site)
        for key_node, value_node in merged:  # explicit keys win over merged ones
            key = self._key(key_node, depth, path, site)
            if key not in result:
                result.key_marks[key] = _mark(self.file, key_node.start_mark)
                result.marks[key] = _mark(self.file, value_node.start_mark)
                result[key] = self.build(value_node, depth + 1, (*path, str(key)), site)
        return result

    def _key(
        self,
        key_node: yaml.Node,
        depth: int,
        path: tuple[str, ...],
        site: tuple[Mark, tuple[str, ...]],
    ) -> str:
        """A mapping key: text only (``~``, ``yes``, ``1`` or a date would not name a field)."""
        key_mark = _mark(self.file, key_node.start_mark)
        key = self.build(key_node, depth + 1, path, site)
        if isinstance(key, MarkedDict | MarkedList):
            raise ScenarioError([key_mark.problem(_dotted(path), "keys must be plain scalars")])
        if not isinstance(key, str):
            raise ScenarioError(
                [
                    key_mark.problem(
                        _dotted(path),
                        f"keys must be text; {key_node.value!r} reads as "
                        f"{_KINDS.get(type(key).__name__, type(key).__name__)} (quote it)",
                    )
                ]
            )
        return key

    def _merged(
        self, node: yaml.MappingNode, path: tuple[str, ...], visiting: frozenset[int]
    ) -> list[tuple[yaml.Node, yaml.Node]]:
        """The pairs that ``<<`` merge keys bring into ``node``, in YAML's order of precedence:
        the first source first, each source's own keys before what it merges itself.

        Raises:
            ScenarioError: a second ``<<`` in one mapping, a ``<<`` of something other than
                mappings, a merge cycle, or a duplicate key inside a merged mapping.
        """
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        first: Mark | None = None
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                continue
            key_mark = _mark(self.file, key_node.start_mark)
            if first is not None:
                raise ScenarioError(
                    [
                        key_mark.problem(
                            _dotted((*path, "<<")),
                            f"duplicate merge key '<<' (first at line {first.line}); merge "
                            "several mappings with <<: [*a, *b]",
                        )
                    ]
                )
            first = key_mark
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in sources:
                where = _mark(self.file, source.start_mark)
                if not isinstance(source, yaml.MappingNode):
                    kind = "list" if isinstance(source, yaml.SequenceNode) else "value"
                    raise ScenarioError(
                        [
                            where.problem(
                                _dotted((*path, "<<")),
                                f"a merge key '<<' takes a mapping or a list of mappings "
                                f"(such as *defaults), not a {kind}",
                            )
                        ]
                    )
                if id(source) in visiting:  # an alias of the mapping being merged into
                    raise ScenarioError(
                        [
                            key_mark.problem(
                                _dotted((*path, "<<")), "merge cycle: a mapping merges itself"
                            )
                        ]
                    )
                pairs.extend(self._flattened(source, path, visiting | {id(source)}))
        return pairs

    def _flattened(
        self, source: yaml.MappingNode, path: tuple[str, ...], visiting: frozenset[int]
    ) -> list[tuple[yaml.Node, yaml.Node]]:
        """A merged mapping's own pairs, then those it merges (nested merge keys)."""
        own: list[tuple[yaml.Node, yaml.Node]] = []
        seen: dict[tuple[str, str], Mark] = {}
        for key_node, value_node in source.value:
            if key_node.tag == _MERGE:
                continue
            key_mark = _mark(self.file, key_node.start_mark)
            if isinstance(key_node, yaml.ScalarNode):
                written = (key_node.tag, key_node.value)
                if written in seen:
                    raise ScenarioError(
                        [
                            key_mark.problem(
                                _dotted((*path, str(key_node.value))),
                                f"duplicate key {key_node.value!r} "
                                f"(first at line {seen[written].line})",
                            )
                        ]
                    )
                seen[written] = key_mark
            own.append((key_node, value_node))
        self.nodes += len(own)
        if self.nodes > MAX_NODES:
            raise ScenarioError(
                [
                    _mark(self.file, source.start_mark).problem(
                        _dotted(path),
                        f"more than {MAX_NODES:,} values after expanding "
                        "aliases; refusing a possible alias bomb",
                    )
                ]
            )
        return own + self._merged(source, path, visiting)


def _position(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset, counting line breaks as YAML does."""
    line, start = 1, 0
    for found in _BREAKS.finditer(text, 0, position):
        line, start = line + 1, found.end()
    return line, position - start + 1


def _yaml_problem(file: str, exc: yaml.YAMLError, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses, by offset
        line, column = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(
            file,
            line,
            column,
            "(yaml)",
            f"YAML syntax error: character U+{code:04X} is not allowed (control characters "
            "and NUL bytes cannot appear in YAML, even in quotes)",
        )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = _mark(file, mark)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "'\\t'" in problem:
        problem = "tab character: YAML indents with spaces, never tabs"
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context and "'\\t'" not in problem else problem
    return where.problem("(yaml)", f"YAML syntax error: {message}")


def parse_marked(text: str, file: str) -> Any:
    """Parse YAML text into marked containers (or a scalar, or None for an empty document).

    Raises:
        ScenarioError: syntax errors, duplicate keys, alias bombs, nesting too deep, unsupported
            tags, impossible values.
    """
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([_yaml_problem(file, exc, text)]) from None
    except _TooDeepError as exc:
        raise ScenarioError.single(file, "(yaml)", str(exc), exc.line, exc.column) from None
    if node is None:
        return None
    return _Builder(file).build(node)


def unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read as a scenario file, or None if it looks readable."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return "no such file" + (" (a broken symbolic link)" if os.path.islink(path) else "")
    except OSError as exc:
        return _os_reason(exc)
    return _kind_reason(found.st_mode)


def _kind_reason(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    kinds = (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"is {kind}, not a regular file"


def _os_reason(exc: OSError) -> str:
    reasons = {
        errno.ENOENT: "no such file",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "is a symbolic link loop (too many levels of symbolic links)",
        errno.ENOTDIR: "a part of the path is not a directory",
        errno.ENAMETOOLONG: "file name too long",
        errno.EISDIR: "is a directory, not a file",
    }
    return reasons.get(exc.errno or 0, f"cannot be read ({exc.strerror or exc})")


def read_text(path: Path, display: str | None = None) -> str:
    """Read a UTF-8 text file under the size limit.

    Only regular files are read (a FIFO would block, ``/dev/zero`` never ends), and at most
    MAX_BYTES + 1 bytes of them, whatever size they claim.

    Raises:
        ScenarioError: missing, unreadable, not a regular file, too large, or not UTF-8.
    """
    name = display or str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just after).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        reason = unreadable(path) if exc.errno == errno.ENOENT else _os_reason(exc)
        raise ScenarioError.single(name, "(file)", reason or _os_reason(exc)) from None
    try:
        reason = _kind_reason(os.fstat(fd).st_mode)
        if reason is not None:
            raise ScenarioError.single(name, "(file)", reason)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 16, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            claimed = max(size, os.fstat(fd).st_size)
            raise ScenarioError.single(
                name, "(file)", f"file is {claimed:,} bytes, over the {MAX_BYTES:,}-byte limit"
            )
    except OSError as exc:
        raise ScenarioError.single(name, "(file)", _os_reason(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError.single(
            name,
            "(file)",
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
            line,
            column,
        ) from None
    return text.removeprefix("\ufeff")


def to_plain(value: Any) -> Any:
    """Copy marked containers into plain dicts and lists."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value
