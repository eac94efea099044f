"""Rules for open questions: the deadline as written and as dated."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import QUALIFIERS, Question
from ...text import fold
from ..attribution import REPORTING_VERBS
from ..core import Context, Finding, rule
from ..dates import disagreement, resolve
from ..numbers import NUMBER_PATTERN, qualifier_before, read_written, same_number, show
from ..passages import PUNCTUATION, tokens
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
    if _about(question, passage.text[start:end], ctx):
        return
    yield Finding(
        ("deadline_written",),
        "the excerpt of the deadline names none of the question's actors and shares no word "
        "with the question: it dates something else",
        "take the deadline from the sentence about what the question asks, or leave it out",
    )


_TAG_WORDS = 8  # '…, the Harbour Board announced yesterday'


def without_reporting_tag(text: str) -> str:
    """The text without a short reporting tag after its last comma ('…, the Harbour Board
    announced yesterday'): who said the words is not what they are about."""
    cut = text.rfind(",")
    if cut < 0:
        return text
    words = [word for word in tokens(text[cut + 1 :]) if word not in PUNCTUATION]
    if len(words) <= _TAG_WORDS and REPORTING_VERBS & set(words):
        return text[:cut]
    return text


def _about(question: Question, text: str, ctx: Context) -> bool:
    """True if the text (folded, its reporting tag left out) names one of the question's
    actors or shares a key word with the question."""
    text = without_reporting_tag(text)
    words = tokens(text)
    if any(ctx.names.mentions(words, actor) for actor in question.actors):
        return True
    return bool(key_words(question.question) & key_words(text))


@rule("question")
def answer_cites_another_passage(question: Question, ctx: Context) -> Iterator[Finding]:
    """An answer cites another passage than its question: a later article, or another paragraph.

    A question is what the article leaves open; the passage that raises it cannot also close it,
    nor can an article published before the question's: the answer's seed is of the same day
    or later (its date line).
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
        return
    if source.seed in (None, ctx.article.seed):
        return
    cited = ctx.seeds(source.seed)
    if cited is not None and cited.date is not None and cited.date < ctx.article.date:
        yield Finding(
            ("resolution", "source", "seed"),
            f"the answer cites {source.seed}, an article of {cited.date}, published before "
            f"this one ({ctx.article.date}): what an earlier article said cannot answer what "
            "this one leaves open",
            "cite an article of the same day or later that answers it, or set status: open",
        )


@rule("question")
def answer_about_the_question(question: Question, ctx: Context) -> Iterator[Finding]:
    """An answer's excerpt is about the question: it names one of its actors or shares a word.

    'The Port Alder ferry will stop running at the end of the year' does not answer 'When will
    a bridge to the north shore be built?': it is about something else. A short reporting tag
    ('…, the board announced') does not count: who said the words is not what they are about.
    """
    if question.resolution is None:
        return
    source = question.resolution.source
    seed = ctx.seed if source.seed in (None, ctx.article.seed) else ctx.seeds(source.seed)
    passage = ctx.passage(source.paragraph, seed) if seed is not None else None
    if passage is None:
        return  # the excerpt's own rule reports it
    excerpt = fold(source.excerpt)
    start = passage.find(excerpt)
    if start < 0 or _about(question, passage.text[start : start + len(excerpt)], ctx):
        return
    yield Finding(
        ("resolution", "source", "excerpt"),
        "the answer's excerpt names none of the question's actors and shares no word with the "
        "question: it answers something else",
        "cite the passage that answers what the question asks, or set status: open",
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
    return [number for number, _ in qualified_numbers(text)]


def qualified_numbers(text: str) -> list[tuple[float, str | None]]:
    """The numbers a text writes (see `numbers_in`), each with the qualifier written right
    before it ('up to $5 million': 'up to'), or None."""
    found: list[tuple[float, str | None]] = []
    text = _DATE.sub(lambda date: " " * len(date.group()), text.replace("\u2019", "'"))
    for match in _NUMBER.finditer(text):
        if match.group().strip().lower() == "one":
            continue
        qualifier = qualifier_before(text[: match.start()].rstrip() + " ")
        found.extend((number, qualifier) for number in read_written(match.group()).numbers)
    return found


@rule("question")
def answer_agrees_with_excerpt(question: Question, ctx: Context) -> Iterator[Finding]:
    """An answer's numbers, with their qualifiers, and most of its key words are in its excerpt.

    'Yes. The council approved $14.5 million by seven votes to two' agrees with 'the council
    voted 7-2 … to approve an emergency budget of $14.5 million'; an answer that says more than
    its excerpt ('agreed to pay for the repairs' for 'would contribute up to $5 million') does not,
    nor one that drops or changes the qualifier of a number it gives ('$5 million' for 'up to
    $5 million'; 'almost' for 'nearly' means the same and stands).
    """
    if question.resolution is None:
        return
    answer, excerpt = question.resolution.answer, question.resolution.source.excerpt
    given = qualified_numbers(excerpt)
    answered = qualified_numbers(answer)
    missing_numbers = [n for n, _ in answered if not any(same_number(n, g) for g, _ in given)]
    if missing_numbers:
        yield Finding(
            ("resolution", "answer"),
            f"the answer gives the number {show(missing_numbers[0])}, which its excerpt does not",
            "give the numbers the excerpt gives, or widen the excerpt to the words that answer",
        )
        return
    for number, qualifier in answered:
        written = [q for g, q in given if same_number(number, g)]
        if None in written or _meaning(qualifier) in map(_meaning, written):
            continue
        yield Finding(
            ("resolution", "answer"),
            f"the answer gives {show(number)} "
            + (f"as '{qualifier}' it" if qualifier else "without the qualifier")
            + f" where its excerpt has '{written[0]}' it",
            "keep the excerpt's qualifier with the number ('up to', 'more than', 'nearly'), "
            "or one that means the same",
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


def _meaning(qualifier: str | None) -> str | None:
    """What a qualifier means ('up to' and 'at most': 'the number or less')."""
    return QUALIFIERS.get(qualifier) if qualifier else None


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
