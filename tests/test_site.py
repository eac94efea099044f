"""End to end: build the fixture newsroom's site with MkDocs and check what readers get."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from generator.project import Project
from generator.text import fold
from generator.validate import validate_project

from .conftest import (
    FIRST,
    SECOND,
    fixture_project,
    plant_payloads,
    replace_in,
    run_factsheet,
    tree_bytes,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = fixture_project(tmp_path_factory.mktemp("site") / "project")
    result = run_factsheet(project.root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the site is in" in result.stdout
    return project


def page(project: Project, relative: str) -> BeautifulSoup:
    return BeautifulSoup((project.site_dir / relative).read_text(encoding="utf-8"), "html.parser")


def article_page(project: Project, article: str = FIRST) -> BeautifulSoup:
    return page(project, f"sheets/{article}/index.html")


def test_every_quote_is_a_blockquote_with_its_speaker_and_emphasised_words(
    built: Project,
) -> None:
    corpus = validate_project(built)
    for facts in corpus.articles:
        soup = article_page(built, facts.id)
        for quote in facts.quotes:
            card = soup.find(id=f"quote-{quote.id}")
            assert card is not None, quote.id
            quotation = card.find("blockquote")
            assert quotation is not None
            for source in quote.sources:
                assert fold(source.excerpt) in fold(quotation.get_text())
            emphasised = fold(
                " ".join(strong.get_text() for strong in quotation.find_all("strong"))
            )
            assert all(fold(part) in emphasised for part in quote.parts), quote.id
            said = card.find(class_="fs-said")
            assert said is not None and corpus.actors[quote.speaker].name in said.get_text()
            assert ("partial quote" in said.get_text()) == quote.fragment


def test_every_fact_has_an_anchor_and_a_working_link_to_its_paragraph(built: Project) -> None:
    for facts in validate_project(built).articles:
        soup = article_page(built, facts.id)
        source = page(built, f"sheets/{facts.id}/source/index.html")
        for prefix, kind in (
            ("figure", facts.figures),
            ("claim", facts.claims),
            ("question", facts.questions),
            ("event", facts.events),
        ):
            for fact in kind:
                element = soup.find(id=f"{prefix}-{fact.id}")
                assert element is not None, fact.id
                cite = element.find_next("a", class_="fs-cite")
                assert cite is not None
                assert cite["href"] == f"source/#p{fact.source.paragraph}"
                paragraph = source.find(id=f"p{fact.source.paragraph}")
                assert paragraph is not None
                assert fold(fact.source.excerpt) in fold(paragraph.get_text())


def test_all_internal_links_and_anchors_resolve(built: Project) -> None:
    site = built.site_dir
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            ids[path] = {str(tag["id"]) for tag in soup.find_all(id=True)}
        return ids[path]

    checked = 0
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            parts = urlsplit(str(link["href"]))
            if parts.scheme or parts.netloc:
                continue
            if parts.path.startswith("/"):  # 404.html links from the site root
                target = site / unquote(parts.path).lstrip("/")
            else:
                target = (html.parent / unquote(parts.path)).resolve() if parts.path else html
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{html.relative_to(site)} links to missing {link['href']}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids_of(target), (
                    f"{html.relative_to(site)} links to missing anchor {link['href']}"
                )
            checked += 1
    assert checked > 200


def test_the_search_index_holds_every_fact_grouped_by_what_readers_filter(
    built: Project,
) -> None:
    corpus = validate_project(built)
    records = json.loads((built.generated_dir / ".search" / "records.json").read_text())["records"]
    anchors: dict[str, set[str]] = {}
    for entry in records:
        anchors.setdefault(entry["url"], set()).update(f["anchor"] for f in entry["facts"])
        if entry["filters"]["kind"] == ["Quote"]:  # one speaker per record: filters are exact
            assert len(entry["filters"]["speaker"]) == 1
    for facts in corpus.articles:
        expected = {
            f"{kind[:-1]}-{fact.id}"
            for kind in ("figures", "quotes", "claims", "questions", "events")
            for fact in getattr(facts, kind)
        }
        assert expected <= anchors[f"sheets/{facts.id}/"], facts.id
    assert {f"sheets/actors/{actor}/" for actor in corpus.actors} <= set(anchors)
    bundle = built.site_dir / "sheets" / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    # The records are not published; navigation, footers and edit links are never indexed.
    assert not (built.site_dir / "sheets" / ".search").exists()
    assert not list(built.site_dir.rglob("search_index.json"))


def test_home_lists_the_articles_with_counts(built: Project) -> None:
    soup = page(built, "index.html")
    for facts in validate_project(built).articles:
        link = soup.find("a", href=f"sheets/{facts.id}/")
        assert link is not None
        assert link.get_text() == " ".join(facts.article.title.split())
    assert "\\" not in soup.get_text()


def test_actor_page_gathers_quotes_and_questions_from_every_article(built: Project) -> None:
    soup = page(built, "sheets/actors/ana-ruiz/index.html")
    links = {str(a["href"]) for a in soup.find_all("a", href=True)}
    assert f"../../{FIRST}/#quote-not-safe" in links
    assert f"../../{SECOND}/#quote-listened" in links
    assert "Mayor of Port Alder" in soup.get_text()


def test_hostile_text_in_every_free_text_field_never_becomes_markup(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project")
    plant_payloads(project)
    result = run_factsheet(project.root, "build")
    assert result.returncode == 0, result.stderr
    pages = list(project.site_dir.rglob("*.html"))
    for html in pages:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.get_text())  # still valid JSON, not broken out of
            else:
                assert "__pwned" not in script.get_text(), html
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                if "__pwned" in text:  # only as inert text: an id slug, a title, a JSON value
                    assert not attribute.startswith("on"), f"{html}: <{tag.name} {attribute}>"
                    if attribute in ("href", "src", "action"):
                        assert urlsplit(text.strip()).scheme in ("", "http", "https"), text
        assert not soup.find_all("img", src="x"), html
    article = page(project, f"sheets/{FIRST}/index.html")
    title = article.find("title")
    assert title is not None and "<script>window.__pwned=1</script>" in title.get_text()
    assert "<img src=x onerror=" in article.get_text()
    assert "{{ 7*7 }}" in article.get_text()


def test_a_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project")
    assert run_factsheet(project.root, "build").returncode == 0
    site_before = tree_bytes(project.site_dir)
    (project.docs_dir / "about.md").write_text("[broken](missing.md#nowhere)\n")
    result = run_factsheet(project.root, "build")
    assert result.returncode != 0
    assert "missing.md" in result.stdout + result.stderr
    assert tree_bytes(project.site_dir) == site_before


def test_a_broken_anchor_fails_the_strict_build(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project")
    (project.docs_dir / "about.md").write_text(
        f"[a quote](sheets/{FIRST}/index.md#quote-no-such-quote)\n"
    )
    result = run_factsheet(project.root, "build")
    assert result.returncode != 0
    assert "quote-no-such-quote" in result.stdout + result.stderr


def test_a_failed_validation_leaves_docs_and_site_byte_for_byte(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project")
    assert run_factsheet(project.root, "build").returncode == 0
    docs_before, site_before = tree_bytes(project.docs_dir), tree_bytes(project.site_dir)
    replace_in(
        project.facts_dir / FIRST / "quotes.yaml",
        "text: study the request carefully.",
        "text: study the request carefully!",
    )
    (project.facts_dir / SECOND / "events.yaml").write_text("- id: [unclosed\n")
    result = run_factsheet(project.root, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2 problems found" in result.stderr
    assert tree_bytes(project.docs_dir) == docs_before
    assert tree_bytes(project.site_dir) == site_before


def test_jsonld_in_the_page_is_valid_and_matches_the_page(built: Project) -> None:
    soup = article_page(built)
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].get_text())
    for part in data["hasPart"]:
        card = soup.find(id=part["@id"].removeprefix("#"))
        assert card is not None
        said = card.find(class_="fs-said")
        assert said is not None
        name = part["creator" if part["@type"] == "Quotation" else "author"]["name"]
        assert name in said.get_text()
        if part["@type"] == "Claim":
            assert fold(part["text"]) in fold(card.get_text())
    title = soup.find("h1")
    assert title is not None and data["headline"] in title.get_text()


def test_downloads_in_the_site_hold_the_validated_facts(built: Project) -> None:
    from generator.export import load_facts_json

    text = (built.site_dir / "sheets" / "downloads" / "facts.json").read_text(encoding="utf-8")
    actors, articles = load_facts_json(text)
    corpus = validate_project(built)
    assert actors == corpus.actors
    assert [entry["quotes"] for entry in articles] == [facts.quotes for facts in corpus.articles]
    data = page(built, "sheets/downloads/index.html")
    hrefs = {str(a["href"]) for a in data.find_all("a", href=True)}
    assert {"facts.json", "quotes.csv", "schema/quotes.schema.json"} <= hrefs


def test_the_same_pages_build_with_zensical(built: Project, tmp_path: Path) -> None:
    """Zensical, Material's successor, reads the same mkdocs.yml and generated Markdown."""
    project = fixture_project(tmp_path / "project")
    assert run_factsheet(project.root, "generate").returncode == 0
    out = project.root / "zensical-site"
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_dir: site", "site_dir: zensical-site"),
        encoding="utf-8",
    )
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run(
        [str(zensical), "build", "--strict", "--config-file", str(config)],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for relative in (
        "index.html",
        f"sheets/{FIRST}/index.html",
        "sheets/actors/ana-ruiz/index.html",
        "sheets/downloads/facts.json",
    ):
        assert (out / relative).is_file(), relative

    def fact_ids(site: Path) -> set[str]:
        soup = BeautifulSoup(
            (site / f"sheets/{FIRST}/index.html").read_text(encoding="utf-8"), "html.parser"
        )
        prefixes = ("quote-", "figure-", "claim-", "question-", "event-", "actor-", "speaker-")
        return {str(t["id"]) for t in soup.find_all(id=True) if str(t["id"]).startswith(prefixes)}

    assert fact_ids(out) == fact_ids(built.site_dir)
    assert len(fact_ids(out)) > 30
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f"sheets/{FIRST}/" in home


def test_the_link_check_passes_on_the_site_and_fails_on_each_planted_break(
    built: Project, tmp_path: Path
) -> None:
    assert run_factsheet(built.root, "check-links").returncode == 0
    for planted in (
        '<a href="sheets/actors/ana-ruiz/#no-such-anchor">broken anchor</a>',
        '<a href="sheets/no-such-page/">broken page</a>',
    ):
        site = tmp_path / f"site-{len(planted)}"
        shutil.copytree(built.site_dir, site)
        home = site / "index.html"
        home.write_text(
            home.read_text(encoding="utf-8").replace("</article>", planted + "</article>", 1),
            encoding="utf-8",
        )
        result = run_factsheet(built.root, "check-links", str(site))
        assert result.returncode != 0, planted
        assert "no-such" in result.stdout + result.stderr


def test_tags_page_lists_each_tag_with_its_fact_sheets(built: Project) -> None:
    soup = page(built, "tags/index.html")
    for facts in validate_project(built).articles:
        for tag in facts.article.tags:
            heading = soup.find(id=f"tag:{tag}")
            assert heading is not None, tag
            listing = heading.find_next("ul")
            assert listing is not None
            assert f"../sheets/{facts.id}/" in {str(a["href"]) for a in listing.find_all("a")}


def _head_meta(soup: BeautifulSoup) -> dict[str, str]:
    return {
        str(tag.get("property") or tag.get("name")): str(tag.get("content"))
        for tag in soup.find_all("meta")
        if tag.get("content") is not None
    }


def test_a_sheet_is_shared_with_its_own_image_and_other_pages_with_the_sites(
    built: Project,
) -> None:
    site_url = built.site_config["site_url"]
    for facts in validate_project(built).articles:
        meta = _head_meta(article_page(built, facts.id))
        image = f"{site_url}sheets/{facts.id}/preview.png"
        assert meta["og:image"] == meta["twitter:image"] == image
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        assert meta["og:image:alt"].startswith(facts.article.title)
        assert meta["twitter:card"] == "summary_large_image"
        with Image.open(built.site_dir / "sheets" / facts.id / "preview.png") as picture:
            assert picture.size == (1200, 630)
    for relative in ("index.html", "about/index.html", "sheets/actors/index.html"):
        meta = _head_meta(page(built, relative))
        assert meta["og:image"] == f"{site_url}sheets/preview.png", relative
        assert meta["og:image:alt"].startswith(built.site_config["site_name"])
        assert meta["twitter:card"] == "summary_large_image"
    with Image.open(built.site_dir / "sheets" / "preview.png") as picture:
        assert picture.size == (1200, 630)


def test_every_page_links_the_feeds_with_a_sitemap_beside_them(built: Project) -> None:
    """Feed readers find the feeds through <link rel="alternate">. Material fetches the
    sitemap.xml beside every such link (taking it for a language version of the site), so
    one is there, and it lists no page Material could take a link over for."""
    checked = 0
    for path in sorted(built.site_dir.rglob("index.html")):
        if "pagefind" in path.parts:
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        alternates = soup.find_all("link", rel="alternate")
        kinds = {str(link.get("type")): str(link["href"]) for link in alternates}
        assert set(kinds) == {"application/atom+xml", "text/calendar"}, path
        assert not any(link.get("hreflang") for link in alternates)
        for href in kinds.values():
            assert not urlsplit(href).scheme, "relative: the theme's request stays on the site"
            target = (path.parent / unquote(href)).resolve()
            assert target.is_file(), (path, href)
            sitemap = ElementTree.parse(target.parent / "sitemap.xml").getroot()
            assert sitemap.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
            assert len(sitemap) == 0
        checked += 1
    assert checked > 10


def test_the_footer_names_the_publisher_a_contact_the_licence_and_the_method(
    built: Project,
) -> None:
    footer = page(built, "index.html").find(class_="md-copyright")
    assert footer is not None
    text = " ".join(footer.get_text(" ").split())
    hrefs = [str(link["href"]) for link in footer.find_all("a")]
    author = built.site_config["site_author"]
    assert text.casefold().startswith(f"published by {author.casefold()}"), text
    assert any(href.endswith("/issues") for href in hrefs), "how to reach the publisher"
    assert "creativecommons.org/licenses/by/4.0/" in " ".join(hrefs)
    assert (
        "we check each fact against its article; we do not check whether the article is right"
        in text
    )
