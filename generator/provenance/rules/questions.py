"""Rules for open questions: the deadline as written and as dated."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Question
from ..core import Context, Finding, rule
from ..dates import disagreement, resolve
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
