"""The repository's own facts/, whatever articles it holds: each validates, each fact has its
anchor on the built site, and each download has one row per fact."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.corpus import Corpus
from generator.model import FACT_KINDS
from generator.project import Project
from generator.validate import validate_project

from .conftest import (
    REPO,
    copy_project,
    live_articles,
    run_factsheet,
)

ARTICLES = live_articles()


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return validate_project(Project(REPO))


def test_there_are_articles_and_each_validates(corpus: Corpus) -> None:
    assert ARTICLES, "facts/ holds no article"
    assert sorted(facts.id for facts in corpus.articles) == ARTICLES


@pytest.mark.parametrize("article", ARTICLES)
def test_each_seed_is_kept_byte_for_byte(article: str, corpus: Corpus) -> None:
    facts = next(found for found in corpus.articles if found.id == article)
    seed = REPO / "seeds" / facts.seed.name
    assert hashlib.sha256(seed.read_bytes()).hexdigest() == facts.article.sha256
    shared = REPO.parent / "shared" / "seeds" / seed.name
    if shared.is_file():  # the first article's seed, as it was handed over
        assert shared.read_bytes() == seed.read_bytes()


def fact_anchors(corpus: Corpus, article: str) -> list[str]:
    facts = next(found for found in corpus.articles if found.id == article)
    anchors = [f"actor-{mention.actor}" for mention in facts.mentions]
    for kind in FACT_KINDS[1:]:
        anchors += [f"{kind.singular}-{fact.id}" for fact in getattr(facts, kind.plural)]
    return anchors


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("live") / "project")
    result = run_factsheet(project.root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.mark.slow
@pytest.mark.parametrize("article", ARTICLES)
def test_each_fact_has_its_anchor_on_the_built_site(
    article: str, corpus: Corpus, built: Project
) -> None:
    html = (built.site_dir / "sheets" / article / "index.html").read_text(encoding="utf-8")
    ids = {str(tag["id"]) for tag in BeautifulSoup(html, "html.parser").find_all(id=True)}
    missing = [anchor for anchor in fact_anchors(corpus, article) if anchor not in ids]
    assert not missing, missing


@pytest.mark.slow
def test_each_download_has_one_row_per_fact(corpus: Corpus, built: Project) -> None:
    downloads = built.site_dir / "sheets" / "downloads"
    for kind in FACT_KINDS:
        rows = _rows(downloads / f"{kind.plural}.csv")
        for facts in corpus.articles:
            mine = [row for row in rows if row["article"] == facts.id]
            assert len(mine) == len(getattr(facts, kind.plural)), (facts.id, kind.plural)
    assert len(_rows(downloads / "articles.csv")) == len(corpus.articles)
    assert len(_rows(downloads / "actors.csv")) == len(corpus.actors)


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.slow
def test_each_sheet_fits_a_desktop_a_phone_and_paper(corpus: Corpus, built: Project) -> None:
    """Every valid article's sheet fits a 1280 px and a 390 px screen (no sideways scrolling)
    and prints. Its height and page count are printed, for the record, and asserted nowhere:
    they depend on the article, and budgets are the benchmark's, measured on fixture and
    synthetic corpora (`make bench`)."""
    import functools
    import os
    import re
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(built.site_dir))
    handler.log_message = lambda *args: None  # type: ignore[assignment]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    chromium = os.environ.get("FACTSHEET_CHROMIUM", "/usr/bin/chromium")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            for facts in corpus.articles:
                url = f"{base}sheets/{facts.id}/"
                for phone, width in ((False, 1280), (True, 390)):
                    page = browser.new_page(
                        viewport={"width": width, "height": 800}, is_mobile=phone
                    )
                    page.goto(url)
                    height, wide = page.evaluate(
                        "[document.documentElement.scrollHeight,"
                        " document.documentElement.scrollWidth]"
                    )
                    print(f"{facts.id}: {height} px high at {width} px")
                    assert wide <= width, (facts.id, width, wide)
                    page.close()
                page = browser.new_page(viewport={"width": 794, "height": 1123})
                page.goto(url)
                page.emulate_media(media="print")
                margin = {side: "12mm" for side in ("top", "bottom", "left", "right")}
                pdf = page.pdf(format="A4", margin=margin)
                pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
                print(f"{facts.id}: {pages} A4 pages")
                assert pages >= 1
                page.close()
            browser.close()
    finally:
        server.shutdown()
