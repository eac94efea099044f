"""Rules for claims, and for the attribution of quotes and claims."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Claim, Quote
from ...text import fold
from ..attribution import CLAIM_FORMS, SPEECH_FORMS, attribution
from ..core import Context, Finding, rule
from ..passages import BREAK, Passage, stream, tokens
from .common import article_pronouns, attribution_segments, named_in


@rule("claim")
def claimant_named(claim: Claim, ctx: Context) -> Iterator[Finding]:
    """A claim's claimant is named in the excerpt as the one who claims, or through attribution."""
    if claim.claimant not in ctx.actors:
        return
    read, _ = named_in(claim, claim.claimant, ctx, CLAIM_FORMS)
    if read.named:
        return
    # Words the excerpt leaves to `attribution` are still said by the subject of their own
    # sentence, when that names someone else.
    found = read.others or (read.beyond if claim.attribution is not None else ())
    if found:
        names = ", ".join(f"'{other}'" for other in found)
        yield Finding(
            ("claimant",),
            f"the excerpt reports this as said by {names}, not by '{claim.claimant}'",
            f"the attribution reads '{'; '.join(read.clause_texts)}': check the claimant",
        )
        return
    if claim.attribution is not None:
        return  # attribution_names_speaker reads it
    if not read.has_clause and read.named_anywhere:
        return  # claim_is_reported says that nothing reports it
    yield Finding(
        ("claimant",),
        f"the excerpt does not name the claimant '{claim.claimant}'",
        "widen the excerpt to the words that name them ('Russia has accused'), or add "
        "attribution: the paragraph and words where the article names them",
    )


@rule("claim")
def claim_is_reported(claim: Claim, ctx: Context) -> Iterator[Finding]:
    """A claim is something the article reports someone as saying: its excerpt has the verb."""
    read, _ = named_in(claim, claim.claimant, ctx, CLAIM_FORMS)
    if read.has_clause:
        return
    yield Finding(
        ("source", "excerpt"),
        "the excerpt reports no statement: no verb such as 'said', 'accused' or 'warned'",
        "widen the excerpt to the reporting words; what the article states in its own voice "
        "is not a claim",
    )


@rule("quote", "claim")
def attribution_names_speaker(fact: Quote | Claim, ctx: Context) -> Iterator[Finding]:
    """An `attribution` names the speaker or claimant, in the same or an earlier paragraph."""
    if fact.attribution is None:
        return
    actor_id = fact.speaker if isinstance(fact, Quote) else fact.claimant
    if actor_id not in ctx.actors:
        return
    if fact.attribution.paragraph > fact.source.paragraph:
        yield Finding(
            ("attribution", "paragraph"),
            "the attribution comes after the words it attributes",
            "point attribution at the paragraph, at or before this one, that names the speaker",
        )
        return
    words, excerpt, _ = attribution_segments(fact.attribution, ctx)
    read = attribution(words, actor_id, ctx.names, CLAIM_FORMS, excerpt=excerpt)
    if not read.named_anywhere:
        yield Finding(
            ("attribution", "excerpt"),
            f"the attribution does not name '{actor_id}' ({ctx.name(actor_id)}) outside quotation marks",
            "copy the words where the article names them, such as 'Blinken said'",
        )
        return
    called = article_pronouns(ctx).get(actor_id)
    read, _ = named_in(
        fact, actor_id, ctx, SPEECH_FORMS if isinstance(fact, Quote) else CLAIM_FORMS
    )
    other = next((p for p in read.pronouns if p in ("he", "she") and called not in (None, p)), None)
    if other is not None:
        yield Finding(
            ("attribution", "excerpt"),
            f"the attribution does not name who the excerpt's '{other}' stands for: the "
            f"article calls '{actor_id}' ({ctx.name(actor_id)}) '{called}'",
            "a pronoun ('she said') means a person the article calls by that pronoun or by a "
            "title ('Mr.', 'Mrs.', 'Ms.'): check the speaker",
        )
        return
    meant = _pronoun_means(fact, actor_id, ctx)
    if meant:
        names = ", ".join(f"'{other}' ({ctx.name(other)})" for other in meant)
        yield Finding(
            ("attribution", "excerpt"),
            "the attribution does not name who the excerpt's pronoun stands for: "
            f"{names}, the nearest subject named before it, not '{actor_id}'",
            "a pronoun ('he said') means the last person named as the subject before it: check "
            "the speaker, or point attribution at the words that name them",
        )


_REACH = 4000  # characters read back for whom a pronoun stands for


def _pronoun_means(fact: Quote | Claim, actor_id: str, ctx: Context) -> tuple[str, ...]:
    """Whom the excerpt's pronoun ("he added") stands for, read back from the excerpt through
    the paragraphs since the attribution's, when that is someone other than the actor."""
    verbs = SPEECH_FORMS if isinstance(fact, Quote) else CLAIM_FORMS
    read, _ = named_in(fact, actor_id, ctx, verbs)
    if not read.pronoun or fact.attribution is None:
        return ()
    placed = ctx.place(fact.source)
    if placed is None:
        return ()
    passage, start, end = placed
    # The paragraphs since the attribution's, the nearest first, up to a few thousand
    # characters: the nearest subject is near, and each fact's reading stays short.
    earlier: list[Passage] = []
    reach = _REACH - start
    for number in range(fact.source.paragraph - 1, fact.attribution.paragraph - 1, -1):
        found = ctx.passage(number)
        if found is None or reach <= 0:
            break
        earlier.insert(0, found)
        reach -= len(found.text)
    words: list[tuple[str, int]] = []
    base = 0
    for paragraph in earlier:
        words += [(word, base + at) for word, at in stream(paragraph, 0, len(paragraph.text))]
        base += len(paragraph.text) + 1
        words.append((BREAK, base - 1))
    words += [(word, base + at) for word, at in stream(passage, max(0, start - _REACH), end)]
    parts = fact.parts if isinstance(fact, Quote) else []
    focus = frozenset(
        base + span.start
        for part in parts
        if (at := passage.find(fold(part), start, end)) >= 0
        and (span := passage.quoted_span_at(at, at + len(fold(part)))) is not None
    )
    kinds = {actor: entry.kind for actor, entry in ctx.actors.items()}
    whole = attribution(
        words,
        actor_id,
        ctx.names,
        verbs,
        kinds,
        excerpt=(base + start, base + end),
        focus=focus,
        context=True,
        pronouns=article_pronouns(ctx),
    )
    return () if whole.named else whole.others + whole.beyond


# Words without which an excerpt cannot be of a claim's type: a promise looks ahead or pledges,
# a demand urges, calls for or says what must be done. A denial is not checked: it may deny by
# saying the contrary ("countered that the missiles had been fired from Vessland", an alibi),
# with no word that denies. Nor is an announcement: a third of the announcements in the
# attribution corpus and the fixtures report a deed already done in the plain past ("said it
# had reached a settlement", "had been placed on paid leave", "died on Sunday"), in words no
# different from an assessment's ("was the only sensible answer"); a list of announcing words
# would refuse those right facts.
_TYPE_WORDS = {
    "promise": frozenset(
        """will would shall going promise promises promised promising pledge pledges pledged
        pledging vow vows vowed vowing commit commits committed commitment guarantee guarantees
        guaranteed assure assures assured swear swears swore sworn intend
        intends intended undertake undertook offer offers offered""".split()
    ),
    "demand": frozenset(
        """demand demands demanded demanding urge urges urged urging call calls called calling
        ask asks asked asking must should need needs needed require requires required insist
        insists insisted press presses pressed push pushes pushed want wants wanted seek seeks
        sought appeal appeals appealed plead pleads pleaded beg begs begged implore implored
        order orders ordered ought request requests requested petition petitioned""".split()
    ),
}
_TYPE_HINTS = {
    "promise": "a word that looks ahead or pledges ('will', 'would', 'pledged', 'vowed')",
    "demand": "a word that asks for something ('urged', 'called for', 'must', 'should')",
}


def _type_words(words: list[str], claim_type: str) -> bool:
    """True if the words have one that a claim of this type needs ("'ll" and "'d" count as
    "will" and "would")."""
    cues = _TYPE_WORDS[claim_type]
    return any(
        word in cues or (claim_type == "promise" and word.endswith(("'ll", "'d"))) for word in words
    )


@rule("claim")
def type_agrees_with_words(claim: Claim, ctx: Context) -> Iterator[Finding]:
    """A promise or a demand has the words of one in its excerpt.

    A promise has a word that looks ahead or pledges ('will', 'would', "'ll", 'pledged',
    'vowed', 'intends', 'offered'); a demand, a word that asks for something ('urged', 'called
    for', 'demanded', 'must', 'should', 'needs'). Without one the excerpt reports something
    else, an assessment or a position. The other types are not checked: a denial, for one, may
    deny by saying the contrary, with no word that denies.
    """
    if claim.type not in _TYPE_WORDS:
        return
    if _type_words(tokens(fold(claim.source.excerpt)), claim.type):
        return
    yield Finding(
        ("type",),
        f"the excerpt has no word of a {claim.type}: {_TYPE_HINTS[claim.type]}",
        "choose the type the words report (assessment, announcement, position …), or widen "
        "the excerpt to the words that make it a " + claim.type,
    )
