"""The contributed fixture corpus (tests/fixtures/contributed/): two articles in styles the rest
of the fixtures do not have, curated by a newcomer from README and CONTRIBUTING alone.

A 1996 wire court report (straight double quotation marks, initials in names, "according to
his family", "over six years") and a 2023 British football report (quotations in single marks,
U+2018 and U+2019, with apostrophes in the same character; "per cent"; ordinals in words).
Every fact is valid, and the few the rules cannot read carry a reviewer's `review`: each names
exactly the rule that refuses the fact without it, so that an excuse a fix of the rules makes
unnecessary is found.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.errors import FactsheetError
from generator.project import Project
from generator.validate import validate_project

from .conftest import FIXTURES, fixture_project

CONTRIBUTED = FIXTURES / "contributed"
_RULE = re.compile(r" \(rule: ([a-z_]+)\)$")


def _reviews(facts: Path) -> dict[tuple[str, str], str]:
    """Every `review` in the fact files: (article file, fact) to the rule it excuses."""
    found = {}
    for path in sorted(facts.glob("*/*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if "review" in entry:
                key = (f"{path.parent.name}/{path.name}", entry.get("id", str(index)))
                found[key] = entry["review"]["rule"]
    return found


def test_the_contributed_articles_are_valid_with_the_excuses_they_hold() -> None:
    corpus = validate_project(Project(CONTRIBUTED), use_cache=False)
    assert len(corpus.articles) == 2
    excused = _reviews(CONTRIBUTED / "facts")
    assert corpus.counts.facts_excused == len(excused)
    quotes = [quote for facts in corpus.articles for quote in facts.quotes]
    assert len(quotes) == 12 and not any(getattr(quote, "review", None) for quote in quotes)


def test_every_excuse_is_needed_by_the_rule_it_names(tmp_path: Path) -> None:
    """Without its reviews, the corpus is refused exactly by the rules the reviews name, once
    per excused fact: no excuse is left over, and no other fact is refused."""
    project = fixture_project(tmp_path / "bare", "contributed")
    excused = _reviews(project.root / "facts")
    assert excused
    for path in (project.root / "facts").glob("*/*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^  review:\n(?:    .*\n)+", "", text), encoding="utf-8")
    with pytest.raises(FactsheetError) as caught:
        validate_project(project, use_cache=False)
    refused = []
    for problem in caught.value.problems:
        found = _RULE.search(problem.message)
        assert found, problem.format()
        where = problem.path.relative_to(project.root / "facts").as_posix()
        refused.append((where, found.group(1)))
    assert sorted(refused) == sorted((where, rule) for (where, _), rule in excused.items())
