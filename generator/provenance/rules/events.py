"""Rules for events: the date as printed or as read from its words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...load import Loc
from ...model import Event, Source
from ...text import contains_words, find_words, fold
from ..core import Context, Finding, rule
from ..dates import (
    disagreement,
    interval,
    is_past_tense,
    printed_at,
    resolve,
    told_as_done,
    told_in_the_past,
    written_dates,
)
from .common import within
from .questions import key_words


@rule("event", excusable=False)
def date_basis_in_excerpt(event: Event, ctx: Context) -> Iterator[Finding]:
    """An event's `date_basis` is in its excerpt, or in its `date_source`, word for word."""
    if event.date_basis is not None:
        source = event.date_source or event.source
        loc: Loc = ("date_basis",)
        yield from within(loc, event.date_basis, source, "date basis")


@rule("event")
def event_date_agrees(event: Event, ctx: Context) -> Iterator[Finding]:
    """An event's date is the one the text gives: printed, or read from its date_basis.

    Without `date_basis` the excerpt must print the date ('In 2019', 'June 28, 2021'); with
    it, the words ('last Friday', 'this month') are read from the article's date, and the date
    may be no more precise than they are. Words that date a verb in the past tense ('announced
    on Friday') are read back from the article's date, never ahead.
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
    past = _in_the_past(event.date_basis, event.date_source or event.source, ctx)
    why = disagreement(event.date, resolve(event.date_basis, ctx.date, past=past))
    if past and why:
        why += f" (the verb before '{event.date_basis}' is in the past tense: read back)"
    if why:
        yield Finding(
            ("date",),
            f"date {event.date} disagrees with '{event.date_basis}' in an article of "
            f"{ctx.article.date}: {why}",
            "give the date the words name, read from the article's date, with a month or a "
            "day only if the words give one",
        )


def _in_the_past(phrase: str, source: Source, ctx: Context) -> bool:
    """True if the date phrase, where the source has it, dates a verb in the past tense."""
    placed = ctx.place(source)
    if placed is None:
        return False
    passage, start, end = placed
    at = passage.find(fold(phrase), start, end)
    if at < 0:
        return False
    tail = at + len(fold(phrase))
    return told_in_the_past(
        passage.text[max(0, at - 80) : at], phrase, passage.text[tail : tail + 80]
    )


# Where a clause ends: the end of a sentence, or before a word that starts a clause of time or
# cause ('..., after engineers found corrosion').
# A full stop after an initial ('U.S.') or a title ('Mr.') ends no sentence, nor one that a
# lower-case word follows.
_CLAUSE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)(?<!\bGen)(?<!\bSen)(?<!\bRep)"
    r"[.!?](?=\s+[^a-z\s]|\s*$)|;(?=\s|$)"
    r"|\s(?=(?i:after|before|when|while|until|since|because|although|though|whereas|once)\b)"
)


# A word that starts a clause of time only with a verb after it: before a date itself
# ('since 1952', 'until May') it is a preposition, and the date dates the clause before it.
_PREPOSITION = re.compile(r"\s*(?:after|before|until|since)\s+")


def _clauses(text: str) -> list[tuple[int, int]]:
    """The spans of the clauses of a text, in order."""
    spans, start = [], 0
    for found in _CLAUSE_END.finditer(text):
        if text[start : found.end()].strip():
            spans.append((start, found.end()))
        start = found.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@rule("event")
def date_in_the_events_clause(event: Event, ctx: Context) -> Iterator[Finding]:
    """An event's date is the one that dates its own clause, not another clause of the excerpt.

    In 'Ruiz announced on Friday, after engineers found corrosion', 'on Friday' dates the
    announcement, not the finding; in 'aid began in 2014. In 2020, however, Russia vetoed',
    2014 does not date the veto. The clause of the event is the one with the most of the words
    of `what`, by two words at least.
    """
    if event.date_source is not None:
        return  # the date is cited on its own, where the text gives it
    excerpt = fold(event.source.excerpt)
    clauses = _clauses(excerpt)
    if len(clauses) < 2:
        return
    if event.date_basis is not None:
        at = find_words(excerpt, fold(event.date_basis))
        dated = [(at, at + len(fold(event.date_basis)))] if at >= 0 else []
    else:
        dated = printed_at(excerpt, event.date)
    if not dated:
        return
    what = key_words(event.what)
    scores = [len(what & key_words(excerpt[start:end])) for start, end in clauses]
    best = max(scores)
    if best < 2:
        return
    for date_start, date_end in dated:
        index = next(i for i, (start, end) in enumerate(clauses) if date_start < end)
        start, end = clauses[index]
        rest = excerpt[start:date_start] + excerpt[date_end:end]
        score = scores[index]
        if index > 0 and _PREPOSITION.fullmatch(excerpt[start:date_start]):
            score += scores[index - 1]  # 'who has run the kiosk since 1952': no clause of its own
        if not key_words(rest) and index + 1 < len(clauses):
            score += scores[index + 1]  # 'On Friday, after the vote, X happened'
        if score + 2 > best:
            return  # refused only when another clause tells the event by two words more
    told = excerpt[slice(*clauses[scores.index(best)])].strip(" ,.;")
    yield Finding(
        ("date_basis",) if event.date_basis is not None else ("date",),
        f"the date dates another clause of the excerpt than the event's ('{told[:80]}')",
        "date the event by the words of its own clause, or narrow the excerpt to the "
        "clause that dates it; if the text does not date it, leave it off the timeline",
    )


@rule("event")
def later_event_told_as_planned(event: Event, ctx: Context) -> Iterator[Finding]:
    """An event dated after its article is told as planned ('is to begin'), not as done.

    The article cannot report as done what it dates after its own day: 'work would begin by
    the end of April', in a paper of March, is a plan ('Work on the cables is to begin'), not
    'Work on the cables began'.
    """
    first, _ = interval(event.date)
    if first > ctx.date and told_as_done(event.what):
        yield Finding(
            ("what",),
            f"the event is dated {event.date}, after the article ({ctx.article.date}), but "
            "'what' tells it as done",
            "tell it as the text does, as a plan ('is to begin', 'will close'), or leave it "
            "off the timeline if the text only hopes for it",
        )


# Words that tell a plan before its verb: 'will stop', 'is to begin', 'plans to close'.
_PLANNED_VERB = re.compile(
    r"\b(?:will|would|shall|(?:is|are) (?:to|(?:expected|due|set|going|scheduled|planned) to)"
    r"|plans? to|intends? to)\s+(?:not\s+|also\s+|soon\s+|now\s+|finally\s+)?"
    r"(?:be\s+)?([a-z]+)",
    re.IGNORECASE,
)
# The past of the verbs whose past is not the verb and '-ed' ('begin': 'began').
_IRREGULAR = {
    "begin": "began begun",
    "run": "ran",
    "hold": "held",
    "go": "went gone",
    "take": "took taken",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "build": "built",
    "sell": "sold",
    "leave": "left",
    "give": "gave given",
    "come": "came",
    "find": "found",
    "rise": "rose risen",
    "fall": "fell fallen",
    "spend": "spent",
    "send": "sent",
    "win": "won",
    "lose": "lost",
    "break": "broke broken",
    "bring": "brought",
    "buy": "bought",
    "keep": "kept",
    "tell": "told",
    "say": "said",
    "write": "wrote written",
    "speak": "spoke spoken",
    "stand": "stood",
    "become": "became",
    "withdraw": "withdrew withdrawn",
    "sink": "sank sunk",
    "fly": "flew flown",
    "grow": "grew grown",
    "lead": "led",
    "sit": "sat",
    "sweep": "swept",
}


def past_forms(verb: str) -> frozenset[str]:
    """The forms of a verb in the past ('stop': 'stopped'; 'close': 'closed'; 'carry':
    'carried'; 'begin': 'began', 'begun'); a participle ('closed') is its own past."""
    verb = verb.lower()
    if is_past_tense(verb):
        return frozenset({verb})
    forms = set(_IRREGULAR.get(verb, "").split())
    forms |= {verb + "ed", verb + "d", verb + verb[-1] + "ed"}
    if verb.endswith("y"):
        forms.add(verb[:-1] + "ied")
    return frozenset(forms)


@rule("event")
def planned_event_told_as_done(event: Event, ctx: Context) -> Iterator[Finding]:
    """An event the excerpt tells as planned ('will stop running') is not told as done.

    Whatever its date: 'The Port Alder ferry will stop running at the end of the year', in an
    article of November 1987, is a plan ('The ferry is to stop running'), not 'The ferry
    stopped running'. `what` tells it as done when it has the verb the excerpt plans in the
    past tense ('stopped') and no word of a plan; an excerpt that also tells the verb as done
    ('said it would close the bridge, and closed it on Friday') stands.
    """
    if not told_as_done(event.what):
        return
    excerpt = fold(event.source.excerpt)
    said = {word.lower() for word in re.findall(r"[^\W\d_]+", event.what)}
    told = [word.lower() for word in re.findall(r"[^\W\d_]+", excerpt)]
    planned = list(_PLANNED_VERB.finditer(excerpt))
    for found in planned:
        forms = past_forms(found.group(1))
        in_plans = sum(1 for other in planned if other.group(1).lower() in forms)
        if forms & said and sum(1 for word in told if word in forms) <= in_plans:
            yield Finding(
                ("what",),
                f"the excerpt tells it as planned ('{found.group().strip()}'), but 'what' "
                "tells it as done",
                "tell it as the text does, as a plan ('is to stop', 'will close'), or leave it "
                "off the timeline if the text only plans it",
            )
            return
