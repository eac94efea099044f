"""Rules for statements: what the article says in its own voice, not what it reports."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Statement
from ..attribution import REPORTING_VERBS
from ..core import Context, Finding, rule
from ..passages import PUNCTUATION, tokens

_ACCORDING = re.compile(r"\baccording to\b[^.;]*,\s*$", re.IGNORECASE)
_TAG_WORDS = 8  # "…, the city engineer, Tomas Varga, estimated on Friday."


@rule("statement")
def statement_is_the_articles_own(statement: Statement, ctx: Context) -> Iterator[Finding]:
    """A statement is the article's own voice, not words it quotes or attributes to someone.

    Its words are not inside quotation marks, and its sentence is not attributed. The sentence is attributed when it ends with a short reporting tag ("…, officials said.",
    "…, according to the Red Cross.") or opens with one ("Officials said that …", "According
    to the ministry, …"): those words are a claim or a quote of that speaker, and recording
    them as the article's own would hide who said them. A reporting verb elsewhere in the
    sentence ("…, where commanders have said the risk is high") attributes only its own
    clause. An excerpt that includes its own attribution ("Russia has accused the Americans
    of …") is the article's account of what was said, and stands.
    """
    placed = ctx.place(statement.source)
    if placed is None:
        return
    passage, start, end = placed
    if passage.within_quotes(start, end):
        yield Finding(
            ("source", "excerpt"),
            "these words are inside quotation marks: the article quotes someone",
            "record them as a quote in quotes.yaml, with its speaker",
        )
        return
    sentence_start, sentence_end = passage.sentence_around(start, end)
    before = " ".join(passage.unquoted(sentence_start, start))
    after = " ".join(passage.unquoted(end, sentence_end))
    tag = _reporting_tag(before, after)
    if tag is not None:
        yield Finding(
            ("source", "excerpt"),
            f"the article attributes this sentence to someone ('{tag}')",
            "record it as a claim in claims.yaml with its claimant, or widen the excerpt to "
            "the words that say who said it",
        )


def _reporting_tag(before: str, after: str) -> str | None:
    """The words that attribute the whole sentence, if any: a short tag after its last comma,
    or a reporting verb (and 'that') or 'according to …,' leading into the excerpt."""
    cut = len(after)
    while (cut := after.rfind(",", 0, cut)) >= 0:
        tail = after[cut + 1 :]
        words = [word for word in tokens(tail) if word not in PUNCTUATION]
        if len(words) > _TAG_WORDS:
            break
        if REPORTING_VERBS & set(words):
            return tail.strip(" .")
    lead = [word for word in tokens(before) if word != ","]
    if lead[-1:] == ["that"]:
        lead = lead[:-1]
    if lead and lead[-1] in REPORTING_VERBS:
        return " ".join(lead[-4:])
    found = _ACCORDING.search(before)
    return found.group().strip(" ,") if found else None
