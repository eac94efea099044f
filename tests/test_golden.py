"""Golden pages: every page the fixture newsroom generates, committed under tests/golden/newsroom/.

Each run renders the fixture corpus in-process and compares every page, byte for byte, with its
golden file, as Pelican's functional tests and mkdocs-gen-files do. A refactor must leave them
unchanged; a change to a template or to the render shows in the golden files' diff as exactly
what readers will see. After an intended change, regenerate them and review the diff:

    .venv/bin/pytest tests/test_golden.py --update-goldens
    git diff tests/golden/

The golden files keep the render's paths (`2024-03-04-.../index.md`, `downloads/facts.json`),
except that a folder whose name starts with a dot, hidden by `ls` and by tools such as ripgrep,
is stored as `dot` + its name: `.search/records.json` is `dot.search/records.json`. They are
the render's UTF-8 bytes, as `factsheet build` writes them (the CSV files and the calendar have
CRLF line endings), and the preview images' PNG bytes; tests/golden/.gitattributes tells git to
keep them byte for byte.
"""

from __future__ import annotations

import datetime
import difflib
from pathlib import Path

import pytest

from generator.project import Project
from generator.render import render_pages
from generator.validate import validate_project

from .conftest import NEWSROOM, REPO, tree_bytes

GOLDEN = Path(__file__).resolve().parent / "golden" / "newsroom"
# The day the pages are rendered as of: the status of each question and the calendar's DTSTAMP
# depend on it; the Atom feed's dates come from the articles' dates. A few days after the
# fixture's articles, so that one question is answered and one is open with a deadline ahead.
AS_OF = datetime.date(2024, 3, 10)
# How much of a failure to show: the diffs of the first few differing files, each cut short.
SHOWN_FILES = 3
SHOWN_LINES = 60


def golden_name(key: str) -> str:
    """The golden file's path for a render key: `.search/x` is stored as `dot.search/x`."""
    return "/".join(f"dot{part}" if part.startswith(".") else part for part in key.split("/"))


def rendered(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The fixture newsroom's pages, by golden path, as the bytes `factsheet build` writes."""
    # mkdocs.yml reads site_url and repo_url as `!ENV [SITE_URL, default]` and `!ENV [REPO_URL,
    # default]` (the Pages workflow sets both); they appear in every link of the feed, the
    # calendar, the JSON-LD and the downloads. Unset, so the goldens hold the defaults of
    # mkdocs.yml whatever the shell running the tests has set.
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("REPO_URL", raising=False)
    config = Project(REPO).site_config
    corpus = validate_project(Project(NEWSROOM))
    pages = render_pages(corpus, config, as_of=AS_OF, histories={})
    out = {
        golden_name(key): content.encode("utf-8") if isinstance(content, str) else content
        for key, content in pages.items()
    }
    assert len(out) == len(pages), "two render keys map to the same golden file"
    return dict(sorted(out.items()))


def update(pages: dict[str, bytes]) -> None:
    """Write every page to its golden file and remove the golden files no page has now."""
    for name in tree_bytes(GOLDEN).keys() - pages.keys():
        (GOLDEN / name).unlink()
    for name, data in pages.items():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    for folder in sorted(GOLDEN.rglob("*"), reverse=True):  # the deepest first
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def file_diff(name: str, expected: bytes, actual: bytes) -> str:
    """A unified diff of one golden file and its page, at most SHOWN_LINES lines."""
    before = expected.decode("utf-8", "replace").splitlines(keepends=True)
    after = actual.decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(before, after, f"golden/{name}", f"rendered/{name}", n=2))
    if [line.rstrip("\r\n") for line in before] == [line.rstrip("\r\n") for line in after]:
        return f"{name}: the lines are the same; the line endings or the final newline differ\n"
    if len(lines) > SHOWN_LINES:
        lines = [*lines[:SHOWN_LINES], f"... ({len(lines) - SHOWN_LINES} more diff lines)\n"]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def test_the_newsroom_renders_its_golden_pages(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = rendered(monkeypatch)
    if request.config.getoption("--update-goldens"):
        update(pages)
    golden = tree_bytes(GOLDEN)
    added = sorted(pages.keys() - golden.keys())
    removed = sorted(golden.keys() - pages.keys())
    changed = sorted(n for n in pages.keys() & golden.keys() if pages[n] != golden[n])
    if not (added or removed or changed):
        return
    report = [
        "The fixture newsroom's pages differ from tests/golden/newsroom/.",
        "If the change is intended: .venv/bin/pytest tests/test_golden.py --update-goldens,"
        " then review `git diff tests/golden/` as what readers will see.",
    ]
    if added:
        report.append("Rendered, with no golden file: " + ", ".join(added))
    if removed:
        report.append("Golden files no longer rendered: " + ", ".join(removed))
    if changed:
        report.append(f"Changed ({len(changed)}): " + ", ".join(changed))
        report.extend(file_diff(n, golden[n], pages[n]) for n in changed[:SHOWN_FILES])
        if len(changed) > SHOWN_FILES:
            report.append(f"... and {len(changed) - SHOWN_FILES} more changed files, not shown.")
    pytest.fail("\n".join(report), pytrace=False)
