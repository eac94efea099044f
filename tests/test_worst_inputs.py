"""The worst inputs of bench/worst_inputs.py, at a small size: each is accepted or refused
cleanly, with located problems, few of them.

How long the stages take on these inputs is the benchmark's business (`make bench-worst`);
these tests check only what comes out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.worst_inputs import CASES, KIB, Case, case_id, find_case, name_index, prepare, run_stage
from generator.errors import FactsheetError
from generator.fmt import canonical_text
from generator.load import MAX_PROBLEMS, load_file
from generator.model import ARTICLE_KINDS
from generator.provenance.passages import tokens

SIZE = 64 * KIB


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_each_input_fills_its_size_without_going_over(case: Case) -> None:
    files = case.files(SIZE)
    sizes = [len(text.encode("utf-8")) for text in files.values()]
    assert all(size <= SIZE for size in sizes), sizes
    assert sum(sizes) >= SIZE // 2, sizes


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_each_stage_accepts_or_refuses_its_input_as_expected(case: Case, tmp_path: Path) -> None:
    result = run_stage(case, prepare(case, tmp_path / "project", SIZE))
    assert result["outcome"] == case.expect, result
    if result["outcome"] == "refused":
        assert result["problems"] >= 1
        assert ":" in result["first"] and "error:" in result["first"]


LOAD_REFUSED = [case for case in CASES if case.stage == "load" and case.expect == "refused"]


@pytest.mark.parametrize("case", LOAD_REFUSED, ids=case_id)
def test_the_loader_reports_located_problems_and_not_too_many(case: Case, tmp_path: Path) -> None:
    target = prepare(case, tmp_path / "project", SIZE).files[0]
    lines = target.read_bytes().count(b"\n") + 1
    with pytest.raises(FactsheetError) as caught:
        load_file(target, allow_empty=True)
    problems = caught.value.problems
    assert 1 <= len(problems) <= MAX_PROBLEMS + 1
    for problem in problems:
        assert problem.path == target
        assert 1 <= problem.line <= lines and problem.column >= 1
        assert problem.hint or problem.message.startswith("YAML error")  # libyaml's own


def test_the_problems_not_reported_are_counted(tmp_path: Path) -> None:
    case = find_case("load/unsafe-many-lines")  # U+0001 on every line, which YAML also refuses
    target = prepare(case, tmp_path / "project", SIZE).files[0]
    lines = target.read_bytes().count(b"\x01")
    with pytest.raises(FactsheetError) as caught:
        load_file(target)
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert [problem.line for problem in problems[1:MAX_PROBLEMS]] == list(range(1, MAX_PROBLEMS))
    assert all(problem.column == 3 for problem in problems[1:MAX_PROBLEMS])
    # one problem for each line, one for the YAML error; the first MAX_PROBLEMS are shown
    more = lines + 1 - MAX_PROBLEMS
    assert problems[-1].message == f"and {more:,} more problem(s) in this file from here on"
    assert problems[-1].line == MAX_PROBLEMS


@pytest.mark.parametrize("case", [case for case in CASES if case.stage == "fmt"], ids=case_id)
def test_fmt_keeps_every_comment_of_the_worst_inputs(case: Case) -> None:
    text = next(iter(case.files(SIZE).values()))
    canonical = canonical_text(
        Path(f"facts/article/{case.name}.yaml"), text, ARTICLE_KINDS["quotes.yaml"].model
    )
    assert canonical.count("#") == text.count("#")
    again = canonical_text(
        Path("facts/article/x.yaml"), canonical, ARTICLE_KINDS["quotes.yaml"].model
    )
    assert again == canonical


def test_a_long_name_at_the_end_of_the_repeated_tokens_is_found() -> None:
    case = find_case("names/repeated-token")
    index, words = name_index(case, next(iter(case.files(SIZE).values())))
    assert not index.mentions(words, "actor")
    index.add("actor", " ".join(["a"] * 99 + ["end"]))
    assert index.mentions([*words, "end"], "actor")
    assert not index.mentions([*words[:50], "end"], "actor")  # too few a's before it
    assert index.actors_in(tokens("x a-b " + " ".join(["a"] * 99) + " end")) == {"actor"}
