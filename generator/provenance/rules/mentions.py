"""Rules for mentions: the actor is named where the mention says."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Mention
from ..core import Context, Finding, rule
from ..passages import tokens
from .common import within


@rule("mention", excusable=False)
def description_in_excerpt(mention: Mention, ctx: Context) -> Iterator[Finding]:
    """A mention's `described_as` is in its excerpt, word for word."""
    if mention.described_as is not None:
        yield from within(("described_as",), mention.described_as, mention.source, "description")


@rule("mention")
def actor_named_in_excerpt(mention: Mention, ctx: Context) -> Iterator[Finding]:
    """A mention's excerpt names the actor (name, alias or description), as whole words."""
    placed = ctx.place(mention.source)
    if placed is None or mention.actor not in ctx.actors:
        return
    passage, start, end = placed
    if ctx.names.mentions(tokens(passage.text[start:end]), mention.actor):
        return
    actor = ctx.actors.get(mention.actor)
    names = " / ".join([actor.name, *actor.aliases]) if actor else mention.actor
    yield Finding(
        ("actor",),
        f"the excerpt does not name the actor '{mention.actor}' ({names})",
        "widen the excerpt to the words that name the actor, or give them as described_as",
    )
