"""Whole-word matching: what every comparison of fact text with source text rests on."""

from __future__ import annotations

import pytest

from generator.text import contains_words, find_words


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
