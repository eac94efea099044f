"""Comparing fact text with source text: whole words, folded copies, safe seeds."""

from __future__ import annotations

import pytest

from generator.seeds import Seed, SeedError
from generator.text import contains_words, find_words, fold


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("$436 million", "36 million"),
        ("At least 10,000", "0,000"),
        ("At least 10,000", "000"),
        ("simply untenable.", "tenable."),
        ("10,000,000 people", "10,000"),
        ("some 4.1 million", "1 million"),
        ("some 4.1 million", "some 4"),
        ("the Americans", "American"),
        ("Blinkenstein said", "Blinken"),
        ("café", "caf"),
        ("cafe\u0301 noir", "cafe"),  # a combining accent belongs to its letter
    ],
)
def test_characters_inside_a_word_or_number_do_not_match(text: str, needle: str) -> None:
    assert needle in text
    assert not contains_words(text, needle)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("$436 million", "436 million"),
        ("$436 million", "$436 million"),
        ("At least 10,000.", "10,000"),
        ("simply untenable.", "untenable."),
        ('"simply untenable," he said', '"simply'),
        ("Russia's envoy", "Russia"),
        ("al-Qaeda", "Qaeda"),
        ("(10,000)", "10,000"),
        ("the 2014 war", "2014"),
    ],
)
def test_whole_words_and_numbers_match(text: str, needle: str) -> None:
    assert contains_words(text, needle)


def test_the_first_whole_occurrence_is_found_after_partial_ones() -> None:
    text = "untenable, untenable and tenable"
    assert find_words(text, "tenable") == text.rindex("tenable")
    assert find_words(text, "tenable", 0, len(text) - 1) == -1


def test_a_needle_found_very_often_only_inside_words_is_refused() -> None:
    # Past the first few candidates the search goes on in linear time (KMP); the answer must
    # be the same as the first candidates would give.
    text = "ab" * 5_000 + " ab"
    assert find_words(text, "ab") == len(text) - 2
    assert find_words("a" * 10_000, "aaa") == -1
    assert find_words("a" * 10_000 + " aaa", "aaa") == 10_001


def test_invisible_characters_a_seed_may_hold_are_folded_away() -> None:
    """Real copy holds soft hyphens, joiners and variation selectors, which a fact file may
    not: the excerpt is written without them and still matches."""
    seed = "The \U0001f691\ufe0f came, said the co\u00adordinator, at 10\u200b,000 feet."
    assert contains_words(fold(seed), fold("The \U0001f691 came, said the coordinator"))
    assert contains_words(fold(seed), "10,000 feet")


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"])
def test_a_seed_holding_a_noncharacter_is_refused_where_it_stands(char: str) -> None:
    with pytest.raises(SeedError) as refused:
        Seed.parse("000_x.txt", f"date 2024-01-02\nFirst.\nSecond {char} here.\n".encode())
    assert (refused.value.line, refused.value.column) == (3, 8)
    assert f"U+{ord(char):04X}" in refused.value.message
