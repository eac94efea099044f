"""Stage 3: rendering Markdown with escaped values, and writing only what changed."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import markdown
import pytest

from bench.make_corpus import make_corpus
from generator.build import generate
from generator.errors import FactsheetError
from generator.escape import markdown_text
from generator.filters import make_environment
from generator.model import SECTIONS
from generator.project import Project
from generator.render import HOME_LATEST, render_pages
from generator.validate import validate_project
from generator.write import MARKER_FILE, project_lock, write_pages

from .conftest import FIRST, NEWSROOM, REPO, SECOND, replace_in, tree_bytes

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[click](javascript:alert(3))",
    "<javascript:alert(4)>",
    "**bold** _em_ `code` # not a heading",
    "{{ 7 * 7 }} {% raw %}",
    '" onmouseover="alert(5)',
    "line one\n\n- not a list\n\n    not code",
    "</script><script>alert(6)</script>",
    "{: #injected onclick=alert(7) }",
]


def mkdocs_markdown(text: str) -> str:
    """Convert with the Markdown extensions the site uses (snippets aside)."""
    config = Project(REPO).site_config
    names = [
        next(iter(item)) if isinstance(item, dict) else item
        for item in config["markdown_extensions"]
    ]
    return markdown.markdown(text, extensions=[n for n in names if n != "pymdownx.snippets"])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_values_render_as_their_own_text(payload: str) -> None:
    """A value passes Jinja (Markdown escaping, then HTML autoescaping), then Markdown."""
    text = make_environment().from_string("Before {{ value }} after.").render(value=payload)
    html = mkdocs_markdown(text)
    assert "<script" not in html
    assert "<img" not in html
    assert "<a " not in html
    assert "<strong>" not in html and "<em>" not in html and "<code>" not in html
    assert "onclick" not in html.replace("onclick=alert(7)", "")
    visible = html_module.unescape(re.sub(r"<[^>]+>", "", html))
    assert " ".join(payload.split()) in visible


def test_markdown_text_leaves_numbers_and_trusted_markup() -> None:
    assert markdown_text(10000) == 10000
    assert markdown_text(None) == ""
    assert markdown_text("U.S.-allied") == r"U\.S\.\-allied"


def test_article_pages_have_every_fact_with_its_anchor_and_source_link() -> None:
    corpus = validate_project(Project(NEWSROOM))
    pages = dict(render_pages(corpus))
    for facts in corpus.articles:
        page = pages[f"{facts.id}/index.md"]
        for kind in ("figures", "quotes", "claims", "questions", "events"):
            for fact in getattr(facts, kind):
                assert f'id="{kind[:-1]}-{fact.id}"' in page, (facts.id, fact.id)
        for mention in facts.mentions:
            assert f"{{: #actor-{mention.actor} }}" in page
        cited = re.findall(r"\(source\.md#p(\d+)\)", page)
        assert len(cited) >= facts.fact_count - len(facts.mentions)
        assert f"{facts.id}/source.md" in pages
    assert set(pages) >= {"index.md", "home.snippet", "actors/index.md", "actors/ana-ruiz.md"}
    assert len([name for name in pages if name.startswith("actors/")]) == len(corpus.actors) + 1


def test_a_sheet_has_a_section_for_each_kind_it_holds_and_links_only_to_anchors_it_has() -> None:
    """An article without figures (or any other kind) gets no empty section, no jump link
    to it and no '0 figures' in its counts; every link within a page lands on an anchor."""
    corpus = validate_project(Project(NEWSROOM))
    pages = dict(render_pages(corpus))
    for facts in corpus.articles:
        page = pages[f"{facts.id}/index.md"]
        anchors = set(re.findall(r"\{: #([\w-]+)", page)) | set(re.findall(r'id="([\w-]+)"', page))
        for target in re.findall(r"\]\(#([\w-]+)\)", page):
            assert target in anchors, (facts.id, target)
        for kind in SECTIONS:
            assert (f"{{: #{kind.anchor} }}" in page) == bool(getattr(facts, kind.plural))
        assert " 0 " not in page.split("{: .fs-summary }", 1)[1].split("{: .fs-meta }", 1)[0]
    assert any(not facts.figures for facts in corpus.articles), "the fixture has such a sheet"


def test_hostile_strings_in_facts_stay_text(project: Project, first_dir: Path) -> None:
    payload = PAYLOADS[0] + PAYLOADS[2] + PAYLOADS[6]
    replace_in(
        first_dir / "quotes.yaml", "context: On closing the bridge.", f"context: '{payload}'"
    )
    replace_in(project.facts_dir / "actors.yaml", "role: Mayor of Port Alder", f"role: '{payload}'")
    pages = render_pages(validate_project(project))
    for name in (f"{FIRST}/index.md", "actors/ana-ruiz.md"):
        html = mkdocs_markdown(pages[name].split("---\n", 2)[-1])
        html = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html)
        assert "<script" not in html and "javascript:" not in re.findall(r'href="([^"]*)"', html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_write_pages_writes_only_changes_and_removes_stale_files(project: Project) -> None:
    corpus = validate_project(project)
    pages = dict(render_pages(corpus))
    with project_lock(project):
        first = write_pages(project, pages)
    assert len(first.written) == len(pages) and not first.removed
    before = {p: p.stat().st_mtime_ns for p in project.generated_dir.rglob("*.md")}
    with project_lock(project):
        second = write_pages(project, pages)
    assert second.written == [] and second.removed == [] and second.unchanged == len(pages)
    assert {p: p.stat().st_mtime_ns for p in project.generated_dir.rglob("*.md")} == before

    pages.pop("actors/transport-department.md")
    pages["index.md"] += "\nchanged\n"
    with project_lock(project):
        third = write_pages(project, pages)
    assert third.written == ["index.md"]
    assert third.removed == ["actors/transport-department.md"]
    assert not (project.generated_dir / "actors" / "transport-department.md").exists()


def test_generation_never_touches_hand_written_pages(project: Project) -> None:
    before = {
        path: data for path, data in tree_bytes(project.docs_dir).items() if "sheets/" not in path
    }
    generate(project)
    after = {
        path: data for path, data in tree_bytes(project.docs_dir).items() if "sheets/" not in path
    }
    assert after == before
    assert (project.generated_dir / MARKER_FILE).is_file()


def test_a_hand_written_page_in_the_generated_folder_is_never_touched(project: Project) -> None:
    generate(project)
    before = tree_bytes(project.generated_dir)
    mine = project.generated_dir / "actors" / "ana-ruiz-notes.md"
    mine.write_text("# My notes\n")
    clash = project.generated_dir / "actors" / "ana-ruiz.md"
    with pytest.raises(FactsheetError) as caught:
        generate(project)
    assert [p.path for p in caught.value.problems] == [mine]
    assert "not written by factsheet" in caught.value.problems[0].message
    assert mine.read_text() == "# My notes\n"
    assert clash.read_bytes() == before["actors/ana-ruiz.md"]


def test_refuses_to_write_into_a_folder_it_does_not_own(project: Project) -> None:
    project.generated_dir.mkdir(parents=True)
    keep = project.generated_dir / "hand-written.md"
    keep.write_text("# Mine\n")
    with pytest.raises(FactsheetError) as caught:
        generate(project)
    assert "not made by factsheet" in caught.value.problems[0].message
    assert keep.read_text() == "# Mine\n"


def test_failed_validation_writes_nothing(project: Project, first_dir: Path) -> None:
    generate(project)
    before = tree_bytes(project.docs_dir)
    replace_in(first_dir / "quotes.yaml", "text: study the request", "text: study the demand")
    replace_in(first_dir / "figures.yaml", "value: 30\n", "value: 31\n")
    with pytest.raises(FactsheetError):
        generate(project)
    assert tree_bytes(project.docs_dir) == before


def test_an_unchanged_project_is_neither_validated_nor_written_again(
    project: Project, second_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.build

    first = generate(project)
    assert first.written

    def validate_again(_: Project) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(generator.build, "validate_project", validate_again)
    again = generate(project)
    assert again.written == [] and again.removed == []
    assert again.unchanged == len(first.written)
    replace_in(second_dir / "events.yaml", "what: The council approved", "what: It approved")
    with pytest.raises(AssertionError, match="validated again"):
        generate(project)


def test_a_deleted_generated_page_is_written_again(project: Project) -> None:
    generate(project)
    (project.generated_dir / "actors" / "ana-ruiz.md").unlink()
    assert generate(project).written == ["actors/ana-ruiz.md"]


def test_the_home_page_lists_the_newest_sheets_and_links_to_all(tmp_path: Path) -> None:
    corpus = validate_project(Project(make_corpus(HOME_LATEST + 2, tmp_path / "corpus")))
    pages = dict(render_pages(corpus))
    newest = [facts.id for facts in corpus.articles]  # newest first
    assert all(f"{article}/" in pages["home.snippet"] for article in newest[:HOME_LATEST])
    assert not any(f"{article}/" in pages["home.snippet"] for article in newest[HOME_LATEST:])
    assert all(f"{article}/" in pages["index.md"] for article in newest)


def test_a_fact_excused_by_a_reviewer_says_so_on_its_sheet() -> None:
    """Readers see which facts a reviewer vouched for instead of the rules, and why."""
    from generator.model import Review

    corpus = validate_project(Project(NEWSROOM))
    facts = next(found for found in corpus.articles if found.id == SECOND)
    review = Review(rule="claim_is_reported", reason="'Called the vote' reports *her* verdict.")
    claim = facts.claims[0].model_copy(update={"review": review})
    facts.by_kind["claims"] = [claim, *facts.claims[1:]]
    page = render_pages(corpus)[f"{facts.id}/index.md"]
    card = page[page.index(f'id="claim-{claim.id}"') :]
    card = card[: card.index("</div>")]
    assert 'fs-badge-review">checked by a reviewer</span>' in card
    assert r"reports \*her\* verdict\." in card  # the reason, as text
    assert page.count("checked by a reviewer") == 1


@pytest.mark.parametrize("setting", ["cited", "full"])
def test_the_source_page_reproduces_the_whole_text_only_when_the_site_says_so(
    setting: str,
) -> None:
    """Another publisher's article is a rights question: by default only the paragraphs the
    facts cite are reproduced; every paragraph keeps its anchor, so citations still land."""
    corpus = validate_project(Project(NEWSROOM))
    facts = next(facts for facts in corpus.articles if facts.id == FIRST)
    facts.by_kind = {"figures": facts.figures[:1]}
    cited = facts.figures[0].source.paragraph
    config = {**Project(REPO).site_config, "extra": {"factsheet": {"source_text": setting}}}
    page = render_pages(corpus, config)[f"{facts.id}/source.md"]
    for number, paragraph in enumerate(facts.seed.paragraphs, start=1):
        assert f"{{: #p{number} .fs-paragraph }}" in page
        shown = markdown_text(paragraph) in html_module.unescape(page)
        assert shown == (setting == "full" or number == cited), number
    assert ("not reproduced here" in page) == (setting == "cited")


def test_no_attribute_list_is_left_as_text_on_any_page() -> None:
    """An attribute list ('{: .fs-counts }') joined to the line before it by a template tag
    that ate the line break is printed to readers as text; none may be."""
    from bs4 import BeautifulSoup

    pages = render_pages(validate_project(Project(NEWSROOM)), Project(REPO).site_config)
    for name, page in pages.items():
        if name.endswith((".md", ".snippet")):
            body = page.split("\n---\n", 1)[-1] if page.startswith("---") else page
            text = BeautifulSoup(mkdocs_markdown(body), "html.parser").get_text()
            assert "{:" not in text, (name, text[text.index("{:") - 80 : text.index("{:") + 40])
