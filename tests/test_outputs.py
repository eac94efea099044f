"""The render's table of outputs: every generated file comes from one row of `OUTPUTS`, every
row makes files, and what the rows make is exactly what generation writes."""

from __future__ import annotations

import datetime

import pytest

from generator.build import generate
from generator.project import Project
from generator.render import OUTPUTS, Edit, SiteRender
from generator.site import build_date
from generator.validate import validate_project
from generator.write import MARKER_FILE

from .conftest import FIRST, NEWSROOM, REPO, SECOND, tree_bytes

AS_OF = datetime.date(2024, 3, 10)


@pytest.fixture(scope="module")
def render() -> SiteRender:
    corpus = validate_project(Project(NEWSROOM))
    return SiteRender(corpus, Project(REPO).site_config, as_of=AS_OF)


def test_every_output_makes_files_and_no_two_make_the_same(render: SiteRender) -> None:
    seen: dict[str, str] = {}
    for output in OUTPUTS:
        paths = [path for path, _ in output.files(render, None)]
        assert paths, f"the output {output.name!r} made no file"
        for path in paths:
            assert path not in seen, f"{path}: made by {seen.get(path)} and by {output.name}"
            seen[path] = output.name
    assert len({output.name for output in OUTPUTS}) == len(OUTPUTS)


def test_every_file_an_output_makes_is_written_as_it_renders(project: Project) -> None:
    generate(project, index=False)
    written = tree_bytes(project.generated_dir)
    written.pop(MARKER_FILE)
    render = SiteRender(validate_project(project), project.site_config, as_of=build_date())
    made = {}
    for output in OUTPUTS:
        for path, maker in output.files(render, None):
            content = maker()
            made[path] = content.encode("utf-8") if isinstance(content, str) else content
    assert sorted(written) == sorted(made)
    assert all(written[path] == data for path, data in made.items())


def test_an_edit_renders_of_each_output_only_what_it_touches(render: SiteRender) -> None:
    """With an edit of one article, the outputs the preview writes at once make no file of
    another article, and the outputs that wait for the edits to settle are the only ones
    that depend on every article."""
    edit = Edit({FIRST}, None)
    for output in OUTPUTS:
        if output.settled:
            continue
        full = {path for path, _ in output.files(render, None)}
        edited = {path for path, _ in output.files(render, edit)}
        assert edited <= full, output.name
        assert not any(path.startswith(f"{SECOND}/") for path in edited), output.name
    assert any(output.settled for output in OUTPUTS)
    everything = set(render.pages())
    now = set(render.pages(edit, settled=False))
    later = set(render.pages(settled=True))
    assert now | later <= everything
    assert f"{FIRST}/index.md" in now and f"{SECOND}/index.md" not in now
