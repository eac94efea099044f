"""Reading a number as the article writes it: "At least 10,000", "$4.1 million", "six-month",
"between 3 and 5", "12-0", "2-3 with 10 abstentions", "tens of thousands".

Number words are read by text2num (`text_to_num`), a maintained parser; this module only finds
them, applies "million" and "billion" to digits, and knows the few words text2num leaves
alone because they are not numerals ("twice", "a dozen", "decade").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from text_to_num import text2num

from ..model import QUALIFIERS

_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
# Words that give a number although they are not numerals.
_WORD_NUMBERS = {
    "twice": 2,
    "thrice": 3,
    "single": 1,
    "dozen": 12,
    "half": 0.5,
    "decade": 10,
    "century": 100,
    "pair": 2,
    "both": 2,
}
# Words that say "many" without a number: "millions", "tens of thousands", "dozens".
_VAGUE = frozenset(
    "tens hundreds thousands millions billions trillions dozens scores several few many "
    "numerous countless multiple".split()
)
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion trillion""".split()
)
# Ordinals in words, as the numbers they count ("his fourth appearance", "the twenty-first"),
# read as "23rd" is: the cardinal in their place.
_ORDINALS = {
    "first": "one",
    "second": "two",
    "third": "three",
    "fifth": "five",
    "eighth": "eight",
    "ninth": "nine",
    "twelfth": "twelve",
    **{
        word + "th": word
        for word in """four six seven ten eleven thirteen fourteen fifteen sixteen seventeen
        eighteen nineteen hundred thousand million billion""".split()
    },
    **{
        word[:-1] + "ieth": word
        for word in "twenty thirty forty fifty sixty seventy eighty ninety".split()
    },
}
# What an ordinal may end ("twenty-first", "one hundred and first"); after any other number it
# is a fraction or a unit ("one second", "two thirds"), not an ordinal.
_BEFORE_ORDINAL = frozenset(
    "twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion and".split()
)
_CURRENCIES = {
    "$": "dollar",
    "us$": "dollar",
    "€": "euro",
    "£": "pound",
    "¥": "yen",
    "dollar": "dollar",
    "dollars": "dollar",
    "euro": "euro",
    "euros": "euro",
    "pound": "pound",
    "pounds": "pound",
    "yen": "yen",
    "yuan": "yuan",
}
# Units that name a currency, by the currency they name.
CURRENCY_UNITS = {
    "dollar": {"usd", "cad", "aud", "nzd", "hkd", "sgd", "dollars", "us dollars"},
    "euro": {"eur", "euros"},
    "pound": {"gbp", "pounds", "pounds sterling"},
    "yen": {"jpy", "yen"},
    "yuan": {"cny", "rmb", "yuan"},
}
PERCENT_UNITS = {"percent", "per cent", "%", "percentage points"}
_TOKEN = re.compile(
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<word>[a-z]+(?:-[a-z]+)*)"
    r"|(?P<symbol>us\$|[$€£¥%])"
    r"|(?P<dash>[-\u2013\u2014]|\bto\b)"
)
_QUALIFIER_PATTERN = re.compile(
    r"^(?:" + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True)) + r")\b"
)


@dataclass
class Reading:
    """What a written number says."""

    numbers: list[float] = field(default_factory=list)
    vague: bool = False
    qualifier: str | None = None
    currency: str | None = None
    percent: bool = False
    abstentions: float | None = None
    unreadable: str | None = None


def _words_to_number(words: list[str]) -> float | None:
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:
        return None


def _is_number_word(word: str) -> bool:
    return all(part in _NUMBER_WORDS for part in word.split("-"))


@lru_cache(maxsize=4096)
def read_written(written: str) -> Reading:
    """Read the numbers in a figure's written form, in order."""
    text = written.lower().replace("\u2019", "'").replace("per cent", "percent")
    reading = Reading()
    stripped = text.strip()
    qualifier = _QUALIFIER_PATTERN.match(stripped)
    if qualifier:
        following = stripped[qualifier.end() :].split()
        first = following[0] if following else ""
        number_follows = first[:1].isdigit() or first[:1] in "$€£¥" or _is_number_word(first)
        if number_follows or qualifier.group() != "some":  # "some of them" is no qualifier
            reading.qualifier = qualifier.group()
    items = [
        (match.lastgroup, match.group())
        for match in _TOKEN.finditer(text)
        if not (reading.qualifier and match.start() < len(reading.qualifier))
    ]
    run: list[str] = []
    pending_article = False

    def flush() -> None:
        nonlocal run
        if run:
            number = _words_to_number([w for w in run if w != "and"] if run[-1] != "and" else run)
            if number is None:
                reading.unreadable = " ".join(run)
            else:
                reading.numbers.append(number)
        run = []

    scalable = False  # the last number can take a scale: "4.1 million", "half a million"
    for kind, token in items:
        if kind == "digits":
            flush()
            reading.numbers.append(Decimal(token.replace(",", "")))  # type: ignore[arg-type]
            pending_article = False
            scalable = True
            continue
        if kind == "symbol":
            flush()
            if token == "%":
                reading.percent = True
            else:
                reading.currency = _CURRENCIES[token]
            continue
        if kind == "dash":
            flush()
            continue
        parts = [token] if _is_number_word(token) else token.split("-")
        for part in parts:
            if part in _SCALES and scalable and not run:
                reading.numbers[-1] *= _SCALES[part]
                scalable = False
                continue
            if part in ("a", "an") and scalable and reading.numbers[-1] == Decimal("0.5"):
                continue  # "half a million"
            scalable = part == "half"
            ordinal = _ORDINALS.get(part)
            if ordinal is not None and (not run or run[-1] in _BEFORE_ORDINAL):
                run.append(ordinal)  # "fourth", "twenty-first": the number ends here
                flush()
            elif _is_number_word(part) or (part == "and" and run):
                if pending_article and part in ("hundred", "thousand", "million", "billion"):
                    run.append("one")
                run.append(part)
            elif part in ("a", "an"):
                flush()
                pending_article = True
                continue
            elif part in _WORD_NUMBERS:
                flush()
                reading.numbers.append(Decimal(str(_WORD_NUMBERS[part])))  # type: ignore[arg-type]
            elif part in _VAGUE:
                flush()
                reading.vague = True
            elif part in _CURRENCIES:
                flush()
                reading.currency = _CURRENCIES[part]
            elif part == "percent":
                flush()
                reading.percent = True
            elif part in ("abstention", "abstentions", "abstaining", "abstained"):
                flush()
                if len(reading.numbers) > 2:  # "2-3 with 10 abstentions"; not "14 abstentions"
                    reading.abstentions = float(reading.numbers.pop())
            else:
                flush()
            pending_article = False
    flush()
    reading.numbers = [float(number) for number in reading.numbers]
    if reading.vague and reading.numbers and _vague_multiple(text):
        reading.numbers = []  # "several hundred", "tens of thousands": no number is given
    return reading


_VAGUE_MULTIPLE = re.compile(
    r"\b(?:tens|hundreds|thousands|millions|dozens|scores|several|few|many)"
    r"(?: of)? (?:hundreds?|thousands?|millions?|billions?|trillions?)\b"
)


def _vague_multiple(text: str) -> bool:
    return bool(_VAGUE_MULTIPLE.search(text))


def scale_range(numbers: list[float]) -> list[float]:
    """'3 to 5 million' means 3 million to 5 million: a scale after the last applies to all."""
    if len(numbers) == 2 and numbers[0] < 1000 <= numbers[1]:
        for scale in (10**12, 10**9, 10**6, 10**3):
            base = numbers[1] / scale
            if numbers[1] % scale == 0 and numbers[0] < base:
                return [numbers[0] * scale, numbers[1]]
    return numbers


def same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def show(number: float) -> str:
    return f"{int(number)}" if number == int(number) else f"{number:g}"


# --- what the text writes around a figure's number ---------------------------------------------

_QUALIFIER_BEFORE = re.compile(
    r"\b(" + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True)) + r")\s+$"
)


def qualifier_before(text: str) -> str | None:
    """The qualifier that text ends with ('found corrosion in more than ' ends with 'more than'),
    the longest one ('no more than', not 'more than'), or None."""
    found = _QUALIFIER_BEFORE.search(text[-40:].lower())
    return found.group(1) if found else None


_NUMBER_WORD_PATTERN = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|million|billion|trillion)"
)
NUMBER_PATTERN = (
    r"(?:us\$|[$€£¥])?\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|trillion|thousand|bn|mn|m|k)\b)?"
    rf"|\b{_NUMBER_WORD_PATTERN}(?:[\s-]+(?:and\s+)?{_NUMBER_WORD_PATTERN})*\b"
)
_UNIT_AFTER = r"(?:\s?(?:%|percent\b|per cent\b))?"
_RANGE = re.compile(
    r"\bbetween\s+(?:(?:"
    + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + rf")\s+)?(?P<low>(?:{NUMBER_PATTERN}){_UNIT_AFTER})\s+and\s+(?P<high>(?:{NUMBER_PATTERN}){_UNIT_AFTER})"
)


_MONEY = r"(?:us\$|[$€£¥])"
_DIGITS = r"\d[\d,]*(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|billion|trillion|thousand|bn|mn|m|k)\b)"
_PERCENT = r"(?:\s?(?:%|percent\b|per cent\b))"
# '$12 million to $15 million', '$12-15 million', '3 to 5 percent': two numbers joined by 'to'
# or a dash, with a currency on both or a scale or percent on the high one (so not a tally,
# '7-2', '312 to 201').
_SPAN = re.compile(
    rf"(?<![\d,.])(?P<low>{_MONEY}{_DIGITS}{_SCALE}?)\s*(?:to|-|\u2013)\s*"
    rf"(?P<high>{_MONEY}{_DIGITS}{_SCALE}?)(?![\d,.]\d)"
    rf"|(?<![\d,.])(?P<low2>{_MONEY}?{_DIGITS})\s*(?:to|-|\u2013)\s*"
    rf"(?P<high2>{_MONEY}?{_DIGITS}(?:{_SCALE}|{_PERCENT}))"
)
# Words before 'X to Y' that make it a change, not a range ('rose from 3 to 5 percent').
_CHANGE = re.compile(
    r"\b(?:from|by|up|down|rose|fell|grew|jumped|dropped|climbed|cut|rise|fall|rising|falling"
    r"|increased|decreased|raised|lowered|reduced|boosted|slashed|trimmed|changed)\s+$"
)


def ranges_in(text: str) -> list[tuple[int, int]]:
    """Where text writes a range ('between $12 million and $15 million', '$12-15 million'):
    from the start of the low end to the end of the high end, for each range, in order."""
    lowered = text.lower()
    found = [(match.start("low"), match.end("high")) for match in _RANGE.finditer(lowered)]
    for match in _SPAN.finditer(lowered):
        low, high = (
            (match.start("low"), match.end("high"))
            if match.group("low")
            else (
                match.start("low2"),
                match.end("high2"),
            )
        )
        if any(start <= low < end for start, end in found):
            continue  # part of 'between ... and ...'
        if not _CHANGE.search(lowered[max(0, low - 30) : low]):
            found.append((low, high))
    return sorted(found)


# Units of time, as a unit or a rate ("six-month", "a day"), by the period they name.
PERIODS = {
    "hour": "hour",
    "hours": "hour",
    "hourly": "hour",
    "day": "day",
    "days": "day",
    "daily": "day",
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "month": "month",
    "months": "month",
    "monthly": "month",
    "year": "year",
    "years": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
}
# Nouns that, written right after the number, are its unit, with the units that name them.
UNIT_NOUNS = {
    "people": {"people", "persons", "person", "individuals"},
    "votes": {"votes", "vote"},
    "vote": {"votes", "vote"},
    "percent": PERCENT_UNITS,
    "percentage": PERCENT_UNITS,
}
_RATE = re.compile(r"^(?:[^\W\d_]+\s+){0,3}?(?:a|an|per|each|every)\s+(hour|day|week|month|year)\b")


@dataclass(frozen=True)
class UnitWords:
    """The unit words a text writes with a number: a period the number counts ('six-month',
    '40 days'), a rate after it ('vehicles a day'), a noun that is its unit ('12,000 people')."""

    period: str | None = None
    rate: str | None = None
    noun: str | None = None


def unit_words(written: str, after: str) -> UnitWords:
    """Read the unit words of a written number and of the text right after it."""
    lowered = written.lower()
    parts = [part for word in lowered.split() for part in word.split("-")]
    period = next((PERIODS[part] for part in parts[1:] if part in PERIODS), None)
    following = after.lower().replace("per cent", "percent")
    if following.startswith("%"):
        following = " percent" + following[1:]
    match = re.match(r"^\s*([^\W\d_]+)", following)
    first = match.group(1) if match else ""
    if period is None and first in PERIODS and first not in ("annual", "daily", "weekly"):
        period = PERIODS[first]
    noun = first if first in UNIT_NOUNS else None
    clause = re.split(r"[,.;:!?()\u2014\u2013]", following, maxsplit=1)[0]
    rate = _RATE.match(clause.strip())
    return UnitWords(period, rate.group(1) if rate else None, noun)


def periods_of(unit: str) -> set[str]:
    """The periods a figure's unit names ('vehicles a day': day; 'months': month)."""
    return {PERIODS[word] for word in re.findall(r"[^\W\d_]+", unit.lower()) if word in PERIODS}


_RATE_WORDS = re.compile(
    r"\b(?:a|an|per|each|every)\s+(hour|day|week|month|year)\b(?!\s+(?:ago|earlier|later|before))"
    r"|\b(hourly|daily|weekly|monthly|yearly|annually|annual)\b"
)


def rates_in(text: str) -> set[str]:
    """The periods a text gives as rates ('each week', 'a day', 'daily'), not 'a year ago'."""
    return {PERIODS[a or b] for a, b in _RATE_WORDS.findall(text.lower())}


# --- 'over' as a period, not a qualifier -------------------------------------------------------

_DURATION_UNITS = (
    "seconds? minutes? hours? days? nights? weeks? weekends? months? years? decades? seasons? "
    "terms? centuries century"
).split()
_OVER_A_PERIOD = re.compile(
    rf"over\s+(?:{NUMBER_PATTERN})[\s-]+(?:{'|'.join(_DURATION_UNITS)})\b", re.IGNORECASE
)
# Words after which a period is a length that 'over' qualifies ('for over six years', 'lasted
# over three hours', 'spent over a decade', 'is over 20 years old').
_LENGTH_TAKERS = frozenset(
    """for of in after within by than to from at under about nearly almost last lasts lasted
    lasting take takes took taken taking span spans spanned spanning spend spends spent
    spending serve serves served serving wait waits waited waiting run runs ran running
    stretch stretches stretched stretching is was were are be been being am aged age ages""".split()
)


def over_is_a_period(before: str, from_over: str) -> bool:
    """True when 'over' before a number of a unit of time is the preposition of a period, "during"
    ('diverted $412,000 … over six years', 'talks over three days'), not the qualifier 'more
    than' ('over 500 people'; 'for over six years', 'lasted over three hours', where the period
    is a length that 'over' qualifies). `before` is the text before 'over', `from_over` the text
    from it on."""
    if not _OVER_A_PERIOD.match(from_over):
        return False
    words = re.findall(r"[^\W\d_]+", before.lower())
    return not words or words[-1] not in _LENGTH_TAKERS
