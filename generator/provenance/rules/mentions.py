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
    right before it (or before a title and the name: 'The board's chairman, Mr. Walter
    Henning'), are that actor's. So is a description that is another actor's name in the
    registry, or whose head noun is ('A spokesman for the region', when the registry has that
    spokesman; 'the council' for the mayor).
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
        skip = _title_length(after[1:])  # 'The board's chairman, Mr. Walter Henning,'
        found, taken = _name_starting(after[1 + skip :], names)
        taken += skip
        following = after[1 + taken] if len(after) > 1 + taken else "."
        if following in PUNCTUATION:  # 'The opposition leader, Karl Hoff, said'
            others = found
    elif not others and after:
        others = _name_starting(after, names)[0]  # a title: 'Mayor Ana Ruiz'
    if not others:
        others = _named_by(described, names)  # 'A spokesman for the region': a registry name
    others = others - {mention.actor}
    if others:
        other = sorted(others)[0]
        yield Finding(
            ("described_as",),
            f"'{mention.described_as}' is what the text says of '{other}' ({ctx.name(other)}), "
            f"not of '{mention.actor}'",
            "give the words the text uses for this actor, or mention the actor it describes",
        )


# Titles written before a name ('Mr. Walter Henning', 'Dr Lena Vogt').
_TITLES = frozenset("mr mrs ms miss dr prof sir dame rev".split())


def _title_length(words: list[str]) -> int:
    """How many of the words are a title before a name: 'mr' and its full stop, or none."""
    if words and words[0] in _TITLES:
        return 2 if len(words) > 1 and words[1] == "." else 1
    return 0


_ARTICLES = frozenset("a an the".split())
# Words after which a noun phrase's head has been read: prepositions, relative words, commas.
_AFTER_HEAD = frozenset(
    "of for at in on from with to by who whom whose which that , ; : ( ) \u2014 \u2013".split()
)


def head_noun(described: str) -> tuple[str, ...]:
    """The noun phrase a description is built on, without its article, possessor or what
    follows its head ('A spokesman for the region': 'spokesman'; 'The board's chairman':
    'chairman'; 'the city engineer': 'city engineer'); empty for a clause ('who chairs …')."""
    words = tokens(fold(described))
    if not words or words[0] in _RELATIVE:
        return ()
    phrase: list[str] = []
    for word in words:
        if word in _AFTER_HEAD:
            break
        if word == POSSESSIVE:
            phrase = []  # the possessor is not the head: 'the board's chairman'
            continue
        phrase.append(word)
    while phrase and phrase[0] in _ARTICLES:
        phrase = phrase[1:]
    return tuple(word for word in phrase if word not in PUNCTUATION)


def _named_by(described: str, names: NameIndex) -> frozenset[str]:
    """The registry actors a description names: the whole of it, with or without its
    article, or its head noun phrase ('the council' names 'Port Alder council' only if the
    registry has 'council' as a name)."""
    words = [word for word in tokens(described) if word not in PUNCTUATION]
    bare = words[1:] if words[:1] and words[0] in _ARTICLES else words
    found: frozenset[str] = frozenset()
    for key in {tuple(words), tuple(bare), *((article, *bare) for article in _ARTICLES)}:
        if key:
            found |= names.lookup(key)
    head = head_noun(described)
    return found | names.lookup(head) if head else found


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


# Nouns for one person, and for several: a word for one person cannot describe an
# organisation, a state, a group or a place, nor a plural one person.
_ONE_PERSON = frozenset(
    """
    chairman chairwoman chairperson spokesman spokeswoman spokesperson engineer mayor minister
    councillor councilor alderman president vice-president director official secretary governor
    senator congressman congresswoman representative judge magistrate officer commander
    manager lawyer attorney prosecutor professor doctor economist analyst reporter editor
    diplomat ambassador envoy king queen prince princess chancellor premier aide adviser
    advisor negotiator activist protester campaigner candidate farmer pilot nurse surgeon
    survivor witness suspect defendant plaintiff man woman boy girl priest bishop teacher
    student coach goalkeeper striker scientist researcher superintendent inspector sheriff
    chief
    """.split()
)
_IRREGULAR_PLURALS = frozenset(
    "men women people spokesmen spokeswomen chairmen chairwomen congressmen aldermen".split()
)
_SEVERAL_PERSONS = (
    _IRREGULAR_PLURALS
    | frozenset(
        f"{noun}es" if noun.endswith(("s", "ch", "sh")) else f"{noun}s" for noun in _ONE_PERSON
    )
    | frozenset("residents lawmakers legislators militants fighters troops workers".split())
)


@rule("mention")
def description_fits_the_actor(mention: Mention, ctx: Context) -> Iterator[Finding]:
    """A mention's `described_as` can describe the actor: one person, or not a person.

    A description built on a word for one person ('The board's chairman', 'A spokesman for the
    region', 'City engineer') describes a person, not an organisation, a state, a group or a
    place; one built on a plural ('the engineers', 'residents') does not describe one person.
    Plural words for persons may stand for an organisation or a state ('officials').
    """
    if mention.described_as is None or mention.actor not in ctx.actors:
        return
    head = head_noun(mention.described_as)
    if not head:
        return
    noun, kind = head[-1], ctx.actors[mention.actor].kind
    if kind != "person" and noun in _ONE_PERSON:
        yield Finding(
            ("described_as",),
            f"'{mention.described_as}' describes a person (a {noun}), and "
            f"'{mention.actor}' ({ctx.name(mention.actor)}) is {_a(kind)}",
            "mention the person the words describe, or give the words the text uses for this actor",
        )
    elif kind == "person" and noun in _SEVERAL_PERSONS:
        yield Finding(
            ("described_as",),
            f"'{mention.described_as}' describes several persons ({noun}), and "
            f"'{mention.actor}' ({ctx.name(mention.actor)}) is one person",
            "give the words the text uses for this person, or leave described_as out",
        )


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
