"""Dates as news writing gives them: "last Friday", "this month", "by the end of July",
"midnight July 10", "in 2019".

A phrase is resolved against the article's date with dateparser, a maintained parser, once
looking back and once looking ahead ("Tuesday" in a Monday paper can be either), and gives an
interval and a precision. A fact's date agrees with the phrase when it falls in that interval
and claims no more precision than the phrase gives.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..model import precision

_PRECISIONS = {"year": 0, "month": 1, "week": 2, "day": 3}
_MONTHS = "january february march april may june july august september october november december"
_MONTH_NAMES = _MONTHS.split()
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH}),? (\d{{4}})\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH}),? (\d{{4}})\b")
# Words around a date that do not change which day, month or year it is.
_PREFIX = re.compile(
    r"^(?:(?:by|before|until|till|on|at|since|from|as of|no later than|"
    r"the end of|end of|the beginning of|beginning of|the start of|start of|the middle of|"
    r"the close of|early|late|earlier|later|midnight|noon|"
    r"the morning of|the evening of|the night of)\b\s*|mid-|mid\s+)+"
)
_SUFFIX = re.compile(r"\s*(?:at )?(?:midnight|noon|morning|afternoon|evening|night)$")
_BARE = {"the month": "this month", "the year": "this year", "the week": "this week"}


@dataclass(frozen=True)
class Resolved:
    """A phrase resolved against a date: the interval it names and how precise it is."""

    first: datetime.date
    last: datetime.date
    precision: str  # year, month, week or day

    def describe(self) -> str:
        if self.precision == "day":
            return self.first.isoformat()
        if self.precision == "month":
            return self.first.isoformat()[:7]
        if self.precision == "year":
            return str(self.first.year)
        return f"the week of {self.first.isoformat()}"


def interval(partial: str) -> tuple[datetime.date, datetime.date]:
    """The days a partial date covers: '2021' is the whole year, '2021-07' the month."""
    parts = [int(part) for part in partial.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
    if len(parts) == 2:
        days = calendar.monthrange(parts[0], parts[1])[1]
        return datetime.date(parts[0], parts[1], 1), datetime.date(parts[0], parts[1], days)
    day = datetime.date(parts[0], parts[1], parts[2])
    return day, day


# "year's end", "year-end", "next year's end": the end of the year, as "the end of the year".
_PERIOD_END = re.compile(r"\b(?:the )?(?:(last|this|next) )?(year|month|week)(?:'s |-| )end\b")


def _normalise(phrase: str) -> str:
    text = " ".join(phrase.lower().replace("\u2019", "'").split()).strip(" .,;:")
    text = _PERIOD_END.sub(
        lambda found: f"the end of {found.group(1) or 'the'} {found.group(2)}", text
    )
    text = _PREFIX.sub("", text)
    text = _SUFFIX.sub("", text).strip()
    return _BARE.get(text, text)


_parsers: dict[str, Any] = {}


def _parser(prefer: str, base: datetime.date) -> Any:
    from dateparser.date import DateDataParser  # imported only when a phrase needs it

    settings = {
        "RELATIVE_BASE": datetime.datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": prefer,
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DAY_OF_MONTH": "first",
    }
    return DateDataParser(languages=["en"], settings=settings)


_YEAR_ONLY = re.compile(r"^(?:in |the year )?(\d{4})$")
_MONTH_ONLY = re.compile(rf"^(?:in )?({_MONTH})(?:,? (\d{{4}}))?$")
_MONTH_THEN_DAY = re.compile(rf"^({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?$")
_DAY_THEN_MONTH = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH})(?:,? (\d{{4}}))?$")


def _absolute(text: str, base: datetime.date) -> tuple[Resolved, ...] | None:
    """Dates written out ('2019', 'July', 'July 10', '10 July 2021'): read here, without a
    parser; a missing year is the one that puts the date nearest the article's date."""
    if found := _YEAR_ONLY.match(text):
        return (_widen(datetime.date(int(found.group(1)), 1, 1), "year"),)
    if found := _MONTH_ONLY.match(text):
        month, year = found.groups()
        return _nearest(base, _month_number(month), None, int(year) if year else None)
    found = _MONTH_THEN_DAY.match(text) or _DAY_THEN_MONTH.match(text)
    if found:
        first, second, year = found.groups()
        month, day = (first, second) if not first.isdigit() else (second, first)
        return _nearest(base, _month_number(month), int(day), int(year) if year else None)
    return None


_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_SHIFTS = {"last": -1, "this": 0, "next": 1}
_NUMBERS = {
    word: n for n, word in enumerate("one two three four five six seven eight nine ten".split(), 1)
}
_RELATIVE_DAY = re.compile(
    r"^(?:(last|this|next) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$"
)
_RELATIVE_PERIOD = re.compile(r"^(?:(?:earlier|later) )?(last|this|next) (week|month|year)$")
_AGO = re.compile(
    r"^(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten) (day|week|month|year)s? ago$"
)


def _relative(text: str, base: datetime.date) -> tuple[Resolved, ...] | None:
    """The relative dates news writing uses most ('Friday', 'last week', 'next month', 'two
    days ago'), read here as dateparser reads them, but much faster; None for anything else.

    One difference, on purpose: a bare weekday that is the article's own weekday ('on Monday'
    in a Monday paper) may be the article's day itself, as well as a week before or after.
    """
    if text in ("today", "yesterday", "tomorrow"):
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[text]
        return (_widen(base + datetime.timedelta(days=offset), "day"),)
    if found := _RELATIVE_DAY.match(text):
        shift, name = found.groups()
        ahead = (_WEEKDAYS.index(name) - base.weekday()) % 7  # 0 when it is the base's weekday
        coming = base + datetime.timedelta(days=ahead or 7)
        previous = coming - datetime.timedelta(days=7 if ahead else 14)
        days = {
            None: [previous, coming] + ([base] if not ahead else []),
            "last": [previous],
            "this": [base + datetime.timedelta(days=ahead)],
            "next": [coming],
        }[shift]
        return tuple(_widen(day, "day") for day in sorted(set(days)))
    if found := _RELATIVE_PERIOD.match(text):
        shift, unit = _SHIFTS[found.group(1)], found.group(2)
        return (_widen(_moved(base, unit, shift), unit),)
    if found := _AGO.match(text):
        count, unit = found.groups()
        number = int(count) if count.isdigit() else _NUMBERS[count]
        return (_widen(_moved(base, unit, -number), unit),)
    return None


def _moved(base: datetime.date, unit: str, count: int) -> datetime.date:
    """The base moved by whole days, weeks, months or years (a month keeps the 1st)."""
    if unit == "day":
        return base + datetime.timedelta(days=count)
    if unit == "week":
        return base + datetime.timedelta(weeks=count)
    if unit == "month":
        months = base.year * 12 + base.month - 1 + count
        return datetime.date(months // 12, months % 12 + 1, 1)
    return datetime.date(base.year + count, 1, 1)


def _month_number(name: str) -> int:
    return next(
        n for n, full in enumerate(_MONTH_NAMES, 1) if full.startswith(name.rstrip(".")[:3])
    )


def _nearest(
    base: datetime.date, month: int, day: int | None, year: int | None
) -> tuple[Resolved, ...]:
    years = [year] if year else [base.year - 1, base.year, base.year + 1]
    readings = []
    for candidate in years:
        try:
            first = datetime.date(candidate, month, day or 1)
        except ValueError:
            continue
        readings.append(_widen(first, "day" if day else "month"))
    return tuple(readings)


@lru_cache(maxsize=8192)
def resolve(phrase: str, base: datetime.date, *, past: bool = False) -> tuple[Resolved, ...]:
    """Every reading of a date phrase against the article's date (looking back and ahead).

    Dates written out are read directly; relative phrases ('last Friday', 'this month', 'next
    week') go to dateparser, once preferring the past and once the future. With past, as for
    the date of a verb in the past tense ('announced on Friday'), only the readings that do
    not start after the article's date.
    """
    text = _normalise(phrase)
    if not text:
        return ()
    try:
        written = _absolute(text, base) or _relative(text, base)
        readings = written if written is not None else _parsed(text, base)
        if past:
            readings = tuple(reading for reading in readings if reading.first <= base)
        return _keep_nearest(readings, base)
    except (OverflowError, ValueError):
        # A reading past either end of Python's calendar ('tomorrow' from 9999-12-31). The
        # schema keeps article dates far from both ends; here such a phrase has no reading.
        return ()


def _parsed(text: str, base: datetime.date) -> tuple[Resolved, ...]:
    """A phrase read by dateparser, once preferring the past and once the future."""
    found = []
    for prefer in ("past", "future"):
        data = _parser(prefer, base).get_date_data(text)
        if data.date_obj is None:
            continue
        day = data.date_obj.date()
        period = data.period if data.period in _PRECISIONS else "day"
        if period == "day" and not re.search(r"\d|day|yesterday|today|tomorrow|night", text):
            period = "month" if _month_only(text) else period
        found.append(_widen(day, period))
    return tuple(dict.fromkeys(found))


def _keep_nearest(readings: tuple[Resolved, ...], base: datetime.date) -> tuple[Resolved, ...]:
    """ "July 10" in a paper of June 28 is the coming July 10, not last year's: keep the readings
    nearest the article's date (within a week of the nearest, so that a bare "Tuesday" keeps
    both the past and the coming one)."""
    nearest = min((_distance(reading, base) for reading in readings), default=0)
    return tuple(reading for reading in readings if _distance(reading, base) <= nearest + 7)


def _distance(reading: Resolved, base: datetime.date) -> int:
    if reading.first <= base <= reading.last:
        return 0
    return min(abs((reading.first - base).days), abs((reading.last - base).days))


def _month_only(text: str) -> bool:
    return any(name in text for name in _MONTH_NAMES) and not re.search(r"\d", text)


def _widen(day: datetime.date, period: str) -> Resolved:
    if period == "year":
        return Resolved(datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), "year")
    if period == "month":
        first, last = interval(f"{day.year:04d}-{day.month:02d}")
        return Resolved(first, last, "month")
    if period == "week":
        monday = day - datetime.timedelta(days=day.weekday())
        return Resolved(monday, monday + datetime.timedelta(days=6), "week")
    return Resolved(day, day, "day")


def disagreement(date: str, readings: tuple[Resolved, ...]) -> str | None:
    """Why a fact's date does not agree with any reading of its phrase; None when it does."""
    first, last = interval(date)
    claimed = precision(date)
    reasons = []
    for reading in readings:
        finer = _PRECISIONS[claimed] > _PRECISIONS[reading.precision]
        if finer and not (claimed == "month" and reading.precision == "week"):
            reasons.append(f"it gives only {reading.precision} precision")
            continue
        if reading.precision == "week":
            if first <= reading.last and reading.first <= last:
                return None
        elif first <= reading.first and reading.last <= last:
            return None
        reasons.append(f"it reads as {reading.describe()}")
    if reasons:
        return "; ".join(dict.fromkeys(reasons))
    return (
        "the rules read no date in these words (they read days, weeks, months, years and dates "
        "such as 'last Friday' or 'in March', not seasons, terms or holidays): if the date is "
        "right, point date_source at words that print it, or say why in a review"
    )


def written_dates(excerpt: str) -> set[str]:
    """The absolute dates an excerpt prints, as partial dates ('2014', '2021-06', '2021-06-28')."""
    text = excerpt.lower()
    found = {match.group(1) for match in _YEAR.finditer(text)}
    for month, day, year in _MONTH_DAY_YEAR.findall(text):
        found.add(_iso(year, month, day))
    for day, month, year in _DAY_MONTH_YEAR.findall(text):
        found.add(_iso(year, month, day))
    for month, year in _MONTH_YEAR.findall(text):
        found.add(_iso(year, month))
    return {date for date in found if date}


def _iso(year: str, month: str, day: str | None = None) -> str:
    number = next(
        (n for n, name in enumerate(_MONTH_NAMES, 1) if name.startswith(month.rstrip(".")[:3])),
        0,
    )
    if not number:
        return ""
    text = f"{int(year):04d}-{number:02d}"
    if day is not None:
        try:
            datetime.date(int(year), number, int(day))
        except ValueError:
            return ""
        text += f"-{int(day):02d}"
    return text


# Verbs in the past tense that do not end in -ed, as news writing uses them.
_IRREGULAR_PAST = frozenset(
    """said told met found held made took gave went came began won lost saw left spoke wrote
    sent paid brought fell rose struck became broke chose drove fled flew fought got grew hung
    knew led meant ran rang sold shot sat stood stole swore taught thought threw understood
    woke wore withdrew overtook undertook arose awoke bought caught dealt drew forgave froze
    hid laid lay mistook rode sought sank slid spent spun stuck stung strove swept swam swung
    tore trod upheld wept won wound""".split()
)
# Words that may stand between a verb and its date ('announced late on Friday').
_BETWEEN_VERB_AND_DATE = frozenset("late early again also only first publicly formally".split())
# Words before a participle that make it no simple past ('will be held on Friday').
_NOT_PAST = frozenset("be been being will would shall should to can could may might must".split())
# Words that start a date phrase that does not date the verb's own time ('postponed until').
_NOT_THE_VERBS_TIME = frozenset("until till by before after since from through".split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def is_past_tense(word: str) -> bool:
    """A verb in the past tense: one of the common irregular ones, or a word ending in -ed
    ('announced'), not 'need', 'hundred' or 'red'."""
    word = word.lower()
    if word in _IRREGULAR_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed") and word != "hundred"


def told_in_the_past(before: str, phrase: str, after: str = "") -> bool:
    """True when a date phrase dates a verb in the past tense written right before it
    ('Ruiz announced on Friday', 'the vote was held on Tuesday'), or, when the phrase starts
    its sentence, the first verb after it ('On Friday, Mayor Ruiz announced'): then a relative
    date such as 'on Friday' is read backward only. Not for 'will be held on Friday',
    'postponed until Friday' or 'On Friday, the council will vote'."""
    first = _WORD.match(phrase.strip().lower())
    if first is not None and first.group() in _NOT_THE_VERBS_TIME:
        return False
    if not _readable(phrase):
        return False  # words that name no date the rules can read date no verb either
    if not before.strip() or re.search(r"[.;:!?\u2014\u2013]\s*$", before):
        return _past_verb_follows(after)
    if re.search(r",\s*$", before):
        return False  # the phrase starts a clause of its own: no verb right before it
    words = _WORD.findall(before.lower())[-6:]
    while words and words[-1] in _BETWEEN_VERB_AND_DATE:
        words.pop()
    # The agent of a participle between it and its date: 'a suit filed by the board in March'.
    if "by" in words[-5:]:
        by = len(words) - 1 - words[::-1].index("by")
        if by > 0 and is_past_tense(words[by - 1]):
            words = words[:by]
    # A short object between the verb and its date: 'announced the closure on Friday'.
    for back in range(len(words) - 1, max(len(words) - 4, 0), -1):
        if words[back] in _DETERMINERS:
            if back > 0 and is_past_tense(words[back - 1]):
                words = words[:back]
            break
    if not words or not is_past_tense(words[-1]) or words[-1] in _PLANNED:
        return False
    return not (len(words) > 1 and words[-2] in _NOT_PAST)


def _readable(phrase: str) -> bool:
    """True if the rules read a date in the phrase (from any article's date: 'last season' is
    read from none)."""
    return bool(resolve(phrase, _ANY_DAY))


_ANY_DAY = datetime.date(2000, 6, 15)


def _past_verb_follows(after: str) -> bool:
    """True when the first verb in the words after a fronted date is in the past tense
    ('On Friday, Mayor Ana Ruiz announced'), within five words and before any other verb."""
    words = _WORD.findall(re.split(r"[.;:!?]", after, maxsplit=1)[0].lower())[:6]
    for index, word in enumerate(words):
        if word in _NOT_PAST or word in _PRESENT or word in _FUTURE:
            return False
        if is_past_tense(word) and word not in _PLANNED:
            return not (index and words[index - 1] in _DETERMINERS)
    return False


_PRESENT = frozenset("is are am has have does do says tells".split())
_DETERMINERS = frozenset("the a an its his her their our this that".split())
# Participles that tell a plan, not a past ('scheduled for Friday', 'planned for May').
_PLANNED = frozenset("scheduled planned expected slated proposed intended".split())
_FUTURE = frozenset("will would shall to due scheduled planned expected slated".split())


def told_as_done(what: str) -> bool:
    """True when a curator's sentence tells something as done ('Work began', 'was approved'):
    it has a verb in the past tense and no word of a plan ('is to', 'will', 'scheduled')."""
    words = _WORD.findall(what.lower())
    if any(word in _FUTURE for word in words):
        return False
    return any(
        is_past_tense(word) and not (index and words[index - 1] in _DETERMINERS)
        for index, word in enumerate(words)
    )  # not an adjective after a determiner ('the delayed vote')


def printed_at(excerpt: str, date: str) -> list[tuple[int, int]]:
    """Where an excerpt prints a date ('2014', 'June 2021', 'June 28, 2021'), as spans."""
    text = excerpt.lower()
    found = []
    if len(date) == 4:
        found = [match.span() for match in _YEAR.finditer(text) if match.group(1) == date]
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _MONTH_YEAR):
        for match in pattern.finditer(text):
            groups = match.groups()
            if pattern is _DAY_MONTH_YEAR:
                groups = (groups[1], groups[0], groups[2])
            iso = _iso(groups[-1], groups[0], groups[1] if len(groups) == 3 else None)
            if iso == date:
                found.append(match.span())
    return sorted(found)
