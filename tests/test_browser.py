"""In a real browser: search, anchors, actor pages, accessibility and screenshots of the site.

One MkDocs build and one headless Chromium serve the whole module. The site is served over HTTP
on 127.0.0.1 (Material's search runs in a web worker, which needs http://, not file://), and
every request that leaves the local server (Google Fonts) is aborted, so the tests need no network.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, expect
from playwright.sync_api import sync_playwright as start_playwright

from generator.index import index_search
from generator.project import Project
from generator.validate import validate_project

from .conftest import (
    FIRST,
    REPO,
    SECOND,
    fixture_project,
    height_budget,
    plant_payloads,
    print_budget,
    run_factsheet,
)

pytestmark = pytest.mark.slow

# Debian's chromium by default; CI on GitHub points FACTSHEET_CHROMIUM at its Google Chrome.
CHROMIUM = Path(os.environ.get("FACTSHEET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SEARCH_TIMEOUT_MS = 10_000
ARTICLE_PATH = f"/sheets/{FIRST}/"
SECOND_PATH = f"/sheets/{SECOND}/"


@dataclass(frozen=True)
class Site:
    """The built project and the address it is served at."""

    project: Project
    base_url: str  # ends with "/"
    quotes_by_speaker: dict[str, list[tuple[str, str]]]  # actor id -> (article path, quote id)

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    project = fixture_project(tmp_path_factory.mktemp("browser") / "project")
    result = run_factsheet(project.root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project.site_dir / "index.html").is_file()

    quotes_by_speaker: dict[str, list[tuple[str, str]]] = {}
    for facts in validate_project(project).articles:
        for quote in facts.quotes:
            where = (f"/sheets/{facts.id}/", quote.id)
            quotes_by_speaker.setdefault(quote.speaker, []).append(where)

    with _serve(project.site_dir) as base_url:
        yield Site(project, base_url, quotes_by_speaker)


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 at a free port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(apt-get install chromium)",
            pytrace=False,
        )
    with start_playwright() as playwright:
        launched = _launch(playwright)
        try:
            yield launched
        finally:
            launched.close()


def _launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def _new_context(
    browser: Browser, site: Site, viewport: dict[str, int], **options: Any
) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": viewport["width"], "height": viewport["height"]},
        color_scheme="light",
        reduced_motion="reduce",
        **options,
    )
    context.set_default_timeout(SEARCH_TIMEOUT_MS)

    def local_only(route: Route) -> None:
        if route.request.url.startswith(site.base_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", local_only)
    return context


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    """A desktop-sized page in a fresh context; fails the test on any JavaScript error."""
    context = _new_context(browser, site, DESKTOP)
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
    try:
        yield tab
    finally:
        context.close()
    assert not errors, "JavaScript errors on the page:\n" + "\n".join(errors)


@pytest.fixture
def phone(browser: Browser, site: Site) -> Iterator[Page]:
    context = _new_context(browser, site, PHONE, is_mobile=True, has_touch=True)
    try:
        yield context.new_page()
    finally:
        context.close()


# --- search -------------------------------------------------------------------------------


def _result_links(page: Page) -> list[tuple[str, str]]:
    """(href, text) of every fact the search lists, in order."""
    links: list[tuple[str, str]] = page.locator(".fs-results .fs-fact-link").evaluate_all(
        "links => links.map(a => [a.href, a.textContent.replace(/\\s+/g, ' ').trim()])"
    )
    return [(str(href), str(text)) for href, text in links]


def _open_search(page: Page, how: str = "slash") -> None:
    field = page.locator("#fs-search-input")
    if how == "slash":
        page.locator("body").press("/")
    else:  # the button in the header, a magnifier on narrow screens
        page.locator(".fs-search-open").click()
    expect(field).to_be_focused()


def _search(
    page: Page,
    query: str,
    wanted: Callable[[str], bool],
    *,
    open_with: str = "slash",
    filters: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """Search the facts and wait until a listed fact's href is `wanted`; on timeout, fail with
    everything the search showed."""
    _open_search(page, open_with)
    _query(page, query, filters)
    deadline = SEARCH_TIMEOUT_MS
    links: list[tuple[str, str]] = []
    while deadline > 0:
        links = _result_links(page)
        if any(wanted(href) for href, _ in links):
            return links
        more = page.locator(".fs-search-more")
        if more.count() and more.first.is_visible():  # as a reader would, past the first ten
            more.first.click()
        page.wait_for_timeout(100)
        deadline -= 100
    said = page.locator(".fs-search-status").text_content() or ""
    listing = "\n".join(f"  {href}  {text[:90]}" for href, text in links) or "  (none)"
    pytest.fail(
        f"searching {query!r}: no wanted result within {SEARCH_TIMEOUT_MS / 1000:.0f} s; "
        f"the search said {said.strip()!r} and listed:\n{listing}"
    )


def _on_article(
    fragment: str | re.Pattern[str], article: str = ARTICLE_PATH
) -> Callable[[str], bool]:
    def wanted(href: str) -> bool:
        parts = urlsplit(href)
        if parts.path != article:
            return False
        if isinstance(fragment, str):
            return parts.fragment == fragment
        return fragment.fullmatch(parts.fragment) is not None

    return wanted


@pytest.mark.parametrize(
    ("query", "fragment", "article"),
    [
        pytest.param("accident", "quote-no-accident", ARTICLE_PATH, id="word-of-a-quote"),
        pytest.param("40,000", "figure-daily-vehicles", ARTICLE_PATH, id="number-with-comma"),
        pytest.param("40000", "figure-daily-vehicles", ARTICLE_PATH, id="number-without-comma"),
        pytest.param("14.5", "figure-emergency-budget", SECOND_PATH, id="decimal"),
        pytest.param("$14.5 million", "figure-emergency-budget", SECOND_PATH, id="currency"),
        pytest.param("7-2", "figure-vote-tally", SECOND_PATH, id="tally"),
    ],
)
def test_search_puts_the_right_fact_first(
    page: Page, site: Site, query: str, fragment: str, article: str
) -> None:
    page.goto(site.url())
    links = _search(page, query, _on_article(fragment, article))
    assert _on_article(fragment, article)(links[0][0]), f"best result is {links[0]}"


def test_search_for_a_place_finds_the_facts_that_name_it(page: Page, site: Site) -> None:
    page.goto(site.url())
    links = _search(
        page,
        "Old Harbour Bridge",
        _on_article(re.compile(r"(figure|event|claim|statement|question)-.+")),
    )
    texts = [text for href, text in links if _on_article(re.compile(r".+"))(href)]
    assert any("Old Harbour Bridge" in text for text in texts), texts


def test_quotes_by_a_speaker_are_her_quotes_only(page: Page, site: Site) -> None:
    her_quotes = set(site.quotes_by_speaker["ana-ruiz"])
    page.goto(site.url())
    _search(
        page,
        "",
        lambda href: (
            (urlsplit(href).path, urlsplit(href).fragment.removeprefix("quote-")) in her_quotes
        ),
        filters={"kind": "Quote", "speaker": "Ana Ruiz"},
    )
    page.wait_for_timeout(500)
    found = {
        (urlsplit(href).path, urlsplit(href).fragment.removeprefix("quote-"))
        for href, _ in _result_links(page)
    }
    assert found == her_quotes


def test_nothing_is_fetched_for_search_until_it_is_opened(browser: Browser, site: Site) -> None:
    context = _new_context(browser, site, DESKTOP)
    requests: list[str] = []
    try:
        tab = context.new_page()
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(site.url(ARTICLE_PATH))
        tab.wait_for_load_state("networkidle")
        assert not [url for url in requests if "pagefind" in url]
        _search(tab, "accident", _on_article("quote-no-accident"))
        assert [url for url in requests if "pagefind" in url]
    finally:
        context.close()


def test_search_on_a_phone_through_the_header_button(phone: Page, site: Site) -> None:
    phone.goto(site.url(ARTICLE_PATH))
    _search(phone, "40,000", _on_article("figure-daily-vehicles"), open_with="button")


def test_following_a_search_result_lands_on_the_quote(page: Page, site: Site) -> None:
    page.goto(site.url())
    _search(page, "accident", _on_article("quote-no-accident"))
    result = page.locator(".fs-results a[href$='#quote-no-accident']").first
    expect(result).to_be_visible()
    result.click()

    page.wait_for_url(re.compile(r"#quote-no-accident$"))
    parts = urlsplit(page.url)
    assert parts.path == ARTICLE_PATH
    assert parts.fragment == "quote-no-accident"
    target = page.locator("#quote-no-accident")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("We will not wait for an accident")


def _query(page: Page, query: str, filters: dict[str, str] | None) -> None:
    """Choose the filters (unfolding them first on a phone), then type the query."""
    box = page.locator(".fs-search-filter-box")
    if filters and box.get_attribute("open") is None:  # folded on a phone
        box.locator("summary").click()
    for name, value in (filters or {}).items():
        select = page.locator(f"select[data-filter='{name}']")
        expect(select.locator(f"option[value='{value}']")).to_have_count(1)
        select.select_option(value)
    page.locator("#fs-search-input").fill(query)


def _all_results(page: Page, query: str, filters: dict[str, str] | None = None) -> list[str]:
    """Search, then show more until every result is listed; the status counts what is listed.
    Returns each listed fact's href, in order."""
    _open_search(page)
    _query(page, query, filters)
    status = page.locator(".fs-search-status")
    expect(status).to_have_text(re.compile(r"^(\d+ facts?|No fact matches\.|The first .*)$"))
    while page.locator(".fs-search-more").count():
        page.locator(".fs-search-more").click()
        expect(status).to_have_text(re.compile(r"^(\d+ facts?|The first .*)$"))
    said = status.text_content() or ""
    hrefs = [href for href, _ in _result_links(page)]
    assert said == (
        "No fact matches." if not hrefs else f"{len(hrefs)} fact{'s' * (len(hrefs) > 1)}"
    )
    assert len(hrefs) == len(set(hrefs)), "a fact is listed twice"
    return hrefs


def _statements_by_speaker(site: Site) -> dict[str, set[tuple[str, str]]]:
    """Actor name -> (article path, anchor) of each of their quotes and claims."""
    corpus = validate_project(site.project)
    said: dict[str, set[tuple[str, str]]] = {}
    for facts in corpus.articles:
        for kind, person in (("quote", "speaker"), ("claim", "claimant")):
            for item in getattr(facts, kind + "s"):
                name = corpus.actors[getattr(item, person)].name
                said.setdefault(name, set()).add((f"/sheets/{facts.id}/", f"{kind}-{item.id}"))
    return said


def test_a_speakers_name_brings_their_statements_first(page: Page, site: Site) -> None:
    said = _statements_by_speaker(site)
    assert len(said) > 1
    for name, theirs in said.items():
        page.goto(site.url())
        hrefs = _all_results(page, name)
        first = {(urlsplit(h).path, urlsplit(h).fragment) for h in hrefs[: len(theirs)]}
        assert first == theirs, f"{name!r}: the first results are {hrefs[: len(theirs)]}"


def test_every_result_is_a_fact_named_with_its_article(page: Page, site: Site) -> None:
    """A word of an article's title finds the facts that hold it, each named with its kind
    and article; never a heading with nothing under it."""
    corpus = validate_project(site.project)
    words = {
        w for facts in corpus.articles for w in re.findall(r"[A-Za-z]{5,}", facts.article.title)
    }
    assert words
    for word in sorted(words):
        page.goto(site.url())
        hrefs = _all_results(page, word)
        items = page.locator(".fs-results > li")
        assert items.count() == len(hrefs), f"{word!r}: a listed entry is not a fact"
        for index in range(items.count()):
            item = items.nth(index)
            where = item.locator(".fs-fact-where").text_content() or ""
            kind = where.split(" · ")[0]
            assert kind in {
                "Quote",
                "Claim",
                "Figure",
                "Statement",
                "Question",
                "Event",
                "Actor",
                "Fact sheet",
            }, where
            if kind not in ("Actor", "Fact sheet"):
                article = item.locator(".fs-fact-where a")
                expect(article).to_have_count(1)
                assert (
                    urlsplit(hrefs[index]).path
                    == urlsplit(article.get_attribute("href") or "").path
                )


def test_filter_counts_are_the_facts_listed(page: Page, site: Site) -> None:
    page.goto(site.url())
    _open_search(page)
    box = page.locator(".fs-search-filter-box")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    options = page.locator("select[data-filter='kind'] option:not([value=''])")
    expect(options.first).to_be_attached()
    labels = options.all_text_contents()
    assert len(labels) > 3
    for label in labels:
        kind, count = re.fullmatch(r"(.+) \((\d+)\)", label).groups()  # type: ignore[union-attr]
        page.goto(site.url())
        hrefs = _all_results(page, "", {"kind": kind})
        assert len(hrefs) == int(count), f"{label}: {len(hrefs)} listed"


def test_every_result_is_reachable_through_show_more(page: Page, site: Site) -> None:
    corpus = validate_project(site.project)
    years = {facts.article.date[:4] for facts in corpus.articles}
    tested: set[str] = set()
    for year in sorted(years):
        every = sum(
            len(getattr(f, kind))
            for f in corpus.articles
            if f.article.date.startswith(year)
            for kind in ("quotes", "claims", "figures", "statements", "questions", "events")
        )
        if every <= 20:
            continue  # all on the first screen of results: nothing for 'show more' to reach
        tested.add(year)
        page.goto(site.url())
        hrefs = _all_results(page, "", {"year": year})
        in_articles = [h for h in hrefs if "/sheets/actors/" not in h and "#" in h]
        assert len(in_articles) == every, (year, len(in_articles), every)
    assert tested, "no year of the fixture has more results than one screen shows"


def test_on_a_phone_the_first_results_are_on_the_first_screen(phone: Page, site: Site) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = next(iter(_statements_by_speaker(site)))
    phone.goto(site.url(ARTICLE_PATH))
    _search(phone, name, lambda href: "#quote-" in href or "#claim-" in href, open_with="button")
    dialog = phone.locator(".fs-search-dialog").bounding_box()
    assert dialog is not None and dialog["x"] == 0 and dialog["width"] == PHONE["width"]
    expect(phone.locator(".fs-search-filter-box")).not_to_have_attribute("open", "")
    results = phone.locator(".fs-results > li")
    assert results.count() >= 2
    for index in range(2):
        box = results.nth(index).bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], index
    phone.screenshot(path=str(SCREENSHOTS / "search-phone.png"))


@pytest.fixture(scope="module")
def parted_site(site: Site) -> Iterator[Site]:
    """The fixture site with its search index in three parts, as a large corpus has it."""
    bundle = site.project.generated_dir / "pagefind"
    records = json.loads((site.project.generated_dir / ".search" / "records.json").read_text())
    shutil.rmtree(bundle)
    assert index_search(site.project, part_records=len(records["records"]) // 3) is not None
    folder = site.project.root / "parted-site"
    shutil.copytree(site.project.site_dir, folder)
    shutil.rmtree(folder / "sheets" / "pagefind")
    shutil.copytree(bundle, folder / "sheets" / "pagefind")
    assert len(json.loads((bundle / "parts.json").read_text())["parts"]) >= 2
    with _serve(folder) as base_url:
        yield Site(site.project, base_url, site.quotes_by_speaker)


def test_an_index_in_parts_is_searched_as_one(browser: Browser, parted_site: Site) -> None:
    """Every part is searched: the facts of every article are found by a filter, the counts
    are of all parts, and a word finds its fact wherever its part is."""
    corpus = validate_project(parted_site.project)
    context = _new_context(browser, parted_site, DESKTOP)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(parted_site.url())
    hrefs = _all_results(page, "", {"kind": "Quote"})
    expected = {
        (f"/sheets/{facts.id}/", f"quote-{quote.id}")
        for facts in corpus.articles
        for quote in facts.quotes
    }
    assert {(urlsplit(h).path, urlsplit(h).fragment) for h in hrefs} == expected
    for query, fragment, article in (
        ("accident", "quote-no-accident", ARTICLE_PATH),
        ("7-2", "figure-vote-tally", SECOND_PATH),
    ):
        page.goto(parted_site.url())
        links = _search(page, query, _on_article(fragment, article))
        assert _on_article(fragment, article)(links[0][0]), f"best result is {links[0]}"
    context.close()
    assert not errors, errors


# --- actor pages and anchors --------------------------------------------------------------


def test_actor_page_links_each_quote_to_its_anchor(page: Page, site: Site) -> None:
    expected = site.quotes_by_speaker["ana-ruiz"]
    assert {path for path, _ in expected} == {ARTICLE_PATH, SECOND_PATH}
    page.goto(site.url("sheets/actors/ana-ruiz/"))
    expect(page.locator("article h1")).to_have_text(re.compile(r"Ana Ruiz"))

    links = page.locator("article a[href*='#quote-']")
    hrefs = [str(href) for href in links.evaluate_all("links => links.map(a => a.href)")]
    found = {
        (urlsplit(href).path, urlsplit(href).fragment.removeprefix("quote-")) for href in hrefs
    }
    assert found == set(expected), hrefs

    # every anchor exists on its article page
    for path, quote in expected:
        page.goto(site.url(path))
        assert page.locator(f"[id='quote-{quote}']").count() == 1, (path, quote)

    # and clicking one lands on the quote
    page.goto(site.url("sheets/actors/ana-ruiz/"))
    path, quote = expected[0]
    page.locator(f"article a[href$='#quote-{quote}']").first.click()
    page.wait_for_url(re.compile(f"#quote-{quote}$"))
    assert urlsplit(page.url).path == path
    target = page.locator(f"[id='quote-{quote}']")
    expect(target).to_have_count(1)
    expect(target).to_be_in_viewport()


def test_open_question_anchor_shows_the_question_its_deadline_and_status(
    page: Page, site: Site
) -> None:
    page.goto(site.url(f"{SECOND_PATH}#question-work-begins"))
    card = page.locator("#question-work-begins")
    expect(card).to_be_visible()
    expect(card).to_be_in_viewport()
    expect(card).to_contain_text("begin by the end of April")
    expect(card.locator(".fs-said")).to_contain_text("April 2024")
    expect(card.locator(".fs-said")).to_contain_text("by the end of April")
    # The fixture's deadline, April 2024, has passed by the time the site is built, with no
    # answer recorded: the sheet says exactly that, and nothing "as of" the build date.
    expect(card.locator(".fs-badge")).to_have_text("No answer recorded")
    expect(card).to_contain_text("no later article on this site records the answer")


# --- accessibility ------------------------------------------------------------------------


# Every kind of page the site has, by a name for reports.
PAGE_KINDS = {
    "home": "",
    "article": ARTICLE_PATH,
    "source": f"{ARTICLE_PATH}source/",
    "actor": "sheets/actors/ana-ruiz/",
    "actors": "sheets/actors/",
    "sheets": "sheets/",
    "questions": "sheets/questions/",
    "figures": "sheets/figures/",
    "timeline": "sheets/timeline/",
    "data": "sheets/downloads/",
    "tags": "tags/",
    "about": "about/",
    "not-found": "no-such-page/",
}


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_kind_of_page_is_axe_clean(
    browser: Browser, site: Site, kind: str, scheme: str
) -> None:
    """axe finds no violation at all, in light and dark. Material's own shortfalls (low-contrast
    tabs and footer) are mended in factsheet.css."""
    context = _new_context(browser, site, DESKTOP)
    try:
        tab = context.new_page()
        tab.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
        path = PAGE_KINDS[kind]
        tab.goto(site.url(path if kind != "not-found" else "404.html"))
        violations = Axe().run(tab).response["violations"]
    finally:
        context.close()
    if violations:
        pytest.fail(f"accessibility problems on {kind}:\n" + _summarise(violations), pytrace=False)


def _summarise(violations: list[dict[str, Any]]) -> str:
    """Each violation's id, impact, help, node count and first few targets."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes[:4]]
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}; "
            f"{len(nodes)} nodes, e.g. {targets}\n"
            f"    {nodes[0].get('failureSummary', '').strip().replace(chr(10), ' ')}"
        )
    return "\n".join(lines)


# --- screenshots, heights and print ---------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_screenshots_at_both_widths_in_light_and_dark(
    browser: Browser, site: Site, kind: str
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = PAGE_KINDS[kind] if kind != "not-found" else "404.html"
    for width, viewport, options in (
        ("phone", PHONE, {"is_mobile": True, "has_touch": True}),
        ("desktop", DESKTOP, {}),
    ):
        for scheme in ("light", "dark"):
            file = SCREENSHOTS / f"{kind}-{width}-{scheme}.png"
            file.unlink(missing_ok=True)
            context = _new_context(browser, site, viewport, **options)
            try:
                tab = context.new_page()
                tab.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
                tab.goto(site.url(path))
                expect(tab.locator("article h1")).to_be_visible()
                overflow = tab.evaluate("document.documentElement.scrollWidth - innerWidth")
                assert overflow <= 0, f"{kind} is {overflow} px wider than a {width} screen"
                tab.screenshot(path=str(file), full_page=True)
            finally:
                context.close()
            assert file.is_file() and file.stat().st_size > 1000, file


def _facts_on(project: Project, article: str) -> int:
    return next(f.fact_count for f in validate_project(project).articles if f.id == article)


@pytest.mark.parametrize("article_path", [ARTICLE_PATH, SECOND_PATH], ids=["first", "second"])
def test_sheet_heights_stay_within_budget(browser: Browser, site: Site, article_path: str) -> None:
    facts = _facts_on(site.project, article_path.strip("/").split("/")[-1])
    for phone, viewport, options in (
        (False, DESKTOP, {}),
        (True, PHONE, {"is_mobile": True, "has_touch": True}),
    ):
        context = _new_context(browser, site, viewport, **options)
        try:
            tab = context.new_page()
            tab.goto(site.url(article_path))
            height = tab.evaluate("document.documentElement.scrollHeight")
        finally:
            context.close()
        budget = height_budget(facts, phone)
        print(
            f"{article_path} {'phone' if phone else 'desktop'}: {height} px, {facts} facts, budget {budget}"
        )
        assert height <= budget, (article_path, phone, height, budget)


def test_a_sheet_prints_without_navigation_with_its_address_and_date(
    browser: Browser, site: Site
) -> None:
    context = _new_context(browser, site, {"width": 794, "height": 1123})
    try:
        tab = context.new_page()
        tab.goto(site.url(ARTICLE_PATH))
        tab.emulate_media(media="print")
        for hidden in (
            ".md-header",
            ".md-tabs",
            ".md-sidebar",
            ".fs-correct",
            ".fs-jump",
            ".md-footer",
        ):
            assert tab.locator(hidden).first.is_hidden(), hidden
        header = tab.locator(".fs-print-header")
        expect(header).to_be_visible()
        expect(header).to_contain_text(f"sheets{ARTICLE_PATH.removeprefix('/sheets')}")
        expect(header).to_contain_text("built")
        pdf = tab.pdf(
            format="A4", margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"}
        )
    finally:
        context.close()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    facts = _facts_on(site.project, ARTICLE_PATH.strip("/").split("/")[-1])
    print(f"{ARTICLE_PATH} prints on {pages} A4 pages ({facts} facts)")
    assert pages <= print_budget(facts)


# --- hostile text -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The fixture site with script-like payloads in every free-text field of the facts."""
    project = fixture_project(tmp_path_factory.mktemp("hostile") / "project")
    plant_payloads(project)
    result = run_factsheet(project.root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    with _serve(project.site_dir) as base_url:
        yield Site(project, base_url, {})


@pytest.mark.parametrize(
    "path",
    [
        "",
        ARTICLE_PATH,
        f"{ARTICLE_PATH}source/",
        "sheets/",
        "sheets/actors/",
        "sheets/actors/ana-ruiz/",
        "sheets/questions/",
        "sheets/figures/",
        "sheets/timeline/",
        "sheets/downloads/",
    ],
)
def test_no_payload_runs_in_the_browser(browser: Browser, hostile_site: Site, path: str) -> None:
    context = _new_context(browser, hostile_site, DESKTOP)
    dialogs: list[str] = []
    try:
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(hostile_site.url(path))
        expect(tab.locator("article h1")).to_be_visible()
        tab.mouse.move(200, 300)
        tab.mouse.move(600, 500)
        if path == ARTICLE_PATH:
            # Search results come from the index: they must stay inert too.
            _open_search(tab)
            tab.locator("#fs-search-input").fill("onerror")
            expect(tab.locator(".fs-results a").first).to_be_visible()
        assert tab.evaluate("() => window.__pwned") is None
        assert tab.locator("img[src='x']").count() == 0
    finally:
        context.close()
    assert not dialogs
