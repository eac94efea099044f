"""Downloads, feeds and structured data: generated from the facts, and true to them."""

from __future__ import annotations

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.corpus import Corpus
from generator.escape import csv_cell, json_script
from generator.export import (
    Downloads,
    _flatten,
    article_jsonld,
    download_files,
    facts_json,
    load_facts_json,
)
from generator.history import Change, SheetHistory
from generator.model import FACT_KINDS
from generator.project import Project
from generator.render import render_pages
from generator.site import SiteLinks
from generator.validate import validate_project

from .conftest import FIRST, NEWSROOM, NEWSROOM_ARTICLES, REPO, SECOND, replace_in

LINKS = SiteLinks.from_config(
    {"site_url": "https://sheets.example.org/", "repo_url": "https://github.com/o/r"}
)
AS_OF = datetime.date(2024, 3, 10)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The fixture newsroom, validated once per module. A fixture, not a module constant, so that
    it runs after the session fixture has moved the validation cache out of the home folder."""
    return validate_project(Project(NEWSROOM))


def downloads(corpus: Corpus, histories: dict[str, SheetHistory] | None = None) -> Downloads:
    return download_files(corpus, LINKS, AS_OF, histories or {})


def rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "CSV files start with a byte-order mark"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_facts_json_loads_back_into_the_same_facts(corpus: Corpus) -> None:
    actors, articles = load_facts_json(facts_json(corpus))
    assert actors == corpus.actors
    assert len(articles) == len(corpus.articles)
    for loaded, facts in zip(articles, corpus.articles, strict=True):
        assert loaded["id"] == facts.id
        assert loaded["article"] == facts.article
        for kind in FACT_KINDS:
            assert loaded[kind.plural] == getattr(facts, kind.plural), kind.plural


def test_one_csv_per_kind_with_a_row_per_fact_and_described_columns(corpus: Corpus) -> None:
    made = downloads(corpus)
    names = {f"downloads/{k.plural}.csv" for k in FACT_KINDS}
    assert names | {"downloads/articles.csv", "downloads/actors.csv"} <= set(made.files)
    catalogue = {item.path: item for item in made.catalogue}
    for kind in FACT_KINDS:
        path = f"downloads/{kind.plural}.csv"
        found = rows(made.files[path])
        assert len(found) == sum(len(getattr(f, kind.plural)) for f in corpus.articles), kind
        assert catalogue[path].rows == len(found)
        assert list(found[0]) == list(catalogue[path].columns), "every column is described"
        assert all(text.strip() for text in catalogue[path].columns.values())
    quote = next(
        row for row in rows(made.files["downloads/quotes.csv"]) if row["id"] == "study-carefully"
    )
    assert (quote["article"], quote["text"], quote["source_paragraph"], quote["fragment"]) == (
        FIRST,
        "study the request carefully.",
        "9",
        "true",
    )
    figures = {row["id"]: row for row in rows(made.files["downloads/figures.csv"])}
    assert (figures["repair-estimate"]["range_low"], figures["repair-estimate"]["value"]) == (
        "12000000",
        "",
    )
    assert (figures["vote-tally"]["tally_for"], figures["vote-tally"]["tally_abstentions"]) == (
        "7",
        "1",
    )
    columns = catalogue["downloads/figures.csv"].columns
    assert "low" in columns["range_low"].lower() or "range" in columns["range_low"].lower()
    assert "article" in columns["article"].lower()


# The columns the fixture newsroom has no data for; every other column must be filled somewhere.
# No fixture fact needs a reviewer's excuse: the rules verify them all.
_NO_REVIEW = {"review_rule", "review_reason"}
NO_DATA_IN_FIXTURE = {
    "actors": {"full_name", "wikidata"},
    "mentions": _NO_REVIEW,
    "figures": _NO_REVIEW,
    "quotes": _NO_REVIEW,
    "claims": {"context", *_NO_REVIEW},
    "statements": _NO_REVIEW,
    "questions": _NO_REVIEW,
    "events": {"date_source_paragraph", "date_source_excerpt", *_NO_REVIEW},
}


def _records(corpus: Corpus) -> dict[str, list[dict[str, Any]]]:
    """Per CSV file, what each row stands for, in the shapes of facts.json: the lead columns
    (the article's id) and the record's JSON."""

    def dump(model: BaseModel) -> dict[str, Any]:
        return model.model_dump(mode="json", by_alias=True)

    records = {
        "articles": [{"id": facts.id, **dump(facts.article)} for facts in corpus.articles],
        "actors": [dump(actor) for actor in corpus.actors.values()],
    }
    for kind in FACT_KINDS:
        records[kind.plural] = [
            {"article": facts.id, **dump(fact)}
            for facts in corpus.articles
            for fact in getattr(facts, kind.plural)
        ]
    return records


def _field(data: Any, column: str) -> Any:
    """The value a column names in a record: `source_excerpt` is source.excerpt, and in a list of
    nested fields, `continued_paragraph` is the paragraph of each item."""
    if isinstance(data, list):
        return [_field(item, column) for item in data]
    if column in data:
        return data[column]
    for key, inner in data.items():
        if column.startswith(f"{key}_") and (inner is None or isinstance(inner, dict | list)):
            return None if inner is None else _field(inner, column.removeprefix(f"{key}_"))
    return None  # a figure carries only the one shape it has: value, range or tally


def _as_cell(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_as_cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def test_every_csv_column_holds_the_field_it_is_named_after(corpus: Corpus) -> None:
    made = downloads(corpus)
    for name, records in _records(corpus).items():
        found = rows(made.files[f"downloads/{name}.csv"])
        assert len(found) == len(records), name
        for row, record in zip(found, records, strict=True):
            for column, cell in row.items():
                assert cell == _as_cell(_field(record, column)), (name, column, record)
        empty = {column for column in found[0] if not any(row[column] for row in found)}
        assert empty == NO_DATA_IN_FIXTURE.get(name, set()), f"{name}.csv: columns left empty"
    quotes = {row["id"]: row for row in rows(made.files["downloads/quotes.csv"])}
    runs_on = quotes["question-was-when"]
    assert (runs_on["continued_paragraph"], runs_on["continued_excerpt"]) == (
        "6",
        "\u201cNow we have the answer.\u201d",
    )
    assert runs_on["text"] == "The question was always when.; Now we have the answer."
    assert (quotes["not-safe"]["continued_paragraph"], quotes["not-safe"]["continued_excerpt"]) == (
        "",
        "",
    )
    catalogue = {item.path: item for item in made.catalogue}
    described = catalogue["downloads/quotes.csv"].columns
    assert "joined with '; '" in described["continued_excerpt"]
    assert "joined with '; '" not in described["source_excerpt"]


def test_a_quote_running_on_into_several_paragraphs_fills_each_column_in_order() -> None:
    row: dict[str, Any] = {}
    _flatten(
        "",
        {
            "id": "runs-on",
            "fragment": False,
            "continued": [
                {"paragraph": 6, "excerpt": "“Now we have the answer.”"},
                {"paragraph": 7, "excerpt": "“It is no.”"},
            ],
        },
        row,
    )
    assert row == {
        "id": "runs-on",
        "fragment": False,
        "continued_paragraph": "6; 7",
        "continued_excerpt": "“Now we have the answer.”; “It is no.”",
    }


def test_csv_cells_cannot_become_spreadsheet_formulas(project: Project, first_dir: Path) -> None:
    replace_in(
        first_dir / "quotes.yaml",
        "context: On closing the bridge.",
        "context: '=HYPERLINK(\"http://example.invalid\")'",
    )
    replace_in(
        first_dir / "quotes.yaml",
        "context: Asked whether the region would contribute to the repairs.",
        "context: 'Asked;=HYPERLINK(\"http://example.invalid\"), +1'",
    )
    made = downloads(validate_project(project))
    found = {row["id"]: row for row in rows(made.files["downloads/quotes.csv"])}
    assert found["not-safe"]["context"] == '\'=HYPERLINK("http://example.invalid")'
    assert (
        found["study-carefully"]["context"] == "Asked;'=HYPERLINK(\"http://example.invalid\"), '+1"
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "  '=1+1"),
        ("a;=1+1", "a;'=1+1"),
        ("a,=1+1", "a,'=1+1"),
        ("a\t=1+1", "a\t'=1+1"),
        ("a\n+1", "a\n'+1"),
        ("a\r\n@SUM(A1)", "a\r\n'@SUM(A1)"),
        ("a; -1", "a; '-1"),
        ('a;"=1+1"', 'a;"\'=1+1"'),
        ("a;;=1;=2", "a;;'=1;'=2"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        # Ordinary text keeps its hyphens, signs and at-signs where no cell can start.
        ("7-2, with one abstention", "7-2, with one abstention"),
        ("a = b + c - d @ e", "a = b + c - d @ e"),
        ("well-known; e-mail", "well-known; e-mail"),
    ],
)
def test_a_formula_character_cannot_start_any_piece_of_a_cell(value: str, written: str) -> None:
    assert csv_cell(value) == written


SEPARATORS = (",", ";", "\t", "\n", "\r")


@given(
    st.lists(
        st.sampled_from([*SEPARATORS, " ", '"', "'", "=", "+", "-", "@", "a", "1", "\u00a0"]),
        max_size=30,
    ).map("".join)
)
def test_no_piece_a_spreadsheet_might_split_off_is_a_formula(value: str) -> None:
    written = csv_cell(value)
    assert written.replace("'", "") == value.replace("'", ""), "only single quotes are added"
    for separator in SEPARATORS:
        for piece in written.split(separator):
            start = piece.lstrip(' \t\r\n"\u00a0')
            assert start[:1] not in ("=", "+", "-", "@"), (value, written, separator)


def test_jsonld_bases_the_sheet_on_the_news_article_with_its_quotes_and_claims(
    corpus: Corpus,
) -> None:
    for facts in corpus.articles:
        data = article_jsonld(facts, corpus.actors, LINKS.page(f"sheets/{facts.id}/"))
        assert data["@type"] == "Article"
        assert data["isBasedOn"]["@type"] == "NewsArticle"
        assert data["isBasedOn"]["identifier"] == f"sha256:{facts.article.sha256}"
        quotations = [part for part in data["hasPart"] if part["@type"] == "Quotation"]
        assert [part["text"] for part in quotations] == [" … ".join(q.parts) for q in facts.quotes]
        for part, quote in zip(quotations, facts.quotes, strict=True):
            assert part["creator"]["name"] == corpus.actors[quote.speaker].name
        claims = [part for part in data["hasPart"] if part["@type"] == "Claim"]
        assert [part["text"] for part in claims] == [c.source.excerpt for c in facts.claims]
    first = next(facts for facts in corpus.articles if facts.id == FIRST)
    source = article_jsonld(first, corpus.actors)["isBasedOn"]
    assert source["publisher"]["name"] == "The Port Alder Courier"
    assert source["url"].startswith("https://courier.example/")
    types = {
        agent["name"]: agent["@type"] for agent in article_jsonld(first, corpus.actors)["mentions"]
    }
    assert types["Ana Ruiz"] == "Person" and types["Port Alder"] == "Place"


def test_jsonld_script_cannot_be_closed_by_its_content() -> None:
    script = json_script({"headline": "</script><script>alert(1)</script> & <!--"})
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_the_atom_feed_has_an_entry_per_sheet_updated_by_its_history(corpus: Corpus) -> None:
    history = SheetHistory(
        [Change("2024-03-04", "Add", "a"), Change("2024-03-08", "Fix a date", "b")]
    )
    feed = downloads(corpus, histories={FIRST: history}).files["feed.xml"]
    root = ElementTree.fromstring(feed)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = {e.find(f"{atom}id").text: e for e in root.findall(f"{atom}entry")}  # type: ignore[union-attr]
    assert set(entries) == {LINKS.page(f"sheets/{facts.id}/") for facts in corpus.articles}
    first = entries[LINKS.page(f"sheets/{FIRST}/")]
    assert first.find(f"{atom}updated").text.startswith("2024-03-08")  # type: ignore[union-attr]


def test_the_atom_feed_has_what_rfc_4287_requires(corpus: Corpus) -> None:
    """A feed and each entry: one id, title and updated (RFC 3339); the feed's author, from
    the site's author (site_author in mkdocs.yml), since no entry names one; a self link."""
    config = Project(REPO).site_config
    links = SiteLinks.from_config(config)
    feed = download_files(corpus, links, AS_OF, {}).files["feed.xml"]
    root = ElementTree.fromstring(feed)
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == f"{atom}feed"

    def one(element: ElementTree.Element, name: str) -> str:
        found = element.findall(f"{atom}{name}")
        assert len(found) == 1, f"{element.tag} has {len(found)} {name}"
        return found[0].text or ""

    assert one(root, "id") and one(root, "title")
    datetime.datetime.fromisoformat(one(root, "updated"))
    authors = root.findall(f"{atom}author")
    assert [one(author, "name") for author in authors] == [config["site_author"]]
    rels = {link.get("rel", "alternate"): link.get("href") for link in root.findall(f"{atom}link")}
    assert rels["self"] == links.page("sheets/feed.xml")
    assert rels["alternate"] == links.page("sheets/")
    entries = root.findall(f"{atom}entry")
    assert len(entries) == len(corpus.articles)
    ids = []
    for entry in entries:
        ids.append(one(entry, "id"))
        assert one(entry, "title")
        datetime.datetime.fromisoformat(one(entry, "updated"))
        alternate = [
            e for e in entry.findall(f"{atom}link") if e.get("rel", "alternate") == "alternate"
        ]
        assert [e.get("href") for e in alternate] == [ids[-1]]
        assert not entry.findall(f"{atom}author")  # so the feed's author stands for it
    assert len(set(ids)) == len(ids)


def test_the_calendar_holds_the_deadlines_of_open_questions_as_precise_as_written(
    corpus: Corpus,
) -> None:
    calendar = downloads(corpus).files["deadlines.ics"]
    events = calendar.split("BEGIN:VEVENT")[1:]
    open_with_deadline = [
        q for f in corpus.articles for q in f.questions if q.deadline and q.status == "open"
    ]
    assert len(events) == len(open_with_deadline) >= 1
    month = next(
        e for e in events if f"UID:{SECOND}.work-begins@factsheet" in e.replace("\r\n ", "")
    )
    assert "DTSTART;VALUE=DATE:20240401" in month and "DTEND;VALUE=DATE:20240501" in month


def test_downloads_and_listings_are_generated_pages_of_the_site(corpus: Corpus) -> None:
    pages = render_pages(corpus, as_of=AS_OF)
    for name in (
        "downloads/facts.json",
        "downloads/schema/quotes.schema.json",
        "downloads/claims.csv",
    ):
        assert name in pages
    for name in (
        "questions.md",
        "figures.md",
        "timeline.md",
        "downloads.md",
        "feed.xml",
        "deadlines.ics",
    ):
        assert name in pages
    questions = pages["questions.md"]
    # The open question with a deadline comes before the one without.
    assert questions.index("question-work-begins") < questions.index("question-region-contribution")
    timeline = pages["timeline.md"]
    assert timeline.index("1962") < timeline.index("2019") < timeline.index("5 March 2024")
    assert f"{SECOND}/index.md#event-council-vote" in timeline
    data = pages["downloads.md"]
    assert (
        f"{len(NEWSROOM_ARTICLES)} fact sheets" in data
        and "range\\_low" not in data
        and "`range_low`" in data
    )
