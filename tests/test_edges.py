"""What validates, builds: inputs at the edges the validator allows never fail a later stage.

Arbitrary text goes into every free-text field of the fixture's fact files, written as a
contributor's YAML would be. Either validation refuses it with located problems, or every
later stage takes it: the pages and data files render and can be written, and each page's
front matter loads with MkDocs' own reader. The slow test runs the whole build (MkDocs
included) on the edge values at once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from mkdocs.utils.meta import get_data

from generator.errors import FactsheetError
from generator.project import Project
from generator.render import render_pages
from generator.validate import validate_project

from .conftest import fixture_project, plant_payloads, run_factsheet
from .test_escaping import TEXT

# Values at the edges of what the validator accepts: astral characters, every Markdown and
# YAML special, HTML, template syntax, right-to-left script, combining marks, a long value.
EDGES = [
    "\U0001f691 Ambulance \U0001d54f\U00010348 \U0010fffd",
    "[x](javascript:alert(1)) {: autofocus onfocus=alert(2) } <script>alert(3)</script>",
    "--- ... : - ? | > # & * ! % @ ` \" ' \\ {{ 7*7 }} {% raw %}",
    "مرحبا שלום e\u0301 \u00a0non-breaking",
    "x" * 2000,
]


def _encodable(value: str) -> bool:
    """A fact file is UTF-8: a lone surrogate can only be written as an escape, which
    tests/test_security.py shows refused."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _valid_or_located(project: Project) -> bool:
    try:
        validate_project(project, use_cache=False)
    except FactsheetError as error:
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message, problem
        return False
    return True


def _pages_hold(project: Project) -> None:
    pages = render_pages(validate_project(project), project.site_config)
    for name, page in pages.items():
        if isinstance(page, bytes):  # a preview image
            assert page.startswith(b"\x89PNG\r\n\x1a\n"), name
            continue
        page.encode("utf-8")
        if name.endswith(".md") and page.startswith("---"):
            assert get_data(page)[1], f"{name}: the front matter did not load"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=TEXT.filter(_encodable))
def test_free_text_that_validates_renders_and_loads(value: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.rmtree(root, ignore_errors=True)
    project = fixture_project(root)
    plant_payloads(project, value)
    if _valid_or_located(project):
        _pages_hold(project)


@pytest.mark.parametrize("value", EDGES, ids=["astral", "markup", "specials", "scripts", "long"])
def test_edge_values_validate_and_render(value: str, project: Project) -> None:
    plant_payloads(project, value)
    assert _valid_or_located(project), "a value at the edge of what is allowed was refused"
    _pages_hold(project)


@pytest.mark.slow
def test_the_whole_build_takes_every_edge_value(project: Project) -> None:
    plant_payloads(project, " ".join(EDGES[:4]))
    result = run_factsheet(project.root, "build")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for page in (project.site_dir / "sheets").rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            assert not {"onfocus", "autofocus", "onerror"} & set(element.attrs), page
            assert not str(element.get("href", "")).startswith("javascript:"), page
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                assert "<" not in script.get_text(), page  # data, kept from closing the element
            else:
                assert "alert(" not in script.get_text(), page
    article = next((project.site_dir / "sheets").glob("2024-*/index.html"))
    title = BeautifulSoup(article.read_text(encoding="utf-8"), "html.parser").title
    assert title is not None and "\U0001f691 Ambulance" in title.get_text()
