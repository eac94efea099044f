"""The validated corpus: what the validate stage hands to every later stage.

Render, export and the pictures read these types without importing the validate stage (and
with it the cache, provenance and seeds). The names every stage looks actors up by are built
once here: the registry's names and aliases for the corpus, and each article's extension of
them with the descriptions its mentions give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .model import FACT_KINDS, Actor, Article, Mention
from .provenance.attribution import NameIndex, alias_problem
from .seeds import Seed

_PLURALS = frozenset(kind.plural for kind in FACT_KINDS)


@dataclass
class ArticleFacts:
    """One article with all its facts, after validation: `facts.quotes`, `facts.figures` …,
    one list per kind of fact in `generator.model.FACT_KINDS`."""

    id: str
    article: Article
    seed: Seed
    files: dict[str, Path]
    by_kind: dict[str, list[Any]] = field(default_factory=dict)
    """The facts of each kind, by the kind's plural ('quotes')."""

    def __getattr__(self, plural: str) -> list[Any]:
        if plural not in _PLURALS:
            raise AttributeError(plural)
        by_kind: dict[str, list[Any]] = self.__dict__.get("by_kind", {})
        return by_kind.get(plural, [])

    @property
    def fact_count(self) -> int:
        return sum(len(facts) for facts in self.by_kind.values())

    def names(self, registry: NameIndex) -> NameIndex:
        """The registry's names, with the descriptions this article's mentions give."""
        return registry.extended(
            (mention.actor, mention.described_as)
            for mention in self.mentions
            if mention.described_as
        )


@dataclass
class ValidationCounts:
    """What a validation did: files read and parsed or taken from the cache, facts whose
    provenance was checked or known from the cache."""

    files_parsed: int = 0
    files_cached: int = 0
    facts_checked: int = 0
    facts_cached: int = 0
    facts_excused: int = 0
    """Facts a reviewer excused from one rule (`review`), cached or not."""
    parsed: list[str] = field(default_factory=list)
    """The files parsed, as 'article-folder/file.yaml' ('actors.yaml' for the registry)."""


@dataclass
class Corpus:
    """Everything the render stage needs: the actor registry and every article, newest first."""

    actors: dict[str, Actor]
    articles: list[ArticleFacts]
    registry_path: Path
    counts: ValidationCounts = field(default_factory=ValidationCounts, compare=False)

    @cached_property
    def names(self) -> NameIndex:
        """The registry's names and usable aliases, for finding actors in text."""
        return name_index(self.actors)


def name_index(actors: dict[str, Actor], mentions: Iterable[Mention] = ()) -> NameIndex:
    """Every actor's name and usable aliases (and, given mentions, their descriptions)."""
    index = NameIndex()
    for actor in actors.values():
        index.add(actor.id, actor.name)
        for alias in actor.aliases:
            if alias_problem(alias) is None:  # a refused alias would only add noise
                index.add(actor.id, alias)
    for mention in mentions:
        if mention.described_as:
            index.add(mention.actor, mention.described_as)
    return index
