"""Downloads and structured data: generated from the facts, and true to them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from generator.export import (
    article_jsonld,
    csv_files,
    facts_json,
    jsonld_script,
    load_facts_json,
)
from generator.project import Project
from generator.render import render_pages
from generator.validate import validate_project

from .conftest import ARTICLE_ID, REPO, replace_in


def test_facts_json_loads_back_into_the_same_facts() -> None:
    corpus = validate_project(Project(REPO))
    actors, articles = load_facts_json(facts_json(corpus))
    assert actors == corpus.actors
    assert len(articles) == len(corpus.articles)
    for loaded, facts in zip(articles, corpus.articles, strict=True):
        assert loaded["id"] == facts.id
        assert loaded["article"] == facts.article
        for kind in ("mentions", "figures", "quotes", "questions", "events"):
            assert loaded[kind] == getattr(facts, kind), kind


def test_one_csv_per_kind_with_a_row_per_fact() -> None:
    corpus = validate_project(Project(REPO))
    files = csv_files(corpus)
    facts = corpus.articles[0]
    assert set(files) == {
        "actors.csv",
        "articles.csv",
        "mentions.csv",
        "figures.csv",
        "quotes.csv",
        "questions.csv",
        "events.csv",
    }
    quotes = list(csv.DictReader(io.StringIO(files["quotes.csv"])))
    assert len(quotes) == len(facts.quotes)
    first = quotes[0]
    assert first["article"] == ARTICLE_ID
    assert first["text"] == facts.quotes[0].text
    assert first["source_paragraph"] == str(facts.quotes[0].source.paragraph)
    assert first["fragment"] == "true"
    figures = list(csv.DictReader(io.StringIO(files["figures.csv"])))
    assert {row["written"] for row in figures} >= {"$436 million", "At least 10,000"}
    assert len(list(csv.DictReader(io.StringIO(files["actors.csv"])))) == len(corpus.actors)


def test_csv_cells_cannot_become_spreadsheet_formulas(project: Project, article_dir: Path) -> None:
    replace_in(
        article_dir / "quotes.yaml",
        "context: On the situation of the detainees, in remarks opening the conference.",
        "context: '=HYPERLINK(\"http://example.invalid\")'",
    )
    rows = list(csv.DictReader(io.StringIO(csv_files(validate_project(project))["quotes.csv"])))
    assert rows[0]["context"] == '\'=HYPERLINK("http://example.invalid")'


def test_jsonld_names_each_quote_with_its_speaker_and_the_source() -> None:
    corpus = validate_project(Project(REPO))
    facts = corpus.articles[0]
    data = article_jsonld(facts, corpus.actors)
    assert data["@type"] == "Article"
    assert data["isBasedOn"]["identifier"] == f"sha256:{facts.article.sha256}"
    parts = data["hasPart"]
    assert [part["text"] for part in parts] == [quote.text for quote in facts.quotes]
    for part, quote in zip(parts, facts.quotes, strict=True):
        speaker = corpus.actors[quote.speaker]
        assert part["@type"] == "Quotation"
        assert part["creator"]["name"] == speaker.name
        assert part["creator"]["@type"] == (
            "Person" if speaker.kind == "person" else "Organization"
        )


def test_jsonld_script_cannot_be_closed_by_its_content() -> None:
    script = jsonld_script({"headline": "</script><script>alert(1)</script> & <!--"})
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_downloads_are_generated_pages_of_the_site() -> None:
    pages = render_pages(validate_project(Project(REPO)))
    assert "downloads/facts.json" in pages
    assert "downloads/schema/quotes.schema.json" in pages
    assert "downloads/quotes.csv" in pages
    for name in ("questions.md", "figures.md", "timeline.md", "downloads.md"):
        assert name in pages
    questions = pages["questions.md"]
    # The one question with a deadline comes first among the open ones.
    assert questions.index("question-bab-al-hawa-mandate") < questions.index(
        "question-russian-veto"
    )
    timeline = pages["timeline.md"]
    assert timeline.index("2014") < timeline.index("2019") < timeline.index("2021\\-07\\-10")
