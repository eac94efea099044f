"""In a real browser: linking the feeds with <link rel="alternate"> costs readers no failed
request. Material's script fetches the sitemap.xml beside every such link, taking it for a
language version of the site (integrations/alternate in Material 9.8); this checks that it does,
and that the request finds the empty sitemap the generator writes there."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Request, Response
from playwright.sync_api import sync_playwright as start_playwright

from .conftest import FIRST, fixture_project, run_factsheet
from .test_browser import CHROMIUM, _launch, _serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = fixture_project(tmp_path_factory.mktemp("share") / "project")
    result = run_factsheet(project.root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    with _serve(project.site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: apt-get install chromium"
    with start_playwright() as playwright:
        launched = _launch(playwright)
        try:
            yield launched
        finally:
            launched.close()


@pytest.mark.parametrize("path", ["", f"sheets/{FIRST}/", "sheets/actors/"])
def test_the_feed_links_cost_no_failed_request(browser: Browser, base_url: str, path: str) -> None:
    context = browser.new_context()
    failed: list[str] = []
    fetched: list[str] = []

    def answered(response: Response) -> None:
        fetched.append(urlsplit(response.url).path)
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    def broken(request: Request) -> None:
        failed.append(f"{request.failure} {request.url}")

    try:
        tab = context.new_page()
        tab.on("response", answered)
        tab.on("requestfailed", broken)
        tab.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
        tab.goto(base_url + path)
        tab.wait_for_load_state("networkidle")
        assert tab.locator('link[rel=alternate][type="application/atom+xml"]').count() == 1
    finally:
        context.close()
    assert "/sheets/sitemap.xml" in fetched, "the theme no longer fetches a sitemap for feeds"
    assert not failed, failed
