"""Rules for every kind of fact, and what the rules of each kind share."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

from ...load import Loc
from ...model import ExternalSource, Source
from ...seeds import Seed
from ...text import contains_words, fold
from ..attribution import attribution, pronouns_of
from ..core import Context, Finding, rule, sources
from ..passages import stream


@rule(gate=True)
def excerpt_in_paragraph(fact: Any, ctx: Context) -> Iterator[Finding]:
    """Every excerpt is in the paragraph it names, word for word.

    Quotation-mark styles, '. . .' and '…', Unicode forms and white space are folded first;
    letters, case, digits and punctuation must match. Paragraphs are the non-empty lines of
    the seed, counted from 1.
    """
    for loc, source in sources(fact):
        seed = ctx.seed
        if isinstance(source, ExternalSource) and source.seed is not None:
            other = ctx.seeds(source.seed)
            if other is None:
                yield Finding(
                    (*loc, "seed"),
                    f"the seed '{source.seed}' is not in seeds/",
                    "add the source text of the answer to seeds/, unchanged",
                )
                continue
            seed = other
        excerpt = fold(source.excerpt)
        count = len(seed.paragraphs)
        if source.paragraph > count:
            yield Finding(
                (*loc, "paragraph"),
                f"paragraph {source.paragraph} does not exist: {seed.name} has {count} paragraphs",
                locate_hint(excerpt, seed),
            )
        elif not contains_words(seed.folded[source.paragraph - 1], excerpt):
            yield Finding(
                (*loc, "excerpt"),
                f"the excerpt is not in paragraph {source.paragraph} of {seed.name}",
                mismatch_hint(excerpt, seed.folded[source.paragraph - 1], seed),
            )


def attribution_segments(
    source: Source, ctx: Context, parts: list[str] | None = None
) -> tuple[list[tuple[str, int]], tuple[int, int], frozenset[int]]:
    """The words that say who speaks: the sentences around an excerpt as a stream
    (passages.stream), where the excerpt lies in them, and where the quoted stretches that
    hold a quote's parts start. The whole sentence is read, so that an excerpt trimmed to
    "said it would …" still has its subject; only the excerpt's own words can name the speaker.
    """
    placed = ctx.place(source)
    if placed is None:
        return [], (0, 0), frozenset()
    passage, start, end = placed
    first, last = passage.sentence_around(start, end)
    focus: set[int] = set()
    for part in parts or []:
        at = passage.find(fold(part), start, end)
        span = passage.quoted_span_at(at, at + len(fold(part))) if at >= 0 else None
        if span is not None:
            focus.add(max(first, span.start))
    return stream(passage, first, last), (start, end), frozenset(focus)


class ArticlePronouns(Mapping[str, str]):
    """The persons the article itself calls "he" or "she" (attribution.pronouns_of), read from
    every paragraph of its seed the first time a pronoun needs resolving, then kept."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._found: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._found is None:
            ctx = self._ctx
            passages = (ctx.passage(n) for n in range(1, len(ctx.seed.paragraphs) + 1))
            self._found = pronouns_of(
                (stream(p, 0, len(p.text)) for p in passages if p is not None),
                ctx.names,
                ctx.actor_kinds,
            )
        return self._found

    def __getitem__(self, actor_id: str) -> str:
        return self._read()[actor_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def article_pronouns(ctx: Context) -> ArticlePronouns:
    """The article's pronouns for its persons, one reading per article."""
    found: ArticlePronouns | None = getattr(ctx, "_article_pronouns", None)
    if found is None:
        found = ArticlePronouns(ctx)
        ctx._article_pronouns = found  # type: ignore[attr-defined]
    return found


def named_in(fact: Any, actor_id: str, ctx: Context, verbs: frozenset[str]) -> tuple[Any, Any]:
    """How the excerpts of a quote or claim attribute it: read from its first source that
    places, with a quote's parts as the words whose speaker is sought."""
    parts = list(getattr(fact, "parts", []) or [])
    kinds = ctx.actor_kinds
    read = None
    for source in getattr(fact, "sources", [fact.source]):
        words, excerpt, focus = attribution_segments(source, ctx, parts)
        if not words:
            continue
        here = attribution(
            words,
            actor_id,
            ctx.names,
            verbs,
            kinds,
            excerpt=excerpt,
            focus=focus,
            owners=not hasattr(fact, "speaker"),  # a claim's: a body's report speaks for it
            pronouns=article_pronouns(ctx),
        )
        if read is None or (here.named and not read.named) or (here.speaks and not read.speaks):
            read = here
    if read is None:
        read = attribution([], actor_id, ctx.names, verbs, kinds)
    return read, None


def within(loc: Loc, value: str, source: Source, what: str) -> Iterator[Finding]:
    folded, excerpt = fold(value), fold(source.excerpt)
    if not contains_words(excerpt, folded):
        yield Finding(
            loc,
            f"the {what} is not in the excerpt, word for word",
            mismatch_hint(folded, excerpt, None),
        )


def locate_hint(needle: str, seed: Seed) -> str:
    number = seed.paragraph_with(needle)
    if number is not None:
        return f"the excerpt is in paragraph {number}: set paragraph: {number}"
    return "paragraphs are the non-empty lines of the seed, counted from 1"


# difflib compares in quadratic time; past this many characters the hint says less instead.
_DIFF_LIMIT = 2_000


def mismatch_hint(needle: str, haystack: str, seed: Seed | None) -> str:
    """Say where the copy departs from the source, so a contributor can see the changed word."""
    if seed is not None:
        elsewhere = locate_hint(needle, seed)
        if elsewhere.startswith("the excerpt is in"):
            return elsewhere
    inside = haystack.find(needle)
    if inside >= 0:  # found, but inside a longer word or number: show that word
        at = (
            inside
            if inside > 0 and not haystack[inside - 1].isspace()
            else inside + len(needle) - 1
        )
        start = haystack.rfind(" ", 0, at) + 1
        end = haystack.find(" ", at)
        word = haystack[start : end if end >= 0 else len(haystack)]
        return (
            f"in the source these characters are part of '{word[:60]}': "
            "copy whole words and whole numbers"
        )
    low, high = 0, len(needle)
    while low < high:  # the longest prefix of needle found in haystack
        middle = (low + high + 1) // 2
        if needle[:middle] in haystack:
            low = middle
        else:
            high = middle - 1
    if low < len(needle) and " " in needle[:low]:
        low = needle.rindex(" ", 0, low) + 1  # show the whole word that differs
    if low < 3:
        close = len(needle) + len(haystack) <= _DIFF_LIMIT and difflib.get_close_matches(
            needle, [haystack], n=1, cutoff=0.8
        )
        return (
            "it differs from the source in spelling or punctuation; copy it exactly"
            if close
            else "copy the words exactly from the source text"
        )
    at = haystack.find(needle[:low]) + low
    return (
        f"it matches up to '{needle[max(0, low - 30) : low]}', then reads "
        f"'{needle[low : low + 30]}' where the source has '{haystack[at : at + 30]}'"
    )
