"""Reading a paragraph as a fact-checker does: what is inside quotation marks and what is not.

Everything here works on folded text (see `generator.text.fold`), where every style of double
quotation mark is '"' and every single one is "'". A paragraph's quoted stretches are found by
pairing those marks; a mark left open runs to the end of the paragraph, as news style does when
a quote continues into the next paragraph.

Single quotation marks (U+2018 and U+2019, as British and many other publishers quote, or
straight ones in plain text) share their character with the apostrophe once folded, so a single
mark is read by where it stands: an opening mark follows a space, the start of the paragraph or
an opening bracket, dash or mark, and comes before a word; a closing one follows a word or its
punctuation and comes before a space, punctuation or the end. An apostrophe inside a word
("He's", "I've") is neither; one that starts a word ("'90s", "'em", "rock 'n' roll") is an
elision, not a mark; one after a plural ("the players' union") closes a quotation only if no
other mark does. A quotation in single marks inside one in double marks, or the other way
round, is part of the outer one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..text import find_words

# Words with their inner dots, hyphens and apostrophes ("U.S.", "al-Qaeda", "O'Brien"), and
# every punctuation mark as a token of its own, so that clauses can stop at commas; but not the
# full stop of a title or an initial before a name ("Mr. Henning", "Dwight L. Pemberton"),
# which ends nothing: the title and the initial are words of the name.
_TITLES = "Mr Mrs Ms Dr Prof Gen Gov Sen Rep Lt Col Sgt Capt Cmdr Adm Rev Hon Pres Supt Insp Det"
_NAME_STOP = "".join(f"(?<!\\b{title})" for title in _TITLES.split()) + r"(?<!\b[A-Z])\."
_TOKEN = re.compile(
    r"(?:[^\W_]\.){2,}|[^\W_]+(?:[-'][^\W_]+)*|[,;:!?\u2014\u2013()]"
    rf"|{_NAME_STOP}|\.(?!\s+[A-Z])"
)
# The same tokens, each with the apostrophe that may follow it ("the Tigers' scorer"): no
# token starts with an apostrophe, so taking it along changes no token.
_TOKEN_AND_APOSTROPHE = re.compile(f"({_TOKEN.pattern})('?)")
PUNCTUATION = frozenset(",.;:!?\u2014\u2013()")
POSSESSIVE = "'s"


def tokens(text: str) -> list[str]:
    """Case-folded words and punctuation. A possessive becomes the word and a marker token:
    "Russia's envoy" reads as "russia", "'s", "envoy"."""
    return list(_tokens(text))


@lru_cache(maxsize=1 << 17)
def _tokens(text: str) -> tuple[str, ...]:
    if "'" not in text:  # no possessive: the pattern's own tokens, case-folded
        return tuple(map(str.casefold, _TOKEN.findall(text)))
    return tuple(token for token, _ in _word_tokens(text, 0))


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """One folded paragraph of a seed."""

    number: int
    text: str

    @cached_property
    def quoted(self) -> tuple[Span, ...]:
        """The stretches between paired quotation marks, marks excluded: double marks, and
        single marks told from apostrophes (see the top of this module). A stretch inside
        another is part of it; of two that cross, the one in double marks is kept."""
        double = _double_quoted(self.text)
        single = _single_quoted(self.text) if "'" in self.text else ()
        if not single:
            return double
        kept: list[Span] = []
        for span in sorted([*double, *single], key=lambda span: (span.start, -span.end)):
            if kept and span.start <= kept[-1].end + 1:
                if span.end > kept[-1].end and span in double and kept[-1] not in double:
                    kept[-1] = span  # crossing: the double marks win
                continue  # nested in the one before, or crossing it
            kept.append(span)
        return tuple(kept)

    @cached_property
    def sentence_ends(self) -> list[int]:
        """Where each sentence ends (see `sentence_ends`), found once per paragraph."""
        return sentence_ends(self.text)

    def sentence_around(self, start: int, end: int, reach: int = 600) -> tuple[int, int]:
        """The sentences that hold text[start:end], at most `reach` characters either side (a
        sentence without end reads no further, so that each fact's reading stays short)."""
        ends = self.sentence_ends
        before = bisect_right(ends, start) - 1
        after = bisect_left(ends, end)
        first = ends[before] if before >= 0 else 0
        last = ends[after] if after < len(ends) else len(self.text)
        return max(first, start - reach), min(last, end + reach)

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int:
        """Where needle first stands in text[start:end] as whole words, or -1."""
        return find_words(self.text, needle, start, end)

    def within_quotes(self, start: int, end: int) -> bool:
        """True if text[start:end] lies inside one quoted stretch."""
        return any(span.start <= start and end <= span.end for span in self.quoted)

    def quoted_span_at(self, start: int, end: int) -> Span | None:
        return next((s for s in self.quoted if s.start <= start and end <= s.end), None)

    def unquoted(self, start: int, end: int) -> list[str]:
        """The parts of text[start:end] outside quotation marks, in order."""
        parts = []
        cursor = start
        for span in self.quoted:
            if span.end <= cursor or span.start >= end:
                continue
            if span.start - 1 > cursor:  # up to the opening mark
                parts.append(self.text[cursor : span.start - 1])
            cursor = max(cursor, span.end + 1)  # past the closing mark
        if cursor < end:
            parts.append(self.text[cursor:end])
        return [part for part in parts if part.strip()]


def _double_quoted(text: str) -> tuple[Span, ...]:
    """The stretches between paired double quotation marks; one left open runs to the end."""
    spans = []
    opened = -1
    index = text.find('"')
    while index >= 0:
        if opened < 0:
            opened = index + 1
        else:
            spans.append(Span(opened, index))
            opened = -1
        index = text.find('"', index + 1)
    if opened >= 0:
        spans.append(Span(opened, len(text)))
    return tuple(spans)


# An opening single mark: at the start, or after a space, an opening bracket, a dash or a
# double mark; before a letter, a digit, a double mark or an ellipsis. Not an elision ('90s,
# 'em, 'tis, rock 'n' roll).
_SINGLE_OPENING = re.compile(
    r"""(?:^|(?<=[\s(\[\u2014\u2013"]))'(?=[^\W_]|"|\.\.\.)"""
    r"""(?!\d\ds\b|(?:em|tis|twas|til|cause|cos|n|bout|round)\b)""",
    re.IGNORECASE,
)
# A closing single mark: after a letter, a digit or punctuation that ends words; before a
# space, punctuation or the end. Not the second mark of "'n'".
_SINGLE_CLOSING = re.compile(
    r"""(?<=[^\W_]|[.,;:!?"])(?<!\s'n)'(?=$|[\s.,;:!?)\]\u2014\u2013"])""", re.IGNORECASE
)
# Where a quotation may open and run on to the end of the paragraph unclosed: at the start, or
# after a sentence, a colon, a comma, a dash or a bracket; and it opens with a capital.
_RUNS_ON = re.compile(r"""(?:^|(?<=[.?!:,]\s)|(?<=[\u2014\u2013(]))'(?="?[A-Z0-9])""")


def _single_quoted(text: str) -> tuple[Span, ...]:
    """The stretches between paired single quotation marks (see the top of this module).

    Each opening mark takes the first closing mark after it and before the next opening one;
    a closing mark after an 's' and before a word ("the players' union") is taken only if no
    other is there. An opening mark with no closing one after it runs on to the end of the
    paragraph, as a quotation continued into the next paragraph does, if it opens a sentence
    ("…,' he said. 'Not one."); any other is an apostrophe ("the 'burbs")."""
    openings = [found.start() for found in _SINGLE_OPENING.finditer(text)]
    if not openings:
        return ()
    closings = [found.start() for found in _SINGLE_CLOSING.finditer(text)]
    spans = []
    cursor = -1
    for number, opening in enumerate(openings):
        if opening <= cursor:
            continue  # inside the quotation before
        limit = openings[number + 1] if number + 1 < len(openings) else len(text)
        candidates = [at for at in closings if opening < at < limit]
        strong = [at for at in candidates if not _plural_possessive(text, at)]
        if candidates:
            closing = (strong or candidates)[0]
        elif (closings and closings[-1] > opening) or not _RUNS_ON.match(text, opening):
            continue  # an apostrophe: a later quotation is closed, or this opens no sentence
        else:
            closing = len(text)
        spans.append(Span(opening + 1, closing))
        cursor = closing
    return tuple(spans)


def _plural_possessive(text: str, at: int) -> bool:
    """True if the mark at `at` may be the apostrophe of a plural ("the players' union"): it
    follows an 's', and a space and a word come after it."""
    return text[at - 1 : at] in ("s", "S") and bool(_WORD_FOLLOWS.match(text, at + 1))


_WORD_FOLLOWS = re.compile(r"\s+[^\W\d_]")


# --- sentences and token streams, for reading who speaks -------------------------------------

# A stream is the tokens of a stretch of a paragraph, each with where it starts: words and
# punctuation outside quotation marks as `tokens` gives them, every quoted stretch as one token
# QUOTED, and the end of every sentence as one token BREAK.
QUOTED = '"'
BREAK = "\n"

# Where a sentence ends: '.', '?' or '!' (and a closing mark), then a space and a capital, a
# digit or an opening mark. Abbreviations and initials before the stop do not end one.
_SENTENCE_STOP = re.compile(r"[.?!][\"']?(?=\s+[\"'(]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st mt gen gov sen rep lt col sgt capt cmdr adm prof jr sr rev hon pres supt "
    "insp det no nos vs inc corp co ltd bros dept univ ave blvd rd jan feb mar apr aug sept "
    "sep oct nov dec".split()
)


_WORD_WINDOW = 40


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of a paragraph ends (just past its stop and closing mark)."""
    ends = []
    for found in _SENTENCE_STOP.finditer(text):
        # The word before the stop, from a bounded window: slicing from the paragraph's start
        # at every stop made a long paragraph of short sentences quadratic. No abbreviation
        # is anywhere near this long.
        before = text[max(0, found.start() - _WORD_WINDOW) : found.start()]
        word = before[len(before.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")) :]
        if word.casefold() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            continue
        ends.append(found.end())
    return ends


def _word_tokens(text: str, offset: int) -> list[tuple[str, int]]:
    """The tokens of text (see `tokens`), each with where it starts, counted from offset.

    Read for every fact's excerpt and the sentences around it, so the work is left to the
    pattern: a token that ends in "'s" is a possessive (a word and the marker), and one that
    ends in 's' followed by an apostrophe is a plural possessive."""
    if "'" not in text:
        return [
            (found.group().casefold(), offset + found.start()) for found in _TOKEN.finditer(text)
        ]
    out: list[tuple[str, int]] = []
    append = out.append
    for found in _TOKEN_AND_APOSTROPHE.finditer(text):
        token, apostrophe = found.group(1, 2)
        start = offset + found.start()
        if token.endswith(POSSESSIVE):  # "Russia's"
            append((token[:-2].casefold(), start))
            append((POSSESSIVE, start + len(token) - 1))
            continue
        append((token.casefold(), start))
        if apostrophe and token[-1] in "sS":  # the plural possessive: "the Tigers' scorer"
            append((POSSESSIVE, start + len(token)))
    return out


def stream(passage: Passage, start: int, end: int) -> list[tuple[str, int]]:
    """The tokens of text[start:end] with their offsets: quoted stretches as QUOTED tokens and
    sentence ends as BREAK tokens (see above)."""
    text = passage.text
    ends = passage.sentence_ends
    stops = ends[bisect_right(ends, start) : bisect_left(ends, end)]
    out: list[tuple[str, int]] = []
    cursor = start

    def plain(upto: int) -> None:
        at = cursor
        for stop in [s for s in stops if cursor < s <= upto]:
            out.extend(_word_tokens(text[at:stop], at))
            out.append((BREAK, stop))
            at = stop
        out.extend(_word_tokens(text[at:upto], at))

    for span in passage.quoted:
        if span.end < start or span.start > end:
            continue
        opening = max(start, span.start - 1)
        if opening > cursor:
            plain(opening)
        out.append((QUOTED, max(start, span.start)))
        cursor = min(end, span.end + 1)
        if any(cursor <= stop <= cursor + 1 for stop in stops):
            out.append((BREAK, cursor))
    if cursor < end:
        plain(end)
    return out
