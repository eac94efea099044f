"""`factsheet fmt`: keep every fact file in one canonical layout, so diffs show real changes.

The layout: fields in the order of the model; one field per line, two-space indentation; a
blank line between entries; short lists of plain words in brackets; text unquoted when YAML
reads it back unchanged, double-quoted (with escapes for anything invisible) otherwise; no
line wrapping.

Comments stay where contributors put them: a comment line stays above the entry or field it
was above (a commented-out fact included), and a comment at the end of a line stays at the end
of that line. Comment lines keep their text; only their indentation follows the line below.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from .errors import FactsheetError, Problem
from .escape import yaml_string
from .load import MAX_FILE_BYTES, Document, Loc, _Parser, load_bytes, plain_scalar_is_text
from .model import ARTICLE_KINDS, REGISTRY
from .project import Project, UnsafeFile
from .text import INVISIBLE_OR_CONTROL

_FLOW_LIMIT = 100
_END: Loc = ("<end>",)


@dataclass
class FormatResult:
    changed: list[Path]
    problems: list[Problem]


def format_files(project: Project, paths: list[Path], *, check: bool) -> FormatResult:
    """Rewrite (or, with check, only list) the fact files that are not in canonical layout.

    Only regular fact files inside the project's facts/ are touched: a link or a path outside
    is reported, never followed or rewritten.
    """
    changed, problems = [], []
    registry = project.facts_dir / REGISTRY.file
    for path in paths:
        if path.parent == project.facts_dir:
            kind = REGISTRY if path.name == REGISTRY.file else None
        elif path.parent.parent == project.facts_dir:
            kind = ARTICLE_KINDS.get(path.name)
        else:
            kind = None
        if kind is None:
            problems.append(
                Problem(path, 1, 1, "not a fact file of this project", "give files under facts/")
            )
            continue
        try:
            raw = project.read(path, MAX_FILE_BYTES)
            text = raw.decode("utf-8")
            canonical = canonical_text(path, text, kind.model)
        except UnsafeFile as unsafe:
            problems.append(unsafe.problem())
            continue
        except FactsheetError as error:
            problems.extend(error.problems)
            continue
        except UnicodeDecodeError:
            problems.append(Problem(path, 1, 1, "the file is not valid UTF-8", "save it as UTF-8"))
            continue
        if canonical != text:
            changed.append(path)
            if not check:
                try:
                    project.write(path, canonical.encode("utf-8"))
                except UnsafeFile as unsafe:
                    problems.append(unsafe.problem())
    del registry
    return FormatResult(changed, problems)


def canonical_text(path: Path, text: str, model: type[BaseModel]) -> str:
    """The file's text in canonical layout, comments kept."""
    document = load_bytes(path, text.encode("utf-8"), allow_empty=path.name != "article.yaml")
    comments = _Comments.read(text, document)
    return _Emitter(comments).document(document.data, model)


def canonical_yaml(data: Any, model: type[BaseModel]) -> str:
    """Fact data written out in the canonical layout (for tools that make fact files)."""
    return _Emitter(_Comments()).document(data, model)


# --- comments ---------------------------------------------------------------------------------


@dataclass
class _Block:
    lines: list[str]  # comment lines without indentation, and "" for one blank line
    blank_after: bool  # a blank line separated the block from what follows
    blank_before: bool = True  # a blank line separated it from what came before


@dataclass
class _Comments:
    above: dict[Loc, _Block] = field(default_factory=dict)
    after: dict[Loc, str] = field(default_factory=dict)
    # For each place, the places inside it that have comments (made when first asked for).
    _inside: dict[Loc, list[Loc]] | None = None

    @classmethod
    def read(cls, text: str, document: Document) -> _Comments:
        """Find every comment in the gaps between YAML tokens and attach it to a value.

        One pass over the tokens; a gap's line and column come from a table of where each
        line starts, so that files of many comments take time in proportion to their size.
        """
        comments = cls()
        starts = sorted(
            {(pos.line, pos.column, len(loc), loc) for loc, pos in document.values.items()}
            | {(pos.line, pos.column, len(loc), loc) for loc, pos in document.keys.items()}
        )
        keys = [(line, column) for line, column, _, _ in starts]
        lines = _LineTable(text)
        previous_end = 0
        for token in yaml.scan(text, Loader=_Parser):
            begin = token.start_mark.index
            if begin > previous_end and "#" in text[previous_end:begin]:
                comments._gap(text, previous_end, begin, starts, keys, lines)
            previous_end = max(previous_end, token.end_mark.index)
        if "#" in text[previous_end:]:
            comments._gap(text, previous_end, len(text), starts, keys, lines)
        return comments

    def inside(self, loc: Loc) -> list[Loc]:
        """The places strictly inside `loc` that still have comments."""
        if self._inside is None:
            self._inside = {}
            for key in [*self.above, *self.after]:
                for end in range(len(key)):
                    self._inside.setdefault(key[:end], []).append(key)
        found = self._inside.get(loc, [])
        return [key for key in dict.fromkeys(found) if key in self.above or key in self.after]

    def _gap(
        self,
        text: str,
        start: int,
        end: int,
        starts: list[tuple[int, int, int, Loc]],
        keys: list[tuple[int, int]],
        table: _LineTable,
    ) -> None:
        gap = text[start:end]
        first_line, first_column = table.position(start)
        lines = gap.split("\n")
        if end < len(text):
            lines = lines[:-1]  # the indentation before the next token, on its own line
        if start > 0 and text[start - first_column + 1 : start].strip():
            # The gap starts after a value on the same line: a comment there ends that line.
            if "#" in lines[0]:
                last_on_line = bisect.bisect_left(keys, (first_line + 1, 0)) - 1
                if last_on_line >= 0 and keys[last_on_line][0] == first_line:
                    self.after[starts[last_on_line][3]] = lines[0][lines[0].index("#") :].rstrip()
            lines = lines[1:]
        block: list[str] = []
        blank_before = False
        for line in lines:
            stripped = line.strip()
            if stripped.startswith("#"):
                block.append(stripped)
            elif not block:
                blank_before = True
            elif block[-1] != "":
                block.append("")
        if not any(line for line in block):
            return
        blank_after = block[-1] == ""
        while block and block[-1] == "":
            block.pop()
        if end >= len(text):
            target = _END
        else:
            index = bisect.bisect_left(keys, table.position(end))
            target = starts[index][3] if index < len(starts) else _END
        existing = self.above.get(target)
        if existing:
            existing.lines += ["", *block]
            existing.blank_after = blank_after
        else:
            self.above[target] = _Block(block, blank_after, blank_before)


class _LineTable:
    """Where each line of a text starts, to turn offsets into lines and columns quickly."""

    def __init__(self, text: str) -> None:
        lengths = (len(line) + 1 for line in text.split("\n")[:-1])
        self.starts = [0, *itertools.accumulate(lengths)]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of an offset."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


# --- the layout -------------------------------------------------------------------------------


@dataclass
class _Emitter:
    comments: _Comments
    out: list[str] = field(default_factory=list)

    def document(self, data: Any, model: type[BaseModel]) -> str:
        order = field_order(model)
        self._comments_above((), 0)
        if isinstance(data, list):
            for index, item in enumerate(data):
                if index:
                    self.out.append("\n")
                self._item(item, order, (index,), 0)
        elif isinstance(data, dict):
            self._mapping(data, order, (), 0, "")
        else:
            self.out.append(_scalar(data) + "\n")
        leftover = [*self.comments.after.values()]
        end = self.comments.above.pop(_END, None)
        for block in self.comments.above.values():  # none expected; never lose a comment
            leftover.extend(line for line in block.lines if line)
        if end or leftover:
            if not end or end.blank_before:
                self.out.append("\n")
            self._block(_Block([*(end.lines if end else []), *leftover], False), 0)
        return "".join(self.out)

    def _comments_above(self, loc: Loc, indent: int) -> None:
        block = self.comments.above.pop(loc, None)
        if block:
            self._block(block, indent)

    def _block(self, block: _Block, indent: int) -> None:
        pad = " " * indent
        self.out.extend(f"{pad}{line}\n" if line else "\n" for line in block.lines)
        if block.blank_after:
            self.out.append("\n")

    def _line(self, text: str, loc: Loc) -> None:
        comment = self.comments.after.pop(loc, None)
        self.out.append(f"{text}  {comment}\n" if comment else f"{text}\n")

    def _item(self, item: Any, order: dict[str, Any], loc: Loc, indent: int) -> None:
        self._comments_above(loc, indent)
        if isinstance(item, dict) and item:
            first = (*loc, _sorted(item, order)[0][0])
            self._comments_above(first, indent)
            self._mapping(item, order, loc, indent + 2, " " * indent + "- ")
        else:
            self._inline_comments(loc, indent)
            self._line(" " * indent + "- " + _inline(item), loc)

    def _mapping(
        self, mapping: dict[str, Any], order: dict[str, Any], loc: Loc, indent: int, lead: str
    ) -> None:
        """Write a mapping's fields; `lead` replaces the indentation of the first ('- ')."""
        pad = " " * indent
        for position, (key, value, nested) in enumerate(_sorted(mapping, order)):
            child = (*loc, key)
            prefix = lead if position == 0 and lead else pad
            if prefix == pad:
                self._comments_above(child, indent)
            if isinstance(value, dict) and value and not _flow_ok(key, value, indent):
                self._line(f"{prefix}{key}:", child)
                self._mapping(value, nested or {}, child, indent + 2, "")
            elif isinstance(value, list) and value and not _flow_ok(key, value, indent):
                self._line(f"{prefix}{key}:", child)
                for index, item in enumerate(value):
                    self._item(item, nested or {}, (*child, index), indent + 2)
            else:
                # Above the line, at its indentation: a list item's first field is written
                # after the item's '- ', two columns left of the fields that follow.
                self._inline_comments(child, indent if prefix == pad else indent - 2)
                self._line(f"{prefix}{key}: {_inline(value)}", child)

    def _inline_comments(self, loc: Loc, indent: int) -> None:
        """Comments inside a value written on one line (a flow list) go above that line."""
        for key in sorted(self.comments.inside(loc), key=str):
            block = self.comments.above.pop(key, None)
            lines = [line for line in block.lines if line] if block else []
            after = self.comments.after.pop(key, None)
            self._block(_Block(lines + ([after] if after else []), False), indent)


def field_order(model: type[BaseModel]) -> dict[str, Any]:
    """Field names (as written in YAML) in model order, with the order of nested models'."""
    order: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        nested = None
        for candidate in _nested_types(info.annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                nested = field_order(candidate)
        order[info.alias or name] = nested
    return order


def _nested_types(annotation: Any) -> Iterator[Any]:
    yield annotation
    for argument in getattr(annotation, "__args__", ()):
        yield from _nested_types(argument)


def _sorted(mapping: dict[str, Any], order: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    known = [(key, mapping[key], order[key]) for key in order if key in mapping]
    return known + [(key, value, None) for key, value in mapping.items() if key not in order]


# Fields written on one line when they fit: lists of names and ids, and small number pairs.
_FLOW_FIELDS = frozenset({"tags", "aliases", "actors", "range", "tally"})


def _flow_ok(key: str, value: list[Any] | dict[str, Any], indent: int) -> bool:
    if key not in _FLOW_FIELDS:
        return False
    items = list(value.values()) if isinstance(value, dict) else value
    if not all(
        isinstance(item, int | float) or (isinstance(item, str) and _plain_ok(item, flow=True))
        for item in items
    ):
        return False
    return indent + len(key) + len(_inline(value)) + 2 < _FLOW_LIMIT


def _inline(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inline(v)}" for k, v in value.items()) + "}"
    return _scalar(value)


_NEEDS_ESCAPE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        mantissa, _, exponent = text.partition("e")
        if exponent and "." not in mantissa:
            text = f"{mantissa}.0e{exponent}"  # '1e+16' would not read back as a number
        return text
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _plain_ok(text):
        return text
    quoted = yaml_string(text)
    return _NEEDS_ESCAPE.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted)


def _plain_ok(text: str, *, flow: bool = False) -> bool:
    """True if the text reads back as the same string when written unquoted."""
    if not text or text != text.strip() or not text.isprintable():
        return False
    if " #" in text or ": " in text or text[0] in "-?:,[]{}#&*!|>'\"%@`" or text.endswith(":"):
        return False
    if flow and any(char in text for char in ",[]{}"):
        return False
    # Written as `key: text`, such text is scanned as one plain scalar holding exactly the
    # text (no indicator starts it, nothing in it ends it or starts a comment, no line break
    # or tab); what remains is whether the loader reads that scalar as text, and accepts its
    # characters. Checked without parsing, since fmt asks this of every value of a file.
    return not INVISIBLE_OR_CONTROL.search(text) and plain_scalar_is_text(text)
