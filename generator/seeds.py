"""Source texts: reading a seed safely and splitting it into the paragraphs facts cite.

A seed is the article's text, kept byte for byte as it was received. It may start with a date
line, `date YYYY-MM-DD`, followed by a space or a line break; the first paragraph may follow on
the same line. Paragraphs are the non-empty lines, numbered from 1, split on line feeds only
(CRLF counts as one), so that the numbers are the ones an editor shows.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

from .text import describe_character, find_words, fold

MAX_SEED_BYTES = 512 * 1024

_SEED_DATE = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|[ \t]*\n|$)")
# Characters a source text must not hold: controls other than tab and line feed (a carriage
# return only before a line feed), bidirectional controls, the Unicode line separators, which
# some editors break lines at and others do not, so paragraph numbers would differ, and the
# noncharacters, which no output format (XML, and so the feeds) can hold.
_UNSAFE_IN_SEED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
    "\ufdd0-\ufdef\ufffe\uffff"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
    + "]|\r(?!\n)"
)


class SeedError(Exception):
    """A seed that cannot be used, with where and why, and what to do about it."""

    def __init__(self, message: str, hint: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.hint, self.line, self.column = message, hint, line, column


@dataclass(frozen=True)
class Seed:
    """A source text, as paragraphs, with its checksum and its date line."""

    name: str
    sha256: str
    date: str | None
    paragraphs: tuple[str, ...]

    @cached_property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(paragraph) for paragraph in self.paragraphs)

    @cached_property
    def _joined(self) -> tuple[str, list[int]]:
        """The folded paragraphs as one text, one per line, and where each starts."""
        starts, offset = [], 0
        for paragraph in self.folded:
            starts.append(offset)
            offset += len(paragraph) + 1
        return "\n".join(self.folded), starts

    def paragraph_with(self, words: str) -> int | None:
        """The number of the first paragraph holding `words` (folded) as whole words.

        One search of the whole text, so that a hint costs the same for a seed of one
        paragraph or of thousands.
        """
        text, starts = self._joined
        at = find_words(text, words) if words and "\n" not in words else -1
        return None if at < 0 else bisect.bisect_right(starts, at)

    @classmethod
    def parse(cls, name: str, raw: bytes) -> Seed:
        """Check and split a seed's bytes; raise SeedError for a seed no fact can rest on."""
        if len(raw) > MAX_SEED_BYTES:
            raise SeedError(
                f"the seed is {len(raw):,} bytes; seeds may be at most {MAX_SEED_BYTES:,}",
                "a news article is far shorter: check that the file holds one article's text",
            )
        if raw.startswith(b"\xef\xbb\xbf"):
            raise SeedError(
                "the seed starts with a byte-order mark",
                "save it as UTF-8 without a byte-order mark (the mark hides the date line)",
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise SeedError(
                f"the seed is not valid UTF-8 (byte {raw[error.start]:#04x})",
                "save the source text as UTF-8",
                line,
            ) from None
        unsafe = _UNSAFE_IN_SEED.search(text)
        if unsafe:
            before = text[: unsafe.start()]
            line = before.count("\n") + 1
            column = unsafe.start() - (before.rfind("\n") + 1) + 1
            raise SeedError(
                f"the seed holds the character {describe_character(unsafe.group()[0])}",
                "replace it with a line feed or a space, or remove it: paragraphs are split on "
                "line feeds only, and control characters can change how the text displays",
                line,
                column,
            )
        text = text.replace("\r\n", "\n")
        date = None
        found = _SEED_DATE.match(text)
        if found:
            date = found.group(1)
            text = text[found.end() :]
        paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
        return cls(name, hashlib.sha256(raw).hexdigest(), date, paragraphs)
