"""Rules for figures: the written form, the number, the qualifier and the unit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...load import Loc
from ...model import Figure
from ...text import fold
from ..core import Context, Finding, rule
from ..numbers import (
    CURRENCY_UNITS,
    PERCENT_UNITS,
    UNIT_NOUNS,
    over_is_a_period,
    periods_of,
    qualifier_before,
    ranges_in,
    rates_in,
    read_written,
    same_number,
    scale_range,
    show,
    unit_words,
)
from ..passages import Passage, tokens
from .common import within


@rule("figure", excusable=False)
def written_in_excerpt(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A figure's written form is in its excerpt, word for word."""
    yield from within(("written",), figure.written, figure.source, "written form")


@rule("figure")
def value_agrees_with_written(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A figure's value, range or tally is the number its written form gives.

    Digits with separators ("10,000"), decimals with million or billion ("4.1 million",
    "$2bn"), number words ("six-month", "twice"), ordinals ("23rd", "fourth", "twenty-first"),
    ranges ("between 3 and 5") and tallies ("12-0", "2-3 with 10 abstentions"). Words that give no number ("millions", "tens of
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
    elif not got and read_written(figure.written).vague:
        hint = "value: null is for words such as 'millions' that give no number"
    elif not got:
        hint = (
            "no number can be read in the written form: write it as the text does, in digits "
            "or in words ('four', 'fourth', '4th')"
        )
    else:
        hint = f"the written form reads as {shown}: correct the {what} or the written form"
    return Finding(
        loc,
        f"the {what} ({', '.join(show(float(n)) for n in expected)}) disagrees with "
        f"'{figure.written}', which reads as {shown}",
        hint,
    )


@rule("figure")
def qualifier_as_written(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A figure's qualifier ('at least', 'nearly', 'over' …) is the one its written form has.

    'over' before a period of time is no qualifier where it means "during" ('diverted … over
    six years'), only where it qualifies a length ('for over six years', 'over 500 people').
    """
    written = read_written(figure.written).qualifier
    if written == "over" and _over_a_period(figure, ctx):
        written = None
        if figure.qualifier == "over":
            yield Finding(
                ("qualifier",),
                f"'{figure.written}' is the period the text tells of ('over' as in 'during'), "
                "not 'more than'",
                "remove qualifier: the text gives the period, not a length it exceeds",
            )
            return
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


@rule("figure")
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


def _written_at(figure: Figure, ctx: Context) -> tuple[Passage, int, int] | None:
    """The paragraph of a figure, and where its written form stands in it (in the excerpt)."""
    placed = ctx.place(figure.source)
    if placed is None:
        return None
    passage, start, end = placed
    written = fold(figure.written)
    at = passage.find(written, start, end)
    return None if at < 0 else (passage, at, at + len(written))


@rule("figure")
def qualifier_before_the_number(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A qualifier the text writes right before the number ('more than 30') is the figure's.

    The qualifiers are the documented ones ('at least', 'nearly', 'up to' …); the written form
    and the excerpt may not be narrowed to leave one out.
    """
    if read_written(figure.written).qualifier is not None:
        return
    at = _written_at(figure, ctx)
    if at is None:
        return
    passage, start, end = at
    qualifier = qualifier_before(passage.text[max(0, start - 40) : start])
    if qualifier == "over" and over_is_a_period(
        passage.text[max(0, start - 80) : start - len("over ")], passage.text[start - 5 : end + 30]
    ):
        return  # "diverted … over six years": the period, not "more than"
    if qualifier is not None:
        shown = passage.text[start - len(qualifier) - 1 : end]
        yield Finding(
            ("written",),
            f"the text writes '{shown}': the figure drops the qualifier '{qualifier}'",
            f"write the figure as the text does: written: {shown}, qualifier: {qualifier}",
        )


def _over_a_period(figure: Figure, ctx: Context) -> bool:
    """True if a written form that starts with 'over' is a period of time in the text
    ('over six years', after a verb of what happened in it)."""
    at = _written_at(figure, ctx)
    if at is None:
        return False
    passage, start, end = at
    return over_is_a_period(passage.text[max(0, start - 80) : start], passage.text[start:end])


@rule("figure")
def unit_agrees_with_text(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A unit the text writes with the number ('six-month', '12,000 people', 'a day') is its unit.

    A period in the written form or right after the number ('six-month', 'six weeks') is the
    unit; a rate after it ('40,000 vehicles a day') may not be given another period, in the
    unit or in `counts`; 'people', 'votes' and 'percent' right after the number are the unit.
    """
    at = _written_at(figure, ctx)
    if at is None:
        return
    passage, _, end = at
    words = unit_words(figure.written, passage.text[end : end + 80])
    unit = figure.unit or ""
    periods = periods_of(unit)
    if words.period is not None and words.period not in periods:
        yield Finding(
            ("unit",),
            f"the text counts {words.period}s ('{figure.written}'), but the unit is '{unit}'",
            f"set unit: {words.period}s",
        )
    elif words.rate is not None and periods and words.rate not in periods:
        yield Finding(
            ("unit",),
            f"the text gives a rate per {words.rate}, but the unit is '{unit}'",
            f"give the period the text gives: 'a {words.rate}'",
        )
    elif words.rate is not None and not periods and _other_rates(words.rate, figure.counts):
        yield Finding(
            ("counts",),
            f"the text gives a rate per {words.rate}, but counts says per "
            f"{' or '.join(_other_rates(words.rate, figure.counts))}",
            f"say what the text says: 'each {words.rate}'",
        )
    elif words.noun is not None and not _names_noun(unit, words.noun):
        yield Finding(
            ("unit",),
            f"the text counts {words.noun} ('{figure.written} {words.noun}'), "
            f"but the unit is '{unit}'",
            f"set unit: {_UNIT_OF_NOUN.get(words.noun, words.noun)}",
        )


def _other_rates(rate: str, counts: str) -> list[str]:
    """The rates counts gives, when none of them is the text's ('each week' for 'a day')."""
    rates = rates_in(counts)
    return [] if rate in rates else sorted(rates)


def _names_noun(unit: str, noun: str) -> bool:
    """True if the unit is, or has a word that is, the noun ('people displaced': people)."""
    names = UNIT_NOUNS[noun]
    folded = unit.casefold()
    return folded in names or any(word in names for word in folded.split())


_UNIT_OF_NOUN = {"vote": "votes", "percentage": "percent"}


@rule("figure")
def range_recorded_as_range(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A number at one end of a range in the text ('between 3 and 5') is recorded as the range.

    'between $12 million and $15 million' is the range 12,000,000 to 15,000,000, not $12 million;
    so are '$12 million to $15 million' and '$12-15 million' (not a tally such as '7-2', nor a
    change such as 'rose from 3 to 5 percent').
    """
    if figure.range is not None or figure.tally is not None:
        return
    at = _written_at(figure, ctx)
    if at is None:
        return
    passage, start, end = at
    for low, high in ranges_in(passage.text):
        if start < high and low < end and not (start <= low and high <= end):
            shown = passage.text[low:high]
            between = passage.text[max(0, low - 8) : low]
            written = between if between.casefold() == "between " else ""
            yield Finding(
                ("written",),
                f"'{figure.written}' is one end of the range '{shown}' in the text",
                f"record the range: written: {written}{shown}, with range (low, high)",
            )
            return


# Kinds that can stand in one another's place as the owner of what a figure counts: a pledge
# may be a state's or a union's, a budget a council's or a group's.
_FAMILY = {"person": "person", "place": "place", "state": "body", "organisation": "body"}


@rule("figure")
def counts_names_the_figures_actors(figure: Figure, ctx: Context) -> Iterator[Finding]:
    """A figure's `counts` names the actor its paragraph names, not another of the same kind.

    An actor that `counts` names is named in the figure's paragraph if the paragraph names
    another of its kind: 'aid pledged by the United States' is refused for a paragraph that gives the aid to the
    European Union and never names the United States. An actor is named by its name, an alias or
    the article's description of it; persons are one kind, places another, and states,
    organisations and groups a third. A paragraph that names no other actor of that kind may
    refer to one named before it ('the bloc'), and is not read.
    """
    names = ctx.names
    wanted = names.actors_in(tokens(fold(figure.counts))) & set(ctx.actors)
    if not wanted:
        return
    passage = ctx.passage(figure.source.paragraph)
    if passage is None:
        return
    named = names.actors_in(tokens(passage.text)) & set(ctx.actors)
    kinds = ctx.actor_kinds
    for actor in sorted(wanted - named):
        family = _FAMILY.get(kinds[actor], "body")
        others = sorted(o for o in named - wanted if _FAMILY.get(kinds[o], "body") == family)
        if others:
            listed = ", ".join(f"'{other}' ({ctx.name(other)})" for other in others[:3])
            yield Finding(
                ("counts",),
                f"counts names '{actor}' ({ctx.name(actor)}), which paragraph "
                f"{figure.source.paragraph} does not name; it names {listed}",
                "name in counts the actor the paragraph gives the figure to",
            )
