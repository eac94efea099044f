"""Rules for events: the date as printed or as read from its words."""

from __future__ import annotations

from collections.abc import Iterator

from ...load import Loc
from ...model import Event
from ...text import contains_words, fold
from ..core import Context, Finding, rule
from ..dates import disagreement, resolve, written_dates
from .common import within


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
