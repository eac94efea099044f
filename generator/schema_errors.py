"""Schema errors as located problems: pydantic's errors, told in a contributor's words.

Every file is parsed against its model as it loads; what pydantic reports is turned here into
problems that point at the line and column of the value (or the key) and say how to fix it.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .load import Document, Loc
from .model import ARTICLE_KINDS, REGISTRY


def schema_problems(document: Document, error: ValidationError) -> list[Problem]:
    problems: dict[tuple[int, int], Problem] = {}
    for item in error.errors(include_url=False):
        kind = item["type"]
        loc = _data_loc(
            document.data, item["loc"], keep_last=kind in ("missing", "extra_forbidden")
        )
        field_path = _describe(loc)
        if kind == "extra_forbidden":
            message = f"unknown field '{loc[-1]}'"
            problem = document.problem(loc, message, _unknown_field_hint(str(loc[-1])), key=True)
        elif kind == "missing":
            message = f"missing field '{loc[-1]}'"
            problem = document.problem(loc[:-1], message, f"add '{loc[-1]}:' to this entry")
        else:
            value = item.get("input")
            message = f"{field_path}: {item['msg'].rstrip('.')}"
            hint = str(item.get("ctx", {}).get("hint", "")) or _value_hint(kind, value, loc)
            problem = document.problem(loc, message, hint)
        problems.setdefault((problem.line, problem.column), problem)
    return list(problems.values())


def _data_loc(data: Any, loc: tuple[str | int, ...], *, keep_last: bool) -> Loc:
    """The part of a pydantic error location that exists in the data.

    Pydantic adds the union member it tried ('int', 'function-after[...]') to locations;
    walking the data keeps exactly the keys and indexes that are really there, whatever a
    contributor names their keys.
    """
    out: list[str | int] = []
    current = data
    for position, part in enumerate(loc):
        in_mapping = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            out.append(part)
            current = current[part]
        elif keep_last and position == len(loc) - 1 and isinstance(part, str):
            out.append(part)
    return tuple(out)


def _describe(loc: Loc) -> str:
    words = [f"entry {part + 1}" if isinstance(part, int) else part for part in loc]
    return " > ".join(words) if words else "the file"


def _all_fields(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        for candidate in getattr(info.annotation, "__args__", (info.annotation,)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                names |= _all_fields(candidate)
            for inner in getattr(candidate, "__args__", ()):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    names |= _all_fields(inner)
    return names


_ALL_FIELDS = sorted(
    set().union(*(_all_fields(kind.model) for kind in (REGISTRY, *ARTICLE_KINDS.values())))
)


def _unknown_field_hint(name: str) -> str:
    close = difflib.get_close_matches(name, _ALL_FIELDS, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "remove it; the JSON Schema in schema/ lists the fields of each kind"


_PATTERN_HINTS = {
    "date": "write a quoted date such as '2021-06-28' (events may give just '2014' or '2021-06')",
    "deadline": "write a quoted date such as '2021-07-10', or '2021-07' for a month",
    "seed": "give the file name of the seed in seeds/, such as '000_9b837632feedfbd1.txt'",
    "sha256": "64 lower-case hex digits, as printed by: sha256sum seeds/NAME",
    "url": "an address starting with https:// (or http://)",
    "archived_url": "an address starting with https:// (or http://)",
    "website": "an address starting with https:// (or http://)",
    "wikidata": "a Wikidata item id such as 'Q30'",
    "retrieved": "write a quoted date such as '2021-06-29'",
}


def _value_hint(kind: str, value: Any, loc: Loc) -> str:
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "string_type" and isinstance(value, bool | int | float):
        return "put the value in quotes to make it text"
    if kind == "string_type" and value is None:
        return "the value is empty: write the text, or remove the field"
    if kind == "string_pattern_mismatch" and field in _PATTERN_HINTS:
        return _PATTERN_HINTS[field]
    if kind == "string_pattern_mismatch":
        return "ids are lower-case letters, digits and single hyphens, such as 'captured-fighters'"
    if kind in ("int_type", "float_type", "int_from_float") and isinstance(value, str):
        return "write the number without quotes, commas or units, such as 10000"
    if kind in ("int_type", "float_type", "int_from_float"):
        return "write a plain number such as 10000, or null where the text gives none"
    if kind == "literal_error":
        return "use one of the values listed"
    if kind == "string_too_short":
        return "write the text, or remove the field if it is optional"
    if kind == "string_too_long":
        return "shorten it"
    if kind in ("list_type", "model_type", "dict_type") and not loc:
        return (
            "a fact file holds a list of entries, each starting with '- '"
            if kind == "list_type"
            else "article.yaml holds one mapping of fields: title, date, seed, sha256, summary"
        )
    if kind == "list_type":
        return "write a list: [a, b], or one '- item' per line"
    if kind in ("model_type", "dict_type"):
        return "write a mapping of fields here, one 'field: value' per line"
    if kind in ("greater_than_equal", "greater_than"):
        return "paragraphs are counted from 1"
    return "see the JSON Schema in schema/ for the fields of each kind"
