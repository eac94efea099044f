"""The search records, as Pagefind reads them: every result a fact, a speaker's names with
their statements, filter counts of facts, and numbers findable as readers type them.

On the fixture newsroom and on a copy of the live facts (whatever articles it holds)."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generator.index import (
    FACT_COUNTS,
    PARTS,
    SPEAKER_WEIGHT,
    _html,
    fact_counts,
    index_search,
    parts,
)
from generator.project import Project
from generator.validate import validate_project

from .conftest import copy_project, fixture_project, run_factsheet


@pytest.fixture(scope="module", params=["fixture", "live"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp(f"search-{request.param}") / "project"
    project = fixture_project(root) if request.param == "fixture" else copy_project(root)
    result = run_factsheet(project.root, "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def _records(project: Project) -> list[dict[str, Any]]:
    raw = (project.generated_dir / ".search" / "records.json").read_text(encoding="utf-8")
    records: list[dict[str, Any]] = json.loads(raw)["records"]
    return records


def _weights(html: str) -> list[float]:
    return [float(w) for w in re.findall(r'data-pagefind-weight="([0-9.]+)"', html)]


def test_a_record_has_no_words_outside_its_facts(generated: Project) -> None:
    """Pagefind searches metadata (a title, a URL) too: a record that had any would be found
    by words of its article's title or address, with no fact to show for it."""
    for entry in _records(generated):
        html = _html(entry)
        assert "data-pagefind-meta" not in html, entry["path"]
        assert "<title" not in html, entry["path"]
        body = html.split("<main data-pagefind-body>", 1)[1]
        before_first_fact = re.sub(r"<[^>]*>", "", body.split("<h2", 1)[0])
        assert not before_first_fact.strip(), entry["path"]


def test_a_record_is_filed_in_the_folder_of_its_page(generated: Project) -> None:
    """The search dialog finds a result's page from the record's own address."""
    for entry in _records(generated):
        assert entry["url"].endswith("/") and entry["path"].startswith(entry["url"])
        assert "/" not in entry["path"][len(entry["url"]) :], entry["path"]
    paths = [entry["path"] for entry in _records(generated)]
    assert len(paths) == len(set(paths))


def test_each_statement_carries_its_speakers_names_weighted_above_all_else(
    generated: Project,
) -> None:
    corpus = validate_project(generated)
    said = {
        f"{kind}-{item.id}": corpus.actors[getattr(item, person)]
        for facts in corpus.articles
        for kind, person in (("quote", "speaker"), ("claim", "claimant"))
        for item in getattr(facts, kind + "s")
    }
    assert said, "the corpus has quotes or claims"
    highest = max(w for entry in _records(generated) for w in _weights(_html(entry)))
    assert highest == SPEAKER_WEIGHT
    seen = 0
    for entry in _records(generated):
        if entry["filters"]["kind"][0] not in ("Quote", "Claim"):
            assert not any(item["by"] for item in entry["facts"]), entry["path"]
            continue
        html = _html(entry)
        for item in entry["facts"]:
            actor = said[item["anchor"]]
            names = item["by"].split(" · ")
            assert actor.name in names and all(alias in names for alias in actor.aliases)
            if actor.full_name:
                assert actor.full_name in names
            start = html.index(f'id="{item["anchor"]}"')
            end = html.find("<h2", start)
            fact_html = html[start : end if end > 0 else len(html)]
            assert f'data-pagefind-weight="{SPEAKER_WEIGHT}">' in fact_html, item["anchor"]
            seen += 1
    assert seen == len(said)


def test_filter_counts_are_counts_of_facts(generated: Project) -> None:
    corpus = validate_project(generated)
    counts = fact_counts(_records(generated))
    expected = Counter(
        {
            "Quote": sum(len(f.quotes) for f in corpus.articles),
            "Claim": sum(len(f.claims) for f in corpus.articles),
            "Figure": sum(len(f.figures) for f in corpus.articles),
            "Event": sum(len(f.events) for f in corpus.articles),
            "Question": sum(len(f.questions) for f in corpus.articles),
            "Statement": sum(len(f.statements) for f in corpus.articles),
        }
    )
    for kind, number in expected.items():
        assert counts["kind"].get(kind, 0) == number, kind
    for facts in corpus.articles:
        speakers = Counter(corpus.actors[q.speaker].name for q in facts.quotes)
        speakers.update(corpus.actors[c.claimant].name for c in facts.claims)
        for name, number in speakers.items():
            assert counts["speaker"][name] >= number, name
    total = sum(len(entry["facts"]) for entry in _records(generated))
    assert sum(counts["kind"].values()) == total


def test_the_bundle_carries_the_fact_counts(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project")
    result = run_factsheet(project.root, "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    written = json.loads((project.generated_dir / "pagefind" / FACT_COUNTS).read_text())
    assert written == fact_counts(_records(project))


def test_a_figure_is_found_by_its_number_as_readers_type_it(generated: Project) -> None:
    """'436 million', '436,000,000', '436000000', a tally as '7-2': each is among the words
    of its fact, and the written form is its heading."""
    corpus = validate_project(generated)
    words: dict[str, str] = {}
    for entry in _records(generated):
        for item in entry["facts"]:
            words[item["anchor"]] = f"{item['heading']} {item['extra']}"
    for facts in corpus.articles:
        for figure in facts.figures:
            indexed = words[f"figure-{figure.id}"]
            assert indexed.startswith(figure.written), figure.id
            if figure.value is not None and figure.value == int(figure.value):
                whole = int(figure.value)
                assert str(whole) in indexed.split() and f"{whole:,}" in indexed.split()
            if figure.tally is not None:
                assert f"{figure.tally.in_favour}-{figure.tally.against}" in indexed.split()


def _indexed(bundle: Path) -> set[str]:
    """The address of every record a Pagefind bundle holds, read from its fragments."""
    urls = set()
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        urls.add(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return urls


def test_a_corpus_larger_than_a_part_is_indexed_in_parts_holding_every_record(
    tmp_path: Path,
) -> None:
    """Pagefind holds a whole index in memory, so a large corpus is indexed in parts: every
    record is in exactly one part, a page's records in the same one, and parts.json lists
    the parts beyond the first for the search dialog to merge."""
    project = fixture_project(tmp_path / "project")
    result = run_factsheet(project.root, "generate")
    assert result.returncode == 0, result.stdout + result.stderr
    bundle = project.generated_dir / "pagefind"
    records = _records(project)
    assert json.loads((bundle / PARTS).read_text()) == {"parts": []}
    assert _indexed(bundle) == {"/" + entry["path"] for entry in records}

    shutil.rmtree(bundle)
    limit = len(records) // 3
    report = index_search(project, part_records=limit)
    assert report is not None and report.rebuilt
    extra = json.loads((bundle / PARTS).read_text())["parts"]
    assert len(extra) >= 2
    found = [_indexed(bundle)] + [_indexed(bundle / folder) for folder in extra]
    assert all(0 < len(part) <= limit for part in found)
    every = [url for part in found for url in part]
    assert sorted(every) == sorted("/" + entry["path"] for entry in records)
    folders = [{url.rsplit("/", 1)[0] for url in part} for part in found]
    assert sum(len(part) for part in folders) == len(set().union(*folders))
    assert json.loads((bundle / FACT_COUNTS).read_text()) == fact_counts(records)


def test_parts_keep_a_pages_records_together() -> None:
    records = [
        {"url": f"sheets/{page}/", "path": f"sheets/{page}/{n}.html"}
        for page, count in (("a", 3), ("b", 2), ("c", 4), ("d", 1))
        for n in range(count)
    ]
    cut = parts(records, 4)
    assert [[entry["path"] for entry in part] for part in cut] == [
        [e["path"] for e in records[:3]],
        [e["path"] for e in records[3:5]],
        [e["path"] for e in records[5:9]],
        [e["path"] for e in records[9:]],
    ]
    assert parts([], 4) == [[]]
    assert len(parts(records, 100)) == 1
