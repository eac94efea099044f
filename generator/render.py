"""Stage 3, render: turn the validated corpus into Markdown pages with Jinja templates.

The pages are plain Markdown (with attribute lists for stable anchors and `markdown` blocks
for the card layouts), so MkDocs and Zensical both build them without plugins or hooks of ours.

Escaping: templates are rendered with autoescaping on, and every value from YAML first passes
through `escape.markdown_text`, which flattens line breaks and backslash-escapes Markdown punctuation,
before Jinja's HTML escaping turns `<`, `>`, `&` and quotes into entities. No YAML string can
therefore open an HTML tag, a link, an emphasis or a block of its own. Values built by the
generator from validated slugs (links, anchors) are marked safe with `Markup`; the pictures are
SVG from their own templates, HTML-escaped there (see `generator.pictures`).
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .corpus import ArticleFacts, Corpus
from .escape import front_matter, json_script, markdown_text, url_part
from .export import article_jsonld, download_files
from .history import SheetHistory
from .index import RECORDS, fact, record, records_json
from .model import (
    ARTICLE_ID_PATTERN,
    FACT_KINDS,
    HEADER,
    QUALIFIERS,
    REGISTRY,
    SECTIONS,
    SLUG_PATTERN,
    Actor,
    Event,
    Figure,
    FileKind,
    Mention,
    Question,
    precision,
)
from .pictures import comparable_groups, comparison_svg, timeline_svg
from .provenance import sources
from .provenance.attribution import NameIndex
from .provenance.dates import interval
from .provenance.passages import tokens
from .rules_doc import rules_markdown
from .text import locate

_LINE_BREAKS = re.compile(r"\s+")
_SLUG = re.compile(ARTICLE_ID_PATTERN + "|" + SLUG_PATTERN)
_PLURALS = frozenset(kind.plural for kind in FACT_KINDS)
HOME_LATEST = 10  # fact sheets listed on the home page; the rest are on the list of all
KIND_TITLES = {
    "person": "People",
    "organisation": "Organisations",
    "state": "States",
    "group": "Groups",
    "place": "Places",
}


def slug(value: str) -> Markup:
    """Mark a validated id as safe to use in a link or an anchor, after checking it once more."""
    if not _SLUG.fullmatch(value):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


def description(value: str, limit: int = 200) -> Markup:
    """A page description for sharing: one line, cut at a word near the limit, escaped."""
    text = _LINE_BREAKS.sub(" ", value).strip()
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return front_matter(text)


def capfirst(value: str) -> str:
    """Upper-case the first letter only ('tens of thousands' -> 'Tens of thousands')."""
    return value[:1].upper() + value[1:]


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 fact sheet', '2 fact sheets'."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def figure_number(figure: Figure) -> str:
    """The number of a figure as a reader sees it: '10,000', '3 to 5' with an en dash, '12-0'."""
    if figure.range is not None:
        return f"{_number(figure.range.low)}\u2013{_number(figure.range.high)}"
    if figure.tally is not None:
        tally = figure.tally
        text = f"{tally.in_favour}\u2013{tally.against}"
        if tally.abstentions:
            text += f", {plural(tally.abstentions, 'abstention')}"
        return text
    return _number(figure.value) if figure.value is not None else ""


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) or value != int(value) else f"{int(value):,}"


def long_date(partial: str) -> str:
    """'2021-06-28' as '28 June 2021', '2021-06' as 'June 2021', '2021' as itself."""
    kind = precision(partial)
    if kind == "year":
        return partial
    day = datetime.date.fromisoformat(partial + ("-01" if kind == "month" else ""))
    return f"{day:%B %Y}" if kind == "month" else f"{day.day} {day:%B %Y}"


def tag_name(tag: str, actors: dict[str, Actor] | None = None) -> str:
    """A tag as readers see it, as a name: an actor's tag is the actor's name ('russia' reads
    'Russia', 'islamic-state' 'Islamic State'); any other reads as words, capitalised
    ('humanitarian-aid' reads 'Humanitarian aid')."""
    actor = (actors or {}).get(tag)
    return actor.name if actor is not None else capfirst(tag.replace("-", " "))


def emphasise(excerpt: str, words: str | list[str] | None) -> Markup:
    """An excerpt, escaped, with the words a fact rests on (one string, or the parts of a
    quote) in <strong>."""
    wanted = [words] if isinstance(words, str) else list(words or [])
    pieces: list[Any] = []
    cursor = 0
    for part in wanted:
        found = locate(excerpt[cursor:], part) if part else None
        if found is None:
            continue
        start, end = cursor + found[0], cursor + found[1]
        pieces.append(_escape_keeping_edges(excerpt[cursor:start]))
        pieces.append(Markup("<strong>{}</strong>").format(markdown_text(excerpt[start:end])))
        cursor = end
    pieces.append(_escape_keeping_edges(excerpt[cursor:]))
    return Markup("").join(pieces)


def _escape_keeping_edges(text: str) -> str:
    """markdown_text, keeping one space where the text began or ended with white space."""
    if not text.strip():
        return " " if text else ""
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return f"{lead}{markdown_text(text)}{trail}"


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
    question: Question, as_of: datetime.date, by_seed: dict[str, ArticleFacts] | None = None
) -> Status:
    if question.status == "answered" and question.resolution is not None:
        seed = question.resolution.source.seed
        return Status("answered", "Answered", (by_seed or {}).get(seed) if seed else None)
    if question.deadline is not None and interval(question.deadline)[1] < as_of:
        return Status("passed", "No answer by the deadline")
    return Status("open", "Open")


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
        return question_status(question, self.as_of, self.by_seed)

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
        return {"where": places[:4], "who": who[:4], "deadline": deadlines[0] if deadlines else None}

    def line(self, file: str, fact_id: str) -> int:
        return self.facts.lines.get((file, fact_id), 1)


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


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=True,
        finalize=markdown_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        slug=slug,
        front_matter=front_matter,
        description=description,
        capfirst=capfirst,
        figure_number=figure_number,
        long_date=long_date,
        tag_name=tag_name,
        emphasise=emphasise,
        plural=plural,
    )
    env.globals.update(QUALIFIERS=QUALIFIERS, KIND_TITLES=KIND_TITLES, SECTIONS=SECTIONS)
    return env


def build_date() -> datetime.date:
    """The "as of" date of the pages: today, or SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()


class Pages(Mapping[str, str]):
    """Generated files by path, each rendered when it is read (and not kept)."""

    def __init__(self, makers: dict[str, Callable[[], str]]) -> None:
        self.makers = makers

    @classmethod
    def join(cls, *parts: Mapping[str, str]) -> Pages:
        makers: dict[str, Callable[[], str]] = {}
        for part in parts:
            if isinstance(part, Pages):
                makers.update(part.makers)
            else:
                makers.update({path: partial(part.__getitem__, path) for path in part})
        return cls(makers)

    def __getitem__(self, path: str) -> str:
        return self.makers[path]()

    def __iter__(self) -> Iterator[str]:
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)


class SiteRender:
    """What every page is rendered from, made once per run; each method renders a part.

    `previous` is the render of an earlier run (the preview keeps it): the sheets of articles
    whose facts did not change are taken over from it, with what they derived (the actors their
    figures and events name), so that one changed article costs one article.
    """

    def __init__(
        self,
        corpus: Corpus,
        config: dict[str, Any] | None = None,
        *,
        as_of: datetime.date | None = None,
        histories: dict[str, SheetHistory] | None = None,
        previous: SiteRender | None = None,
    ) -> None:
        self.corpus = corpus
        self.env = make_environment()
        self.env.filters["tag_name"] = partial(tag_name, actors=corpus.actors)
        self.as_of = as_of or build_date()
        self.histories = histories or {}
        self.links = SiteLinks.from_config(config or {})
        site_name = str((config or {}).get("site_name") or "Fact sheets")
        extra = (config or {}).get("extra")
        settings = extra.get("factsheet") if isinstance(extra, dict) else None
        # Whether source pages reproduce the whole article or only the paragraphs the facts
        # cite: republishing another publisher's article is a question of rights.
        full_text = isinstance(settings, dict) and settings.get("source_text") == "full"
        reusable = (
            previous.sheets_by_id
            if previous is not None
            and previous.corpus.actors == corpus.actors
            and previous.as_of == self.as_of
            and previous.histories == self.histories
            else {}
        )
        self.sheets = []
        for facts in corpus.articles:
            before = reusable.get(facts.id)
            if before is not None and before.facts == facts:
                self.sheets.append(before)
                continue
            names = facts.names(corpus.names)
            history = self.histories.get(facts.id)
            self.sheets.append(Sheet(facts, corpus.actors, self.as_of, history, names))
        by_seed = {facts.seed.name: facts for facts in corpus.articles}
        for sheet in self.sheets:
            sheet.by_seed = by_seed
        self.sheets_by_id: dict[str, Sheet] = {sheet.id: sheet for sheet in self.sheets}
        self.records = actor_records(self.sheets, corpus.actors)
        self.common = {
            "actors": corpus.actors,
            "links": self.links,
            "as_of": self.as_of,
            "site_name": site_name,
            "full_source_text": full_text,
            "sort_key": sort_key,
        }

    def changed_since(self, previous: SiteRender | None) -> set[str] | None:
        """The ids of the articles whose sheets are new in this render; None if every page
        may have changed (no earlier render, or articles added or removed)."""
        if previous is None or set(previous.sheets_by_id) != set(self.sheets_by_id):
            return None
        return {
            sheet.id for sheet in self.sheets if previous.sheets_by_id.get(sheet.id) is not sheet
        }

    def sheet_pages(self, ids: set[str] | None = None) -> Pages:
        """Each article's fact sheet and source page (only those in ids, if given)."""
        makers: dict[str, Callable[[], str]] = {}
        for sheet in self.sheets:
            if ids is not None and sheet.id not in ids:
                continue
            makers[f"{sheet.id}/index.md"] = partial(self._article_page, sheet)
            makers[f"{sheet.id}/source.md"] = partial(
                self.env.get_template("source.md.j2").render, sheet=sheet, **self.common
            )
        return Pages(makers)

    def _article_page(self, sheet: Sheet) -> str:
        jsonld = json_script(
            article_jsonld(sheet.facts, self.corpus.actors, self.links.page(f"sheets/{sheet.id}/"))
        )
        return self.env.get_template("article.md.j2").render(
            sheet=sheet, jsonld=jsonld, **self.common
        )

    def actor_pages(
        self, articles: set[str] | None = None, previous: SiteRender | None = None
    ) -> Pages:
        """Each actor's page; with articles, only the pages of actors the given articles
        involve now or involved in the previous render."""
        makers: dict[str, Callable[[], str]] = {}
        actor_page = self.env.get_template("actor.md.j2")
        before = previous.records if previous is not None else {}
        for actor_id, actor_record in self.records.items():
            if articles is not None:
                involved = set(actor_record.involvements)
                if actor_id in before:
                    involved |= set(before[actor_id].involvements)
                if not articles & involved:
                    continue
            makers[f"actors/{actor_id}.md"] = partial(
                actor_page.render, record=actor_record, **self.common
            )
        return Pages(makers)

    def listing_pages(self) -> dict[str, str]:
        """The pages that list every article: home, articles, actors, questions, figures,
        timeline, and the rules."""
        env, common, sheets = self.env, self.common, self.sheets
        pages = {
            "index.md": env.get_template("articles.md.j2").render(sheets=sheets, **common),
            "home.snippet": env.get_template("home.snippet.j2").render(
                sheets=sheets, latest=HOME_LATEST, **common
            ),
        }
        members = sorted(self.records.values(), key=lambda found: sort_key(found.actor))
        pages["actors/index.md"] = env.get_template("actors.md.j2").render(
            members=members, **common
        )
        listings = _cross_article(sheets)
        for listing in ("questions", "figures", "timeline"):
            pages[f"{listing}.md"] = env.get_template(f"{listing}.md.j2").render(
                sheets=sheets, **listings, **common
            )
        pages["rules.snippet"] = rules_markdown()
        return pages

    def data_pages(self) -> dict[str, str]:
        """The downloads, their page, and the search records."""
        downloads = download_files(self.corpus, self.links, self.as_of, self.histories)
        pages = {
            "downloads.md": self.env.get_template("downloads.md.j2").render(
                sheets=self.sheets,
                downloads=downloads.catalogue,
                schemas=[kind.schema for kind in (HEADER, REGISTRY, *FACT_KINDS)],
                **self.common,
            ),
            RECORDS: records_json(search_records(self.sheets, self.records)),
        }
        pages.update(downloads.files)
        return pages

    def all_pages(self) -> Pages:
        """Every generated file. Sheets and actor pages are rendered as they are read, so
        writing them holds one at a time: memory does not grow with the number of articles."""
        return Pages.join(
            self.sheet_pages(), self.listing_pages(), self.actor_pages(), self.data_pages()
        )


def render_pages(
    corpus: Corpus,
    config: dict[str, Any] | None = None,
    *,
    as_of: datetime.date | None = None,
    histories: dict[str, SheetHistory] | None = None,
) -> Pages:
    """Every generated page, keyed by its path relative to the generated folder."""
    return SiteRender(corpus, config, as_of=as_of, histories=histories).all_pages()


RecordMaker = Callable[["Sheet", dict[str, list[str]]], list[dict[str, Any]]]


def _named(sheet: Sheet, excerpt: str) -> list[str]:
    return [sheet.actors[a].name for a in sheet.actors_named(excerpt)]


def _said_records(kind: str, person: str, weight: int) -> RecordMaker:
    """One record per actor for their quotes (or claims) in an article, so that a search for
    a speaker's name finds what they said."""

    def make(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
        facts, article, out = sheet.facts, sheet.facts.article.title, []
        by_actor: dict[str, list[Any]] = {}
        for item in getattr(facts, kind + "s"):
            by_actor.setdefault(getattr(item, person), []).append(item)
        for actor_id, group in by_actor.items():
            name = sheet.actors[actor_id].name
            entries = [
                fact(f"{kind}-{item.id}", " … ".join(item.parts), item.context or "", weight=weight)
                if kind == "quote"
                else fact(
                    f"{kind}-{item.id}", item.source.excerpt, item.context or "", weight=weight
                )
                for item in group
            ]
            mentioned = [n for item in group for n in _named(sheet, item.source.excerpt)]
            out.append(
                record(
                    f"{facts.id}/{kind}-{actor_id}.html",
                    f"sheets/{facts.id}/",
                    f"{name}: {kind}s in “{article}”",
                    kind.capitalize(),
                    entries,
                    speaker=[name],
                    actor=[name, *mentioned],
                    **common,
                )
            )
        return out

    return make


def _figure_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    facts = sheet.facts
    if not facts.figures:
        return []
    entries = [
        fact(
            f"figure-{figure.id}",
            f"{figure.written}: {figure.counts}",
            "",
            _number_spellings(figure),
            weight=5,
        )
        for figure in facts.figures
    ]
    return [
        record(
            f"{facts.id}/figures.html",
            f"sheets/{facts.id}/",
            f"Figures in “{facts.article.title}”",
            "Figure",
            entries,
            actor=[n for figure in facts.figures for n in _named(sheet, figure.source.excerpt)],
            **common,
        )
    ]


def _question_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    facts = sheet.facts
    if not facts.questions:
        return []
    return [
        record(
            f"{facts.id}/questions.html",
            f"sheets/{facts.id}/",
            f"Open questions in “{facts.article.title}”",
            "Question",
            [
                fact(f"question-{q.id}", q.question, q.why, q.deadline_written or "", 2)
                for q in facts.questions
            ],
            actor=[sheet.actors[a].name for q in facts.questions for a in q.actors],
            **common,
        )
    ]


def _event_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    facts = sheet.facts
    if not facts.events:
        return []
    return [
        record(
            f"{facts.id}/events.html",
            f"sheets/{facts.id}/",
            f"Timeline of “{facts.article.title}”",
            "Event",
            [
                fact(f"event-{e.id}", f"{long_date(e.date)}: {e.what}", "", e.date, 2)
                for e in sheet.events()
            ],
            actor=[n for e in facts.events for n in _named(sheet, e.source.excerpt)],
            **common,
        )
    ]


def _background_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    facts = sheet.facts
    if not facts.statements:
        return []
    return [
        record(
            f"{facts.id}/statements.html",
            f"sheets/{facts.id}/",
            f"Background in “{facts.article.title}”",
            "Statement",
            [
                fact(f"statement-{s.id}", s.source.excerpt, s.context or "", weight=2)
                for s in facts.statements
            ],
            actor=[n for s in facts.statements for n in _named(sheet, s.source.excerpt)],
            **common,
        )
    ]


def _no_records(sheet: Sheet, common: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Mentions make no records of their own: each actor has one (see search_records)."""
    return []


# The search records each kind of fact makes for an article, in the order they are indexed.
SEARCH_RECORDS: dict[str, RecordMaker] = {
    "quote": _said_records("quote", "speaker", weight=3),
    "claim": _said_records("claim", "claimant", weight=2),
    "statement": _background_records,
    "figure": _figure_records,
    "question": _question_records,
    "event": _event_records,
    "mention": _no_records,
}


def search_records(sheets: list[Sheet], records: dict[str, ActorRecord]) -> list[dict[str, Any]]:
    """The groups of facts the search index holds (see generator.index for why groups): each
    sheet, each kind's groups of facts (`SEARCH_RECORDS`), and each actor."""
    out = []
    for sheet in sheets:
        facts = sheet.facts
        article = facts.article.title
        common = {
            "article": [article],
            "year": [facts.article.date[:4]],
            "tag": [tag_name(tag, sheet.actors) for tag in facts.article.tags],
        }
        out.append(
            record(
                f"{facts.id}/sheet.html",
                f"sheets/{facts.id}/",
                article,
                "Fact sheet",
                [fact("top", article, facts.article.summary)],
                **common,
            )
        )
        for make in SEARCH_RECORDS.values():
            out.extend(make(sheet, common))
    for actor_id, actor_record in records.items():
        actor = actor_record.actor
        described = [
            mention.described_as
            for seen in actor_record.involvements.values()
            for mention in seen.mentions
            if mention.described_as
        ]
        out.append(
            record(
                f"actors/{actor_id}.html",
                f"sheets/actors/{actor_id}/",
                actor.full_name or actor.name,
                "Actor",
                [
                    fact(
                        "top",
                        " · ".join(dict.fromkeys([actor.full_name or actor.name, actor.name])),
                        " · ".join([actor.role or "", *actor.aliases, *dict.fromkeys(described)]),
                        weight=4,
                    )
                ],
                actor=[actor.name],
                year=[
                    s.facts.article.date[:4]
                    for s in (i.sheet for i in actor_record.involvements.values())
                ],
            )
        )
    return out


def _number_spellings(figure: Figure) -> str:
    """Other ways a reader may type a figure's number: '436', '436000000', '436,000,000'."""
    numbers: list[float] = []
    if figure.value is not None:
        numbers.append(figure.value)
    if figure.range is not None:
        numbers += [figure.range.low, figure.range.high]
    spellings = []
    if figure.tally is not None:  # a vote is searched for as it is written: '4-1', not '4 1'
        tally = figure.tally
        spellings += [
            f"{tally.in_favour}-{tally.against}",
            f"{tally.in_favour}\u2013{tally.against}",
        ]
    for number in numbers:
        whole = int(number) if number == int(number) else None
        if whole is not None:
            spellings += [str(whole), f"{whole:,}"]
            for scale in (10**9, 10**6, 10**3):
                if whole >= scale and whole % (scale // 10) == 0:
                    spellings.append(f"{whole / scale:g}")
                    break
        else:
            spellings.append(f"{number:g}")
    return " ".join(dict.fromkeys([*spellings, figure.unit or ""])).strip()


def _cross_article(sheets: list[Sheet]) -> dict[str, Any]:
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
