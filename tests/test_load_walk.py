"""The loader's walk over the parser's events reads the common events in line (see
`generator.load._Builder._walk`); every other event goes through the methods that check
everything. Whatever the text, the two give the same document and the same problems: these
tests load each text once with the walk as it is and once with every event sent to the
checking methods, and compare.

The scan for invisible and control characters looks characters of the first plane up in a
table (`generator.text.find_invisible_or_control`); it finds what the full class finds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import load
from generator.errors import FactsheetError
from generator.text import INVISIBLE_OR_CONTROL, find_invisible_or_control

from .conftest import NEWSROOM


class _CheckedBuilder(load._Builder):
    """The builder with every event sent to `_scalar` or `_start_collection`."""

    def _walk(self, parser: Any) -> None:
        documents = 0
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self._scalar(event)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.stack.pop()
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._start_collection(event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self._fatal(
                        load._mark(event),
                        "the file holds more than one YAML document",
                        "remove the '---' separator: one file holds one document",
                    )
            elif kind is yaml.AliasEvent:
                self._fatal(
                    load._mark(event),
                    f"alias '*{event.anchor}' is not allowed in fact files",
                    "write the value out in full instead of using anchors and aliases",
                )
            elif kind is yaml.StreamEndEvent or event is None:
                return


def _outcome(builder: load._Builder, text: str) -> tuple[Any, ...]:
    try:
        document = builder.build(text)
    except FactsheetError as error:
        return ("refused", [problem.format() for problem in error.problems])
    return ("loaded", document.data, document.values, document.keys)


def _both(text: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    path = Path("facts.yaml")
    return _outcome(load._Builder(path), text), _outcome(_CheckedBuilder(path), text)


def _same(text: str) -> None:
    walked, checked = _both(text)
    assert walked == checked


YAML_PIECES = st.lists(
    st.sampled_from(
        [
            "- ",
            "  ",
            ": ",
            "\n",
            "id",
            "text",
            "true",
            "no",
            "null",
            "~",
            "12000",
            "1e999",
            "0x1F",
            "2024-03-04",
            "nearly 12,000",
            "'quoted'",
            '"double"',
            '"\\u202e"',
            '"\\t"',
            "\u00ad",
            "[a, b]",
            "{k: v}",
            "&a ",
            "*a",
            "!!str ",
            "! ",
            "|\n  block\n",
            "#c",
            "---\n",
            "x",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(YAML_PIECES)
def test_the_walk_reads_any_text_as_the_checking_methods_do(text: str) -> None:
    _same(text)


@pytest.mark.parametrize(
    "path", sorted((NEWSROOM / "facts").rglob("*.yaml")), ids=lambda path: path.name
)
def test_every_fixture_fact_file_reads_the_same_both_ways(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    walked, checked = _both(text)
    assert walked[0] == "loaded"
    assert walked == checked


@pytest.mark.parametrize(
    "text",
    [
        "- fragment: true\n- true: x\n",  # a key read as a boolean, after the same text as a value
        "- value: 12000\n- 12000: x\n",
        "- note: no\n- note: no\n",  # an ambiguous value, every time it is met
        "- text: a\n  text: b\n  text: c\n",  # a duplicate key, reported each time
        '- text: "a\\u202eb"\n- text: "a\\u202eb"\n',  # an escaped control character
        "- [nested, [deeper, [deepest]]]\n",
        "- " * 20 + "x\n",  # nested too deep
        "- a: &anchor {b: c}\n",
        "- !tagged {b: c}\n",
        "- {a: b}: c\n",  # a mapping as a key
        "plain root\n",
        "- n: 99999999999999999999999\n- n: 99999999999999999999999\n",
    ],
)
def test_the_walk_reads_the_rare_cases_as_the_checking_methods_do(text: str) -> None:
    _same(text)
    _same(text)  # once more, with what the first reading taught the walk


def test_what_the_walk_remembers_of_plain_scalars_is_bounded() -> None:
    for index in range(load._KNOWN_PLAIN_COUNT + 100):
        load.load_bytes(Path("facts.yaml"), f"- t{index}: n{index}\n".encode())
    assert len(load._KNOWN_PLAIN) <= load._KNOWN_PLAIN_COUNT
    assert all(len(text) <= load._KNOWN_PLAIN_LENGTH for text in load._KNOWN_PLAIN)


def test_the_unsafe_character_search_finds_every_character_the_class_does() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        found = find_invisible_or_control("ab" + char + "\u200b", 1)
        expected = INVISIBLE_OR_CONTROL.search("ab" + char + "\u200b", 1)
        assert found is not None and expected is not None
        assert (found.start(), found.group()) == (expected.start(), expected.group()), hex(code)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.integers(min_value=0, max_value=45))
def test_the_unsafe_character_search_agrees_on_any_text(text: str, pos: int) -> None:
    found = find_invisible_or_control(text, pos)
    expected = INVISIBLE_OR_CONTROL.search(text, pos)
    assert (found and (found.start(), found.group())) == (
        expected and (expected.start(), expected.group())
    )
