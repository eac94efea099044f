"""Stage 1, load: read YAML fact files strictly, remembering where every value came from.

PyYAML's safe parser (libyaml's C parser where available) turns the text into events; this
module builds plain values from those events itself instead of using a PyYAML constructor. That
gives one pass over each file with:

* the file, line and column of every value and every key, for located error messages;
* no object construction at all: any tag other than the standard string tag is refused;
* duplicate keys refused (PyYAML's constructors silently keep the last one);
* YAML 1.1 surprises refused: a plain scalar is only read as a number, boolean or null when
  YAML 1.1 and YAML 1.2 agree on it (`no`, `on`, `1_000`, `017`, `1:30`, `1e3`, bare dates are
  errors with a hint, never silent conversions);
* anchors and aliases refused, which rules out "billion laughs" expansion;
* numbers bounded: no infinity (`1e999`), no integer of thousands of digits;
* control, bidirectional and invisible characters refused in every key and value, escaped
  forms (`"\\u202e"`) included, so that no text can display as something it is not;
* explicit bounds on file size and nesting depth;
* time in proportion to the file's size, whatever it holds, and at most `MAX_PROBLEMS`
  problems reported for one file (then a count of the rest).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .errors import FactsheetError, Problem
from .text import INVISIBLE_OR_CONTROL, describe_character, find_invisible_or_control

try:
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 16
MAX_NUMBER_DIGITS = 20
# Problems reported for one file: a file with thousands (one on every line of a 1 MiB file)
# gets the first ones and a count of the others, not a report as long as itself.
MAX_PROBLEMS = 20

Loc = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {None, "!", _STR_TAG}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
# Numbers in YAML 1.2's core schema that this loader does not accept as numbers (octal, hex,
# exponents without a dot): YAML 1.1 tools read them as text, so they are ambiguous.
_YAML12_NUMBER = re.compile(
    r"^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$"
)
# YAML 1.1's implicit types as PyYAML resolves them, by first character: a plain scalar whose
# first character starts none of them is text, without trying a single pattern.
_YAML11_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: list(resolvers)
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    if first is not None
}


# A plain scalar starting with none of these is text in both YAML 1.1 and 1.2 (null, booleans,
# numbers and YAML 1.1's implicit types all start with one of them).
_SPECIAL_FIRST = frozenset(_YAML11_BY_FIRST) | frozenset("~nNtTfF+-.0123456789")
# Short plain scalars that start with one of those and were read without a problem, with what
# they were read as ('name' and 'text' as text, 'true', 12000): the reading of a plain scalar
# depends on its text alone, and fact files repeat their keys and small values. Bounded.
_KNOWN_PLAIN: dict[str, Any] = {}
_KNOWN_PLAIN_LENGTH = 40
_KNOWN_PLAIN_COUNT = 4096
_SLOW = object()  # an event `_walk` leaves to `_scalar` or `_start_collection`


def _yaml11_tag(text: str) -> str:
    """The tag YAML 1.1 (PyYAML's SafeLoader) gives a plain scalar."""
    for tag, pattern in _YAML11_BY_FIRST.get(text[:1], ()):
        if pattern.match(text):
            return tag
    return _STR_TAG


class _PlainScalar(NamedTuple):
    """What `_Builder._resolve` reads of a plain (unquoted, untagged) scalar event."""

    value: str
    tag: None = None
    implicit: tuple[bool, bool] = (True, False)


def plain_scalar_is_text(text: str) -> bool:
    """True if the loader reads the plain scalar `text` as that same text, with no problem:
    not as a number, boolean or null, and not as something YAML 1.1 reads otherwise. (The
    scanning is the caller's business: whether `text` can be written unquoted at all.)"""
    if text and text[0] not in _SPECIAL_FIRST:
        return True
    builder = _Builder(Path("check.yaml"))
    value = builder._resolve(_PlainScalar(text), Position(1, 1))
    return isinstance(value, str) and value == text and not builder.problems


class Position(NamedTuple):
    """1-based line and column. A tuple: one is stored for every value and key of a file."""

    line: int
    column: int


@dataclass
class Document:
    """A loaded file: its plain value and where each part of it was written."""

    path: Path
    data: Any
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    # Set when the document came from the validation cache: `values` then holds the positions
    # of the top-level entries only, and the rest is read again from the file when needed.
    reread: Callable[[], bytes] | None = field(default=None, repr=False)

    def entry_positions(self) -> list[Position]:
        """Where each top-level entry starts (the positions the validation cache keeps)."""
        count = len(self.data) if isinstance(self.data, list) else 0
        return [self.values[(index,)] for index in range(count)]

    @classmethod
    def from_cache(
        cls, path: Path, data: Any, entries: list[Position], reread: Callable[[], bytes]
    ) -> Document:
        values: dict[Loc, Position] = {(index,): where for index, where in enumerate(entries)}
        return cls(path, data, values, {}, reread)

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Where the value (or, with key=True, the key) at `loc` was written.

        Falls back to the nearest enclosing value that exists, so that a missing field is
        reported at the mapping that lacks it.
        """
        if self.reread is not None and (key or len(loc) != 1 or loc not in self.values):
            reread, self.reread = self.reread, None
            try:
                full = load_bytes(self.path, reread(), allow_empty=True)
                self.values, self.keys = full.values, full.keys
            except (FactsheetError, OSError):
                pass  # changed or unreadable since it was checked: keep what is known
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return Position(1, 1)

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        where = self.position(loc, key=key)
        return Problem(self.path, where.line, where.column, message, hint)


def load_file(path: Path, *, allow_empty: bool = False) -> Document:
    """Load one YAML file; raise FactsheetError with located problems if it is not acceptable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FactsheetError(
            [Problem(path, 1, 1, f"cannot read the file: {exc.strerror}")]
        ) from None
    return load_bytes(path, raw, allow_empty=allow_empty)


def load_bytes(path: Path, raw: bytes, *, allow_empty: bool = False) -> Document:
    """Load YAML text. With allow_empty, a file of comments only (or nothing) holds an empty
    list: a fact file whose facts are still commented-out templates."""
    if len(raw) > MAX_FILE_BYTES:
        raise FactsheetError(
            [
                Problem(
                    path,
                    1,
                    1,
                    f"the file is {len(raw):,} bytes; fact files may be at most {MAX_FILE_BYTES:,}",
                    "split the entries over several articles, or shorten long texts",
                )
            ]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raise FactsheetError(
            [
                Problem(
                    path,
                    1,
                    1,
                    "the file starts with a byte-order mark",
                    "save it as UTF-8 without BOM",
                )
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise FactsheetError(
            [
                Problem(
                    path,
                    line,
                    column,
                    f"the file is not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})",
                    "save the file as UTF-8",
                )
            ]
        ) from None
    return _Builder(path, allow_empty).build(text)


def _mark(event: Any) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1)


class _Fatal(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    loc: Loc
    mapping: bool = False
    key: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


class _Builder:
    def __init__(self, path: Path, allow_empty: bool = False) -> None:
        self.path = path
        self.allow_empty = allow_empty
        self.doc = Document(path, None)
        # Problems in file order: those of the walk over the YAML events, and those of the
        # scan for unsafe characters. Each list keeps one more than can be reported, and
        # counts the rest.
        self.problems: list[Problem] = []
        self.more_problems = 0
        self.unsafe: list[Problem] = []
        self.more_unsafe = 0
        self.stack: list[_Frame] = []
        self.have_root = False
        self.text = ""
        self.raw_unsafe: frozenset[str] | None = None

    def build(self, text: str) -> Document:
        self.text = text
        self._unsafe_characters(text)
        parser = _Parser(text)
        try:
            self._walk(parser)
        except _Fatal as fatal:
            raise FactsheetError([fatal.problem]) from None
        except yaml.MarkedYAMLError as exc:
            # The unsafe characters found, with the error: a control character is often what
            # stopped the parser, and these say exactly where it is.
            self.problems, self.more_problems = [self._syntax_problem(exc, text)], 0
            raise FactsheetError(self._bounded()) from None
        except yaml.YAMLError as exc:
            self.problems, self.more_problems = [Problem(self.path, 1, 1, f"YAML error: {exc}")], 0
            raise FactsheetError(self._bounded()) from None
        finally:
            parser.dispose()
        if not self.have_root and self.allow_empty:
            self.doc.data = []
        elif not self.have_root or self.doc.data is None:
            self._report(
                Problem(
                    self.path,
                    1,
                    1,
                    "the file holds no data",
                    "add an entry (uncomment a template), or delete the file: a kind of fact "
                    "an article has none of needs no file",
                )
            )
        problems = self._bounded()
        if problems:
            raise FactsheetError(problems)
        return self.doc

    def _bounded(self) -> list[Problem]:
        """The first MAX_PROBLEMS problems in the file, and one that counts the others."""
        problems = sorted(self.unsafe + self.problems)
        if len(problems) <= MAX_PROBLEMS:
            return problems
        more = self.more_unsafe + self.more_problems + len(problems) - MAX_PROBLEMS
        first_unreported = problems[MAX_PROBLEMS]
        return [
            *problems[:MAX_PROBLEMS],
            Problem(
                self.path,
                first_unreported.line,
                first_unreported.column,
                f"and {more:,} more problem(s) in this file from here on",
                "fix the problems above and check the file again to see the rest",
            ),
        ]

    def _report(self, problem: Problem) -> None:
        """Keep a problem met on the walk (in file order), or only count it once there are
        more than can be reported."""
        if len(self.problems) > MAX_PROBLEMS:
            self.more_problems += 1
        else:
            self.problems.append(problem)

    def _unsafe_characters(self, text: str) -> None:
        """Invisible and control characters anywhere in the file, comments included (one
        problem per line): they can make text, or a comment, display as something it is not.

        One pass: the line number is counted on from the previous line found, and the rest of
        a line is skipped once it has a problem, so a file made of such characters costs no
        more than any other.
        """
        search = find_invisible_or_control
        line, line_start, scanned = 1, 0, 0
        found = search(text)
        while found is not None:
            start = found.start()
            line += text.count("\n", scanned, start)
            line_start = text.rfind("\n", scanned, start) + 1 or line_start
            if len(self.unsafe) > MAX_PROBLEMS:
                self.more_unsafe += 1
            else:
                self.unsafe.append(
                    Problem(
                        self.path,
                        line,
                        start - line_start + 1,
                        f"the file holds the invisible or control character "
                        f"{describe_character(found.group())}",
                        "remove it: such characters can make text display as something it is not",
                    )
                )
            scanned = text.find("\n", start)
            if scanned < 0:
                return
            found = search(text, scanned + 1)

    def _written_in_file(self, char: str) -> bool:
        """True if the character is written as itself somewhere in the file (and so was
        reported by `_unsafe_characters`). The set of them is made once, when first asked."""
        if self.raw_unsafe is None:
            self.raw_unsafe = frozenset(INVISIBLE_OR_CONTROL.findall(self.text))
        return char in self.raw_unsafe

    def _walk(self, parser: Any) -> None:
        """Build the value from the parser's events (read one by one: this loop is the
        loader's hot path, run for every key and value of every file).

        What nearly every event is, is handled here in line: a collection opening without
        anchor or tag, under a key or in a list and not too deep; a scalar without anchor or
        tag, read as plain text or as an earlier scalar was (`_KNOWN_PLAIN`), and if
        double-quoted, without an unsafe character spelt as an escape. Anything else
        goes through `_start_collection` or `_scalar`, which do the same with every check.
        """
        documents = 0
        get_event = parser.get_event
        stack = self.stack
        keys = self.doc.keys
        special_first = _SPECIAL_FIRST
        known_plain = _KNOWN_PLAIN
        find_unsafe = find_invisible_or_control
        new_position = tuple.__new__
        scalar_event = yaml.ScalarEvent
        mapping_start = yaml.MappingStartEvent
        sequence_start = yaml.SequenceStartEvent
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                value: Any = _SLOW
                if stack and event.anchor is None and event.tag is None:
                    value = event.value
                    if event.implicit[0] and not (value and value[0] not in special_first):
                        value = known_plain.get(value, _SLOW)
                    elif event.style == '"' and find_unsafe(value) is not None:
                        value = _SLOW
                top = stack[-1] if stack else None
                if (
                    value is _SLOW
                    or top is None
                    or (top.mapping and top.key is None and type(value) is not str)
                ):
                    self._scalar(event)
                    continue
                mark = event.start_mark
                where = new_position(Position, (mark.line + 1, mark.column + 1))
                if top.mapping and top.key is None:
                    key_lines = top.key_lines
                    if value in key_lines:
                        self._duplicate_key(where, value, key_lines[value])
                    else:
                        key_lines[value] = where.line
                    top.key = value
                    keys[(*top.loc, value)] = where
                    continue
                self._attach_to(top, value, where)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
            elif kind is mapping_start or kind is sequence_start:
                top = stack[-1] if stack else None
                if (
                    top is None
                    or event.anchor is not None
                    or event.tag is not None
                    or len(stack) >= MAX_DEPTH
                    or (top.mapping and top.key is None)
                ):
                    self._start_collection(event)
                    continue
                mark = event.start_mark
                where = new_position(Position, (mark.line + 1, mark.column + 1))
                mapping = kind is mapping_start
                container: dict[str, Any] | list[Any] = {} if mapping else []
                stack.append(_Frame(container, self._attach_to(top, container, where), mapping))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self._fatal(
                        _mark(event),
                        "the file holds more than one YAML document",
                        "remove the '---' separator: one file holds one document",
                    )
            elif kind is yaml.AliasEvent:
                self._fatal(
                    _mark(event),
                    f"alias '*{event.anchor}' is not allowed in fact files",
                    "write the value out in full instead of using anchors and aliases",
                )
            elif kind is yaml.StreamEndEvent or event is None:
                return

    def _syntax_problem(self, exc: yaml.MarkedYAMLError, text: str) -> Problem:
        mark = exc.problem_mark or exc.context_mark
        where = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        message = "YAML syntax error: " + " ".join(
            part for part in (exc.context, exc.problem) if part
        )
        hint = "check the indentation and that every bracket and quote is closed"
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            hint = "indent with spaces: YAML does not allow tabs for indentation"
        return Problem(self.path, where.line, where.column, message, hint)

    def _fatal(self, where: Position, message: str, hint: str) -> None:
        raise _Fatal(Problem(self.path, where.line, where.column, message, hint))

    def _check_node(self, event: Any, allowed_tags: set[str | None]) -> None:
        if event.anchor is not None:
            self._fatal(
                _mark(event),
                f"anchor '&{event.anchor}' is not allowed in fact files",
                "write values out in full instead of using anchors and aliases",
            )
        if event.tag not in allowed_tags:
            self._fatal(
                _mark(event),
                f"the tag '{event.tag}' is not allowed",
                "remove the tag: fact files hold only plain text, numbers, lists and mappings",
            )

    def _start_collection(self, event: Any) -> None:
        self._check_node(event, _COLLECTION_TAGS)
        if len(self.stack) >= MAX_DEPTH:
            self._fatal(
                _mark(event),
                f"the data is nested more than {MAX_DEPTH} levels deep",
                "fact files need only a few levels of nesting",
            )
        mapping = type(event) is yaml.MappingStartEvent
        container: dict[str, Any] | list[Any] = {} if mapping else []
        top = self.stack[-1] if self.stack else None
        if top is not None and top.mapping and top.key is None:
            self._fatal(_mark(event), "a mapping key must be plain text", "write the key as a word")
        loc = self._attach(container, _mark(event))
        self.stack.append(_Frame(container, loc, mapping))

    def _scalar(self, event: Any) -> None:
        if event.anchor is not None or event.tag not in _SCALAR_TAGS:
            self._check_node(event, _SCALAR_TAGS)
        mark = event.start_mark
        where = Position(mark.line + 1, mark.column + 1)
        # Characters written as themselves were reported for the whole file (`build`); a
        # double-quoted scalar can also spell one as an escape ("\u202e").
        unsafe = event.style == '"' and find_invisible_or_control(event.value)
        if unsafe and not self._written_in_file(unsafe.group()):
            self._report(
                Problem(
                    self.path,
                    where.line,
                    where.column,
                    f"the text holds the invisible or control character "
                    f"{describe_character(unsafe.group())}",
                    "remove it: such characters can make text display as something it is not",
                )
            )
        reported = len(self.problems) + self.more_problems
        value = self._resolve(event, where)
        if (
            event.tag is None
            and event.implicit[0]
            and event.anchor is None
            and len(event.value) <= _KNOWN_PLAIN_LENGTH
            and len(_KNOWN_PLAIN) < _KNOWN_PLAIN_COUNT
            and len(self.problems) + self.more_problems == reported
        ):
            _KNOWN_PLAIN[event.value] = value
        top = self.stack[-1] if self.stack else None
        if top is not None and top.mapping and top.key is None:
            if not isinstance(value, str):
                self._fatal(where, f"the key {event.value!r} must be text", "use a word as the key")
            assert isinstance(value, str)
            if value in top.key_lines:
                self._duplicate_key(where, value, top.key_lines[value])
            top.key_lines.setdefault(value, where.line)
            top.key = value
            self.doc.keys[(*top.loc, value)] = where
            return
        self._attach(value, where)

    def _duplicate_key(self, where: Position, key: str, first_line: int) -> None:
        self._report(
            Problem(
                self.path,
                where.line,
                where.column,
                f"duplicate key '{key}'",
                f"'{key}' is already set on line {first_line}; keep one of them",
            )
        )

    def _attach(self, value: Any, where: Position) -> Loc:
        if not self.stack:
            self.have_root = True
            self.doc.data = value
            self.doc.values[()] = where
            return ()
        return self._attach_to(self.stack[-1], value, where)

    def _attach_to(self, top: _Frame, value: Any, where: Position) -> Loc:
        """Put a value in the collection being built, and note where it was written."""
        container = top.container
        if top.mapping:
            key = top.key
            assert key is not None
            loc: Loc = (*top.loc, key)
            if key not in container:  # a duplicate key was reported; keep the first value
                container[key] = value  # type: ignore[call-overload]
            top.key = None
        else:
            loc = (*top.loc, len(container))
            container.append(value)  # type: ignore[union-attr]
        self.doc.values[loc] = where
        return loc

    def _resolve(self, event: Any, where: Position) -> Any:
        """Read a scalar as YAML 1.2 would, refusing plain scalars that YAML 1.1 reads otherwise."""
        text: str = event.value
        plain = event.tag is None and event.implicit[0]
        if not plain or (text and text[0] not in _SPECIAL_FIRST):
            return text
        if _NULL.match(text):
            return None
        if text in _BOOL:
            return _BOOL[text]
        if _INT.match(text) or _FLOAT.match(text):
            return self._number(text, where)
        yaml11 = _yaml11_tag(text)
        if yaml11 == _STR_TAG:
            if _YAML12_NUMBER.match(text):
                self._ambiguous(where, text, "a number by YAML 1.2 tools and as text by YAML 1.1")
            return text
        kind = yaml11.rsplit(":", 1)[-1]
        if kind == "timestamp":
            self._ambiguous(
                where,
                text,
                "a date, not text",
                f"write dates in quotes: '{text}'",
            )
        elif kind == "bool":
            self._ambiguous(
                where,
                text,
                "a boolean by YAML 1.1 tools and as text by YAML 1.2",
                f"quote it ('{text}') if you mean the word, or write true or false",
            )
        elif kind in ("int", "float"):
            self._ambiguous(
                where,
                text,
                "a number by YAML 1.1 tools and as text by YAML 1.2",
                "write plain digits such as 10000 or 2.5, or quote the value if you mean text",
            )
        else:
            self._ambiguous(where, text, f"a YAML '{kind}' value", "quote the value")
        return text

    def _number(self, text: str, where: Position) -> int | float | str:
        digits = sum(char.isdigit() for char in text.partition("e")[0].partition("E")[0])
        if digits > MAX_NUMBER_DIGITS:
            self._report(
                Problem(
                    self.path,
                    where.line,
                    where.column,
                    f"the number has {digits} digits; numbers may have at most {MAX_NUMBER_DIGITS}",
                    "write the number as the text gives it, such as 436000000",
                )
            )
            return text
        number = float(text) if _FLOAT.match(text) else int(text)
        if isinstance(number, float) and not math.isfinite(number):
            self._report(
                Problem(
                    self.path,
                    where.line,
                    where.column,
                    f"the number {text} is too large to be stored",
                    "write the number as the text gives it, such as 436000000",
                )
            )
            return text
        return number

    def _ambiguous(self, where: Position, text: str, reading: str, hint: str = "") -> None:
        self._report(
            Problem(
                self.path,
                where.line,
                where.column,
                f"the unquoted value '{text}' is read as {reading}",
                hint or "quote the value if you mean text, or write the number plainly",
            )
        )
