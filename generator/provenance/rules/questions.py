"""Rules for open questions: the deadline as written and as dated."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Question
from ..core import Context, Finding, rule
from ..dates import disagreement, resolve
from ..numbers import NUMBER_PATTERN, read_written, same_number, show
from ..passages import tokens
from .common import within


@rule("question", excusable=False)
def deadline_in_excerpt(question: Question, ctx: Context) -> Iterator[Finding]:
    """A question's `deadline_written` is in its excerpt, word for word."""
    if question.deadline_written is not None:
        yield from within(
            ("deadline_written",), question.deadline_written, question.source, "deadline"
        )


@rule("question")
def deadline_agrees_with_wording(question: Question, ctx: Context) -> Iterator[Finding]:
    """A deadline is the date its wording gives, read from the article's date, no more precise.

    'midnight July 10' in an article of 2021-06-28 is '2021-07-10'; 'by the end of July' is
    the month '2021-07'.
    """
    if question.deadline is None or question.deadline_written is None:
        return
    why = disagreement(question.deadline, resolve(question.deadline_written, ctx.date))
    if why:
        yield Finding(
            ("deadline",),
            f"deadline {question.deadline} disagrees with '{question.deadline_written}' "
            f"in an article of {ctx.article.date}: {why}",
            "give the date the wording names, read from the article's date, with a day only "
            "if the wording gives one",
        )


@rule("question")
def deadline_about_the_question(question: Question, ctx: Context) -> Iterator[Finding]:
    """A deadline's excerpt is about the question: it names one of its actors or shares a word.

    'next month' in 'will close the bridge to traffic next month' is no deadline for 'Will the
    full inspection of the cables be finished?': the deadline is taken from a sentence about
    something else.
    """
    if question.deadline is None:
        return
    placed = ctx.place(question.source)
    if placed is None:
        return
    passage, start, end = placed
    words = tokens(passage.text[start:end])
    if any(ctx.names.mentions(words, actor) for actor in question.actors):
        return
    if key_words(question.question) & key_words(question.source.excerpt):
        return
    yield Finding(
        ("deadline_written",),
        "the excerpt of the deadline names none of the question's actors and shares no word "
        "with the question: it dates something else",
        "take the deadline from the sentence about what the question asks, or leave it out",
    )


@rule("question")
def answer_cites_another_passage(question: Question, ctx: Context) -> Iterator[Finding]:
    """An answer cites another passage than its question: a later article, or another paragraph.

    A question is what the article leaves open; the passage that raises it cannot also close it.
    """
    if question.resolution is None:
        return
    source = question.resolution.source
    if source.seed in (None, ctx.article.seed) and source.paragraph == question.source.paragraph:
        yield Finding(
            ("resolution", "source", "paragraph"),
            f"the answer cites paragraph {source.paragraph}, the paragraph that raises the "
            "question",
            "cite the passage that answers it (a later article, with seed:), or set status: open",
        )


_NUMBER = re.compile(NUMBER_PATTERN, re.IGNORECASE)
# Dates are not the numbers of an answer: 'on June 30, 2023' is read from the article's date.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}(?:,? \d{{4}})?\b"
    r"|\b(?:1[5-9]|2\d)\d\d\b(?![,.]\d)",
    re.IGNORECASE,
)


def numbers_in(text: str) -> list[float]:
    """The numbers a text writes ('$14.5 million', '7-2', 'seven votes to two'): not 'one',
    which is as often a pronoun ('no one') as a number, nor dates ('June 30, 2023', '2019')."""
    found: list[float] = []
    text = _DATE.sub(" ", text.replace("\u2019", "'"))
    for match in _NUMBER.finditer(text):
        if match.group().strip().lower() == "one":
            continue
        found.extend(read_written(match.group()).numbers)
    return found


@rule("question")
def answer_agrees_with_excerpt(question: Question, ctx: Context) -> Iterator[Finding]:
    """An answer's numbers, and most of its key words, are in its excerpt (as whole words).

    'Yes. The council approved $14.5 million by seven votes to two' agrees with 'the council
    voted 7-2 … to approve an emergency budget of $14.5 million'; an answer that says more than
    its excerpt ('agreed to pay for the repairs' for 'would contribute up to $5 million') does not.
    """
    if question.resolution is None:
        return
    answer, excerpt = question.resolution.answer, question.resolution.source.excerpt
    given = numbers_in(excerpt)
    missing_numbers = [n for n in numbers_in(answer) if not any(same_number(n, g) for g in given)]
    if missing_numbers:
        yield Finding(
            ("resolution", "answer"),
            f"the answer gives the number {show(missing_numbers[0])}, which its excerpt does not",
            "give the numbers the excerpt gives, or widen the excerpt to the words that answer",
        )
        return
    words = _key_words(answer)
    found = key_words(excerpt)
    missing = [word for stemmed, word in words.items() if stemmed not in found]
    if len(missing) >= 2 and len(missing) > len(words) - len(missing):
        yield Finding(
            ("resolution", "answer"),
            "the answer says more than its excerpt: most of its words are not in it "
            f"({', '.join(missing[:5])})",
            "answer in the excerpt's terms, or widen the excerpt to the words that answer",
        )


# Words that say little about what a sentence is about; the rest are its key words.
_STOPWORDS = frozenset(
    """a an the and or but nor of in on at to for from by with as is are was were be been being
    has have had it its this that these those which who whom whose what will would shall should
    can could may might must not no yes he she they them his her their we our you your i there
    than then so if into about after before over under more most said says also only just up
    out do does did done all any some such very own one""".split()
) | frozenset(
    """two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty
    sixty seventy eighty ninety hundred thousand million billion trillion""".split()
)
_KEY_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("ing", "ed", "es", "s", "e")


def stem(word: str) -> str:
    """A word without its common endings, so that 'approved' and 'approve', 'votes' and
    'voted' are one."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def key_words(text: str) -> set[str]:
    """The stems of the words of a text that are neither stop words ('Yes', 'the', 'would')
    nor numbers."""
    return set(_key_words(text))


def _key_words(text: str) -> dict[str, str]:
    """The key words of a text by their stems."""
    text = text.replace("\u2019", "'").replace("'s ", " ")
    found: dict[str, str] = {}
    for word in _KEY_WORD.findall(text):
        if word.lower() not in _STOPWORDS and not word.isdigit():
            found.setdefault(stem(word), word)
    return found
