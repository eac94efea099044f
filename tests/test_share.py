"""Sharing: each fact sheet's preview image (og:image), drawn at build time, and the front matter
that points the page's head at it."""

from __future__ import annotations

import datetime
import io

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from generator import previews
from generator.previews import ELLIPSIS, HEIGHT, MARGIN, POINT, SOURCE, TITLE, WIDTH, wrap
from generator.project import Project
from generator.render import PREVIEW_IMAGE, SiteRender
from generator.validate import validate_project
from generator.write import write_pages

from .conftest import FIRST, NEWSROOM, REPO, SECOND, replace_in

AS_OF = datetime.date(2024, 3, 10)
PNG = b"\x89PNG\r\n\x1a\n"
# Titles no font of one script can draw whole: right-to-left, CJK, emoji (with joiners and
# skin tones), combining marks, a word longer than a line, and nothing but white space.
HARD_TITLES = [
    "مجلس المدينة يوافق على ميزانية طارئة لجسر الميناء القديم",
    "שריפה בנמל: העירייה סוגרת את הגשר",
    "港口老桥因钢缆腐蚀将于下月关闭市长宣布紧急维修预算获得批准" * 3,
    "Brücke 🚧👩🏽‍🔧🏳️‍🌈 closes — “next month” ✅",
    "Z̸̢a̶l̷g̴o̵ t̶e̷x̵t̴ " * 12,
    "x" * 500,
    "   ",
    "\u202eevil\u202c\x00\x07\ud800",
]


def image(data: bytes) -> Image.Image:
    assert data.startswith(PNG)
    with Image.open(io.BytesIO(data)) as picture:
        return picture.convert("L")


def sheet_pages(config: dict[str, object]) -> dict[str, str | bytes]:
    render = SiteRender(validate_project(Project(NEWSROOM)), config, as_of=AS_OF)
    return dict(render.pages())


@pytest.fixture(scope="module")
def pages() -> dict[str, str | bytes]:
    return sheet_pages(Project(REPO).site_config)


def front_matter(page: str | bytes) -> dict[str, str]:
    assert isinstance(page, str)
    data = yaml.safe_load(page.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert isinstance(data, dict)
    return data


def test_every_sheet_has_a_large_preview_image_and_the_site_one(
    pages: dict[str, str | bytes],
) -> None:
    sheets = [name.removesuffix("/index.md") for name in pages if name.endswith("/index.md")]
    sheets = [name for name in sheets if not name.startswith("actors")]
    assert sheets
    for name in [*(f"{sheet}/{PREVIEW_IMAGE}" for sheet in sheets), PREVIEW_IMAGE]:
        data = pages[name]
        assert isinstance(data, bytes), name
        assert image(data).size == (WIDTH, HEIGHT) == (1200, 630)


def test_the_sheet_points_to_its_image_by_its_absolute_address(
    pages: dict[str, str | bytes],
) -> None:
    site_url = Project(REPO).site_config["site_url"]
    for sheet in (FIRST, SECOND):
        meta = front_matter(pages[f"{sheet}/index.md"])
        assert meta["image"] == f"{site_url}sheets/{sheet}/{PREVIEW_IMAGE}"
        assert meta["image_alt"].startswith(meta["title"])


def test_without_the_site_address_a_sheet_names_no_image() -> None:
    meta = front_matter(sheet_pages({})[f"{FIRST}/index.md"])
    assert "image" not in meta and "image_alt" not in meta
    assert meta["title"]


def test_the_same_sheet_gives_the_same_bytes_and_an_unchanged_sheet_is_not_rewritten(
    project: Project,
) -> None:
    def render() -> SiteRender:
        return SiteRender(validate_project(project), project.site_config, as_of=AS_OF)

    first, again = render().pages(), render().pages()
    assert first[f"{FIRST}/{PREVIEW_IMAGE}"] == again[f"{FIRST}/{PREVIEW_IMAGE}"]
    write_pages(project, first)
    replace_in(
        project.facts_dir / SECOND / "article.yaml",
        "title: Port Alder council approves",
        "title: Port Alder's council approves",
    )
    report = write_pages(project, render().pages())
    assert f"{SECOND}/{PREVIEW_IMAGE}" in report.written
    assert f"{FIRST}/{PREVIEW_IMAGE}" not in report.written


def blank_margins(picture: Image.Image) -> bool:
    """Nothing drawn in the right-hand margin or below the last line: no text overflows."""
    right = picture.crop((WIDTH - MARGIN + 8, 0, WIDTH, HEIGHT))
    below = picture.crop((previews.BAND, HEIGHT - 30, WIDTH, HEIGHT))
    return right.getextrema() == (255, 255) and below.getextrema() == (255, 255)


@pytest.mark.parametrize("title", HARD_TITLES)
def test_any_title_is_drawn_within_the_image(title: str) -> None:
    data = previews.draw_card("Fact sheets", title, title, title)
    assert blank_margins(image(data))
    assert data == previews.draw_card("Fact sheets", title, title, title)


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=0, max_size=400))
def test_any_text_wraps_within_its_box_and_a_cut_ends_in_an_ellipsis(text: str) -> None:
    width = WIDTH - 2 * MARGIN
    for block in (TITLE, POINT, SOURCE):
        lines = wrap(text, block, width)
        assert len(lines) <= block.lines
        assert all(previews._width(line, block) <= width for line in lines)
        words = "".join(previews.raster_text(text).split())
        shown = "".join("".join(lines).split())
        if shown != words:
            assert lines[-1].endswith(ELLIPSIS), (text, lines)
        else:
            assert not lines or not lines[-1].endswith(ELLIPSIS) or text.rstrip().endswith(ELLIPSIS)


def test_a_long_title_is_cut_with_an_ellipsis_and_a_short_one_is_whole() -> None:
    width = WIDTH - 2 * MARGIN
    long = wrap("The council voted on the budget " * 10, TITLE, width)
    assert len(long) == TITLE.lines and long[-1].endswith(ELLIPSIS)
    assert wrap("Port Alder closes its bridge", TITLE, width) == ["Port Alder closes its bridge"]
    cjk = wrap("港口老桥因钢缆腐蚀将于下月关闭" * 10, TITLE, width)
    assert len(cjk) == TITLE.lines and cjk[-1].endswith(ELLIPSIS)
