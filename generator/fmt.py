"""`factsheet fmt`: keep every fact file in one canonical layout, so diffs show real changes.

The layout: the comment block at the top of the file kept as it is; fields in the order of the
model; one field per line, two-space indentation; a blank line between entries; short lists of
plain words in brackets; text unquoted when YAML reads it back unchanged, double-quoted
otherwise; no line wrapping. Comments below the top block cannot be kept by rewriting, so a
file with such comments is reported and left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from .errors import FactsheetError, Problem
from .load import _Parser, load_bytes
from .model import ARTICLE_KINDS, REGISTRY

_FLOW_LIMIT = 100


@dataclass
class FormatResult:
    changed: list[Path]
    problems: list[Problem]


def format_files(paths: list[Path], registry: Path, *, check: bool) -> FormatResult:
    """Rewrite (or, with check, only list) the files that are not in canonical layout."""
    changed, problems = [], []
    for path in paths:
        kind = REGISTRY if path == registry else ARTICLE_KINDS.get(path.name)
        if kind is None:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            canonical = canonical_text(path, text, kind.model)
        except FactsheetError as error:
            problems.extend(error.problems)
            continue
        except UnicodeDecodeError:
            problems.append(Problem(path, 1, 1, "the file is not valid UTF-8", "save it as UTF-8"))
            continue
        if canonical != text:
            changed.append(path)
            if not check:
                path.write_text(canonical, encoding="utf-8")
    return FormatResult(changed, problems)


def canonical_text(path: Path, text: str, model: type[BaseModel]) -> str:
    document = load_bytes(path, text.encode("utf-8"))
    head, first_content = _top_comments(text)
    late = _comment_lines(text, first_content)
    if late:
        raise FactsheetError(
            [
                Problem(
                    path,
                    late[0],
                    1,
                    "fmt keeps only the comments at the top of a file",
                    "move this comment to the top of the file, or remove it",
                )
            ]
        )
    return head + canonical_yaml(document.data, model)


def canonical_yaml(data: Any, model: type[BaseModel]) -> str:
    """Fact data written out in the canonical layout (without the top comments)."""
    order = _field_order(model)
    if isinstance(data, list):
        return "\n".join(_entry(item, order) for item in data)
    if isinstance(data, dict):
        return "".join(_mapping(data, order, 0))
    return _scalar(data) + "\n"


def _top_comments(text: str) -> tuple[str, int]:
    """The comment block at the top (and the blank line after it), and where content starts."""
    lines = text.splitlines(keepends=True)
    kept = []
    for line in lines:
        if line.startswith("#") or not line.strip():
            kept.append(line)
        else:
            break
    offset = sum(len(line) for line in kept)
    head = "".join(kept).rstrip("\n")
    return (head + "\n\n" if head else ""), offset


def _comment_lines(text: str, start: int) -> list[int]:
    """1-based lines holding a comment after `start`, found in the gaps between YAML tokens."""
    lines = []
    previous = start
    for token in yaml.scan(text, Loader=_Parser):
        begin, end = token.start_mark.index, token.end_mark.index
        if begin > previous and "#" in text[previous:begin]:
            gap = text[previous:begin]
            lines.append(text.count("\n", 0, previous + gap.index("#")) + 1)
        previous = max(previous, end)
    return lines


def _field_order(model: type[BaseModel]) -> dict[str, Any]:
    """Field names in model order, with the order of nested models' fields."""
    order: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        nested = None
        for candidate in getattr(field.annotation, "__args__", (field.annotation,)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                nested = _field_order(candidate)
        order[name] = nested
    return order


def _sorted(mapping: dict[str, Any], order: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    known = [(key, mapping[key], order[key]) for key in order if key in mapping]
    return known + [(key, value, None) for key, value in mapping.items() if key not in order]


def _entry(item: Any, order: dict[str, Any]) -> str:
    if not isinstance(item, dict) or not item:
        return "- " + _inline(item) + "\n"
    lines = _mapping(item, order, 2)
    return "- " + lines[0][2:] + "".join(lines[1:])


def _mapping(mapping: dict[str, Any], order: dict[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for key, value, nested in _sorted(mapping, order):
        if isinstance(value, dict) and value:
            lines.append(f"{pad}{key}:\n")
            lines.extend(_mapping(value, nested or {}, indent + 2))
        elif isinstance(value, list) and value and not _flow_ok(value, indent + len(key)):
            lines.append(f"{pad}{key}:\n")
            lines.extend(f"{pad}  - {_inline(item)}\n" for item in value)
        else:
            lines.append(f"{pad}{key}: {_inline(value)}\n")
    return lines


def _flow_ok(values: list[Any], width: int) -> bool:
    if not all(isinstance(v, str) and _plain_ok(v, flow=True) for v in values):
        return False
    return width + sum(len(v) + 2 for v in values) < _FLOW_LIMIT


def _inline(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{}"
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return text if _plain_ok(text) else json.dumps(text, ensure_ascii=False)


def _plain_ok(text: str, *, flow: bool = False) -> bool:
    """True if the text reads back as the same string when written unquoted."""
    if not text or text != text.strip() or "\n" in text or " #" in text or ": " in text:
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or text.endswith(":"):
        return False
    if flow and any(char in text for char in ",[]{}"):
        return False
    try:
        return bool(load_bytes(Path("check.yaml"), f"k: {text}\n".encode()).data == {"k": text})
    except FactsheetError:
        return False
