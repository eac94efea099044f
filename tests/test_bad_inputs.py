"""The corpus of bad inputs: every case is refused with the located error it names.

Each file under tests/bad_inputs/<target>/ is one case: a whole fact file with one flaw. Its
header says what the case is and which errors it must produce (`# expect: LINE:COL: words`,
positions in the case file itself). The case is put in place in a small valid project,
tests/bad_inputs/base/ (one article, its seed, a three-actor registry), and must produce
exactly those errors: at those positions, and no others.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.errors import FactsheetError
from generator.project import Project
from generator.validate import validate_project

CORPUS = Path(__file__).parent / "bad_inputs"
BASE = CORPUS / "base"
ARTICLE = "facts/2021-06-28-detainees"
TARGETS = {
    "registry": "facts/actors.yaml",
    "article": f"{ARTICLE}/article.yaml",
    "mentions": f"{ARTICLE}/actors.yaml",
    "figures": f"{ARTICLE}/figures.yaml",
    "quotes": f"{ARTICLE}/quotes.yaml",
    "claims": f"{ARTICLE}/claims.yaml",
    "questions": f"{ARTICLE}/questions.yaml",
    "events": f"{ARTICLE}/events.yaml",
}
CASES = sorted(path for path in CORPUS.glob("*/*.yaml") if path.parent.name in TARGETS)
_EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.+)$", re.MULTILINE)


def expectations(case: Path) -> list[tuple[int, int, str]]:
    header = case.read_bytes().decode("utf-8", "replace")
    return [(int(line), int(col), words) for line, col, words in _EXPECT.findall(header)]


def small_project(root: Path) -> Project:
    shutil.copytree(BASE, root)
    return Project(root)


def test_the_corpus_is_large_and_covers_every_target() -> None:
    assert len(CASES) >= 60
    assert {case.parent.name for case in CASES} == set(TARGETS)
    for case in CASES:
        assert expectations(case), f"{case.name} names no expected error"


def test_the_small_project_is_valid_before_a_case_is_put_in(tmp_path: Path) -> None:
    corpus = validate_project(small_project(tmp_path / "project"))
    assert [facts.id for facts in corpus.articles] == [ARTICLE.split("/")[1]]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.parent.name}/{case.stem}")
def test_case_is_refused_with_its_located_errors(case: Path, tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    target = project.root / TARGETS[case.parent.name]
    shutil.copyfile(case, target)
    with pytest.raises(FactsheetError) as caught:
        validate_project(project)
    found = caught.value.problems
    assert all(problem.path == target for problem in found), [p.format() for p in found]
    expected = expectations(case)
    assert len(found) == len(expected), [p.format() for p in found]
    for line, column, words in expected:
        assert any((p.line, p.column) == (line, column) and words in p.message for p in found), (
            f"expected {line}:{column}: {words}; got " + "; ".join(p.format() for p in found)
        )
    assert all(problem.hint for problem in found), [p.format() for p in found]


@pytest.mark.parametrize(
    "case",
    [CORPUS / "quotes" / "tag-python-object.yaml", CORPUS / "quotes" / "invalid-utf8.yaml"],
    ids=lambda case: case.stem,
)
def test_the_command_exits_1_with_no_traceback(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = small_project(tmp_path / "project")
    shutil.copyfile(case, project.root / TARGETS["quotes"])
    assert cli.main(["--root", str(project.root), "validate"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{TARGETS['quotes']}:" in err
    assert not Path("/tmp/factsheet-pwned").exists()
