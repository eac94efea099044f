"""Property-based tests: whatever the input, the loader and validator either accept it or report
located problems. They never crash with another exception, and never hang."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import FactsheetError
from generator.load import load_bytes
from generator.project import Project
from generator.validate import validate_project

from .conftest import NEWSROOM, NEWSROOM_ARTICLES

YAMLISH = st.lists(
    st.sampled_from(
        [
            *list("abcz019 -:#&*!|>'\"[]{},.?%@`~\t\n\\"),
            "- ",
            ": ",
            "\n  ",
            "---\n",
            "!!python/object:os.system ",
            "&a ",
            "*a",
            "<<: ",
            "no",
            "1e3",
        ]
    ),
    max_size=80,
).map("".join)


def assert_located(error: FactsheetError, lines: int) -> None:
    assert error.problems
    for problem in error.problems:
        assert 1 <= problem.line <= lines + 1, problem
        assert problem.column >= 1, problem
        assert problem.message, problem


@settings(max_examples=400, deadline=1000)
@given(text=YAMLISH)
def test_the_loader_accepts_or_locates_any_yaml_like_text(text: str) -> None:
    raw = text.encode("utf-8")
    try:
        load_bytes(Path("any.yaml"), raw)
    except FactsheetError as error:
        assert_located(error, text.count("\n") + 1)


@settings(max_examples=200, deadline=1000)
@given(raw=st.binary(max_size=300))
def test_the_loader_accepts_or_locates_any_bytes(raw: bytes) -> None:
    try:
        load_bytes(Path("any.yaml"), raw)
    except FactsheetError as error:
        assert_located(error, raw.count(b"\n") + 1)


FACT_FILES = sorted((NEWSROOM / "facts").rglob("*.yaml"))


@st.composite
def mutation(draw: st.DrawFn) -> tuple[Path, str]:
    """A fixture fact file with a few random edits: deleted, inserted or swapped pieces."""
    path = draw(st.sampled_from(FACT_FILES))
    text = path.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "swap-lines"]))
        if kind == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 20)) :]
        elif kind == "insert":
            piece = draw(
                st.sampled_from(
                    [
                        "\n",
                        " ",
                        "- ",
                        ": ",
                        "'",
                        '"',
                        "[",
                        "{",
                        "#",
                        "\t",
                        "x",
                        "1",
                        "&a",
                        "*a",
                        "!!str",
                    ]
                )
            )
            text = text[:position] + piece + text[position:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return path.relative_to(NEWSROOM), text


@settings(
    max_examples=60,
    deadline=3000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(change=mutation())
def test_mutated_fixture_facts_are_accepted_or_located(
    change: tuple[Path, str], tmp_path: Path
) -> None:
    relative, text = change
    root = tmp_path / "project"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    shutil.copytree(NEWSROOM / "facts", root / "facts")
    shutil.copytree(NEWSROOM / "seeds", root / "seeds")
    (root / relative).write_text(text, encoding="utf-8")
    try:
        corpus = validate_project(Project(root))
    except FactsheetError as error:
        for problem in error.problems:
            assert problem.path.is_relative_to(root / "facts"), problem
            lines = problem.path.read_text(encoding="utf-8").count("\n") + 1
            assert 1 <= problem.line <= lines + 1 and problem.column >= 1, problem.format()
    else:
        assert len(corpus.articles) == len(NEWSROOM_ARTICLES)
