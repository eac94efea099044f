"""The Jinja environment of the pages, and the filters its templates use.

Escaping: templates are rendered with autoescaping on, and every value from YAML first passes
through `escape.markdown_text` (the environment's `finalize`), which flattens line breaks and
backslash-escapes Markdown punctuation, before Jinja's HTML escaping turns `<`, `>`, `&` and
quotes into entities. No YAML string can therefore open an HTML tag, a link, an emphasis or a
block of its own. Values built by the generator from validated slugs (links, anchors) are
marked safe with `Markup`.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .escape import front_matter, markdown_text
from .model import (
    ARTICLE_ID_PATTERN,
    KIND_TITLES,
    QUALIFIERS,
    SECTIONS,
    SLUG_PATTERN,
    Actor,
    Figure,
    precision,
)
from .text import locate

_LINE_BREAKS = re.compile(r"\s+")
_SLUG = re.compile(ARTICLE_ID_PATTERN + "|" + SLUG_PATTERN)


def slug(value: str) -> Markup:
    """Mark a validated id as safe to use in a link or an anchor, after checking it once more."""
    if not _SLUG.fullmatch(value):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


def description(value: str, limit: int = 200) -> Markup:
    """A page description for sharing: one line, cut at a word near the limit, escaped."""
    text = _LINE_BREAKS.sub(" ", value).strip()
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return front_matter(text)


def capfirst(value: str) -> str:
    """Upper-case the first letter only ('tens of thousands' -> 'Tens of thousands')."""
    return value[:1].upper() + value[1:]


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 fact sheet', '2 fact sheets'."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def figure_number(figure: Figure) -> str:
    """The number of a figure as a reader sees it: '10,000', '3 to 5' with an en dash, '12-0'."""
    if figure.range is not None:
        return f"{_number(figure.range.low)}\u2013{_number(figure.range.high)}"
    if figure.tally is not None:
        tally = figure.tally
        text = f"{tally.in_favour}\u2013{tally.against}"
        if tally.abstentions:
            text += f", {plural(tally.abstentions, 'abstention')}"
        return text
    return _number(figure.value) if figure.value is not None else ""


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) or value != int(value) else f"{int(value):,}"


def long_date(partial: str) -> str:
    """'2021-06-28' as '28 June 2021', '2021-06' as 'June 2021', '2021' as itself."""
    kind = precision(partial)
    if kind == "year":
        return partial
    day = datetime.date.fromisoformat(partial + ("-01" if kind == "month" else ""))
    return f"{day:%B %Y}" if kind == "month" else f"{day.day} {day:%B %Y}"


def tag_name(tag: str, actors: dict[str, Actor] | None = None) -> str:
    """A tag as readers see it, as a name: an actor's tag is the actor's name ('russia' reads
    'Russia', 'islamic-state' 'Islamic State'); any other reads as words, capitalised
    ('humanitarian-aid' reads 'Humanitarian aid')."""
    actor = (actors or {}).get(tag)
    return actor.name if actor is not None else capfirst(tag.replace("-", " "))


def emphasise(excerpt: str, words: str | list[str] | None) -> Markup:
    """An excerpt, escaped, with the words a fact rests on (one string, or the parts of a
    quote) in <strong>."""
    wanted = [words] if isinstance(words, str) else list(words or [])
    pieces: list[Any] = []
    cursor = 0
    for part in wanted:
        found = locate(excerpt[cursor:], part) if part else None
        if found is None:
            continue
        start, end = cursor + found[0], cursor + found[1]
        pieces.append(_escape_keeping_edges(excerpt[cursor:start]))
        pieces.append(Markup("<strong>{}</strong>").format(markdown_text(excerpt[start:end])))
        cursor = end
    pieces.append(_escape_keeping_edges(excerpt[cursor:]))
    return Markup("").join(pieces)


def _escape_keeping_edges(text: str) -> str:
    """markdown_text, keeping one space where the text began or ended with white space."""
    if not text.strip():
        return " " if text else ""
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return f"{lead}{markdown_text(text)}{trail}"


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=True,
        finalize=markdown_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        slug=slug,
        front_matter=front_matter,
        description=description,
        capfirst=capfirst,
        figure_number=figure_number,
        long_date=long_date,
        tag_name=tag_name,
        emphasise=emphasise,
        plural=plural,
    )
    env.globals.update(QUALIFIERS=QUALIFIERS, KIND_TITLES=KIND_TITLES, SECTIONS=SECTIONS)
    return env
