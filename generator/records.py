"""Search records: the groups of facts the Pagefind index holds, made from the site model.

See generator.index for why facts are grouped, and why a record has no title of its own. Each
kind of fact says in `SEARCH_RECORDS` which records it makes for an article.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .filters import long_date, tag_name
from .index import fact, record
from .model import Actor, Figure
from .site import ActorRecord, Sheet

RecordMaker = Callable[["Sheet", dict[str, list[str]]], list[dict[str, Any]]]


def _names(actor: Actor) -> list[str]:
    """Every name a reader may search an actor by: 'Antony Blinken', 'Blinken', aliases."""
    return list(dict.fromkeys([actor.full_name or actor.name, actor.name, *actor.aliases]))


def _named(sheet: Sheet, excerpt: str) -> list[str]:
    return [sheet.actors[a].name for a in sheet.actors_named(excerpt)]


def _said_records(kind: str, person: str, weight: int) -> RecordMaker:
    """One record per actor for their quotes (or claims) in an article, so that a search for
    a speaker's name finds what they said."""

    def make(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
        facts, out = sheet.facts, []
        by_actor: dict[str, list[Any]] = {}
        for item in getattr(facts, kind + "s"):
            by_actor.setdefault(getattr(item, person), []).append(item)
        for actor_id, group in by_actor.items():
            speaker = sheet.actors[actor_id]
            name, by = speaker.name, _names(speaker)
            entries = [
                fact(
                    f"{kind}-{item.id}",
                    " … ".join(item.parts) if kind == "quote" else item.source.excerpt,
                    item.context or "",
                    weight=weight,
                    by=by,
                )
                for item in group
            ]
            mentioned = [n for item in group for n in _named(sheet, item.source.excerpt)]
            out.append(
                record(
                    f"sheets/{facts.id}/",
                    f"{kind}-{actor_id}",
                    kind.capitalize(),
                    entries,
                    speaker=[name],
                    actor=[name, *mentioned],
                    **common,
                )
            )
        return out

    return make


def _figure_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    facts = sheet.facts
    if not facts.figures:
        return []
    entries = [
        fact(
            f"figure-{figure.id}",
            f"{figure.written}: {figure.counts}",
            "",
            _number_spellings(figure),
            weight=5,
        )
        for figure in facts.figures
    ]
    return [
        record(
            f"sheets/{facts.id}/",
            "figures",
            "Figure",
            entries,
            actor=[n for figure in facts.figures for n in _named(sheet, figure.source.excerpt)],
            **common,
        )
    ]


def _question_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    facts = sheet.facts
    if not facts.questions:
        return []
    return [
        record(
            f"sheets/{facts.id}/",
            "questions",
            "Question",
            [
                fact(f"question-{q.id}", q.question, q.why, q.deadline_written or "", 2)
                for q in facts.questions
            ],
            actor=[sheet.actors[a].name for q in facts.questions for a in q.actors],
            **common,
        )
    ]


def _event_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    facts = sheet.facts
    if not facts.events:
        return []
    return [
        record(
            f"sheets/{facts.id}/",
            "events",
            "Event",
            [
                fact(f"event-{e.id}", f"{long_date(e.date)}: {e.what}", "", e.date, 2)
                for e in sheet.events()
            ],
            actor=[n for e in facts.events for n in _named(sheet, e.source.excerpt)],
            **common,
        )
    ]


def _background_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    facts = sheet.facts
    if not facts.statements:
        return []
    return [
        record(
            f"sheets/{facts.id}/",
            "statements",
            "Statement",
            [
                fact(f"statement-{s.id}", s.source.excerpt, s.context or "", weight=2)
                for s in facts.statements
            ],
            actor=[n for s in facts.statements for n in _named(sheet, s.source.excerpt)],
            **common,
        )
    ]


def _no_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Mentions make no records of their own: each actor has one (see search_records)."""
    return []


# The search records each kind of fact makes for an article, in the order they are indexed.
SEARCH_RECORDS: dict[str, RecordMaker] = {
    "quote": _said_records("quote", "speaker", weight=3),
    "claim": _said_records("claim", "claimant", weight=2),
    "statement": _background_records,
    "figure": _figure_records,
    "question": _question_records,
    "event": _event_records,
    "mention": _no_records,
}


def search_records(sheets: list[Sheet], records: dict[str, ActorRecord]) -> list[dict[str, Any]]:
    """The groups of facts the search index holds (see generator.index for why groups): each
    sheet, each kind's groups of facts (`SEARCH_RECORDS`), and each actor."""
    out = []
    for sheet in sheets:
        facts = sheet.facts
        article = facts.article.title
        common = {
            "article": [article],
            "year": [facts.article.date[:4]],
            "tag": [tag_name(tag, sheet.actors) for tag in facts.article.tags],
        }
        out.append(
            record(
                f"sheets/{facts.id}/",
                "sheet",
                "Fact sheet",
                [fact("top", article, facts.article.summary)],
                **common,
            )
        )
        for make in SEARCH_RECORDS.values():
            out.extend(make(sheet, common))
    for actor_id, actor_record in records.items():
        actor = actor_record.actor
        described = [
            mention.described_as
            for seen in actor_record.involvements.values()
            for mention in seen.mentions
            if mention.described_as
        ]
        out.append(
            record(
                f"sheets/actors/{actor_id}/",
                "actor",
                "Actor",
                [
                    fact(
                        "top",
                        " · ".join(dict.fromkeys([actor.full_name or actor.name, actor.name])),
                        " · ".join([actor.role or "", *actor.aliases, *dict.fromkeys(described)]),
                        weight=4,
                    )
                ],
                actor=[actor.name],
                year=[
                    s.facts.article.date[:4]
                    for s in (i.sheet for i in actor_record.involvements.values())
                ],
            )
        )
    return out


def _number_spellings(figure: Figure) -> str:
    """Other ways a reader may type a figure's number: '436', '436000000', '436,000,000'."""
    numbers: list[float] = []
    if figure.value is not None:
        numbers.append(figure.value)
    if figure.range is not None:
        numbers += [figure.range.low, figure.range.high]
    spellings = []
    if figure.tally is not None:  # a vote is searched for as it is written: '4-1', not '4 1'
        tally = figure.tally
        spellings += [
            f"{tally.in_favour}-{tally.against}",
            f"{tally.in_favour}\u2013{tally.against}",
        ]
    for number in numbers:
        whole = int(number) if number == int(number) else None
        if whole is not None:
            spellings += [str(whole), f"{whole:,}"]
            for scale in (10**9, 10**6, 10**3):
                if whole >= scale and whole % (scale // 10) == 0:
                    spellings.append(f"{whole / scale:g}")
                    break
        else:
            spellings.append(f"{number:g}")
    return " ".join(dict.fromkeys([*spellings, figure.unit or ""])).strip()
