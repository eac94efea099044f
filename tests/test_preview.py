"""The preview (`factsheet serve`): an edit rewrites only the pages it touches, and the pages
then are exactly those a full generation makes. (The command itself, with MkDocs serving the
pages, is tested in test_schema_and_cli.py.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import markdown
import pytest

from generator import build, render
from generator.build import Preview
from generator.errors import Problem
from generator.escape import markdown_text
from generator.index import IndexReport
from generator.project import Project
from generator.render import OUTPUTS, Edit, Maker, SiteRender, render_pages
from generator.site import build_date
from generator.validate import validate_project
from generator.write import MARKER_FILE

from .conftest import FIRST, SECOND, replace_in

Files = Callable[[SiteRender, Edit | None], Iterator[tuple[str, Maker]]]


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch) -> list[Project]:
    """Index runs, recorded instead of run (Pagefind has tests of its own)."""
    calls: list[Project] = []

    def index_search(project: Project, **options: object) -> IndexReport:
        calls.append(project)
        return IndexReport(0, 0.0, True)

    monkeypatch.setattr(build, "index_search", index_search)
    return calls


def on_disk(project: Project) -> dict[str, bytes]:
    out = project.generated_dir
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in out.rglob("*")
        if path.is_file() and path.name != MARKER_FILE and "pagefind" not in path.parts
    }


def full_generation(project: Project) -> dict[str, bytes]:
    pages = render_pages(validate_project(project), project.site_config, as_of=build_date())
    return {
        name: content.encode("utf-8") if isinstance(content, str) else content
        for name, content in pages.items()
    }


def edit_quote_text(project: Project) -> None:
    replace_in(project.facts_dir / FIRST / "quotes.yaml", "On closing the bridge.", "On the plan.")


def move_a_question_to_another_actor(project: Project) -> None:
    """The question leaves one actor's page for another's: both pages must change."""
    replace_in(
        project.facts_dir / FIRST / "questions.yaml",
        "actors: [port-alder-council, priya-nair]",
        "actors: [port-alder-council, tomas-varga]",
    )


def drop_a_question(project: Project) -> None:
    """The article's last question goes, and with it the file (a file of no facts is refused)."""
    path = project.facts_dir / SECOND / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    entries = text.split("\n- ")
    if len(entries) > 2:
        path.write_text("\n- ".join(entries[:-1]) + "\n", encoding="utf-8")
    else:
        path.unlink()


def change_a_role(project: Project) -> None:
    replace_in(project.facts_dir / "actors.yaml", "Mayor of Port Alder", "Mayor of the city")


def remove_an_article(project: Project) -> None:
    folder = project.facts_dir / SECOND
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


EDITS: dict[str, Callable[[Project], None]] = {
    "quote text": edit_quote_text,
    "question moved": move_a_question_to_another_actor,
    "question": drop_a_question,
    "registry": change_a_role,
    "article removed": remove_an_article,
}


@pytest.mark.parametrize("edit", EDITS)
def test_after_an_edit_the_pages_are_those_of_a_full_generation(
    project: Project, indexed: list[Project], edit: str
) -> None:
    preview = Preview(project)
    preview.update()
    before = on_disk(project)
    EDITS[edit](project)
    report = preview.update()
    assert preview.follow_up()
    after = on_disk(project)
    expected = full_generation(project)
    assert after == expected
    written_now = {name for name in expected if before.get(name) != expected[name]}
    assert set(report.written) <= written_now
    assert len(indexed) == 2


def test_an_edit_to_one_article_renders_only_what_it_touches(
    project: Project, indexed: list[Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = Preview(project)
    preview.update()
    rendered: list[str] = []

    def recording(files: Files) -> Files:
        def files_recorded(render: SiteRender, edit: Edit | None) -> Iterator[tuple[str, Maker]]:
            for path, maker in files(render, edit):
                rendered.append(path)
                yield path, maker

        return files_recorded

    sheets = [replace(output, files=recording(output.files)) for output in OUTPUTS[:1]]
    assert OUTPUTS[0].name == "fact sheets"
    monkeypatch.setattr(render, "OUTPUTS", (*sheets, *OUTPUTS[1:]))
    move_a_question_to_another_actor(project)
    report = preview.update()
    assert rendered == [f"{FIRST}/index.md", f"{FIRST}/source.md"]
    assert f"{SECOND}/index.md" not in report.written
    assert {"actors/priya-nair.md", "actors/tomas-varga.md"} <= set(report.written)


def test_a_partial_preview_is_not_taken_for_a_full_generation(
    project: Project, indexed: list[Project]
) -> None:
    preview = Preview(project)
    preview.update()
    assert build.pages_up_to_date(project, build.input_digest(project)) is not None
    edit_quote_text(project)
    preview.update()
    assert build.pages_up_to_date(project, build.input_digest(project)) is None
    build.generate(project, index=False)
    assert build.pages_up_to_date(project, build.input_digest(project)) is not None


def test_invalid_facts_leave_the_pages_as_they_were(
    project: Project, indexed: list[Project]
) -> None:
    preview = Preview(project)
    preview.update()
    before = on_disk(project)
    replace_in(project.facts_dir / FIRST / "quotes.yaml", "speaker: ana-ruiz", "speaker: nobody")
    with pytest.raises(build.FactsheetError):
        preview.update()
    assert on_disk(project) == before


def test_problems_are_shown_on_the_page_of_their_article_until_the_facts_are_valid(
    project: Project, indexed: list[Project]
) -> None:
    """An invalid edit puts the located problems on the edited article's page and leaves
    every other page as it was; fixing the facts brings back exactly the pages there were."""
    preview = Preview(project)
    preview.update()
    before = on_disk(project)
    quotes = project.facts_dir / FIRST / "quotes.yaml"
    replace_in(quotes, "speaker: ana-ruiz", "speaker: nobody")
    with pytest.raises(build.FactsheetError) as caught:
        preview.update()
    assert preview.show_problems(caught.value) == [f"{FIRST}/index.md"]
    after = on_disk(project)
    assert {name for name in after if after[name] != before.get(name)} == {f"{FIRST}/index.md"}
    page = after[f"{FIRST}/index.md"].decode("utf-8")
    line = quotes.read_text(encoding="utf-8").splitlines().index("  speaker: nobody") + 1
    assert f"**{markdown_text(f'facts/{FIRST}/quotes.yaml')}**, line {line}, column" in page
    assert "unknown actor &#39;nobody&#39;" in page
    replace_in(quotes, "speaker: nobody", "speaker: ana-ruiz")
    preview.update()
    assert on_disk(project) == before


def test_problems_outside_any_article_are_shown_on_the_list_of_sheets(
    project: Project, indexed: list[Project]
) -> None:
    preview = Preview(project)
    preview.update()
    registry = project.facts_dir / "actors.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n- id: [\n", encoding="utf-8")
    with pytest.raises(build.FactsheetError) as caught:
        preview.update()
    assert preview.show_problems(caught.value) == ["index.md"]
    assert markdown_text("facts/actors.yaml").encode() in on_disk(project)["index.md"]


def test_a_problems_page_holds_untrusted_text_as_text(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> [link](javascript:x) {: #id }"
    problem = Problem(tmp_path / "facts" / "x" / "quotes.yaml", 3, 5, hostile, hostile)
    page = build.problems_page([problem], tmp_path)
    body = markdown.markdown(page.split("---", 2)[2], extensions=["attr_list"])
    assert "<script>" not in body and "<a " not in body and 'id="id"' not in body
    assert body.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
