"""The readers behind the provenance rules for figures, questions, events and mentions: what
the text writes around a number, when a date is read back, where a clause ends."""

from __future__ import annotations

import datetime

import pytest

from generator.provenance.dates import printed_at, resolve, told_as_done, told_in_the_past
from generator.provenance.numbers import qualifier_before, ranges_in, unit_words
from generator.provenance.rules.events import _clauses
from generator.provenance.rules.questions import key_words, numbers_in

MONDAY = datetime.date(2024, 3, 4)


@pytest.mark.parametrize(
    ("before", "qualifier"),
    [
        ("engineers found corrosion in more than ", "more than"),
        ("it would cost no more than ", "no more than"),
        ("the region said it would contribute up to ", "up to"),
        ("which lasted almost ", "almost"),
        ("Corrosion was found in ", None),
        ("the one remaining, at Bab al-", None),
    ],
)
def test_a_qualifier_right_before_a_number_is_found(before: str, qualifier: str | None) -> None:
    assert qualifier_before(before) == qualifier


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        (
            "Repairs would cost between $12 million and $15 million, the city",
            ["$12 million and $15 million"],
        ),
        ("Between 40 and 60 villages were cut off.", ["40 and 60"]),
        ("between three and five percent of homes", ["three and five percent"]),
        ("between the city and the region", []),
        ("voted 7-2, with one abstention", []),
        ("repairs of $12 million to $15 million", ["$12 million to $15 million"]),
        ("repairs of $12-15 million", ["$12-15 million"]),
        ("an estimated $12 million to $15 million", ["$12 million to $15 million"]),
        ("3 to 5 percent of homes", ["3 to 5 percent"]),
        ("by 312-201, with 14 abstentions", []),
        ("premiums rose from 5 to 9 percent", []),
        ("the budget increased $2 million to $15 million", []),
        ("in 2019-2021", []),
    ],
)
def test_ranges_in_the_text_are_found(text: str, ranges: list[str]) -> None:
    assert [text[low:high] for low, high in ranges_in(text)] == ranges


@pytest.mark.parametrize(
    ("written", "after", "period", "rate", "noun"),
    [
        ("six-month", " mandate that ends", "month", None, None),
        ("some six", " weeks.", "week", None, None),
        ("nearly 40,000", " vehicles a day, according to", None, "day", None),
        ("$5", " a day", None, "day", None),
        ("12,000", " people and damaged", None, None, "people"),
        ("30", "% of the vote", None, None, "percent"),
        ("decade-old", " civil war", None, None, None),
        ("2,000", " of them foreigners from around the world", None, None, None),
    ],
)
def test_unit_words_are_read_with_the_number(
    written: str, after: str, period: str | None, rate: str | None, noun: str | None
) -> None:
    words = unit_words(written, after)
    assert (words.period, words.rate, words.noun) == (period, rate, noun)


@pytest.mark.parametrize(
    ("phrase", "readings"),
    [
        ("at year's end", ["2024"]),
        ("at year\u2019s end", ["2024"]),
        ("by year-end", ["2024"]),
        ("at the end of the year", ["2024"]),
        ("by next year's end", ["2025"]),
        ("by the month's end", ["2024-03"]),
    ],
)
def test_the_end_of_a_year_is_read_however_it_is_written(phrase: str, readings: list[str]) -> None:
    assert [reading.describe() for reading in resolve(phrase, MONDAY)] == readings


def test_a_weekday_of_a_past_verb_is_read_back_only() -> None:
    assert [r.describe() for r in resolve("on Friday", MONDAY)] == ["2024-03-01", "2024-03-08"]
    assert [r.describe() for r in resolve("on Friday", MONDAY, past=True)] == ["2024-03-01"]
    # 'signed on July 10' in a paper of June 28 is last year's July 10.
    june = datetime.date(2021, 6, 28)
    assert [r.describe() for r in resolve("July 10", june, past=True)] == ["2020-07-10"]
    assert [r.describe() for r in resolve("on Monday", MONDAY, past=True)] == [
        "2024-02-26",
        "2024-03-04",
    ]


@pytest.mark.parametrize(
    ("before", "phrase", "after", "past"),
    [
        ("", "On Friday", ", Mayor Ana Ruiz announced the closure.", True),
        ("The bridge is old. ", "On Tuesday", ", the council voted 7-2.", True),
        ("", "On Tuesday", ", the council will vote.", False),
        ("", "On Friday", ", the bridge is closed to traffic.", False),
        ("", "On Friday", ", the delayed vote takes place.", False),
    ],
)
def test_a_date_that_starts_its_sentence_dates_the_verb_after_it(
    before: str, phrase: str, after: str, past: bool
) -> None:
    assert told_in_the_past(before, phrase, after) is past


@pytest.mark.parametrize(
    ("before", "phrase", "past"),
    [
        ("Mayor Ana Ruiz announced ", "on Friday", True),
        ("Minister Elena Brandt said ", "on Tuesday", True),
        ("The vote was held ", "on Tuesday", True),
        ("Ruiz announced late ", "on Friday", True),
        ("Ruiz announced the closure ", "on Friday", True),
        ("a vote was scheduled ", "on Friday", False),
        ("The vote will be held ", "on Friday", False),
        ("The vote was postponed ", "until Friday", False),
        ("the alliance would hold a rally ", "on Sunday", False),
        ("The council will vote ", "on Tuesday", False),
        ("In March, ", "Brandt", False),
        ("a hundred ", "on Friday", False),
    ],
)
def test_a_date_right_after_a_past_verb_dates_the_past(
    before: str, phrase: str, past: bool
) -> None:
    assert told_in_the_past(before, phrase) is past


def test_printed_dates_are_found_where_they_stand() -> None:
    text = "aid began in 2014. In 2020, however, on June 28, 2021, and in July 2021"
    assert [text[a:b] for a, b in printed_at(text, "2014")] == ["2014"]
    assert [text[a:b] for a, b in printed_at(text, "2021-06-28")] == ["June 28, 2021"]
    assert [text[a:b] for a, b in printed_at(text, "2021-07")] == ["July 2021"]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "Mayor Ana Ruiz announced on Friday, after engineers found corrosion",
            ["Mayor Ana Ruiz announced on Friday,", "after engineers found corrosion"],
        ),
        (
            "Aid began in 2014, with four crossings. In 2020, however, Russia vetoed it.",
            ["Aid began in 2014, with four crossings.", "In 2020, however, Russia vetoed it."],
        ),
        (
            "In 2019, despite U.S. and European warnings, Italy signed on",
            ["In 2019, despite U.S. and European warnings, Italy signed on"],
        ),
    ],
)
def test_an_excerpt_is_split_into_clauses(text: str, clauses: list[str]) -> None:
    assert [text[a:b].strip() for a, b in _clauses(text)] == clauses


def test_an_answer_is_compared_by_its_numbers_and_key_words() -> None:
    answer = "Yes. The council approved $14.5 million by seven votes to two, with one abstention."
    excerpt = "council voted 7-2, with one abstention, on Tuesday to approve $14.5 million"
    assert sorted(numbers_in(answer)) == sorted(numbers_in(excerpt)) == [2, 7, 14_500_000]
    assert numbers_in("No one has said, on June 30, 2023 or in 2019.") == []
    assert key_words(answer) <= key_words(excerpt)  # "approved", "votes": "approve", "voted"


@pytest.mark.parametrize(
    ("what", "done"),
    [
        ("Work on the bridge's cables began.", True),
        ("Parliament approved the plan.", True),
        ("The council is to vote on an emergency repair budget.", False),
        ("The mandate for the Bab al-Hawa crossing ends at midnight.", False),
        ("The delayed vote takes place.", False),
        ("The alliance will hold a rally.", False),
    ],
)
def test_a_curators_sentence_tells_a_plan_or_a_thing_done(what: str, done: bool) -> None:
    assert told_as_done(what) is done
