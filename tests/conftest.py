"""Shared fixtures: a throw-away copy of the real project, and ways to run the command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.project import Project

REPO = Path(__file__).resolve().parent.parent
ARTICLE_ID = "2021-06-28-islamic-state-detainees-syria-aid"


def copy_project(root: Path) -> Project:
    """A copy of the repository's real facts, seeds, docs and site config, safe to damage."""
    root.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("facts", "seeds", "overrides"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("sheets"))
    return Project(root)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture
def article_dir(project: Project) -> Path:
    return project.facts_dir / ARTICLE_ID


def replace_in(path: Path, old: str, new: str, count: int = 1) -> int:
    """Edit a fact file as a contributor would; return the 1-based line of the edit."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def run_factsheet(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command in a separate process, as a contributor would."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
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
    "</script><!-- {: #x onclick=window.__pwned=5 }"
)
# The fields that hold free text (not checked against the seed), by file.
_FREE_TEXT = {
    "article.yaml": ("title", "summary"),
    "figures.yaml": ("counts", "unit"),
    "quotes.yaml": ("context",),
    "questions.yaml": ("question", "why"),
    "events.yaml": ("what", "date_basis"),
}


def plant_payloads(project: Project, payload: str = PAYLOAD) -> None:
    """Put hostile text into every free-text field of the real facts, keeping them valid."""
    from generator.fmt import canonical_yaml
    from generator.load import load_file
    from generator.model import ARTICLE_KINDS, Actor

    for name, fields in _FREE_TEXT.items():
        path = project.facts_dir / ARTICLE_ID / name
        data = load_file(path).data
        for entry in data if isinstance(data, list) else [data]:
            for field in fields:
                entry[field] = f"{entry.get(field) or ''} {payload}".strip()
        path.write_text(canonical_yaml(data, ARTICLE_KINDS[name].model), encoding="utf-8")
    registry = project.facts_dir / "actors.yaml"
    actors = load_file(registry).data
    for actor in actors:
        actor["aliases"] = [*actor.get("aliases", []), payload]
        actor["background"] = payload
    registry.write_text(canonical_yaml(actors, Actor), encoding="utf-8")
