"""The site model: what the pages show, derived once from the validated corpus.

Addresses (`SiteLinks`), each article's sheet (`Sheet`: its facts, the status of its
questions, its key points and pictures), each actor's record across the corpus
(`ActorRecord`), the build's date, and the facts gathered for the cross-article listings.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markupsafe import Markup

from .corpus import ArticleFacts
from .escape import url_part
from .filters import long_date
from .history import SheetHistory
from .model import (
    FACT_KINDS,
    KIND_TITLES,
    SECTIONS,
    Actor,
    Event,
    FileKind,
    Mention,
    Question,
)
from .pictures import comparable_groups, comparison_svg, timeline_svg
from .provenance import sources
from .provenance.attribution import NameIndex
from .provenance.dates import interval
from .provenance.passages import tokens

_PLURALS = frozenset(kind.plural for kind in FACT_KINDS)


@dataclass(frozen=True)
class SiteLinks:
    """Addresses the pages need: the site's own, and the repository's for contributors; and
    who publishes the site, for the feed."""

    site_url: str | None
    repo_url: str | None
    view_base: str | None
    author: str | None = None

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SiteLinks:
        repo = str(config.get("repo_url") or "").rstrip("/")
        site = str(config.get("site_url") or "")
        site = site if re.fullmatch(r"https?://[^\s\"'<>()]+/", site) else ""
        author = str(config.get("site_author") or config.get("site_name") or "") or None
        if not re.fullmatch(r"https?://[^\s\"'<>()]+", repo):
            return cls(site or None, None, None, author)
        edit = str(config.get("edit_uri") or "edit/main/docs/").strip("/")
        edit = edit.removesuffix("/docs")  # the facts live beside docs/, not in it
        view = edit.replace("edit/", "blob/", 1) if edit.startswith("edit/") else edit
        return cls(site or None, repo, f"{repo}/{view}/", author)

    def history(self, path: str) -> Markup | None:
        """The repository's history of a folder (every change to a sheet's facts)."""
        if not self.view_base:
            return None
        return Markup(self.view_base.replace("/blob/", "/commits/", 1) + path)

    def view(self, path: str, line: int | None = None) -> Markup | None:
        if not self.view_base:
            return None
        return Markup(self.view_base + path + (f"#L{line}" if line else ""))

    def page(self, path: str) -> str:
        return (self.site_url or "/") + path

    def correction(self, facts: ArticleFacts, kind: FileKind) -> Markup | None:
        """A new issue in the repository about one section of a sheet (one link a section,
        not one a fact), filled in with where the facts are and what to say."""
        if not self.repo_url:
            return None
        title = f"Correction: {kind.plural} in {facts.id}"
        body = (
            f"Fact sheet: {self.page(f'sheets/{facts.id}/')}#{kind.anchor}\n"
            f"Fact file: facts/{facts.id}/{kind.file}\n\n"
            "Which fact is wrong, and what does the source say instead?\n"
        )
        return Markup(f"{self.repo_url}/issues/new?title={url_part(title)}&body={url_part(body)}")


# --- what each page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """Where a question stands, told honestly: open as of its article's date; answered, and
    where (the sheet of the article that answers it, when the site has it); or its deadline
    passed with no answer recorded, which is true as of the build date."""

    key: str  # open, passed, answered
    label: str
    answered_in: ArticleFacts | None = None


def question_status(
    question: Question,
    as_of: datetime.date,
    by_seed: dict[str, ArticleFacts] | None = None,
    opened: str = "",
) -> Status:
    if question.status == "answered" and question.resolution is not None:
        seed = question.resolution.source.seed
        return Status("answered", "Answered", (by_seed or {}).get(seed) if seed else None)
    if question.deadline is not None and interval(question.deadline)[1] < as_of:
        return Status("passed", "No answer recorded")
    return Status("open", f"Open as of {long_date(opened)}" if opened else "Open")


@dataclass
class Sheet:
    """One article's page: its facts and what the templates derive from them."""

    facts: ArticleFacts
    actors: dict[str, Actor]
    as_of: datetime.date
    history: SheetHistory | None
    names: NameIndex
    by_seed: dict[str, ArticleFacts] = field(default_factory=dict)
    """Every article of the corpus by its seed, for the answers other articles give."""

    @property
    def id(self) -> str:
        return self.facts.id

    @property
    def sections(self) -> list[FileKind]:
        """The sheet's sections in order: the kinds of fact the article has. An empty section
        would tell readers nothing, and a heading over it would send them looking."""
        return [kind for kind in SECTIONS if self.facts.by_kind.get(kind.plural)]

    def mentions_by_kind(self) -> list[tuple[str, list[tuple[Actor, list[Mention]]]]]:
        by_actor: dict[str, list[Mention]] = {}
        for mention in self.facts.mentions:
            by_actor.setdefault(mention.actor, []).append(mention)
        groups = []
        for kind, title in KIND_TITLES.items():
            members = [
                (self.actors[actor_id], mentions)
                for actor_id, mentions in by_actor.items()
                if self.actors[actor_id].kind == kind
            ]
            if members:
                members.sort(key=lambda pair: sort_key(pair[0]))
                groups.append((title, members))
        return groups

    def aliases_used(self, actor: Actor) -> list[str]:
        """The registry's aliases this article uses, not those of other articles."""
        words = self._seed_tokens
        used = []
        for alias in actor.aliases:
            key = [token for token in tokens(alias) if token not in ",.;:!?"]
            if key and _contains(words, key):
                used.append(alias)
        return used

    @cached_property
    def _seed_tokens(self) -> list[str]:
        return [t for paragraph in self.facts.seed.folded for t in tokens(paragraph)]

    def actors_named(self, excerpt: str) -> list[str]:
        """The ids of the actors an excerpt names (by name, alias or this article's
        description), in a stable order; remembered, as actor pages and search both ask."""
        found = self._named.get(excerpt)
        if found is None:
            found = self._named[excerpt] = sorted(self.names.actors_in(tokens(excerpt)))
        return found

    @cached_property
    def _named(self) -> dict[str, list[str]]:
        return {}

    def comparisons(self) -> list[tuple[str, Markup]]:
        return [
            (unit, comparison_svg(unit, group))
            for unit, group in comparable_groups(self.facts.figures)
        ]

    def timeline(self) -> Markup:
        return timeline_svg(
            self.facts.events,
            self.facts.questions,
            self.as_of,
            f"Timeline of “{self.facts.article.title}”",
            datetime.date.fromisoformat(self.facts.article.date),
        )

    def events(self) -> list[Event]:
        return sorted(self.facts.events, key=lambda event: interval(event.date)[0])

    def status(self, question: Question) -> Status:
        return question_status(question, self.as_of, self.by_seed, self.facts.article.date)

    @cached_property
    def cited_paragraphs(self) -> frozenset[int]:
        """The paragraphs of the article's own text that its facts cite."""
        cited = set()
        for kind in FACT_KINDS:
            for item in getattr(self.facts, kind.plural):
                for _, source in sources(item):
                    if getattr(source, "seed", None) in (None, self.facts.seed.name):
                        cited.add(source.paragraph)
        return frozenset(cited)

    def key_facts(self) -> list[tuple[str, Any]]:
        """The facts the curators put first (`key_facts`), as (kind, fact), in their order."""
        by_id = {
            fact.id: (kind.singular, fact)
            for kind in FACT_KINDS
            if "id" in kind.model.model_fields
            for fact in getattr(self.facts, kind.plural)
        }
        return [by_id[key] for key in self.facts.article.key_facts if key in by_id]

    def glance(self) -> dict[str, Any]:
        """The article's box of essentials: where, who speaks, and the next open deadline."""
        places = [
            self.actors[actor_id].name
            for actor_id in dict.fromkeys(mention.actor for mention in self.facts.mentions)
            if self.actors[actor_id].kind in ("place", "state")
        ]
        voices: dict[str, int] = {}
        for actor_id in [q.speaker for q in self.facts.quotes] + [
            c.claimant for c in self.facts.claims
        ]:
            voices[actor_id] = voices.get(actor_id, 0) + 1
        who = [self.actors[a].name for a, _ in sorted(voices.items(), key=lambda v: -v[1])]
        deadlines = [
            q
            for q in self.facts.questions
            if q.deadline is not None and self.status(q).key == "open"
        ]
        deadlines.sort(key=lambda q: interval(q.deadline or "")[0])
        return {
            "where": places[:6],
            "who": who[:5],
            "deadline": deadlines[0] if deadlines else None,
        }


def _contains(words: list[str], key: list[str]) -> bool:
    first = key[0]
    return any(
        words[index : index + len(key)] == key for index, word in enumerate(words) if word == first
    )


def sort_key(actor: Actor) -> str:
    """How the actor index files an actor: 'a senior State Department official' under S."""
    name = actor.sort_as or actor.name
    return re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE).casefold()


@dataclass
class Involvement:
    """Everything one article says by and about one actor: its facts by kind (`seen.quotes`)."""

    sheet: Sheet
    facts: dict[str, list[Any]] = field(default_factory=dict)

    def __getattr__(self, plural: str) -> list[Any]:
        if plural not in _PLURALS:
            raise AttributeError(plural)
        facts: dict[str, list[Any]] = self.__dict__.get("facts", {})
        return facts.get(plural, [])


@dataclass
class ActorRecord:
    """Everything the corpus says by and about one actor, by article, newest first."""

    actor: Actor
    involvements: dict[str, Involvement] = field(default_factory=dict)

    def involvement(self, sheet: Sheet) -> Involvement:
        return self.involvements.setdefault(sheet.id, Involvement(sheet))

    def count(self, kind: str) -> int:
        return sum(len(getattr(seen, kind)) for seen in self.involvements.values())


def actor_records(sheets: list[Sheet], actors: dict[str, Actor]) -> dict[str, ActorRecord]:
    """Gather each actor's facts in one pass over the corpus (sheets are newest first).

    A fact involves the actors its actor fields name (a quote's speaker, a question's actors);
    a fact of a kind without such fields (a figure, an event) involves every actor its excerpt
    names, by name, alias or the article's description.
    """
    records = {actor_id: ActorRecord(actor) for actor_id, actor in actors.items()}
    for sheet in sheets:
        for kind in FACT_KINDS:
            for item in getattr(sheet.facts, kind.plural):
                if kind.actor_fields:
                    involved = [actor_id for _, actor_id in kind.actor_references(item)]
                else:
                    involved = sheet.actors_named(item.source.excerpt)
                for actor_id in involved:
                    seen = records[actor_id].involvement(sheet)
                    seen.facts.setdefault(kind.plural, []).append(item)
    return records


def build_date() -> datetime.date:
    """The "as of" date of the pages: today, or SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()


def cross_article(sheets: list[Sheet]) -> dict[str, Any]:
    """The facts of every article gathered for the cross-article pages."""
    questions = [(sheet, q, sheet.status(q)) for sheet in sheets for q in sheet.facts.questions]
    unanswered = [item for item in questions if item[2].key != "answered"]
    # Soonest deadline first; the rest keep the newest-article-first order of the corpus.
    unanswered.sort(key=lambda item: (item[1].deadline is None, item[1].deadline or ""))
    events = [(sheet, event) for sheet in sheets for event in sheet.facts.events]
    events.sort(key=lambda pair: interval(pair[1].date)[0])
    return {
        "open_questions": [item for item in unanswered if item[2].key == "open"],
        "passed_questions": [item for item in unanswered if item[2].key == "passed"],
        "answered_questions": [item for item in questions if item[2].key == "answered"],
        "all_events": events,
    }
