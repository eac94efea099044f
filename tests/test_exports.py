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
from generator.model import FACT_KINDS
from generator.project import Project
from generator.render import render_pages
from generator.validate import validate_project

from .conftest import FIRST, NEWSROOM, SECOND, replace_in

CORPUS = validate_project(Project(NEWSROOM))


def test_facts_json_loads_back_into_the_same_facts() -> None:
    actors, articles = load_facts_json(facts_json(CORPUS))
    assert actors == CORPUS.actors
    assert len(articles) == len(CORPUS.articles)
    for loaded, facts in zip(articles, CORPUS.articles, strict=True):
        assert loaded["id"] == facts.id
        assert loaded["article"] == facts.article
        for kind in FACT_KINDS:
            assert loaded[kind.plural] == getattr(facts, kind.plural), kind.plural


def test_one_csv_per_kind_with_a_row_per_fact() -> None:
    files = csv_files(CORPUS)
    assert set(files) == {"actors.csv", "articles.csv"} | {f"{k.plural}.csv" for k in FACT_KINDS}
    for kind in FACT_KINDS:
        rows = list(csv.DictReader(io.StringIO(files[f"{kind.plural}.csv"])))
        assert len(rows) == sum(len(getattr(f, kind.plural)) for f in CORPUS.articles), kind
    quotes = list(csv.DictReader(io.StringIO(files["quotes.csv"])))
    first = next(row for row in quotes if row["id"] == "study-carefully")
    assert first["article"] == FIRST
    assert first["text"] == "study the request carefully."
    assert first["source_paragraph"] == "9"
    assert first["fragment"] == "true"
    figures = {row["id"]: row for row in csv.DictReader(io.StringIO(files["figures.csv"]))}
    assert figures["repair-estimate"]["range_low"] == "12000000"
    assert figures["vote-tally"]["tally_for"] == "7"
    assert figures["vote-tally"]["tally_abstentions"] == "1"
    assert len(list(csv.DictReader(io.StringIO(files["actors.csv"])))) == len(CORPUS.actors)


def test_csv_cells_cannot_become_spreadsheet_formulas(project: Project, first_dir: Path) -> None:
    replace_in(
        first_dir / "quotes.yaml",
        "context: On closing the bridge.",
        "context: '=HYPERLINK(\"http://example.invalid\")'",
    )
    rows = list(csv.DictReader(io.StringIO(csv_files(validate_project(project))["quotes.csv"])))
    row = next(row for row in rows if row["id"] == "not-safe")
    assert row["context"] == '\'=HYPERLINK("http://example.invalid")'


def test_jsonld_names_each_quote_with_its_speaker_and_the_source() -> None:
    for facts in CORPUS.articles:
        data = article_jsonld(facts, CORPUS.actors)
        assert data["isBasedOn"]["identifier"] == f"sha256:{facts.article.sha256}"
        parts = [part for part in data["hasPart"] if part["@type"] == "Quotation"]
        assert [part["text"] for part in parts] == [" … ".join(q.parts) for q in facts.quotes]
        for part, quote in zip(parts, facts.quotes, strict=True):
            speaker = CORPUS.actors[quote.speaker]
            assert part["creator"]["name"] == speaker.name
            assert part["creator"]["@type"] == (
                "Person" if speaker.kind == "person" else "Organization"
            )


def test_jsonld_script_cannot_be_closed_by_its_content() -> None:
    script = jsonld_script({"headline": "</script><script>alert(1)</script> & <!--"})
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_downloads_and_listings_are_generated_pages_of_the_site() -> None:
    pages = render_pages(CORPUS)
    assert "downloads/facts.json" in pages
    assert "downloads/schema/quotes.schema.json" in pages
    assert "downloads/claims.csv" in pages
    for name in ("questions.md", "figures.md", "timeline.md", "downloads.md"):
        assert name in pages
    questions = pages["questions.md"]
    # The open question with a deadline comes before the one without.
    assert questions.index("question-work-begins") < questions.index("question-region-contribution")
    timeline = pages["timeline.md"]
    assert timeline.index("1962") < timeline.index("2019") < timeline.index("2024\\-03\\-05")
    assert f"{SECOND}/index.md#event-council-vote" in timeline
