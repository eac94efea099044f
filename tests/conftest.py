"""Shared fixtures: throw-away projects and ways to run the command.

Detailed tests run on the fixture projects under tests/fixtures/, small corpora made for the
tests, so that they hold whatever the repository's facts/ contains. Tests of the live facts
loop over every article there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.model import FACT_KINDS, HEADER
from generator.project import Project

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NEWSROOM = FIXTURES / "newsroom"
# The fixture newsroom's articles: a first report, and a second that answers its question.
FIRST = "2024-03-04-old-harbour-bridge-to-close"
SECOND = "2024-03-06-council-approves-bridge-budget"
# An article of another decade, told in another style, and one with no figures.
OLDEST = "1987-11-14-port-alder-ferry-to-stop-running"
NO_FIGURES = "2024-05-02-residents-ask-to-reopen-bridge-footpath"
NEWSROOM_ARTICLES = sorted(path.name for path in (NEWSROOM / "facts").iterdir() if path.is_dir())


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current output (tests/test_golden.py); review the diff",
    )


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the generator's caches of the many test projects out of the user's home."""
    previous = os.environ.get("FACTSHEET_CACHE_DIR")
    os.environ["FACTSHEET_CACHE_DIR"] = str(tmp_path_factory.mktemp("factsheet-cache"))
    yield
    if previous is None:
        os.environ.pop("FACTSHEET_CACHE_DIR", None)
    else:
        os.environ["FACTSHEET_CACHE_DIR"] = previous


def _site_files(root: Path) -> None:
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("sheets"))
    shutil.copytree(REPO / "schema", root / "schema")


def fixture_project(root: Path, name: str = "newsroom") -> Project:
    """A fixture corpus with the repository's site configuration, safe to damage."""
    root.mkdir(parents=True)
    _site_files(root)
    for folder in ("facts", "seeds"):
        shutil.copytree(FIXTURES / name / folder, root / folder)
    return Project(root)


def copy_project(root: Path) -> Project:
    """A copy of the repository's live facts and seeds with its site configuration."""
    root.mkdir(parents=True)
    _site_files(root)
    for folder in ("facts", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    return Project(root)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return fixture_project(tmp_path / "project")


@pytest.fixture
def first_dir(project: Project) -> Path:
    return project.facts_dir / FIRST


@pytest.fixture
def second_dir(project: Project) -> Path:
    return project.facts_dir / SECOND


def height_budget(facts: int, phone: bool) -> int:
    """The height in px a fixture sheet may take: a fixed part and a part per fact. The fixed
    part holds the key points and essentials box, the corrections and the source; the part per
    fact was set on the seed article (6,000 px on a desktop and 9,000 px on a phone for its 87
    facts)."""
    return 3000 + 76 * facts if phone else 2500 + 46 * facts


def print_budget(facts: int) -> int:
    """The A4 pages a sheet may print on: 6 for the seed article's 87 facts."""
    return 1 + facts // 15


def live_articles() -> list[str]:
    """The article ids in the repository's facts/, whatever they are."""
    return sorted(
        path.name for path in (REPO / "facts").iterdir() if (path / "article.yaml").is_file()
    )


def replace_in(path: Path, old: str, new: str, count: int = 1) -> int:
    """Edit a fact file as a contributor would; return the 1-based line of the edit."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first occurrence of text in a file."""
    content = path.read_text(encoding="utf-8")
    assert text in content, f"{text!r} not in {path}"
    return content[: content.index(text)].count("\n") + 1


def run_factsheet(root: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run the command in a separate process, as a contributor would."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        **kwargs,  # type: ignore[call-overload]
    )


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its content, to compare folders byte for byte."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


PAYLOAD = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    '[click](javascript:window.__pwned=3) {{ 7*7 }} "\' onmouseover="window.__pwned=4" '
    "</script><!-- {: #x onclick=window.__pwned=5 } ![img](x.png) # heading"
)
# The fields that hold free text (the curators' words, not checked against the seed), by file.
FREE_TEXT = {
    kind.file: kind.curated_fields for kind in (HEADER, *FACT_KINDS) if kind.curated_fields
}


def plant_payloads(project: Project, payload: str = PAYLOAD) -> None:
    """Put hostile text into every free-text field of every article, keeping them valid."""
    from generator.fmt import canonical_yaml
    from generator.load import load_file
    from generator.model import ARTICLE_KINDS, Actor

    for folder in sorted(project.facts_dir.iterdir()):
        for name, fields in FREE_TEXT.items():
            path = folder / name
            if not path.is_file():
                continue
            data = load_file(path).data
            for entry in data if isinstance(data, list) else [data]:
                for field in fields:
                    entry[field] = f"{entry.get(field) or ''} {payload}".strip()
            path.write_text(canonical_yaml(data, ARTICLE_KINDS[name].model), encoding="utf-8")
    registry = project.facts_dir / "actors.yaml"
    actors = load_file(registry).data
    for actor in actors:
        actor["background"] = payload
        actor["role"] = payload[:200]
    registry.write_text(canonical_yaml(actors, Actor), encoding="utf-8")
