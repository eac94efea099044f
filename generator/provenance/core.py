"""What every provenance rule shares: the article's context, a finding, and the register.

A rule is a function that takes one fact and the article's context and yields findings:
where in the fact the problem is, one message and one hint. Each message ends with the rule's
name ("(rule: speaker_named)"), added here for every rule, so that a contributor who finds a
right fact refused knows the name a `review` gives. It is registered where it is
defined, with `@rule("quote", "claim")` naming the kinds of fact it applies to (none: every
kind), and rules run in the order they are registered (`generator.provenance.rules` imports
its modules in that order). The first line of a rule's docstring is the rule as contributors
read it: the site's "How facts are checked" page is made from them (`generator.rules_doc`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, wraps
from typing import Any, TypeVar

from pydantic import BaseModel

from ..load import Loc
from ..model import FACT_KINDS, Actor, Article, Source
from ..seeds import Seed
from ..text import fold
from .attribution import NameIndex
from .passages import Passage


@dataclass(frozen=True)
class Finding:
    """A broken rule: where in the fact, what is wrong, and how to fix it."""

    loc: Loc
    message: str
    hint: str


@dataclass
class Context:
    """What the rules know about the article a fact belongs to."""

    article: Article
    seed: Seed
    actors: dict[str, Actor]
    names: NameIndex
    seeds: Callable[[str], Seed | None]
    _passages: dict[tuple[str, int], Passage] = field(default_factory=dict)

    @property
    def date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.article.date)

    @cached_property
    def actor_kinds(self) -> dict[str, str]:
        """Each registry actor's kind (person, place …), made once per article, not per fact."""
        return {actor_id: actor.kind for actor_id, actor in self.actors.items()}

    def passage(self, number: int, seed: Seed | None = None) -> Passage | None:
        seed = seed or self.seed
        if not 1 <= number <= len(seed.paragraphs):
            return None
        key = (seed.name, number)
        if key not in self._passages:
            self._passages[key] = Passage(number, seed.folded[number - 1])
        return self._passages[key]

    def place(self, source: Source) -> tuple[Passage, int, int] | None:
        """The passage of a source, and where its excerpt starts and ends in it."""
        passage = self.passage(source.paragraph)
        if passage is None:
            return None
        excerpt = fold(source.excerpt)
        start = passage.find(excerpt)
        return None if start < 0 else (passage, start, start + len(excerpt))

    def name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id


Rule = Callable[[Any, Context], Iterator[Finding]]
_KINDS = {kind.singular for kind in FACT_KINDS}
_KIND_OF_MODEL = {kind.model: kind.singular for kind in FACT_KINDS}


@dataclass(frozen=True)
class RegisteredRule:
    """A rule, the kinds of fact it applies to (empty: every kind), and whether it is a gate:
    when a gate finds a problem, the fact's other rules are not run, since they would only
    repeat the same problem in other words."""

    check: Rule
    kinds: tuple[str, ...]
    gate: bool
    excusable: bool = True
    """False for the rules that a fact's words are the source's own: no review can excuse it."""

    @property
    def name(self) -> str:
        return self.check.__name__

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


RULES: list[RegisteredRule] = []
_R = TypeVar("_R", bound=Rule)


def rule(*kinds: str, gate: bool = False, excusable: bool = True) -> Callable[[_R], _R]:
    """Register a rule for the named kinds of fact ('quote', 'figure' ...; none: every kind).

    A gate is never excusable; a rule that checks the words against the source is registered
    with excusable=False: a reviewer may vouch for a reading, never for a copy."""
    unknown = set(kinds) - _KINDS
    if unknown:
        raise ValueError(f"no such kind of fact: {', '.join(sorted(unknown))}")

    def register(check: _R) -> _R:
        RULES.append(RegisteredRule(_naming(check), kinds, gate, excusable and not gate))
        return check

    return register


def _naming(check: Rule) -> Rule:
    """The rule, with its name at the end of each message it gives ("… (rule: speaker_named)"),
    so that a contributor sees which rule refuses a fact, the name a `review` gives."""
    suffix = f" (rule: {check.__name__})"

    @wraps(check)
    def named(fact: Any, ctx: Context) -> Iterator[Finding]:
        for finding in check(fact, ctx):
            yield replace(finding, message=finding.message + suffix)

    return named


def kind_of(fact: BaseModel) -> str:
    """The kind of fact a model instance is ('quote')."""
    return _KIND_OF_MODEL[type(fact)]


@cache
def rules_for(kind: str) -> tuple[tuple[RegisteredRule, ...], tuple[RegisteredRule, ...]]:
    """The gates and the other rules that apply to one kind of fact, each in order."""
    applying = [registered for registered in RULES if registered.applies_to(kind)]
    return (
        tuple(r for r in applying if r.gate),
        tuple(r for r in applying if not r.gate),
    )


def sources(fact: BaseModel) -> Iterator[tuple[Loc, Source]]:
    """Every source a fact cites, with where in the fact it is written: each field that holds
    a source, a list of sources, or a mapping with a source in it (a question's resolution).
    Read from the model, so a new kind of fact needs no change here."""
    for name in type(fact).model_fields:
        value = getattr(fact, name)
        if isinstance(value, Source):
            yield (name,), value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Source):
                    yield (name, index), item
        elif isinstance(value, BaseModel):
            for inner in type(value).model_fields:
                found = getattr(value, inner)
                if isinstance(found, Source):
                    yield (name, inner), found
