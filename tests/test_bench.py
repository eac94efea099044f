"""The benchmark corpus goes through the same loader and validator as real data."""

from __future__ import annotations

from pathlib import Path

from bench.make_corpus import make_corpus
from generator.build import generate
from generator.project import Project
from generator.validate import validate_project

KINDS = ("mentions", "figures", "quotes", "claims", "questions", "events")


def test_synthetic_corpus_validates_and_regenerates_nothing_when_unchanged(tmp_path: Path) -> None:
    root = make_corpus(3, tmp_path / "corpus")
    project = Project(root)
    corpus = validate_project(project)
    assert len(corpus.articles) == 3
    for facts in corpus.articles:  # each has the real article's mix
        counts = {kind: len(getattr(facts, kind)) for kind in KINDS}
        assert counts == {
            "mentions": 40,
            "figures": 15,
            "quotes": 9,
            "claims": 8,
            "questions": 8,
            "events": 7,
        }
        assert {figure.shape for figure in facts.figures} == {"value", "range", "tally"}
        assert any(quote.continued and quote.attribution for quote in facts.quotes)
        assert sum(isinstance(quote.text, list) for quote in facts.quotes) >= 3
        assert len({quote.speaker for quote in facts.quotes}) == 3
        assert len({claim.claimant for claim in facts.claims}) == 6
        assert sum(event.date_basis is not None for event in facts.events) == 3
    first = generate(project)
    assert first.written and not first.removed
    again = generate(project)
    assert again.written == [] and again.removed == []


def test_synthetic_corpus_is_deterministic(tmp_path: Path) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}

    assert files(make_corpus(2, tmp_path / "a")) == files(make_corpus(2, tmp_path / "b"))
