"""Provenance rules, as data: for each rule, wrong facts refused and right facts accepted.

tests/provenance/<rule>.yaml holds the cases of one rule. Each case is a single fact, put into
a small project made of tests/provenance/seed.txt (a news article written for these cases),
the other seeds an answer may cite (answer.txt, a later article; earlier.txt, an earlier one),
its registry (actors.yaml) and the article's own descriptions of its actors (mentions.yaml).
A refused fact must give a located error whose message has the expected words, at the field
the case names, with a hint; an accepted fact must give no problem at all.
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.errors import FactsheetError, Problem
from generator.fmt import canonical_yaml
from generator.load import load_file
from generator.model import ARTICLE_KINDS, FACT_KINDS, FIRST_YEAR, LAST_YEAR, Source
from generator.project import Project
from generator.provenance import RULES, dates, sources
from generator.provenance import rules as provenance_rules
from generator.provenance.core import rule
from generator.provenance.dates import resolve
from generator.provenance.numbers import read_written
from generator.provenance.passages import Passage, sentence_ends, tokens
from generator.text import fold
from generator.validate import validate_project

from .conftest import NEWSROOM

CASES = Path(__file__).parent / "provenance"
ARTICLE = "2023-05-12-flood-defence-plan"
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()


def _rule_files() -> dict[str, dict[str, Any]]:
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(CASES.glob("*.yaml"))
        if path.stem not in ("actors", "mentions")
    }


RULE_FILES = _rule_files()


def _cases(outcome: str) -> list[Any]:
    return [
        pytest.param(name, data["file"], case, id=f"{name}: {case['case']}")
        for name, data in RULE_FILES.items()
        for case in data.get(outcome, [])
    ]


def case_project(root: Path, file_name: str, fact: dict[str, Any]) -> tuple[Project, Path]:
    """The seed, the registry, the article's mentions, and the one fact under test."""
    (root / "seeds").mkdir(parents=True)
    for seed in sorted(CASES.glob("*.txt")):  # the article's seed, and the others it may cite
        shutil.copy2(seed, root / "seeds" / seed.name)
    folder = root / "facts" / ARTICLE
    folder.mkdir(parents=True)
    shutil.copy2(CASES / "actors.yaml", root / "facts" / "actors.yaml")
    article = {
        "title": "The government's flood defence plan",
        "date": "2023-05-12",
        "seed": "seed.txt",
        "sha256": hashlib.sha256((CASES / "seed.txt").read_bytes()).hexdigest(),
        "summary": "A fixture article for the provenance rules.",
    }
    (folder / "article.yaml").write_text(
        canonical_yaml(article, ARTICLE_KINDS["article.yaml"].model), encoding="utf-8"
    )
    mentions = load_file(CASES / "mentions.yaml").data
    entries = [*mentions, fact] if file_name == "actors.yaml" else [fact]
    target = folder / file_name
    target.write_text(canonical_yaml(entries, ARTICLE_KINDS[file_name].model), encoding="utf-8")
    if file_name != "actors.yaml":
        (folder / "actors.yaml").write_text(
            canonical_yaml(mentions, ARTICLE_KINDS["actors.yaml"].model), encoding="utf-8"
        )
    return Project(root), target


def _line_of_field(target: Path, at: str, fact_index: int) -> int:
    document = load_file(target)
    loc: tuple[str | int, ...] = (fact_index,)
    for part in at.split("."):
        loc = (*loc, int(part) if part.isdigit() else part)
    return document.position(loc).line


def test_every_rule_has_a_refused_and_an_accepted_case() -> None:
    names = {registered.name for registered in RULES}
    assert set(RULE_FILES) == names, "one case file per rule in tests/provenance/"
    for name, data in RULE_FILES.items():
        assert data.get("refuse") and data.get("accept"), name
        assert data["file"] in ARTICLE_KINDS, name


@pytest.mark.parametrize(("rule", "file_name", "case"), _cases("refuse"))
def test_a_wrong_fact_is_refused_with_a_located_error_and_a_hint(
    rule: str, file_name: str, case: dict[str, Any], tmp_path: Path
) -> None:
    project, target = case_project(tmp_path / "project", file_name, case["fact"])
    with pytest.raises(FactsheetError) as caught:
        validate_project(project)
    found: list[Problem] = caught.value.problems
    assert all(problem.path == target for problem in found), [p.format() for p in found]
    assert all(problem.hint for problem in found), [p.format() for p in found]
    index = 2 if file_name == "actors.yaml" else 0
    line = _line_of_field(target, case["at"], index)
    matching = [p for p in found if case["expect"] in p.message and p.line == line]
    assert matching, f"expected '{case['expect']}' at line {line}; got " + "; ".join(
        p.format() for p in found
    )
    if "hint" in case:
        assert any(case["hint"] in p.hint for p in matching), [p.hint for p in matching]
    # The message names the rule, as a review must name it.
    assert any(p.message.endswith(f" (rule: {rule})") for p in matching), [
        p.message for p in matching
    ]


@pytest.mark.parametrize(("rule", "file_name", "case"), _cases("accept"))
def test_a_right_fact_is_accepted(
    rule: str, file_name: str, case: dict[str, Any], tmp_path: Path
) -> None:
    project, _ = case_project(tmp_path / "project", file_name, case["fact"])
    try:
        validate_project(project)
    except FactsheetError as error:
        pytest.fail("; ".join(p.format() for p in error.problems))


def test_every_module_of_rules_is_loaded() -> None:
    """A rules module left out of MODULES would register nothing, silently."""
    folder = Path(provenance_rules.__file__).parent
    present = {path.stem for path in folder.glob("*.py")} - {"__init__"}
    assert present == set(provenance_rules.MODULES)
    assert {registered.check.__module__.rsplit(".", 1)[1] for registered in RULES} == present


def test_a_rule_for_an_unknown_kind_is_refused_when_it_is_registered() -> None:
    with pytest.raises(ValueError, match="no such kind of fact: quotes"):
        rule("quotes")


def _every_source(value: Any) -> list[Any]:
    """Every Source object anywhere inside a model, at any depth."""
    if isinstance(value, Source):
        return [value]
    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in _every_source(getattr(value, name))]
    if isinstance(value, list):
        return [s for item in value for s in _every_source(item)]
    return []


def test_every_source_a_fact_cites_is_checked() -> None:
    """sources(), which the first rule checks against the seed, finds every source in every
    fact of the fixture, whatever field of whatever kind holds it."""
    corpus = validate_project(Project(NEWSROOM))
    for facts in corpus.articles:
        for kind in FACT_KINDS:
            for fact in getattr(facts, kind.plural):
                cited = [source for _, source in sources(fact)]
                assert [id(s) for s in cited] == [id(s) for s in _every_source(fact)], fact


# --- the readers behind the rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "quoted"),
    [
        # British style: single marks, apostrophes inside words, an interrupted quotation.
        (
            "\u2018He\u2019s a special one,\u2019 Ashby added, \u2018and he\u2019ll only get better.\u2019",
            ["He's a special one,", "and he'll only get better."],
        ),
        ("a decision his manager described as \u2018baffling\u2019.", ["baffling"]),
        (
            "\u2018The players\u2019 union is strong,\u2019 he said.",
            ["The players' union is strong,"],
        ),
        ("He said the club would write to the referees\u2019 body this week.", []),
        (
            "In the \u201990s, \u2018rock \u2019n\u2019 roll\u2019 was \u2018dead\u2019.",
            ["rock 'n' roll", "dead"],
        ),
        # Plain text: straight single marks, and an apostrophe in a name.
        ("He said 'no' to the 'deal', O'Brien's aides said.", ["no", "deal"]),
        # Nested quotations are part of the outer one.
        (
            "“He told me \u2018never again\u2019 and left,” she said.",
            ["He told me 'never again' and left,"],
        ),
        (
            "\u2018He called it “a disgrace”, and left.\u2019",
            ['He called it "a disgrace", and left.'],
        ),
        # A quotation that runs on into the next paragraph; an apostrophe that opens a word.
        ("He said: \u2018We will fight. We will win.", ["We will fight. We will win."]),
        ("The \u2019burbs are growing.", []),
    ],
)
def test_single_quotation_marks_are_told_from_apostrophes(
    paragraph: str, quoted: list[str]
) -> None:
    passage = Passage(1, fold(paragraph))
    assert [passage.text[span.start : span.end] for span in passage.quoted] == quoted


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Dwight L. Pemberton said", ["dwight", "l", "pemberton", "said"]),
        ("Mr. Henning and Mrs. Lee agreed.", ["mr", "henning", "and", "mrs", "lee", "agreed", "."]),
        ("It was Plan B.", ["it", "was", "plan", "b", "."]),
        ("in the U.S. The", ["in", "the", "u.s.", "the"]),
    ],
)
def test_a_title_or_an_initial_before_a_name_ends_nothing(text: str, words: list[str]) -> None:
    assert tokens(text) == words


def test_a_sentence_ends_before_a_quotation_in_single_marks() -> None:
    text = fold(
        "Reid was making his fourth appearance. \u2018He\u2019s a special one,\u2019 Ashby added."
    )
    assert sentence_ends(text)[0] == text.index(".") + 1


@pytest.mark.parametrize(
    ("written", "numbers", "qualifier"),
    [
        ("At least 10,000", [10000], "at least"),
        ("$436 million", [436_000_000], None),
        ("4.1 million", [4_100_000], None),
        ("$2bn", [2_000_000_000], None),
        ("six-month", [6], None),
        ("twice", [2], None),
        ("a single corridor", [1], None),
        ("one hundred and twelve", [112], None),
        ("twenty-five thousand", [25_000], None),
        ("half a million", [500_000], None),
        ("between 3 and 5", [3, 5], None),
        ("12-0", [12, 0], None),
        ("tens of thousands", [], None),
        ("several hundred", [], None),
        ("nearly 4,000", [4000], "nearly"),
        ("almost 40", [40], "almost"),
        ("some 400", [400], "some"),
        ("over 30", [30], "over"),
        ("fewer than 50", [50], "fewer than"),
        ("roughly 1.5 million", [1_500_000], "roughly"),
        ("fourth", [4], None),
        ("twenty-first", [21], None),
        ("one hundred and first", [101], None),
        ("23rd", [23], None),
        ("one second", [1], None),
    ],
)
def test_written_numbers_are_read_as_news_writes_them(
    written: str, numbers: list[float], qualifier: str | None
) -> None:
    reading = read_written(written)
    assert reading.numbers == numbers
    assert reading.qualifier == qualifier


@pytest.mark.parametrize(
    ("phrase", "readings"),
    [
        ("last Friday", ["2021-06-25"]),
        ("this month", ["2021-06"]),
        ("Tuesday", ["2021-06-22", "2021-06-29"]),
        ("midnight July 10", ["2021-07-10"]),
        ("by the end of July", ["2021-07"]),
        ("in 2019", ["2019"]),
        ("earlier this month", ["2021-06"]),
        ("yesterday", ["2021-06-27"]),
        # The paper is a Monday's: "on Monday" may be that very day, or a week either side.
        ("on Monday", ["2021-06-21", "2021-06-28", "2021-07-05"]),
        ("two weeks ago", ["the week of 2021-06-14"]),
        ("next month", ["2021-07"]),
    ],
)
def test_date_phrases_are_read_from_the_article_date(phrase: str, readings: list[str]) -> None:
    found = resolve(phrase, datetime.date(2021, 6, 28))
    assert [reading.describe() for reading in found] == readings


RELATIVE_PHRASES = [
    "today",
    "yesterday",
    "tomorrow",
    *(f"{shift}{day}" for shift in ("", "last ", "this ", "next ") for day in WEEKDAYS),
    *(
        f"{when}{shift} {unit}"
        for when in ("", "earlier ")
        for shift in ("last", "this", "next")
        for unit in ("week", "month", "year")
    ),
    *(
        f"{count} {unit}s ago"
        for count in ("two", "3")
        for unit in ("day", "week", "month", "year")
    ),
]


@pytest.mark.parametrize("offset", range(0, 730, 23))
def test_common_relative_dates_are_read_as_dateparser_reads_them(offset: int) -> None:
    """The fast reading of common relative phrases agrees with dateparser on every weekday and
    month length, except that a bare weekday in a paper of that weekday may be its own day."""
    base = datetime.date(2023, 11, 27) + datetime.timedelta(days=offset)
    for phrase in RELATIVE_PHRASES:
        text = dates._normalise(phrase)
        fast = dates._keep_nearest(dates._relative(text, base) or (), base)
        parsed = dates._keep_nearest(dates._parsed(text, base), base)
        if text == WEEKDAYS[base.weekday()]:
            assert set(parsed) < set(fast) and dates._widen(base, "day") in fast, phrase
        else:
            assert fast == parsed, (base, phrase)


MORE_PHRASES = ["July 10", "in two weeks", "the end of the year", "early next year", "Christmas"]


@pytest.mark.parametrize("base", [datetime.date.min, datetime.date.max], ids=str)
def test_phrases_past_the_ends_of_the_calendar_have_no_reading_and_never_raise(
    base: datetime.date,
) -> None:
    for phrase in [*RELATIVE_PHRASES, *MORE_PHRASES]:
        for reading in resolve(phrase, base):  # no exception; a reading only if it exists
            assert reading.first <= reading.last
    assert resolve("tomorrow" if base == datetime.date.max else "yesterday", base) == ()
    assert resolve("next year" if base == datetime.date.max else "last month", base) == ()


@pytest.mark.parametrize(
    "base", [datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)], ids=str
)
def test_every_common_phrase_has_a_reading_at_the_ends_of_the_range(
    base: datetime.date,
) -> None:
    for phrase in RELATIVE_PHRASES:
        assert resolve(phrase, base), phrase


# --- a reviewer's excuse ----------------------------------------------------------------------

# "In Hoff's view" reports Hoff's position without a verb of speech, which the rules do not read.
IN_HIS_VIEW = {
    "id": "dikes-too-late",
    "claimant": "karl-hoff",
    "type": "assessment",
    "source": {
        "paragraph": 37,
        "excerpt": "In Hoff\u2019s view, the dikes will come too late for Kessel.",
    },
}
EXCUSE = {
    "rule": "claim_is_reported",
    "reason": "'In Hoff's view' reports what Hoff thinks.",
}


def _problems(tmp_path: Path, file_name: str, fact: dict[str, Any]) -> list[str]:
    project, _ = case_project(tmp_path / "project", file_name, fact)
    try:
        corpus = validate_project(project)
    except FactsheetError as error:
        return [f"{problem.message} | {problem.hint}" for problem in error.problems]
    assert corpus.counts.facts_excused == (1 if fact.get("review") else 0)
    return []


def test_a_right_fact_the_rules_cannot_verify_is_kept_with_a_reviewers_excuse(
    tmp_path: Path,
) -> None:
    refused = _problems(tmp_path / "bare", "claims.yaml", IN_HIS_VIEW)
    assert any("reports no statement" in problem for problem in refused), refused
    assert _problems(tmp_path / "excused", "claims.yaml", {**IN_HIS_VIEW, "review": EXCUSE}) == []


def test_an_excuse_for_a_rule_the_fact_passes_is_refused(tmp_path: Path) -> None:
    fact = {**IN_HIS_VIEW, "review": {**EXCUSE, "rule": "claimant_named"}}
    problems = _problems(tmp_path, "claims.yaml", fact)
    assert any("passes 'claimant_named'" in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("rule_name", "expected"),
    [
        ("claim_quoted_verbatim", "no rule 'claim_quoted_verbatim' applies to claims"),
        ("excerpt_in_paragraph", "no review can excuse it"),
        ("written_in_excerpt", "no rule 'written_in_excerpt' applies to claims"),
    ],
)
def test_an_excuse_from_an_unknown_or_verbatim_rule_is_refused(
    rule_name: str, expected: str, tmp_path: Path
) -> None:
    fact = {**IN_HIS_VIEW, "review": {**EXCUSE, "rule": rule_name}}
    problems = _problems(tmp_path, "claims.yaml", fact)
    assert any(expected in problem for problem in problems), problems
    assert any("claim_is_reported" in problem for problem in problems)  # the hint lists them


def test_a_word_for_word_rule_cannot_be_excused(tmp_path: Path) -> None:
    fact = {
        "id": "afford",
        "speaker": "elena-brandt",
        "text": "We cannot wait.",
        "source": {"paragraph": 2, "excerpt": "Brandt said. “We cannot afford to wait.”"},
        "review": {"rule": "quote_in_excerpt", "reason": "The words are close enough."},
    }
    problems = _problems(tmp_path, "quotes.yaml", fact)
    assert any("no review can excuse it" in problem for problem in problems), problems
    assert any("not in the excerpt" in problem for problem in problems), problems


def test_an_excuse_needs_a_reason(tmp_path: Path) -> None:
    fact = {**IN_HIS_VIEW, "review": {"rule": "claim_is_reported"}}
    problems = _problems(tmp_path, "claims.yaml", fact)
    assert any("missing field 'reason'" in problem for problem in problems), problems
