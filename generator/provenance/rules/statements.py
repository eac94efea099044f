"""Rules for statements: what the article says in its own voice, not what it reports."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Statement
from ..attribution import REPORTING_VERBS
from ..core import Context, Finding, rule
from ..passages import PUNCTUATION, tokens

_TAG_WORDS = 8  # "…, the city engineer, Tomas Varga, estimated on Friday."


@rule("statement")
def statement_is_the_articles_own(statement: Statement, ctx: Context) -> Iterator[Finding]:
    """A statement is the article's own voice, not words it quotes or attributes to someone.

    Its words are not inside quotation marks, and its clause is not attributed: by a short
    reporting tag after it ("…, officials said.", "…, according to the Red Cross."), or by a
    reporting clause before it ("Officials said that …", "City engineer Tomas Varga told the
    meeting that …", "According to the ministry, …"), which attributes everything after it
    in the sentence. Those words are a claim or a quote of that speaker, and recording them as
    the article's own would hide who said them. A clause of the reporter's own starts after
    'but', 'yet', 'while', 'although' or a semicolon ("Henning said a bridge was the answer,
    but the board has set no date"); "according to …" after a clause attributes that clause
    only; a reporting verb in a clause that opens the sentence ("After Brandt said that the
    plan was final, the opposition walked out") reaches only to its comma; and one after the
    excerpt ("…, where commanders have said the risk is high") attributes only its own
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
    tag = _reporting_tag(before, passage.text[start:end], after)
    if tag is not None:
        yield Finding(
            ("source", "excerpt"),
            f"the article attributes this sentence to someone ('{tag}')",
            "record it as a claim in claims.yaml with its claimant, or widen the excerpt to "
            "the words that say who said it",
        )


# Words that start a clause of the reporter's own after a reported one ('…, but the board has
# set no date', '…, yet it took until the 53rd minute'): a reporting clause reaches no further.
_CONTRAST = re.compile(r"(?:^|[,;]?\s)(?:but|yet|while|whereas|although|though)\b|;", re.IGNORECASE)
# Words that open a sentence with a clause of their own ('After Brandt said that …, the
# opposition walked out'): a reporting verb in it reaches no further than its comma.
_SUBORDINATORS = frozenset(
    "after before when whenever while as although though because since if unless once until "
    "whereas".split()
)
_OBJECT_WORDS = 3  # 'told the meeting that', 'said on Friday that'
_FRONTED_WORDS = 4  # 'Last year, according to the Red Cross, …'


def _reporting_tag(before: str, excerpt: str, after: str) -> str | None:
    """The words that attribute the excerpt's clause, if any: a short tag after a comma that
    follows it, within its clause; or, in its clause before it, a reporting verb (and 'that')
    leading into it, a reporting verb, a short object and 'that' ('told the meeting that …'),
    or 'according to …,' opening it. A clause of the reporter's own ('…, but …', '…, yet …')
    starts a new clause."""
    contrast = _CONTRAST.search(after)
    own = after[: contrast.start()] if contrast else after  # the rest of the excerpt's clause
    cut = len(own)
    while (cut := own.rfind(",", 0, cut)) >= 0:
        tail = own[cut + 1 :]
        words = [word for word in tokens(tail) if word not in PUNCTUATION]
        if len(words) > _TAG_WORDS:
            break
        if REPORTING_VERBS & set(words):
            return tail.strip(" .")
    if _CONTRAST.match(excerpt.lstrip()):
        return None  # the excerpt starts a clause of its own: 'yet it took until …'
    clause_starts = [found.end() for found in _CONTRAST.finditer(before)]
    lead_text = before[clause_starts[-1] :] if clause_starts else before
    lead = [word for word in tokens(lead_text) if word != ","]
    if lead[-1:] == ["that"]:
        lead = lead[:-1]
    if lead and lead[-1] in REPORTING_VERBS:
        return " ".join(lead[-4:])
    return _reported_with_that(lead_text) or _according_to(lead_text)


def _reported_with_that(clause: str) -> str | None:
    """A reporting verb, at most a short object, and 'that' in the clause before the excerpt
    ('City engineer Tomas Varga told the meeting that'): what follows is reported. In a clause
    that opens with a subordinate one ('After Brandt said that the plan was final, …'), the
    verb reaches only to its comma."""
    words = tokens(clause)
    for index, word in enumerate(words):
        if word not in REPORTING_VERBS:
            continue
        following = words[index + 1 : index + 2 + _OBJECT_WORDS]
        if "that" not in following:
            continue
        that = index + 1 + following.index("that")
        if any(w in PUNCTUATION for w in words[index + 1 : that]):
            continue
        if words[0] in _SUBORDINATORS and "," in words[that:]:
            return None
        return " ".join(words[max(0, index - 3) : that + 1])
    return None


_ACCORDING_LEAD = re.compile(r"\baccording to\b[^.;,]*(?:,[^.;,]*)?,\s*$", re.IGNORECASE)


def _according_to(clause: str) -> str | None:
    """'According to …,' opening the clause before the excerpt, or after a short fronted
    phrase ('Last year, according to the Red Cross, …'): it attributes what follows it. After
    a clause of its own ('X scored, according to the league's figures, …') it attributes that
    clause, not the next."""
    found = _ACCORDING_LEAD.search(clause)
    if found is None:
        return None
    opening = clause[: found.start()].strip()
    words = [word for word in tokens(opening) if word not in PUNCTUATION]
    if opening and (not opening.endswith(",") or len(words) > _FRONTED_WORDS):
        return None
    return found.group().strip(" ,")
