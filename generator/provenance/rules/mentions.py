"""Rules for mentions: the actor is named where the mention says."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Mention
from ...text import fold
from ..attribution import NameIndex
from ..core import Context, Finding, rule
from ..passages import POSSESSIVE, PUNCTUATION, tokens
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


_RELATIVE = frozenset("who whose whom which that".split())


def _name_ending(words: list[str], names: NameIndex) -> frozenset[str]:
    """The actors whose name the words end with ('councillor priya nair': priya-nair)."""
    found: frozenset[str] = frozenset()
    for length in range(1, min(len(words), names.longest) + 1):
        found |= names.lookup(tuple(words[-length:]))
    return found


def _name_starting(words: list[str], names: NameIndex) -> tuple[frozenset[str], int]:
    """The actors whose name the words start with, and how many words the longest takes."""
    found: frozenset[str] = frozenset()
    taken = 0
    for length in range(1, min(len(words), names.longest) + 1):
        ids = names.lookup(tuple(words[:length]))
        if ids:
            found, taken = found | ids, length
    return found, taken


@rule("mention")
def description_not_anothers(mention: Mention, ctx: Context) -> Iterator[Finding]:
    """A mention's `described_as` is not what the text says of another actor it names.

    'Councillor Priya Nair, who chairs the finance committee' describes Nair, and 'The
    opposition leader, Karl Hoff,' and 'Mayor' in 'Mayor Ana Ruiz' describe Hoff and Ruiz: a
    relative clause or words set off by a comma right after another actor's name, and words
    right before it, are that actor's.
    """
    if mention.described_as is None or mention.actor not in ctx.actors:
        return  # an unknown actor is reported as such
    placed = ctx.place(mention.source)
    if placed is None:
        return
    passage, start, end = placed
    described = fold(mention.described_as)
    at = passage.find(described, start, end)
    if at < 0:
        return
    names = ctx.names.parent or ctx.names  # the registry's names, not the article's words
    before = tokens(passage.text[max(0, at - 120) : at])
    after = tokens(passage.text[at + len(described) : at + len(described) + 120])
    others: frozenset[str] = frozenset()
    own = tokens(described)
    if len(before) > 1 and before[-1] == "," and before[-2] != POSSESSIVE:
        others = _name_ending(before[:-1], names)
    elif before and before[-1] not in PUNCTUATION and own and own[0] in _RELATIVE:
        others = _name_ending(before, names)  # 'Priya Nair who chairs the committee'
    if not others and after and after[0] == ",":
        found, taken = _name_starting(after[1:], names)
        following = after[1 + taken] if len(after) > 1 + taken else "."
        if following in PUNCTUATION:  # 'The opposition leader, Karl Hoff, said'
            others = found
    elif not others and after:
        others = _name_starting(after, names)[0]  # a title: 'Mayor Ana Ruiz'
    others = others - {mention.actor}
    if others:
        other = sorted(others)[0]
        yield Finding(
            ("described_as",),
            f"'{mention.described_as}' is what the text says of '{other}' ({ctx.name(other)}), "
            f"not of '{mention.actor}'",
            "give the words the text uses for this actor, or mention the actor it describes",
        )


def _named_in_article(ctx: Context) -> set[str]:
    """The actors the article names by a name or an alias of the registry, found once."""
    cached: set[str] | None = getattr(ctx, "_named_in_article", None)
    if cached is None:
        names = ctx.names.parent or ctx.names
        cached = set()
        for paragraph in ctx.seed.folded:
            cached |= names.actors_in(tokens(paragraph))
        ctx._named_in_article = cached  # type: ignore[attr-defined]
    return cached


@rule("mention")
def unnamed_actor_described_by_its_name(mention: Mention, ctx: Context) -> Iterator[Finding]:
    """An actor the article never names is not described in common words ('the engineers').

    Such a description does not say which actor it is. Words of the actor's own name ('the
    ministry' for the Environment Ministry) or words the text writes as a name ('the Kremlin')
    may describe it.
    """
    if mention.described_as is None or mention.actor not in ctx.actors:
        return
    if mention.actor in _named_in_article(ctx):
        return
    described = tokens(fold(mention.described_as))
    own = {
        word for name in (ctx.names.parent or ctx.names).names_of(mention.actor) for word in name
    }
    if any(word in own for word in described if word not in PUNCTUATION):
        return
    if _capitalised(mention, ctx):
        return  # a name the text uses ('the Kremlin', 'Washington', 'Russian officials')
    actor = ctx.actors[mention.actor]
    yield Finding(
        ("described_as",),
        f"the article never names '{mention.actor}' ({actor.name}), and "
        f"'{mention.described_as}' does not say it is that actor",
        "mention an actor the article names, or one whose name the description gives",
    )


_LEADING = frozenset("the a an this these those its his her their our".split())


def _capitalised(mention: Mention, ctx: Context) -> bool:
    """True if the description has a capitalised word that is not so only because it starts
    a sentence ('Engineers said' is no name; 'the Kremlin' and 'Russian officials' are)."""
    described = fold(mention.described_as or "")
    words = described.split()
    placed = ctx.place(mention.source)
    starts_sentence = True
    if placed is not None:
        passage, start, end = placed
        at = passage.find(described, start, end)
        if at >= 0:
            starts_sentence = not passage.text[:at].strip() or bool(
                re.search(r"[.!?:]['\"]?\s*['\"]?$", passage.text[max(0, at - 4) : at])
            )
    for index, word in enumerate(words):
        if not word[:1].isupper():
            continue
        if index == 0 and (starts_sentence or word.lower() in _LEADING):
            continue
        return True
    return False
