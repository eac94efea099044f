"""Stage 1: the strict YAML loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import FactsheetError, Problem
from generator.load import MAX_DEPTH, MAX_FILE_BYTES, Position, load_bytes, load_file

from .conftest import FIRST, NEWSROOM


def problems(text: str | bytes) -> list[Problem]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(FactsheetError) as caught:
        load_bytes(Path("case.yaml"), raw)
    return caught.value.problems


def only(text: str | bytes) -> Problem:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_real_quotes_file_keeps_positions_of_values_and_keys() -> None:
    path = NEWSROOM / "facts" / FIRST / "quotes.yaml"
    document = load_file(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    first_id = next(n for n, line in enumerate(lines, 1) if line.startswith("- id: "))
    assert document.data[0]["id"] == lines[first_id - 1].removeprefix("- id: ")
    assert document.values[(0, "id")] == Position(first_id, 7)
    assert document.keys[(0, "id")] == Position(first_id, 3)
    excerpt = document.values[(0, "source", "excerpt")]
    assert lines[excerpt.line - 1].strip().startswith("excerpt:")


def test_plain_values_follow_yaml_1_2_where_both_versions_agree() -> None:
    document = load_bytes(
        Path("ok.yaml"),
        b"a: 10000\nb: -3\nc: 2.5\nd: true\ne: false\nf: null\ng: ~\nh: '2021-06-28'\ni: text\n",
    )
    assert document.data == {
        "a": 10000,
        "b": -3,
        "c": 2.5,
        "d": True,
        "e": False,
        "f": None,
        "g": None,
        "h": "2021-06-28",
        "i": "text",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("no", "boolean"),
        ("on", "boolean"),
        ("Yes", "boolean"),
        ("off", "boolean"),
        ("1_000", "number"),
        ("017", "number"),
        ("1:30", "number"),
        ("0o17", "number"),
        ("1e3", "number"),
        ("2021-06-28", "date"),
    ],
)
def test_yaml_1_1_surprises_are_errors_with_a_hint(value: str, expected: str) -> None:
    problem = only(f"first: ok\nfield: {value}\n")
    assert (problem.line, problem.column) == (2, 8)
    assert f"'{value}'" in problem.message
    assert expected in problem.message
    assert problem.hint


def test_quoted_surprises_are_plain_text() -> None:
    document = load_bytes(Path("ok.yaml"), b"a: 'no'\nb: \"1_000\"\nc: '2021-06-28'\n")
    assert document.data == {"a": "no", "b": "1_000", "c": "2021-06-28"}


def test_duplicate_keys_are_reported_at_the_second_with_the_first_line() -> None:
    problem = only("- id: a\n  text: one\n  text: two\n")
    assert (problem.line, problem.column) == (3, 3)
    assert "duplicate key 'text'" in problem.message
    assert "line 2" in problem.hint


def test_every_duplicate_key_and_surprise_in_a_file_is_reported_at_once() -> None:
    found = problems("a: 1\na: 2\nb: no\nc: yes\n")
    assert [(p.line, p.column) for p in found] == [(2, 1), (3, 4), (4, 4)]


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo hacked']\n",
        "a: !!python/name:os.system\n",
        "a: !custom value\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x}\n",
    ],
)
def test_tags_are_refused_before_anything_is_constructed(text: str) -> None:
    problem = only(text)
    assert "tag" in problem.message
    assert problem.line == 1


def test_anchors_and_aliases_are_refused() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    problem = only(bomb)
    assert "anchor '&a'" in problem.message
    assert (problem.line, problem.column) == (1, 4)


def test_merge_keys_are_refused() -> None:
    problem = only("base: {a: 1}\nother:\n  <<: {a: 2}\n")
    assert "'<<'" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: [1, 2\nb: 3\n", 2, 2, "syntax"),
        ("a: 'unclosed\n", 2, 1, "syntax"),
        ("a:\n\t- b\n", 2, 1, "tabs"),
        ("a: 1\n b: 2\n", 2, 3, "syntax"),
        ("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document"),
        ("", 1, 1, "no data"),
        ("# only a comment\n", 1, 1, "no data"),
        ("---\n", 1, 1, "no data"),
    ],
)
def test_malformed_files_get_located_errors(text: str, line: int, column: int, words: str) -> None:
    problem = only(text)
    assert (problem.line, problem.column) == (line, column)
    assert words in problem.message + problem.hint


def test_byte_order_mark_is_refused() -> None:
    problem = only(b"\xef\xbb\xbfa: 1\n")
    assert "byte-order mark" in problem.message


def test_invalid_utf8_names_the_byte_offset_line_and_column() -> None:
    problem = only(b"a: 1\nb: caf\xe9\n")
    assert (problem.line, problem.column) == (2, 7)
    assert "offset 11" in problem.message


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    assert MAX_DEPTH < 100
    problem = only("a: " + "[" * 100 + "]" * 100 + "\n")
    assert "nested" in problem.message


def test_oversized_files_are_refused_without_parsing() -> None:
    problem = only(b"a: '" + b"x" * MAX_FILE_BYTES + b"'\n")
    assert "at most" in problem.message


def test_non_text_keys_are_refused() -> None:
    assert "must be text" in only("1: a\n").message
    assert "plain text" in only("? [a, b]\n: c\n").message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("value: 1.0e999\n", "too large"),
        ("value: -1.0e999\n", "too large"),
        ("value: " + "9" * 5000 + "\n", "5000 digits"),
        ("value: 123456789012345678901\n", "21 digits"),
    ],
)
def test_numbers_that_cannot_be_stored_are_refused(text: str, words: str) -> None:
    problem = only(text)
    assert (problem.line, problem.column) == (1, 8)
    assert words in problem.message
    assert problem.hint


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('name: "Blin\\u202eken"\n', "RIGHT-TO-LEFT OVERRIDE"),
        ("name: Blin\u200bken\n", "ZERO WIDTH SPACE"),
        ('name: "a\\x1b[31m"\n', "U+001B"),
        ('name: "a\\u2028b"\n', "LINE SEPARATOR"),
        ('name: "a\\x85b"\n', "U+0085"),
        ("Blin\u2066ken: x\n", "LEFT-TO-RIGHT ISOLATE"),
    ],
)
def test_invisible_and_control_characters_are_refused_even_when_escaped(
    text: str, name: str
) -> None:
    problem = only(text)
    assert name in problem.message
    assert problem.line == 1


def test_a_file_of_comments_only_holds_an_empty_list_where_allowed() -> None:
    document = load_bytes(Path("quotes.yaml"), b"# a template, commented out\n", allow_empty=True)
    assert document.data == []
    assert "no data" in only("# a template, commented out\n").message


def test_missing_file_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(FactsheetError) as caught:
        load_file(tmp_path / "absent.yaml")
    assert "cannot read" in caught.value.problems[0].message
