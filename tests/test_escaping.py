"""Every free-text field, whatever Unicode it holds, stays text in every output.

Arbitrary strings (astral characters, surrogates, noncharacters, and every Markdown and YAML
special) are put into every free-text field of the validated fixture corpus, in memory, and
the whole site is rendered. Each output must parse and stay inert: a page's front matter
loads with MkDocs' own reader and gives back the title, its Markdown produces no element or
attribute that the same page with plain text in those fields does not have, and the data
files (JSON, CSV, Atom, iCalendar) parse.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from typing import Any

import icalendar
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.corpus import Corpus
from generator.model import FACT_KINDS, HEADER, REGISTRY
from generator.project import Project
from generator.render import render_pages
from generator.validate import validate_project

from .conftest import NEWSROOM
from .test_render import mkdocs_markdown

SPECIALS = [
    *"\\`*_{}[]()#+-.!|<>&\"':;,%@?=~$^/\t\n\r",
    "---",
    "...",
    "\n---\n",
    "- ",
    ": ",
    "{: onfocus=x autofocus }",
    "[x](javascript:alert(1))",
    "<script>",
    "{{ 7*7 }}",
    "\ud83d",
    "\ude91",
    "\U0001f691",
    "\ufffe",
    "\uffff",
    "\U0010ffff",
    "\x00",
    "\x85",
    "\u2028",
    "\u202e",
    "\ufeff",
    "\x7f",
    "\x1b[31m",
]
TEXT = st.lists(
    st.one_of(st.sampled_from(SPECIALS), st.characters(codec=None)), min_size=1, max_size=24
).map("".join)
# A token no excerpt holds, so that a changed name links nothing the plain page does not.
MARK = "Zqxv"

# The free-text fields, by kind: what curators write in their own words, and actors' names.
FIELDS = {kind.singular: kind.curated_fields for kind in (HEADER, REGISTRY, *FACT_KINDS)}
FIELDS["actor"] = ("name", *FIELDS["actor"])


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return validate_project(Project(NEWSROOM))


@pytest.fixture(scope="module")
def plain(corpus: Corpus) -> dict[str, tuple[set[str], Counter[tuple[str, tuple[str, ...]]]]]:
    """Each page with plain words in the same fields: its front matter keys and its shape."""
    out = {}
    for name, page in render_pages(planted(corpus, "plain words")).items():
        if name.endswith(".md"):
            body, meta = get_data(page)
            out[name] = (set(meta), shape(body))
    return out


def _with(model: Any, kind: str, value: str) -> Any:
    return model.model_copy(update=dict.fromkeys(FIELDS[kind], f"{MARK} {value}"))


def planted(corpus: Corpus, value: str) -> Corpus:
    """The corpus with value in every free-text field (not validated: rendering alone must
    hold, whatever validation lets through)."""
    articles = []
    for facts in corpus.articles:
        by_kind = {
            plural: [_with(fact, plural[:-1], value) for fact in facts.by_kind[plural]]
            for plural in facts.by_kind
        }
        changes: dict[str, Any] = {
            "article": _with(facts.article, "article", value),
            "by_kind": by_kind,
        }
        articles.append(dataclasses.replace(facts, **changes))
    actors = {key: _with(actor, "actor", value) for key, actor in corpus.actors.items()}
    return dataclasses.replace(corpus, actors=actors, articles=articles)


def shape(markdown_page: str) -> Counter[tuple[str, tuple[str, ...]]]:
    """The elements and attribute names of a page's HTML, without the text. Inside a picture
    only which kinds of element occur counts: a longer label wraps onto more lines of text."""
    soup = BeautifulSoup(mkdocs_markdown(markdown_page), "html.parser")
    found: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for tag in soup.find_all(True):
        key = (tag.name, tuple(sorted(tag.attrs)))
        in_picture = tag.name != "svg" and tag.find_parent("svg") is not None
        found[key] = 1 if in_picture else found[key] + 1
    return found


def check_data_file(name: str, text: str) -> None:
    if name.endswith(".json"):
        json.loads(text)
    elif name.endswith(".csv"):
        list(csv.reader(io.StringIO(text)))
    elif name.endswith((".xml", ".atom")):
        ElementTree.fromstring(text.encode("utf-8"))
    elif name.endswith(".ics"):
        icalendar.Calendar.from_ical(text)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=TEXT)
def test_any_text_in_any_free_text_field_stays_text_in_every_output(
    corpus: Corpus,
    plain: dict[str, tuple[set[str], Counter[tuple[str, tuple[str, ...]]]]],
    value: str,
) -> None:
    hostile = render_pages(planted(corpus, value))
    assert set(plain) == {name for name in hostile if name.endswith(".md")}
    for name, page in hostile.items():
        if isinstance(page, bytes):  # a preview image: drawn, whatever the text
            assert page.startswith(b"\x89PNG\r\n\x1a\n"), name
            continue
        page.encode("utf-8")  # every output can be written
        if not name.endswith(".md"):
            check_data_file(name, page)
            continue
        body, meta = get_data(page)
        keys, plain_shape = plain[name]
        assert set(meta) == keys, f"{name}: the front matter did not load"
        assert shape(body) == plain_shape, name
