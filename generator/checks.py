"""The checks of the registry and of each article, as an ordered list of named functions.

Each check reads what loaded and yields located problems; it never reads a file. The order
below is the order they run and the order a contributor can read them in. Schema checks come
before (every file is parsed against its model when it loads) and provenance after (each fact
against its source text, `generator.provenance`), both driven by `generator.validate`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import Problem
from .load import Document
from .model import ARTICLE_FILE, ARTICLE_KINDS, KINDS_BY_SINGULAR, REGISTRY_FILE, Actor
from .provenance.attribution import alias_problem

_MENTIONS_FILE = KINDS_BY_SINGULAR["mention"].file  # mentions name actors; they have no ids


@dataclass(frozen=True)
class LoadedRegistry:
    document: Document
    actors: list[Actor]  # as written, duplicates included


@dataclass(frozen=True)
class LoadedArticle:
    files: dict[str, tuple[Document, Any]]  # file name: (document, what it holds)
    complete: bool  # every file of the folder loaded, so a missing id is really missing
    actors: dict[str, Actor] | None  # the registry, if it loaded

    @property
    def header(self) -> tuple[Document, Any]:
        return self.files[ARTICLE_FILE]

    def fact_files(self) -> Iterator[tuple[str, Document, list[Any]]]:
        """Every file of the article's facts (the header and its mentions excluded)."""
        for name, (document, entries) in self.files.items():
            if name not in (ARTICLE_FILE, _MENTIONS_FILE):
                yield name, document, entries


# --- the registry -----------------------------------------------------------------------------


def actor_ids_are_unique(registry: LoadedRegistry) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, actor in enumerate(registry.actors):
        if actor.id in seen:
            yield registry.document.problem(
                (index, "id"),
                f"duplicate actor id '{actor.id}'",
                "every actor in the registry needs its own id",
            )
        seen.add(actor.id)


def aliases_are_names(registry: LoadedRegistry) -> Iterator[Problem]:
    """An alias is a name the sources use; a description ('the official') would make any
    sentence with those words look like it names the actor."""
    for index, actor in enumerate(registry.actors):
        for position, alias in enumerate(actor.aliases):
            reason = alias_problem(alias)
            if reason:
                yield registry.document.problem(
                    (index, "aliases", position),
                    f"the alias '{alias}' cannot serve as a name: {reason}",
                    "aliases are names the sources use ('Putin', 'U.N.'); put a "
                    "description such as 'the official' in the article's actors.yaml "
                    "as described_as",
                )


def names_belong_to_one_actor(registry: LoadedRegistry) -> Iterator[Problem]:
    owners: dict[str, str] = {}
    for index, actor in enumerate(registry.actors):
        for position, name in enumerate([actor.name, *actor.aliases]):
            owner = owners.setdefault(" ".join(name.casefold().split()), actor.id)
            if owner != actor.id:
                where = (index, "name") if position == 0 else (index, "aliases", position - 1)
                yield registry.document.problem(
                    where,
                    f"'{name}' already names the actor '{owner}'",
                    "a name or alias may belong to one actor only, or attribution "
                    "becomes ambiguous",
                )


REGISTRY_CHECKS: tuple[Callable[[LoadedRegistry], Iterator[Problem]], ...] = (
    actor_ids_are_unique,
    aliases_are_names,
    names_belong_to_one_actor,
)


# --- each article -----------------------------------------------------------------------------


def fact_ids_are_unique(article: LoadedArticle) -> Iterator[Problem]:
    """Fact ids are anchors on the article page: unique across all kinds in the article."""
    first: dict[str, tuple[Document, int]] = {}
    for _, document, entries in article.fact_files():
        for index, fact in enumerate(entries):
            if fact.id not in first:
                first[fact.id] = (document, index)
                continue
            other, first_index = first[fact.id]
            line = other.position((first_index, "id")).line
            yield document.problem(
                (index, "id"),
                f"duplicate id '{fact.id}'",
                f"'{fact.id}' is already used in {other.path.name} line {line}; "
                "ids must be unique within an article",
            )


def key_facts_are_facts(article: LoadedArticle) -> Iterator[Problem]:
    """The key facts are facts of the article, each listed once. Checked only when every file
    loaded: a file with problems of its own would make every key fact in it look missing."""
    if ARTICLE_FILE not in article.files or not article.complete:
        return
    ids = {fact.id for _, _, entries in article.fact_files() for fact in entries}
    document, header = article.header
    seen: set[str] = set()
    for index, key in enumerate(header.key_facts):
        if key in seen:
            message = f"'{key}' is listed twice"
        elif key not in ids:
            message = f"no fact of this article has the id '{key}'"
        else:
            seen.add(key)
            continue
        yield document.problem(
            ("key_facts", index),
            message,
            "list the ids of up to five figures, quotes, claims, statements, "
            "questions or events of this article, the most important first",
        )


def corrections_follow_the_article(article: LoadedArticle) -> Iterator[Problem]:
    document, header = article.header
    for index, correction in enumerate(header.corrections):
        if correction.date < header.date:
            yield document.problem(
                ("corrections", index, "date"),
                f"the correction is dated {correction.date}, before the article ({header.date})",
                "give the day the sheet was corrected",
            )


def actors_are_in_the_registry(article: LoadedArticle) -> Iterator[Problem]:
    """Every actor a fact names is in the registry (checked only if the registry loaded)."""
    if article.actors is None:
        return
    for name, (document, entries) in article.files.items():
        if name == ARTICLE_FILE:
            continue
        for index, fact in enumerate(entries):
            for loc, actor_id in ARTICLE_KINDS[name].actor_references(fact):
                if actor_id not in article.actors:
                    close = difflib.get_close_matches(actor_id, list(article.actors), n=1)
                    hint = f"did you mean '{close[0]}'? " if close else ""
                    yield document.problem(
                        (index, *loc),
                        f"unknown actor '{actor_id}'",
                        hint + f"actors are listed in facts/{REGISTRY_FILE}",
                    )


ARTICLE_CHECKS: tuple[Callable[[LoadedArticle], Iterator[Problem]], ...] = (
    fact_ids_are_unique,
    key_facts_are_facts,
    corrections_follow_the_article,
    actors_are_in_the_registry,
)
