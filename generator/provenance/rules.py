"""The provenance rules, one small function each.

A rule takes one fact and the article's context and yields findings: where in the fact the
problem is, one message and one hint. The order in which they run, and the kinds they apply
to, is the list `RULES` in `generator/provenance/__init__.py`; the first line of each rule's
docstring is the rule as contributors read it (the site's "How facts are checked" page is
made from them; see `generator/rules_doc.py`).
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..load import Loc
from ..model import (
    Actor,
    Article,
    Claim,
    Event,
    ExternalSource,
    Figure,
    Mention,
    Question,
    Quote,
    Source,
)
from ..seeds import Seed
from ..text import contains_words, fold
from .attribution import REPORTING_VERBS, SPEECH_VERBS, NameIndex, attribution
from .dates import disagreement, resolve, written_dates
from .numbers import CURRENCY_UNITS, PERCENT_UNITS, read_written, same_number, scale_range, show
from .passages import Passage, tokens


@dataclass(frozen=True)
class Finding:
    """A broken rule: where in the fact, what is wrong, and how to fix it."""

    loc: Loc
    message: str
    hint: str


@dataclass
class Context:
    """What the rules know about the article a fact belongs to."""

    article: Article
    seed: Seed
    actors: dict[str, Actor]
    names: NameIndex
    seeds: Callable[[str], Seed | None]
    _passages: dict[tuple[str, int], Passage] = field(default_factory=dict)

    @property
    def date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.article.date)

    def passage(self, number: int, seed: Seed | None = None) -> Passage | None:
        seed = seed or self.seed
        if not 1 <= number <= len(seed.paragraphs):
            return None
        key = (seed.name, number)
        if key not in self._passages:
            self._passages[key] = Passage(number, seed.folded[number - 1])
        return self._passages[key]

    def place(self, source: Source) -> tuple[Passage, int, int] | None:
        """The passage of a source, and where its excerpt starts and ends in it."""
        passage = self.passage(source.paragraph)
        if passage is None:
            return None
        excerpt = fold(source.excerpt)
        start = passage.find(excerpt)
        return None if start < 0 else (passage, start, start + len(excerpt))

    def name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id


Rule = Callable[[Any, Context], Iterator[Finding]]

# --- every fact -------------------------------------------------------------------------------


def sources(fact: Any) -> Iterator[tuple[Loc, Source]]:
    """Every source a fact cites, with where in the fact it is written."""
    yield ("source",), fact.source
    if isinstance(fact, Quote):
        for index, part in enumerate(fact.continued):
            yield ("continued", index), part
    if isinstance(fact, Quote | Claim) and fact.attribution is not None:
        yield ("attribution",), fact.attribution
    if isinstance(fact, Event) and fact.date_source is not None:
        yield ("date_source",), fact.date_source
    if isinstance(fact, Question) and fact.resolution is not None:
        yield ("resolution", "source"), fact.resolution.source


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
                _locate_hint(excerpt, seed),
            )
        elif not contains_words(seed.folded[source.paragraph - 1], excerpt):
            yield Finding(
                (*loc, "excerpt"),
                f"the excerpt is not in paragraph {source.paragraph} of {seed.name}",
                _mismatch_hint(excerpt, seed.folded[source.paragraph - 1], seed),
            )


# --- quotes -----------------------------------------------------------------------------------


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


def quote_in_excerpt(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """A quote's words are in its excerpt, word for word; a quote in parts has them in order."""
    found = {index for index, *_ in _placed_parts(quote, ctx)}
    for index, part in enumerate(quote.parts):
        if index in found:
            continue
        excerpts = " / ".join(fold(source.excerpt) for source in quote.sources)
        yield Finding(
            _part_loc(quote, index),
            "the quote text is not in the excerpt, word for word",
            _mismatch_hint(fold(part), excerpts, None),
        )
        return


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


def _segments(source: Source, ctx: Context) -> list[str]:
    placed = ctx.place(source)
    if placed is None:
        return []
    passage, start, end = placed
    return passage.unquoted(start, end)


def _named(fact: Any, actor_id: str, ctx: Context, verbs: frozenset[str]) -> tuple[Any, Any]:
    first = [source for source in getattr(fact, "sources", [fact.source])]
    segments = [segment for source in first for segment in _segments(source, ctx)]
    return attribution(segments, actor_id, ctx.names, verbs), segments


def speaker_named(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """A quote's speaker is named outside the quoted words, as whole words.

    By name or alias ("Blinken said", "said the official"), or, where the excerpt says only
    "he said", through `attribution`: the paragraph and words where the article names them.
    """
    if quote.speaker not in ctx.actors:
        return  # reported as an unknown actor
    read, _ = _named(quote, quote.speaker, ctx, SPEECH_VERBS)
    if read.named or (read.named_anywhere and not read.others) or quote.attribution:
        return
    if read.others:
        return  # speaker_is_who_speaks says who the excerpt names instead
    yield Finding(
        ("speaker",),
        f"the excerpt does not name the speaker '{quote.speaker}' outside the quoted words",
        "widen the excerpt to the attribution ('Blinken said'); if it says only 'he said', "
        "add attribution: the paragraph and words where the article names the speaker",
    )


def speaker_is_who_speaks(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """The words are attributed to the speaker, not to someone else the excerpt names."""
    if quote.speaker not in ctx.actors:
        return
    read, _ = _named(quote, quote.speaker, ctx, SPEECH_VERBS)
    if read.named or not read.others:
        return
    others = ", ".join(f"'{other}' ({ctx.name(other)})" for other in read.others)
    yield Finding(
        ("speaker",),
        f"the excerpt attributes these words to {others}, not to '{quote.speaker}'",
        f"the attribution reads '{'; '.join(read.clause_texts)}': check the speaker",
    )


def attribution_names_speaker(fact: Quote | Claim, ctx: Context) -> Iterator[Finding]:
    """An `attribution` names the speaker or claimant, in the same or an earlier paragraph."""
    if fact.attribution is None:
        return
    actor_id = fact.speaker if isinstance(fact, Quote) else fact.claimant
    if actor_id not in ctx.actors:
        return
    if fact.attribution.paragraph > fact.source.paragraph:
        yield Finding(
            ("attribution", "paragraph"),
            "the attribution comes after the words it attributes",
            "point attribution at the paragraph, at or before this one, that names the speaker",
        )
        return
    read = attribution(_segments(fact.attribution, ctx), actor_id, ctx.names, REPORTING_VERBS)
    if not read.named_anywhere:
        yield Finding(
            ("attribution", "excerpt"),
            f"the attribution does not name '{actor_id}' ({ctx.name(actor_id)}) outside quotation marks",
            "copy the words where the article names them, such as 'Blinken said'",
        )


def fragment_matches_source(quote: Quote, ctx: Context) -> Iterator[Finding]:
    """`fragment: false` means the quote is whole sentences of the source; checked both ways."""
    placed = list(_placed_parts(quote, ctx))
    if len(placed) != len(quote.parts):
        return
    _, first_passage, _, first_start, _ = placed[0]
    _, last_passage, _, _, last_end = placed[-1]
    whole = _starts_sentence(first_passage, first_start) and _ends_sentence(last_passage, last_end)
    if whole == (not quote.fragment):
        return
    yield Finding(
        ("fragment",),
        "the quote is a whole sentence of the source, not a fragment"
        if whole
        else "the quote is only part of a sentence of the source",
        "set fragment: false" if whole else "set fragment: true, or quote the whole sentence",
    )


_SENTENCE_END = re.compile(r"[.?!]['\"]?$")


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
    following = passage.text[span.end + 1 :]
    between, mark, after = following.partition('"')
    if not mark or "." in between:
        return True
    return not after.lstrip()[:1].islower()


# --- claims -----------------------------------------------------------------------------------


def claimant_named(claim: Claim, ctx: Context) -> Iterator[Finding]:
    """A claim's claimant is named in the excerpt as the one who claims, or through attribution."""
    if claim.claimant not in ctx.actors:
        return
    read, _ = _named(claim, claim.claimant, ctx, REPORTING_VERBS)
    if read.named or (read.named_anywhere and not read.others) or claim.attribution:
        return
    if read.others:
        names = ", ".join(f"'{other}'" for other in read.others)
        yield Finding(
            ("claimant",),
            f"the excerpt reports this as said by {names}, not by '{claim.claimant}'",
            f"the attribution reads '{'; '.join(read.clause_texts)}': check the claimant",
        )
        return
    yield Finding(
        ("claimant",),
        f"the excerpt does not name the claimant '{claim.claimant}'",
        "widen the excerpt to the words that name them ('Russia has accused'), or add "
        "attribution: the paragraph and words where the article names them",
    )


def claim_is_reported(claim: Claim, ctx: Context) -> Iterator[Finding]:
    """A claim is something the article reports someone as saying: its excerpt has the verb."""
    read = attribution(_segments(claim.source, ctx), claim.claimant, ctx.names, REPORTING_VERBS)
    if read.has_clause:
        return
    yield Finding(
        ("source", "excerpt"),
        "the excerpt reports no statement: no verb such as 'said', 'accused' or 'warned'",
        "widen the excerpt to the reporting words; what the article states in its own voice "
        "is not a claim",
    )


# --- figures ----------------------------------------------------------------------------------


def written_in_excerpt(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A figure's written form is in its excerpt, word for word."""
    yield from _within(("written",), figure.written, figure.source, "written form")


def value_agrees_with_written(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A figure's value, range or tally is the number its written form gives.

    Digits with separators ("10,000"), decimals with million or billion ("4.1 million",
    "$2bn"), number words ("six-month", "twice"), ranges ("between 3 and 5") and tallies
    ("12-0", "2-3 with 10 abstentions"). Words that give no number ("millions", "tens of
    thousands") need `value: null`.
    """
    reading = read_written(figure.written)
    numbers = reading.numbers
    if figure.tally is not None:
        expected: list[float] = [figure.tally.in_favour, figure.tally.against]
        if numbers[:2] != expected or len(numbers) != 2:
            yield _number_finding(("tally",), figure, "for and against", expected, numbers)
        elif (figure.tally.abstentions or None) != (reading.abstentions or None):
            yield Finding(
                ("tally", "abstentions"),
                f"abstentions {figure.tally.abstentions} differ from the written form "
                f"('{figure.written}')",
                "give abstentions as the text writes them, or leave them out if it gives none",
            )
        return
    if figure.range is not None:
        expected = [float(figure.range.low), float(figure.range.high)]
        got = scale_range(numbers)
        if len(got) != 2 or not all(map(same_number, got, expected)):
            yield _number_finding(("range",), figure, "low and high", expected, got)
        return
    if figure.value is None:
        if numbers:
            yield Finding(
                ("value",),
                f"the written form '{figure.written}' gives the number {show(numbers[0])}",
                f"set value: {show(numbers[0])}",
            )
        elif not reading.vague:
            yield Finding(
                ("written",),
                f"no number can be read in '{figure.written}'",
                "write the number as the text does; value: null is for words such as 'millions'",
            )
        return
    if len(numbers) == 1 and same_number(numbers[0], figure.value):
        return
    yield _number_finding(("value",), figure, "value", [figure.value], numbers)


def _number_finding(
    loc: Loc, figure: Figure, what: str, expected: list[Any], got: list[float]
) -> Finding:
    shown = ", ".join(show(n) for n in got) if got else "no number"
    if len(got) == 2 and loc == ("value",):
        hint = "the text gives two numbers: record a range (low, high) or a tally (for, against)"
    elif not got:
        hint = "value: null is for words such as 'millions' that give no number"
    else:
        hint = f"the written form reads as {shown}: correct the {what} or the written form"
    return Finding(
        loc,
        f"the {what} ({', '.join(show(float(n)) for n in expected)}) disagrees with "
        f"'{figure.written}', which reads as {shown}",
        hint,
    )


def qualifier_as_written(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A figure's qualifier ('at least', 'nearly', 'over' …) is the one its written form has."""
    written = read_written(figure.written).qualifier
    if written == figure.qualifier:
        return
    if figure.qualifier is None:
        yield Finding(
            ("written",),
            f"the written form says '{written}', but the figure has no qualifier",
            f"set qualifier: {written}",
        )
        return
    yield Finding(
        ("qualifier",),
        f"qualifier '{figure.qualifier}' is not what the written form says ('{figure.written}')",
        f"set qualifier: {written}"
        if written
        else "include the qualifier in written as the text has it ('more than 30'), or remove it",
    )


def unit_agrees_with_written(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A currency or percentage in the written form is the figure's unit ('$' is USD)."""
    reading = read_written(figure.written)
    unit = (figure.unit or "").casefold()
    if reading.currency and unit not in CURRENCY_UNITS[reading.currency]:
        codes = ", ".join(
            sorted(code.upper() for code in CURRENCY_UNITS[reading.currency] if len(code) == 3)
        )
        yield Finding(
            ("unit",),
            f"the written form '{figure.written}' is in {reading.currency}s, "
            f"but the unit is '{figure.unit}'",
            f"set the unit to the currency's code: {codes}",
        )
    elif reading.percent and unit not in PERCENT_UNITS:
        yield Finding(("unit",), "the written form is a percentage", "set unit: percent")
    elif not reading.currency and any(unit in codes for codes in CURRENCY_UNITS.values()):
        yield Finding(
            ("unit",),
            f"the unit is a currency, but '{figure.written}' names none",
            "include the currency in written as the text has it ('$436 million')",
        )


# --- mentions ---------------------------------------------------------------------------------


def description_in_excerpt(mention: Mention, ctx: Context) -> Iterator[Finding]:
    """A mention's `described_as` is in its excerpt, word for word."""
    if mention.described_as is not None:
        yield from _within(("described_as",), mention.described_as, mention.source, "description")


def actor_named_in_excerpt(mention: Mention, ctx: Context) -> Iterator[Finding]:
    """A mention's excerpt names the actor (name, alias or description), as whole words."""
    placed = ctx.place(mention.source)
    if placed is None or mention.actor not in ctx.actors:
        return
    passage, start, end = placed
    if ctx.names.mentions(tokens(passage.text[start:end]), mention.actor):
        return
    actor = ctx.actors.get(mention.actor)
    names = " / ".join([actor.name, *actor.aliases]) if actor else mention.actor
    yield Finding(
        ("actor",),
        f"the excerpt does not name the actor '{mention.actor}' ({names})",
        "widen the excerpt to the words that name the actor, or give them as described_as",
    )


# --- questions and events ---------------------------------------------------------------------


def deadline_in_excerpt(question: Question, ctx: Context) -> Iterator[Finding]:
    """A question's `deadline_written` is in its excerpt, word for word."""
    if question.deadline_written is not None:
        yield from _within(
            ("deadline_written",), question.deadline_written, question.source, "deadline"
        )


def deadline_agrees_with_wording(question: Question, ctx: Context) -> Iterator[Finding]:
    """A deadline is the date its wording gives, read from the article's date, no more precise.

    'midnight July 10' in an article of 2021-06-28 is '2021-07-10'; 'by the end of July' is
    the month '2021-07'.
    """
    if question.deadline is None or question.deadline_written is None:
        return
    why = disagreement(question.deadline, resolve(question.deadline_written, ctx.date))
    if why:
        yield Finding(
            ("deadline",),
            f"deadline {question.deadline} disagrees with '{question.deadline_written}' "
            f"in an article of {ctx.article.date}: {why}",
            "give the date the wording names, read from the article's date, with a day only "
            "if the wording gives one",
        )


def date_basis_in_excerpt(event: Event, ctx: Context) -> Iterator[Finding]:
    """An event's `date_basis` is in its excerpt, or in its `date_source`, word for word."""
    if event.date_basis is not None:
        source = event.date_source or event.source
        loc: Loc = ("date_basis",)
        yield from _within(loc, event.date_basis, source, "date basis")


def event_date_agrees(event: Event, ctx: Context) -> Iterator[Finding]:
    """An event's date is the one the text gives: printed, or read from its date_basis.

    Without `date_basis` the excerpt must print the date ('In 2019', 'June 28, 2021'); with
    it, the words ('last Friday', 'this month') are read from the article's date, and the date
    may be no more precise than they are.
    """
    if event.date_basis is None:
        printed = written_dates(fold(event.source.excerpt))
        if event.date in printed:
            return
        yield Finding(
            ("date",),
            f"the excerpt does not print the date {event.date}",
            "give date_basis: the words that date the event ('last Friday', 'this month', "
            "'July 10'), which are read from the article's date",
        )
        return
    if not contains_words(
        fold((event.date_source or event.source).excerpt), fold(event.date_basis)
    ):
        return  # date_basis_in_excerpt reports it
    why = disagreement(event.date, resolve(event.date_basis, ctx.date))
    if why:
        yield Finding(
            ("date",),
            f"date {event.date} disagrees with '{event.date_basis}' in an article of "
            f"{ctx.article.date}: {why}",
            "give the date the words name, read from the article's date, with a month or a "
            "day only if the words give one",
        )


# --- helpers ----------------------------------------------------------------------------------


def _within(loc: Loc, value: str, source: Source, what: str) -> Iterator[Finding]:
    folded, excerpt = fold(value), fold(source.excerpt)
    if not contains_words(excerpt, folded):
        yield Finding(
            loc,
            f"the {what} is not in the excerpt, word for word",
            _mismatch_hint(folded, excerpt, None),
        )


def _locate_hint(needle: str, seed: Seed) -> str:
    number = seed.paragraph_with(needle)
    if number is not None:
        return f"the excerpt is in paragraph {number}: set paragraph: {number}"
    return "paragraphs are the non-empty lines of the seed, counted from 1"


# difflib compares in quadratic time; past this many characters the hint says less instead.
_DIFF_LIMIT = 2_000


def _mismatch_hint(needle: str, haystack: str, seed: Seed | None) -> str:
    """Say where the copy departs from the source, so a contributor can see the changed word."""
    if seed is not None:
        elsewhere = _locate_hint(needle, seed)
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
