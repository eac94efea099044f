"""The token reader of `generator.provenance.passages`: words, possessives and punctuation as
every attribution rule reads them, checked against a plain statement of the reading on any text.

The reader works from its pattern in one pass and keeps no state between calls, so these
tests hold it to the reading one token at a time (`_reading` below, the reader as it was first
written): the same tokens at the same offsets, whatever the text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.provenance import passages
from generator.provenance.passages import (
    POSSESSIVE,
    QUOTED,
    Passage,
    _word_tokens,
    stream,
    tokens,
)

# Which stretches are tokens is the pattern's (titles and initials keep their full stops);
# how possessives are split from them is what the one-pass reader must do as this one does.
_TOKEN = passages._TOKEN


def _reading(text: str, offset: int) -> list[tuple[str, int]]:
    """One token at a time: a token ending in "'s" is a word and the possessive marker; one
    ending in 's' or 'S' right before an apostrophe is a word and a plural possessive."""
    out = []
    for found in _TOKEN.finditer(text):
        token = found.group()
        if token[0].isalnum() and "'" in token and re.search(r"'s?$", token):
            out.append((re.sub(r"'s?$", "", token).casefold(), offset + found.start()))
            out.append((POSSESSIVE, offset + found.end() - 1))
            continue
        out.append((token.casefold(), offset + found.start()))
        if token[-1:] in "sS" and text[found.end() : found.end() + 1] == "'":
            out.append((POSSESSIVE, offset + found.end()))
    return out


# Text made of what decides a token's edges: letters (one whose case folds to two), digits,
# the marks that join or split words, quotation marks and spaces.
TEXT = st.lists(
    st.sampled_from(
        [*"aSsßİ9'\u2019-._,;:!?()\u2014\" ", "'s", "s'", "U.S.", "O'Brien", "Tigers'"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(min_value=0, max_value=1000))
def test_tokens_and_offsets_are_the_token_by_token_reading(text: str, offset: int) -> None:
    assert _word_tokens(text, offset) == _reading(text, offset)
    assert tokens(text) == [token for token, _ in _reading(text, 0)]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_reads_as_token_by_token(text: str) -> None:
    assert _word_tokens(text, 7) == _reading(text, 7)
    assert tokens(text) == [token for token, _ in _reading(text, 0)]


def test_possessives_become_the_word_and_a_marker() -> None:
    assert tokens("Russia's envoy met the Tigers' scorer and O'Brien") == [
        "russia",
        POSSESSIVE,
        "envoy",
        "met",
        "the",
        "tigers",
        POSSESSIVE,
        "scorer",
        "and",
        "o'brien",
    ]
    assert _word_tokens("Russia's envoy", 10) == [("russia", 10), (POSSESSIVE, 17), ("envoy", 19)]
    assert _word_tokens("the Tigers' scorer", 0) == [
        ("the", 0),
        ("tigers", 4),
        (POSSESSIVE, 10),
        ("scorer", 12),
    ]


def test_a_stream_reads_the_words_outside_quotation_marks() -> None:
    text = "The Tigers' coach said. \"We won,\" Ruiz's aide added."
    words = stream(Passage(1, text), 0, len(text))
    assert words == [
        ("the", 0),
        ("tigers", 4),
        (POSSESSIVE, 10),
        ("coach", 12),
        ("said", 18),
        (".", 22),
        ("\n", 23),
        (QUOTED, 25),
        ("ruiz", 34),
        (POSSESSIVE, 39),
        ("aide", 41),
        ("added", 46),
        (".", 51),
    ]
