"""Rules for claims, and for the attribution of quotes and claims."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Claim, Quote
from ..attribution import REPORTING_VERBS, attribution
from ..core import Context, Finding, rule
from .common import attribution_segments, named_in


@rule("claim")
def claimant_named(claim: Claim, ctx: Context) -> Iterator[Finding]:
    """A claim's claimant is named in the excerpt as the one who claims, or through attribution."""
    if claim.claimant not in ctx.actors:
        return
    read, _ = named_in(claim, claim.claimant, ctx, REPORTING_VERBS)
    if read.named or (read.named_anywhere and not read.others) or claim.attribution:
        return
    if read.others:
        names = ", ".join(f"'{other}'" for other in read.others)
        yield Finding(
            ("claimant",),
            f"the excerpt reports this as said by {names}, not by '{claim.claimant}'",
            f"the attribution reads '{'; '.join(read.clause_texts)}': check the claimant",
        )
        return
    yield Finding(
        ("claimant",),
        f"the excerpt does not name the claimant '{claim.claimant}'",
        "widen the excerpt to the words that name them ('Russia has accused'), or add "
        "attribution: the paragraph and words where the article names them",
    )


@rule("claim")
def claim_is_reported(claim: Claim, ctx: Context) -> Iterator[Finding]:
    """A claim is something the article reports someone as saying: its excerpt has the verb."""
    read = attribution(
        attribution_segments(claim.source, ctx), claim.claimant, ctx.names, REPORTING_VERBS
    )
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
    read = attribution(
        attribution_segments(fact.attribution, ctx), actor_id, ctx.names, REPORTING_VERBS
    )
    if not read.named_anywhere:
        yield Finding(
            ("attribution", "excerpt"),
            f"the attribution does not name '{actor_id}' ({ctx.name(actor_id)}) outside quotation marks",
            "copy the words where the article names them, such as 'Blinken said'",
        )
