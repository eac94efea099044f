"""Part of the render stage: the pictures of a fact sheet, as plain SVG made at build time.

Two pictures, where readers would rather look than read:

* a timeline of the article's dated events and deadlines on a time axis, each drawn as
  precisely as the text dates it (a year as a year-long band, a day as a dot), with the
  "as of" date of the build;
* for each unit that several figures share, the figures side by side as bars. Figures in
  different units are never put on one axis: people, crossings and dollars do not compare.

The SVG comes from templates in generator/templates/pictures/, rendered with HTML escaping
(every text from YAML is escaped there); each picture has a title and a description for
screen readers, and the page lists the same facts as text next to it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .escape import svg_text
from .model import Event, Figure, Question, precision
from .provenance.dates import interval

_WIDTH = 480  # the viewBox: narrow enough that text stays legible when a phone scales it
_LEFT, _RIGHT = 20, 20


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("generator", "templates/pictures"),
        autoescape=True,
        finalize=svg_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV = _environment()


@dataclass(frozen=True)
class Mark:
    """One thing on the timeline: an event or a deadline, where it falls and how wide it is."""

    number: int
    anchor: str
    label: str  # the date as the page shows it
    text: str
    x: float
    width: float  # 0 for a day
    row: int
    deadline: bool
    passed: bool


def timeline_svg(
    events: list[Event],
    questions: list[Question],
    as_of: datetime.date,
    title: str,
    article_date: datetime.date | None = None,
) -> Markup:
    """The article's events and deadlines on one time axis, which runs to the article's date
    (or its last deadline), not to the day the site is built: a 2021 article's events would
    otherwise pile into one column. The build date is marked only when it falls within."""
    items: list[tuple[str, str, str, bool]] = [
        (event.date, f"event-{event.id}", event.what, False) for event in events
    ]
    items += [
        (q.deadline, f"question-{q.id}", q.question, True)
        for q in questions
        if q.deadline is not None and q.status == "open"
    ]
    if not items:
        return Markup("")
    items.sort(key=lambda item: interval(item[0])[0])
    first = min(interval(date)[0] for date, *_ in items)
    last = max(interval(date)[1] for date, *_ in items)
    if article_date is not None:
        last = max(last, article_date)
    if article_date is None:
        last = max(last, as_of)
    span = max((last - first).days, 1)
    scale = (_WIDTH - _LEFT - _RIGHT) / span

    def x_of(day: datetime.date) -> float:
        return round(_LEFT + (day - first).days * scale, 1)

    marks: list[Mark] = []
    row_ends: list[float] = []
    for number, (date, anchor, text, deadline) in enumerate(items, start=1):
        start, end = interval(date)
        x = x_of(start)
        width = 0.0 if precision(date) == "day" else max(round((end - start).days * scale, 1), 2)
        row = next((r for r, right in enumerate(row_ends) if x > right + 24), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = x + max(width, 0)
        marks.append(
            Mark(number, anchor, _show_date(date), text, x, width, row, deadline, end < as_of)
        )
    rows = len(row_ends)
    axis = 30 + rows * 22
    ticks = _year_ticks(first, last, x_of)
    return Markup(
        _ENV.get_template("timeline.svg.j2").render(
            width=_WIDTH,
            height=axis + 46,
            axis=axis,
            marks=marks,
            ticks=ticks,
            as_of_x=x_of(as_of) if as_of <= last else None,
            as_of=as_of.isoformat(),
            title=title,
            description=_describe(marks, as_of),
        )
    )


def _show_date(partial: str) -> str:
    kind = precision(partial)
    if kind == "year":
        return partial
    day = datetime.date.fromisoformat(partial + ("-01" if kind == "month" else ""))
    return day.strftime("%B %Y") if kind == "month" else f"{day.day} {day:%B %Y}"


def _year_ticks(first: datetime.date, last: datetime.date, x_of: Any) -> list[tuple[float, str]]:
    years = list(range(first.year + 1, last.year + 1))
    step = max(1, -(-len(years) // 6))
    ticks = [(x_of(datetime.date(year, 1, 1)), str(year)) for year in years[::step]]
    if not ticks:  # a span within one year: months
        months = []
        day = datetime.date(first.year, first.month, 1)
        while day <= last:
            if day >= first:
                months.append((x_of(day), day.strftime("%b %Y")))
            day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        ticks = months[:: max(1, -(-len(months) // 5))]
    return ticks


def _describe(marks: list[Mark], as_of: datetime.date) -> str:
    parts = [
        f"{mark.number}: {mark.label}, {'deadline' if mark.deadline else 'event'}"
        + (" (passed)" if mark.deadline and mark.passed else "")
        for mark in marks
    ]
    return (
        f"Timeline of {len(marks)} dated items, as of {as_of.isoformat()}. "
        + "; ".join(parts)
        + ". The list below gives each in full."
    )


# --- figures that share a unit ------------------------------------------------------------------

_PLURAL = re.compile(r"(?<=[a-z])s$")


def unit_key(unit: str | None) -> str:
    """Units compared as one: 'border crossing' and 'border crossings', 'USD' and 'usd'."""
    words = (unit or "").casefold().split()
    if words:
        words[-1] = _PLURAL.sub("", words[-1])
    return " ".join(words)


@dataclass(frozen=True)
class Bar:
    anchor: str
    label: str
    written: str
    low: float
    high: float
    lines: tuple[str, ...]  # the label, wrapped to the chart's width
    offset: int  # from the top of the bars
    open: bool  # 'at least', 'more than': the number is a floor, drawn with an open end


_LABEL_CHARACTERS = 46  # a line of label at the chart's width, read at 390 px
_OPEN_QUALIFIERS = {"at least", "more than", "over", "upwards of"}


def _wrap(text: str) -> tuple[str, ...]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > _LABEL_CHARACTERS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return (*lines, line) if line else tuple(lines)


def comparable_groups(figures: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """Figures with a number, grouped by unit, for the units that two or more share."""
    groups: dict[str, list[Figure]] = {}
    for figure in figures:
        if figure.tally is None and (figure.value is not None or figure.range is not None):
            groups.setdefault(unit_key(figure.unit), []).append(figure)
    return [(key, group) for key, group in groups.items() if key and len(group) >= 2]


def comparison_svg(unit: str, figures: list[Figure]) -> Markup:
    """Figures in one unit as bars on one axis from zero, each under its full label, with a
    visible title naming the unit and a source line, legible when a phone scales it down."""
    bars = []
    offset = 0
    for figure in figures:
        if figure.range is not None:
            low, high = float(figure.range.low), float(figure.range.high)
        else:
            low = high = float(figure.value or 0)
        lines = _wrap(figure.counts[:1].upper() + figure.counts[1:])
        is_open = (figure.qualifier or "") in _OPEN_QUALIFIERS
        bars.append(
            Bar(
                f"figure-{figure.id}",
                figure.counts,
                figure.written,
                low,
                high,
                lines,
                offset,
                is_open,
            )
        )
        offset += len(lines) * 18 + 30
    top_value = max(bar.high for bar in bars) or 1.0
    value_width = 150
    scale = (_WIDTH - value_width) / top_value
    shown = figures[0].unit or unit
    title = f"Figures in {shown}, on one scale from zero"
    return Markup(
        _ENV.get_template("compare.svg.j2").render(
            width=_WIDTH,
            height=30 + offset + 22,
            top=30,
            bars=bars,
            scale=scale,
            unit=unit,
            title=title,
            source="Source: the article, as each figure's card cites it",
            description="; ".join(f"{bar.written}: {bar.label}" for bar in bars),
        )
    )
