"""The table of fact kinds (generator.model.FACT_KINDS) is what every stage reads.

What can be derived from a kind's model is derived (its sources, the fields that name actors,
the curators' own fields, its CSV columns, its JSON Schema, the choices of `factsheet new`).
What each stage must write by hand for a kind is listed here, one test per piece, so that a
new kind that forgets one fails with the kind's name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.make_corpus import make_corpus
from generator.model import FACT_KINDS, SECTIONS, FileKind
from generator.project import Project
from generator.provenance import rules_for
from generator.records import SEARCH_RECORDS
from generator.render import render_pages
from generator.scaffold import TEMPLATES
from generator.validate import validate_project

from .conftest import NEWSROOM, REPO

KINDS = pytest.mark.parametrize("kind", FACT_KINDS, ids=lambda kind: kind.singular)


@KINDS
def test_a_kind_has_rules_of_its_own(kind: FileKind) -> None:
    _, others = rules_for(kind.singular)
    assert any(kind.singular in registered.kinds for registered in others)


@KINDS
def test_a_kind_has_a_commented_template_for_factsheet_new(kind: FileKind) -> None:
    assert kind.singular in TEMPLATES


@KINDS
def test_a_kind_has_a_section_on_the_fact_sheet(kind: FileKind) -> None:
    assert (REPO / "generator" / "templates" / kind.template).is_file()
    assert kind in SECTIONS and kind.heading and kind.anchor and kind.jump


@KINDS
def test_a_kind_is_explained_to_readers_on_the_how_facts_are_checked_page(kind: FileKind) -> None:
    """The page lists the parts of a fact sheet, each a definition under its section title."""
    about = (REPO / "docs" / "about.md").read_text(encoding="utf-8")
    assert f"\n{kind.heading}\n:   " in about


@KINDS
def test_a_kind_says_what_it_adds_to_search(kind: FileKind) -> None:
    assert kind.singular in SEARCH_RECORDS


@KINDS
def test_a_kind_is_shown_on_actor_pages(kind: FileKind) -> None:
    template = (REPO / "generator" / "templates" / "actor.md.j2").read_text(encoding="utf-8")
    assert f"seen.{kind.plural}" in template


@KINDS
def test_the_benchmark_corpus_holds_the_kind(kind: FileKind, tmp_path: Path) -> None:
    root = make_corpus(1, tmp_path / "corpus")
    assert list((root / "facts").glob(f"*/{kind.file}")), kind.file


def test_each_section_renders_with_its_anchor_and_jump_link() -> None:
    corpus = validate_project(Project(NEWSROOM))
    complete = next(f for f in corpus.articles if all(getattr(f, k.plural) for k in SECTIONS))
    sheet = render_pages(corpus)[f"{complete.id}/index.md"]
    for kind in SECTIONS:
        assert f"## {kind.heading} {{: #{kind.anchor} }}" in sheet
        assert f"[{kind.jump}](#{kind.anchor})" in sheet
    assert len({kind.anchor for kind in SECTIONS}) == len(SECTIONS)
