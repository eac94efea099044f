"""Rules for quotes: the words, the quotation marks, and who speaks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from ...load import Loc
from ...model import Quote
from ...text import fold
from ..attribution import SPEECH_FORMS
from ..core import Context, Finding, rule
from ..passages import Passage
from .common import mismatch_hint, named_in


def _part_loc(quote: Quote, index: int) -> Loc:
    return ("text",) if isinstance(quote.text, str) else ("text", index)


def _placed_parts(quote: Quote, ctx: Context) -> Iterator[tuple[int, Passage, int, int, int]]:
    """Each part of a quote found in order in its excerpts: (part, passage, excerpt start,
    part start, part end), positions in the folded paragraph. Stops at the first part that
    cannot be found."""
    placed = [ctx.place(source) for source in quote.sources]
    which, cursor = 0, -1
    for index, part in enumerate(quote.parts):
        words = fold(part)
        while which < len(placed):
            found = placed[which]
            if found is not None:
                passage, start, end = found
                at = passage.find(words, max(start, cursor), end)
                if at >= 0:
                    yield index, passage, start, at, at + len(words)
                    cursor = at + len(words)
                    break
            which, cursor = which + 1, -1
        else:
            return


@rule("quote", excusable=False)
def quote_in_excerpt(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """A quote's words are in its excerpt, word for word; a quote in parts has them in order."""
    # Each part after the first follows a break in the quotation (an attribution, a new
    # paragraph), so that no quoted words ("not") are dropped between parts.
    placed = list(_placed_parts(quote, ctx))
    found = {index for index, *_ in placed}
    for (_, passage, _, _, end), (index, following, _, start, _) in pairwise(placed):
        gap = passage.text[end:start]
        if following is passage and passage.quoted_span_at(end, start) and gap.strip(" ,.;:"):
            yield Finding(
                _part_loc(quote, index),
                "this part follows the one before inside the same quotation: the words "
                f"between them ('{gap.strip()[:40]}') are left out",
                "quote the words whole; give parts only where the article interrupts the quote "
                "(“…,” she said, “…”) or continues it into the next paragraph",
            )
            return
    for index, part in enumerate(quote.parts):
        if index in found:
            continue
        excerpts = " / ".join(fold(source.excerpt) for source in quote.sources)
        yield Finding(
            _part_loc(quote, index),
            "the quote text is not in the excerpt, word for word",
            mismatch_hint(fold(part), excerpts, None),
        )
        return


@rule("quote", excusable=False)
def quote_inside_quotation_marks(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """A quote's words are inside quotation marks in the source: a paraphrase is a claim."""
    for index, passage, _, start, end in _placed_parts(quote, ctx):
        if not passage.within_quotes(start, end):
            yield Finding(
                _part_loc(quote, index),
                "these words are not inside quotation marks in the source",
                "quote only what the article puts in quotation marks; record a reported "
                "statement as a claim in claims.yaml",
            )
            return


@rule("quote")
def quote_paragraphs_consecutive(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """A quote that runs on (`continued`) does so into the very next paragraphs."""
    previous = quote.source.paragraph
    for index, part in enumerate(quote.continued):
        if part.paragraph != previous + 1:
            yield Finding(
                ("continued", index, "paragraph"),
                f"paragraph {part.paragraph} does not follow paragraph {previous}",
                "a quote continues only into the next paragraph; list them in order",
            )
            return
        previous = part.paragraph


@rule("quote")
def speaker_named(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """A quote's speaker is named outside the quoted words, as whole words.

    By name or alias ("Blinken said", "said the official"), or, where the excerpt says only
    "he said", through `attribution`: the paragraph and words where the article names them.
    """
    if quote.speaker not in ctx.actors:
        return  # reported as an unknown actor
    read, _ = named_in(quote, quote.speaker, ctx, SPEECH_FORMS)
    if read.named or read.others:
        return  # speaker_is_who_speaks says who the excerpt names instead
    if quote.attribution is not None:
        return  # attribution_names_speaker reads it
    if read.named_anywhere and not read.pronoun:
        yield Finding(
            ("speaker",),
            f"the excerpt does not name the speaker '{quote.speaker}' as the one who speaks "
            "these words",
            "widen the excerpt to the attribution ('Blinken said'); words in quotation marks "
            "that nobody is said to speak (a title, a slogan, a sign) are not a quote",
        )
        return
    yield Finding(
        ("speaker",),
        f"the excerpt does not name the speaker '{quote.speaker}' outside the quoted words",
        "widen the excerpt to the attribution ('Blinken said'); if it says only 'he said', "
        "add attribution: the paragraph and words where the article names the speaker",
    )


@rule("quote")
def speaker_is_who_speaks(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """The words are attributed to the speaker, not to someone else the excerpt names."""
    if quote.speaker not in ctx.actors:
        return
    read, _ = named_in(quote, quote.speaker, ctx, SPEECH_FORMS)
    # Words the excerpt leaves to `attribution` are still said by the subject of their own
    # sentence, when that names someone else ("A spokesman said it would …" is not Nair's).
    found = read.others or (read.beyond if quote.attribution is not None else ())
    if read.named or not found:
        return
    others = ", ".join(f"'{other}' ({ctx.name(other)})" for other in found)
    yield Finding(
        ("speaker",),
        f"the excerpt attributes these words to {others}, not to '{quote.speaker}'",
        f"the attribution reads '{'; '.join(read.clause_texts)}': check the speaker",
    )


@rule("quote")
def fragment_matches_source(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """`fragment: false` means the quote is whole sentences of the source; checked both ways."""
    placed = list(_placed_parts(quote, ctx))
    if len(placed) != len(quote.parts):
        return
    _, first_passage, _, first_start, _ = placed[0]
    _, last_passage, _, _, last_end = placed[-1]
    whole = _starts_sentence(first_passage, first_start) and _ends_sentence(last_passage, last_end)
    if whole == (not quote.fragment):
        if quote.fragment and (turn := _qualified_after(last_passage, last_end)):
            yield Finding(
                ("text",) if isinstance(quote.text, str) else ("text", len(quote.parts) - 1),
                f"the quote stops before '{turn}', which qualifies what it says",
                "quote on to the end of the sentence: a fragment cut before 'but …' can say "
                "the opposite of the speaker's point",
            )
        return
    yield Finding(
        ("fragment",),
        "the quote is a whole sentence of the source, not a fragment"
        if whole
        else "the quote is only part of a sentence of the source",
        "set fragment: false" if whole else "set fragment: true, or quote the whole sentence",
    )


_SENTENCE_END = re.compile(r"[.?!]['\"]?$")
# A turn that qualifies what came before, right after the end of a fragment, inside the quote.
_QUALIFIER = re.compile(
    r"\s*,?\s*(?:but|yet|though|although|except|unless|whereas|only if|not)\b[^,.;:!?\"]{0,40}",
    re.IGNORECASE,
)


def _qualified_after(passage: Passage, end: int) -> str | None:
    """The words that qualify a fragment, if the quotation goes on with them ("…, but the
    older ones are not")."""
    span = passage.quoted_span_at(end, end)
    if span is None:
        return None
    found = _QUALIFIER.match(passage.text, end, span.end)
    return found.group().strip(" ,") if found else None


def _starts_sentence(passage: Passage, start: int) -> bool:
    span = passage.quoted_span_at(start, start)
    if span is None:
        return False
    before = passage.text[span.start : start].rstrip()
    first = passage.text[start : start + 1]
    return (not before or bool(_SENTENCE_END.search(before))) and (
        first.isupper() or first.isdigit()
    )


def _ends_sentence(passage: Passage, end: int) -> bool:
    span = passage.quoted_span_at(end, end)
    if span is None:
        return False
    rest = passage.text[end : span.end]
    if rest.strip(".,?!"):
        return bool(_SENTENCE_END.search(passage.text[:end]))  # a sentence ends inside the quote
    tail = passage.text[:end] + rest
    if _SENTENCE_END.search(tail.rstrip()):
        return True
    if not tail.rstrip().endswith(","):
        return span.end == len(passage.text) and tail.rstrip()[-1:] in ".?!"
    # News style ends a quoted sentence with a comma before the attribution: the sentence ends
    # there unless the next quotation continues it in lower case ("…need,” he said, “that …").
    following = next((later for later in passage.quoted if later.start > span.end), None)
    if following is None or "." in passage.text[span.end + 1 : following.start - 1]:
        return True
    return not passage.text[following.start :].lstrip()[:1].islower()
