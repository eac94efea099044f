"""Part of the render stage: what readers download and subscribe to, and each page's JSON-LD.

Everything here is generated from the validated corpus at build time, never kept by hand:

* `facts.json`, every fact with its id and source, which loads back into the same models;
* one CSV per kind (UTF-8 with a byte-order mark, so spreadsheet programs read curly quotes),
  whose columns and their descriptions come from the model;
* the JSON Schemas of the fact files;
* an Atom feed of new and updated sheets (feedgen) and an iCalendar feed of the deadlines of
  open questions (icalendar);
* schema.org JSON-LD: a fact sheet is an Article that `isBasedOn` the NewsArticle it checks.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .corpus import ArticleFacts, Corpus
from .escape import calendar_text, csv_cell, json_text, xml_text
from .history import SheetHistory
from .model import FACT_KINDS, Actor, Article, json_schemas, precision
from .provenance.dates import interval

if TYPE_CHECKING:
    from .site import SiteLinks

FORMAT_VERSION = 2
# The feeds readers subscribe to, under the generated folder; pages link to them.
FEED = "feed.xml"
CALENDAR = "deadlines.ics"
_BOM = "\ufeff"


def facts_document(corpus: Corpus) -> dict[str, Any]:
    """Everything in the corpus as plain JSON data, in the shapes of the YAML files."""
    return {
        "format": "factsheet",
        "version": FORMAT_VERSION,
        "actors": [_dump(actor) for actor in corpus.actors.values()],
        "articles": [
            {
                "id": facts.id,
                "seed": facts.seed.name,
                "article": _dump(facts.article),
                **{
                    kind.plural: [_dump(fact) for fact in getattr(facts, kind.plural)]
                    for kind in FACT_KINDS
                },
            }
            for facts in corpus.articles
        ],
    }


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=False)


def facts_json(corpus: Corpus) -> str:
    return json_text(facts_document(corpus)) + "\n"


def load_facts_json(text: str) -> tuple[dict[str, Actor], list[dict[str, Any]]]:
    """Read facts.json back into the models, as a reuser would; used to prove the round trip."""
    data = json.loads(text)
    actors = {entry["id"]: Actor.model_validate(entry) for entry in data["actors"]}
    articles = []
    for entry in data["articles"]:
        loaded: dict[str, Any] = {
            "id": entry["id"],
            "article": Article.model_validate(entry["article"]),
        }
        for kind in FACT_KINDS:
            loaded[kind.plural] = [kind.model.model_validate(fact) for fact in entry[kind.plural]]
        articles.append(loaded)
    return actors, articles


# --- CSV ---------------------------------------------------------------------------------------


def _flatten(prefix: str, value: Any, row: dict[str, Any]) -> None:
    """Nested fields become underscored columns (source_excerpt) and lists are joined with '; '.
    A list of nested fields (a quote's `continued`) fills each of its columns with the values of
    its items, in order: continued_paragraph '6; 7', continued_excerpt 'first; second'."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}{key}_", inner, row)
    elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
        items: list[dict[str, Any]] = []
        for item in value:
            items.append({})
            _flatten(prefix, item, items[-1])
        for column in dict.fromkeys(column for flat in items for column in flat):
            row[column] = "; ".join(_text(flat.get(column)) for flat in items)
    elif isinstance(value, list):
        row[prefix.rstrip("_")] = "; ".join(_text(item) for item in value)
    else:
        row[prefix.rstrip("_")] = value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    out.write(_BOM)
    # RFC 4180's line ending: the writer then quotes every cell that holds a CR or an LF, so
    # no reader that splits rows on either can be handed a forged row.
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: csv_cell(row.get(column)) for column in columns})
    return out.getvalue()


def columns(model: type[BaseModel], lead: dict[str, str]) -> dict[str, str]:
    """The CSV header of a model with each column's description, nested models expanded."""
    out = dict(lead)
    _describe_fields(model, "", "", out)
    return out


def _describe_fields(
    model: type[BaseModel], prefix: str, parent: str, out: dict[str, str], *, listed: bool = False
) -> None:
    """`listed`: the model is the item of a list, so each of its columns holds a list."""
    for name, info in model.model_fields.items():
        key = info.alias or name
        text = (info.description or key.replace("_", " ").capitalize()).rstrip(".")
        nested = next(
            (
                candidate
                for candidate in getattr(info.annotation, "__args__", (info.annotation,))
                if isinstance(candidate, type) and issubclass(candidate, BaseModel)
            ),
            None,
        )
        if nested is not None:
            _describe_fields(
                nested,
                f"{prefix}{key}_",
                f"{parent}{key}: ",
                out,
                listed=listed or _is_list(info.annotation),
            )
        else:
            if listed or _is_list(info.annotation):
                text += " (a list, joined with '; ')"
            out[f"{prefix}{key}"] = parent + text


def _is_list(annotation: Any) -> bool:
    return getattr(annotation, "__origin__", None) is list or any(
        getattr(arg, "__origin__", None) is list for arg in getattr(annotation, "__args__", ())
    )


@dataclass(frozen=True)
class Download:
    """One downloadable file, as the Data page describes it."""

    path: str  # under the generated folder
    what: str
    rows: int | None = None
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DownloadFile:
    """One file of the downloads, made when it is written; `listed` is its line on the Data
    page (None for the schemas, which the page lists in a line of their own)."""

    path: str
    make: Callable[[], str]
    listed: Download | None = None


@dataclass(frozen=True)
class DownloadContext:
    """What every download is made from."""

    corpus: Corpus
    links: SiteLinks
    as_of: datetime.date
    histories: dict[str, SheetHistory]


def _facts_download(context: DownloadContext) -> Iterator[DownloadFile]:
    corpus = context.corpus
    yield DownloadFile(
        "downloads/facts.json",
        partial(facts_json, corpus),
        Download(
            "downloads/facts.json",
            "Everything: the actors and, per article, its header and every fact with its id and "
            "source, in the shapes of the YAML files.",
            sum(facts.fact_count for facts in corpus.articles),
        ),
    )


def _article_rows(corpus: Corpus) -> Iterator[dict[str, Any]]:
    for facts in corpus.articles:
        row = {"id": facts.id}
        _flatten("", _dump(facts.article), row)
        yield row


def _actor_rows(corpus: Corpus) -> Iterator[dict[str, Any]]:
    for actor in corpus.actors.values():
        row: dict[str, Any] = {}
        _flatten("", _dump(actor), row)
        yield row


def _fact_rows(corpus: Corpus, plural: str) -> Iterator[dict[str, Any]]:
    for facts in corpus.articles:
        for fact in getattr(facts, plural):
            row = {"article": facts.id}
            _flatten("", _dump(fact), row)
            yield row


def _csv_downloads(context: DownloadContext) -> Iterator[DownloadFile]:
    """One CSV per table: the articles, the actors, and each kind of fact."""
    corpus = context.corpus
    tables: list[tuple[str, str, type[BaseModel], dict[str, str], int, Callable[[], Any]]] = [
        (
            "articles",
            "one row per fact sheet",
            Article,
            {"id": "The article's id"},
            len(corpus.articles),
            partial(_article_rows, corpus),
        ),
        (
            "actors",
            "the actor registry",
            Actor,
            {},
            len(corpus.actors),
            partial(_actor_rows, corpus),
        ),
    ]
    for kind in FACT_KINDS:
        count = sum(len(getattr(facts, kind.plural)) for facts in corpus.articles)
        what = f"every {kind.singular} of every article"
        lead = {"article": "The article's id"}
        rows = partial(_fact_rows, corpus, kind.plural)
        tables.append((kind.plural, what, kind.model, lead, count, rows))
    for name, what, model, lead, count, make_rows in tables:
        header = columns(model, lead)
        path = f"downloads/{name}.csv"
        yield DownloadFile(
            path,
            partial(_csv_of, make_rows, list(header)),
            Download(path, what, count, header),
        )


def _csv_of(make_rows: Callable[[], Iterator[dict[str, Any]]], header: list[str]) -> str:
    return _csv(list(make_rows()), header)


def _schema_downloads(context: DownloadContext) -> Iterator[DownloadFile]:
    for name, text in json_schemas().items():
        yield DownloadFile(f"downloads/schema/{name}", partial(str, text))


def _feed_download(context: DownloadContext) -> Iterator[DownloadFile]:
    make = partial(atom_feed, context.corpus, context.links, context.as_of, context.histories)
    yield DownloadFile(FEED, make, Download(FEED, "An Atom feed of new and updated fact sheets."))


def _calendar_download(context: DownloadContext) -> Iterator[DownloadFile]:
    make = partial(deadlines_calendar, context.corpus, context.links, context.as_of)
    yield DownloadFile(
        CALENDAR,
        make,
        Download(CALENDAR, "An iCalendar feed of the deadlines of open questions."),
    )


# Every download, in the order of the Data page: a new format is a function and a row here.
DOWNLOADS: tuple[Callable[[DownloadContext], Iterator[DownloadFile]], ...] = (
    _facts_download,
    _csv_downloads,
    _schema_downloads,
    _feed_download,
    _calendar_download,
)


def download_table(context: DownloadContext) -> Iterator[DownloadFile]:
    """Every download and feed, each made only when it is written."""
    for downloads in DOWNLOADS:
        yield from downloads(context)


@dataclass
class Downloads:
    files: dict[str, str]
    catalogue: list[Download]


def download_files(
    corpus: Corpus,
    links: SiteLinks,
    as_of: datetime.date,
    histories: dict[str, SheetHistory],
) -> Downloads:
    """Every download and feed, made now, keyed by its path under the generated folder."""
    made = list(download_table(DownloadContext(corpus, links, as_of, histories)))
    return Downloads(
        {file.path: file.make() for file in made},
        [file.listed for file in made if file.listed is not None],
    )


# --- feeds -------------------------------------------------------------------------------------


def _moment(day: str) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(), datetime.UTC
    )


def atom_feed(
    corpus: Corpus, links: SiteLinks, as_of: datetime.date, histories: dict[str, SheetHistory]
) -> str:
    """New and updated sheets, newest first; updated when a commit last touched the facts."""
    from feedgen.feed import FeedGenerator  # imported when a site is rendered

    feed = FeedGenerator()
    feed.id(links.page("sheets/"))
    feed.title("Fact sheets")
    feed.subtitle("News articles turned into fact sheets, every fact checked against its source.")
    feed.link(href=links.page("sheets/"), rel="alternate")
    feed.link(href=links.page("sheets/feed.xml"), rel="self")
    feed.language("en")
    feed.author({"name": xml_text(links.author or "Fact sheets")})  # RFC 4287 requires one
    updated = [_updated(facts, histories) for facts in corpus.articles]
    feed.updated(max(updated, default=_moment(as_of.isoformat())))
    for facts, when in sorted(zip(corpus.articles, updated, strict=True), key=lambda p: p[1]):
        entry = feed.add_entry()
        url = links.page(f"sheets/{facts.id}/")
        entry.id(url)
        entry.title(xml_text(facts.article.title))
        entry.link(href=url)
        entry.published(_moment(facts.article.date))
        entry.updated(when)
        entry.summary(xml_text(facts.article.summary))
    return str(feed.atom_str(pretty=True).decode("utf-8"))


def _updated(facts: ArticleFacts, histories: dict[str, SheetHistory]) -> datetime.datetime:
    history = histories.get(facts.id)
    day = history.last_reviewed if history and history.last_reviewed else facts.article.date
    return _moment(max(day, facts.article.date))


def deadlines_calendar(corpus: Corpus, links: SiteLinks, as_of: datetime.date) -> str:
    """One all-day event per deadline of an open question, as long as the deadline is precise:
    a day, or the whole month for 'by the end of July'."""
    from icalendar import Calendar, Event  # imported when a site is rendered

    calendar = Calendar()
    calendar.add("prodid", "-//factsheet//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Fact sheets: deadlines of open questions")
    for facts in corpus.articles:
        for question in facts.questions:
            if question.deadline is None or question.status != "open":
                continue
            first, last = interval(question.deadline)
            event = Event()
            event.add("uid", f"{facts.id}.{question.id}@factsheet")
            event.add("summary", calendar_text(question.question))
            event.add(
                "description",
                calendar_text(
                    f"Deadline: {question.deadline_written} ({precision(question.deadline)}). "
                    f"From the fact sheet “{facts.article.title}”."
                ),
            )
            event.add("dtstart", first)
            event.add("dtend", last + datetime.timedelta(days=1))
            event.add("dtstamp", _moment(as_of.isoformat()))
            event.add("url", links.page(f"sheets/{facts.id}/") + f"#question-{question.id}")
            calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))


# --- JSON-LD -----------------------------------------------------------------------------------

_TYPES = {
    "person": "Person",
    "organisation": "Organization",
    "group": "Organization",
    "state": "Country",
    "place": "Place",
}


def _agent(actor: Actor) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": _TYPES[actor.kind], "name": actor.name}
    if actor.aliases:
        data["alternateName"] = actor.aliases
    same = [f"https://www.wikidata.org/wiki/{actor.wikidata}"] if actor.wikidata else []
    if actor.website:
        same.append(actor.website)
    if same:
        data["sameAs"] = same
    return data


def article_jsonld(facts: ArticleFacts, actors: dict[str, Actor], url: str = "") -> dict[str, Any]:
    """schema.org: the sheet is an Article based on the NewsArticle it checks, with the
    quotations (each created by its speaker) and the claims the article reports."""
    article = facts.article
    publication = article.publication
    source: dict[str, Any] = {
        "@type": "NewsArticle",
        "identifier": f"sha256:{article.sha256}",
        "datePublished": facts.seed.date or article.date,
    }
    if publication is not None:
        source.update(
            {
                key: value
                for key, value in (
                    ("headline", publication.headline),
                    (
                        "author",
                        {"@type": "Person", "name": publication.byline}
                        if publication.byline
                        else None,
                    ),
                    (
                        "publisher",
                        {"@type": "Organization", "name": publication.publisher}
                        if publication.publisher
                        else None,
                    ),
                    ("url", publication.url),
                    ("archivedAt", publication.archived_url),
                )
                if value
            }
        )
    parts: list[dict[str, Any]] = [
        {
            "@type": "Quotation",
            "@id": f"#quote-{quote.id}",
            "text": " … ".join(quote.parts),
            "creator": _agent(actors[quote.speaker]),
            "isBasedOn": {"@type": "NewsArticle", "position": quote.source.paragraph},
        }
        for quote in facts.quotes
    ]
    parts += [
        {
            "@type": "Claim",
            "@id": f"#claim-{claim.id}",
            "text": claim.source.excerpt,
            "author": _agent(actors[claim.claimant]),
            "additionalType": claim.type,
            "firstAppearance": {"@type": "NewsArticle", "position": claim.source.paragraph},
        }
        for claim in facts.claims
    ]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "datePublished": article.date,
        "abstract": article.summary,
        "keywords": article.tags,
        "isBasedOn": source,
        "mentions": [
            _agent(actors[actor_id]) for actor_id in dict.fromkeys(m.actor for m in facts.mentions)
        ],
        "hasPart": parts,
    }
    if url:
        data["url"] = url
    return data
