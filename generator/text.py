"""Text helpers every stage shares: comparing faithful copies, and showing untrusted text safely.

Fact files and seeds come from pull requests, so their text is untrusted wherever it goes;
`generator.escape` makes it inert in each output. This module finds the characters that have
no business in a fact file because they change how text displays (`INVISIBLE_OR_CONTROL`),
folds what differs between faithful copies of the same words, and matches whole words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Characters that a fact file must not hold (and that a commit subject loses): control
# characters other than tab and line feed (and carriage return, which readers normalise), C1
# controls included; bidirectional marks, overrides and isolates; the Unicode line and
# paragraph separators, which some programs show as line breaks and others do not; every
# character Unicode marks Default_Ignorable_Code_Point, such as zero-width characters, the soft
# hyphen, the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the combining grapheme joiner,
# variation selectors (U+FE0F, which asks for an emoji's coloured form, too: a fact file writes
# the emoji without it), Khmer and Mongolian invisible characters, musical formatting, tags;
# U+2800 BRAILLE PATTERN BLANK, which displays as nothing; the noncharacters (U+FDD0-U+FDEF, and
# U+xFFFE and U+xFFFF in every plane), which XML and so the Atom feed refuse; and surrogates,
# which no UTF-8 file holds but an escape such as "\ud800" could spell.
_INVISIBLE_OR_CONTROL_BMP = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164\ud800-\udfff"
    "\ufdd0-\ufdef\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\ufffe\uffff"
)
INVISIBLE_OR_CONTROL = re.compile(
    "["
    + _INVISIBLE_OR_CONTROL_BMP
    + "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
    + "]"
)
# The same characters below U+10000, or any character above: a class of the first plane
# alone is a table the regex engine looks each character up in, where the whole class is a
# list of ranges it tries one by one, several times slower on every character of a file.
_INVISIBLE_OR_CONTROL_OR_ASTRAL = re.compile(
    "[" + _INVISIBLE_OR_CONTROL_BMP + "]|[\U00010000-\U0010ffff]"
)


def find_invisible_or_control(text: str, pos: int = 0) -> re.Match[str] | None:
    """`INVISIBLE_OR_CONTROL.search(text, pos)`, faster: the first-plane table finds the
    first unsafe character, or the first character beyond the first plane, from where the
    full class reads on."""
    found = _INVISIBLE_OR_CONTROL_OR_ASTRAL.search(text, pos)
    if found is None or found.group() < "\U00010000":
        return found
    return INVISIBLE_OR_CONTROL.search(text, found.start())


def describe_character(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', for messages about a character that cannot be shown."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


_FOLD = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u2026": "...",
    }
    # Invisible characters a seed may hold (real copy has soft hyphens, zero-width joiners in
    # emoji, variation selectors) and a fact file may not: an excerpt is compared without them.
    | dict.fromkeys(
        ord(char)
        for low, high in (
            ("\u00ad", "\u00ad"),
            ("\u034f", "\u034f"),
            ("\u115f", "\u1160"),
            ("\u17b4", "\u17b5"),
            ("\u180b", "\u180f"),
            ("\u200b", "\u200d"),
            ("\u2060", "\u2064"),
            ("\u3164", "\u3164"),
            ("\ufe00", "\ufe0f"),
            ("\ufeff", "\ufeff"),
            ("\uffa0", "\uffa0"),
            ("\U0001bca0", "\U0001bca3"),
            ("\U0001d173", "\U0001d17a"),
            ("\U000e0000", "\U000e0fff"),
        )
        for char in map(chr, range(ord(low), ord(high) + 1))
    )
)
_SPACED_ELLIPSIS = re.compile(r"\.(?:\s*\.){2}")


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Fold what differs between faithful copies of the same words.

    Unicode normal form (an accent typed as one character or two), quotation-mark styles,
    '. . .' and '…', invisible characters and runs of white space. Nothing else: letters,
    case, digits and punctuation must match.
    """
    if not text.isascii():  # every character that folds is outside ASCII
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        text = text.translate(_FOLD)
    text = " ".join(text.split())
    return _SPACED_ELLIPSIS.sub("...", text) if ". ." in text else text


_FOLDED_CLASSES = {
    '"': '["\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]',
    "'": "['\u2018\u2019\u201a\u201b\u2032]",
    " ": r"\s+",
}


def locate(text: str, needle: str) -> tuple[int, int] | None:
    """Where `needle` stands in `text`, compared as `fold` compares, as (start, end) in `text`.

    Used to emphasise the words a fact rests on inside its excerpt. Tries the exact words first,
    which is what curators copy nearly always.
    """
    if not needle:
        return None
    start = text.find(needle)
    if start >= 0:
        return start, start + len(needle)
    folded = fold(needle)
    if not folded:
        return None
    pattern = []
    index = 0
    while index < len(folded):
        if folded.startswith("...", index):
            pattern.append(r"(?:\.\s*\.\s*\.|\u2026)")
            index += 3
            continue
        char = folded[index]
        pattern.append(_FOLDED_CLASSES.get(char) or re.escape(char))
        index += 1
    found = re.search("".join(pattern), text)  # None for the rare copy that differs in form
    return (found.start(), found.end()) if found else None


def _word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char)[0] == "M"


def _whole(text: str, start: int, end: int) -> bool:
    """True if text[start:end] neither starts nor ends inside a word or a number."""
    if start > 0 and _word_char(text[start]):
        before = text[start - 1]
        if _word_char(before):
            return False
        # '000' in '10,000', '5' in '4.5': a number goes on through a separator and a digit
        if text[start].isdigit() and before in ",." and start > 1 and text[start - 2].isdigit():
            return False
    if end < len(text) and _word_char(text[end - 1]):
        after = text[end]
        if _word_char(after):
            return False
        if text[end - 1].isdigit() and after in ",." and text[end + 1 : end + 2].isdigit():
            return False
    return True


_FAST_CANDIDATES = 64


def find_words(text: str, needle: str, start: int = 0, end: int | None = None) -> int:
    """Where `needle` first stands in text[start:end] as whole words, or -1.

    Whole words and whole numbers: 'tenable' is not in 'untenable', '36 million' is not in
    '$436 million', and '10,000' is not in '10,000,000'. The edges of the needle are compared
    with the text around them, so a needle that starts or ends with punctuation ('"simply')
    matches wherever its letters do. Linear in the text: a few candidates are tried with
    `str.find`, and a needle that occurs very often is searched with Knuth-Morris-Pratt.
    """
    stop = len(text) if end is None else end
    if not needle:
        return -1
    at = text.find(needle, start, stop)
    for _ in range(_FAST_CANDIDATES):
        if at < 0 or _whole(text, at, at + len(needle)):
            return at
        at = text.find(needle, at + 1, stop)
    if at < 0:
        return -1
    for found in _occurrences(text, needle, at, stop):
        if _whole(text, found, found + len(needle)):
            return found
    return -1


def _occurrences(text: str, needle: str, start: int, stop: int) -> Iterator[int]:
    """Every start of needle in text[start:stop], overlapping ones included (KMP)."""
    failure = [0] * len(needle)
    k = 0
    for i in range(1, len(needle)):
        while k and needle[i] != needle[k]:
            k = failure[k - 1]
        if needle[i] == needle[k]:
            k += 1
        failure[i] = k
    k = 0
    for i in range(start, stop):
        while k and text[i] != needle[k]:
            k = failure[k - 1]
        if text[i] == needle[k]:
            k += 1
        if k == len(needle):
            yield i - k + 1
            k = failure[k - 1]


def contains_words(text: str, needle: str) -> bool:
    """True if needle stands in text as whole words (see `find_words`)."""
    return find_words(text, needle) >= 0
