"""Stage 2: schema, references and provenance, on the fixture newsroom and damaged copies of it."""

from __future__ import annotations

import datetime
import hashlib
import inspect
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from generator import checks
from generator.errors import FactsheetError, Problem
from generator.model import FIRST_YEAR, LAST_YEAR, Day, PartialDate, parse_day
from generator.project import Project
from generator.render import render_pages
from generator.seeds import Seed, SeedError
from generator.text import fold
from generator.validate import validate_project

from .conftest import (
    FIRST,
    NEWSROOM,
    NEWSROOM_ARTICLES,
    NO_FIGURES,
    OLDEST,
    REPO,
    SECOND,
    line_of,
    replace_in,
    run_factsheet,
)

OUT_OF_RANGE = f"outside the years {FIRST_YEAR} to {LAST_YEAR}"


def problems_of(project: Project) -> list[Problem]:
    with pytest.raises(FactsheetError) as caught:
        validate_project(project)
    return caught.value.problems


def only_problem(project: Project) -> Problem:
    found = problems_of(project)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


# --- the fixture corpus ------------------------------------------------------------------------


def test_the_fixture_newsroom_is_valid_and_has_every_kind_of_fact() -> None:
    corpus = validate_project(Project(NEWSROOM))
    assert [facts.id for facts in corpus.articles] == sorted(NEWSROOM_ARTICLES, reverse=True)
    by_id = {facts.id: facts for facts in corpus.articles}
    first, second = by_id[FIRST], by_id[SECOND]
    assert first.article.date != second.article.date
    for facts in (first, second):
        for kind in ("mentions", "figures", "quotes", "claims", "questions", "events"):
            assert getattr(facts, kind), (facts.id, kind)
    # Sheets that do not look like the sample: another decade, and an article with no figures.
    assert int(by_id[OLDEST].article.date[:4]) < int(first.article.date[:4]) - 30
    assert not by_id[NO_FIGURES].figures and by_id[NO_FIGURES].quotes
    statuses = {q.status for facts in corpus.articles for q in facts.questions}
    assert statuses == {"open", "answered"}
    quoted = [{q.speaker for q in facts.quotes} for facts in (first, second)]
    assert quoted[0] & quoted[1], "an actor is quoted in both articles"
    shared = {m.actor for m in first.mentions} & {m.actor for m in second.mentions}
    assert len(shared) >= 3
    shapes = {figure.shape for facts in corpus.articles for figure in facts.figures}
    assert shapes == {"value", "range", "tally"}
    assert any(quote.continued for quote in first.quotes)
    assert any(quote.attribution for quote in first.quotes)
    assert any(isinstance(quote.text, list) for quote in first.quotes)
    assert {a.kind for a in corpus.actors.values()} >= {"person", "organisation", "place"}


# --- seeds ---------------------------------------------------------------------------------


def test_fold_ignores_quote_styles_ellipses_forms_and_white_space() -> None:
    assert fold("\u201cWe\u2019ll see\u201d") == fold('"We\'ll see"')
    assert fold("on down . . . is") == fold("on down \u2026 is") == "on down ... is"
    assert fold("  a\n  b\tc ") == "a b c"
    assert fold("Cafe\u0301") == fold("Caf\u00e9")  # NFD and NFC
    assert fold("untenable") != fold("Untenable")


@pytest.mark.parametrize(
    ("raw", "date", "paragraphs"),
    [
        (
            b" date 2020-01-02 First paragraph.\n\nSecond.\n",
            "2020-01-02",
            ("First paragraph.", "Second."),
        ),
        (b"date 2020-01-02\nFirst.\nSecond.\n", "2020-01-02", ("First.", "Second.")),
        (b"date 2020-01-02\r\nFirst.\r\nSecond.\r\n", "2020-01-02", ("First.", "Second.")),
        (b"No date line.\nSecond.", None, ("No date line.", "Second.")),
    ],
)
def test_a_seed_date_line_is_metadata_and_paragraphs_are_lines(
    raw: bytes, date: str | None, paragraphs: tuple[str, ...]
) -> None:
    seed = Seed.parse("s.txt", raw)
    assert (seed.date, seed.paragraphs) == (date, paragraphs)


@pytest.mark.parametrize(
    ("raw", "words", "line"),
    [
        (b"\xef\xbb\xbfdate 1999-01-01\nText.\n", "byte-order mark", 1),
        (b"date 2020-01-02\nOne.\x0cTwo.\n", "U+000C", 2),
        (b"date 2020-01-02\nOne.\nTwo.\x0bThree.\n", "U+000B", 3),
        ("One.\u2028Two.\n".encode(), "LINE SEPARATOR", 1),
        ("One.\x85Two.\n".encode(), "U+0085", 1),
        ("Blin\u202eken said.\n".encode(), "RIGHT-TO-LEFT OVERRIDE", 1),
        (b"One.\rTwo.\n", "U+000D", 1),
        (b"x" * (600 * 1024), "at most", 1),
        (b"caf\xe9\n", "not valid UTF-8", 1),
    ],
)
def test_seeds_that_would_mislead_are_refused(raw: bytes, words: str, line: int) -> None:
    with pytest.raises(SeedError) as caught:
        Seed.parse("s.txt", raw)
    assert words in caught.value.message
    assert caught.value.line == line
    assert caught.value.hint


# --- damaged copies --------------------------------------------------------------------------


def test_a_changed_word_in_a_quote_is_reported_at_its_line(
    project: Project, first_dir: Path
) -> None:
    quotes = first_dir / "quotes.yaml"
    line = replace_in(
        quotes, "text: We will not wait for an accident.", "text: We will not wait for a crash."
    )
    problem = only_problem(project)
    assert (problem.path, problem.line, problem.column) == (quotes, line, 9)
    assert "quote text is not in the excerpt" in problem.message
    assert "up to 'We will not wait for '" in problem.hint
    assert "reads 'a crash.'" in problem.hint


def test_a_changed_excerpt_names_the_paragraph(project: Project, first_dir: Path) -> None:
    figures = first_dir / "figures.yaml"
    line = replace_in(
        figures,
        "excerpt: The bridge carries nearly 40,000 vehicles a day",
        "excerpt: The bridge carries nearly 41,000 vehicles a day",
    )
    found = problems_of(project)
    assert [(p.path, p.line) for p in found] == [(figures, line)]
    assert "not in paragraph 3" in found[0].message


def test_a_wrong_paragraph_number_suggests_the_right_one(project: Project, first_dir: Path) -> None:
    figures = first_dir / "figures.yaml"
    line = replace_in(figures, "    paragraph: 4\n", "    paragraph: 5\n")
    problem = only_problem(project)
    assert (problem.path, problem.line) == (figures, line + 1)
    assert "set paragraph: 4" in problem.hint


def test_a_dangling_speaker_is_reported_with_a_suggestion(
    project: Project, second_dir: Path
) -> None:
    quotes = second_dir / "quotes.yaml"
    line = replace_in(quotes, "speaker: priya-nair", "speaker: priya-nayr")
    problem = only_problem(project)
    assert (problem.path, problem.line, problem.column) == (quotes, line, 12)
    assert "unknown actor 'priya-nayr'" in problem.message
    assert "priya-nair" in problem.hint


def test_a_duplicate_id_is_reported_with_both_places(project: Project, second_dir: Path) -> None:
    events = second_dir / "events.yaml"
    line = replace_in(events, "- id: council-vote", "- id: residents")
    problem = only_problem(project)
    # Files are read in name order, so the figure is the second use of the id.
    figures = second_dir / "figures.yaml"
    assert (problem.path, problem.line, problem.column) == (
        figures,
        line_of(figures, "- id: residents"),
        7,
    )
    assert "duplicate id 'residents'" in problem.message
    assert f"events.yaml line {line}" in problem.hint


def test_a_yaml_syntax_error_names_file_and_line(project: Project, first_dir: Path) -> None:
    figures = first_dir / "figures.yaml"
    line = replace_in(figures, "  value: 30\n", "  value: [30\n")
    problem = only_problem(project)
    assert problem.path == figures
    assert problem.line > line
    assert "syntax" in problem.message


def test_a_misspelt_field_is_named_with_a_suggestion(project: Project, first_dir: Path) -> None:
    quotes = first_dir / "quotes.yaml"
    line = replace_in(quotes, "  speaker: region-spokesman", "  speeker: region-spokesman")
    found = problems_of(project)
    unknown = [p for p in found if "unknown field 'speeker'" in p.message]
    assert [(p.line, p.column) for p in unknown] == [(line, 3)]
    assert "did you mean 'speaker'" in unknown[0].hint
    assert any("missing field 'speaker'" in p.message for p in found)


@pytest.mark.parametrize("key", ["int", "str", "float", "bool", "none", "function_x", "a[b]"])
def test_unknown_keys_named_like_type_tags_are_located_errors(
    key: str, project: Project, first_dir: Path
) -> None:
    article = first_dir / "article.yaml"
    with article.open("a", encoding="utf-8") as stream:
        stream.write(f'"{key}": 1\n')
    problem = only_problem(project)
    assert f"unknown field '{key}'" in problem.message
    assert problem.line == article.read_text(encoding="utf-8").count("\n")


def test_wrong_types_are_errors_not_conversions(project: Project, first_dir: Path) -> None:
    figures = first_dir / "figures.yaml"
    line = replace_in(figures, "  value: 40000\n", '  value: "40,000"\n')
    problem = only_problem(project)
    assert (problem.path, problem.line) == (figures, line)
    assert "without quotes" in problem.hint


def test_an_unquoted_date_is_refused_with_a_hint(project: Project, first_dir: Path) -> None:
    article = first_dir / "article.yaml"
    line = replace_in(article, 'date: "2024-03-04"', "date: 2024-03-04")
    problem = only_problem(project)
    assert (problem.path, problem.line, problem.column) == (article, line, 7)
    assert "'2024-03-04'" in problem.hint


# --- ids and other patterns: the whole value, up to its last character ---------------------


def test_an_article_folder_whose_name_ends_in_a_line_feed_is_refused(project: Project) -> None:
    (project.facts_dir / FIRST).rename(project.facts_dir / f"{FIRST}\n")
    problem = only_problem(project)
    assert "is not a valid article id" in problem.message
    assert problem.path.parent.name == f"{FIRST}\n"


SHA256 = "d1b48e2d3414cfa336e51f23b3f2ff3601327b3032356f8c0fd7f911dc9ae024"
URL = "https://courier.example/2024/03/04/harbour-bridge"
WEBSITE = "https://northern-region.example/"


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("quotes.yaml", "- id: not-safe", '- id: "not-safe\\n"'),
        ("quotes.yaml", "speaker: ana-ruiz", 'speaker: "ana-ruiz\\n"'),
        ("actors.yaml", "- actor: port-alder", '- actor: "port-alder\\n"'),
        ("article.yaml", "tags: [bridges, city-budget]", 'tags: [bridges, "city-budget\\n"]'),
        ("article.yaml", "seed: 100_harbour_bridge.txt", 'seed: "100_harbour_bridge.txt\\n"'),
        ("article.yaml", f"sha256: {SHA256}", f'sha256: "{SHA256}\\n"'),
        ("article.yaml", 'date: "2024-03-04"', 'date: "2024-03-04\\n"'),
        ("article.yaml", f"url: {URL}", f'url: "{URL}\\n"'),
        ("questions.yaml", "seed: 101_council_vote.txt", 'seed: "101_council_vote.txt\\n"'),
        ("events.yaml", 'date: "1962"', 'date: "1962\\n"'),
        ("../actors.yaml", "- id: ana-ruiz", '- id: "ana-ruiz\\n"'),
        ("../actors.yaml", f"website: {WEBSITE}", f'website: "{WEBSITE}\\n"'),
    ],
)
def test_a_value_that_ends_in_a_line_feed_does_not_match_its_pattern(
    file: str, old: str, new: str, project: Project, first_dir: Path
) -> None:
    """`$` in a pattern is the end of the text, never the place before a final line feed."""
    path = (first_dir / file).resolve()
    line = replace_in(path, old, new)
    found = problems_of(project)
    mismatches = [(p.path, p.line) for p in found if "should match pattern" in p.message]
    assert mismatches == [(path, line)], [p.format() for p in found]


# --- dates: one range every later stage can handle --------------------------------------------


def test_the_range_of_dates_is_the_documented_one() -> None:
    assert (FIRST_YEAR, LAST_YEAR) == (1583, 2999)
    assert f"years {FIRST_YEAR} to {LAST_YEAR}" in (REPO / "SECURITY.md").read_text()


@pytest.mark.parametrize(
    "date", ["1583", "1583-01", "1583-01-01", "2999", "2999-12", "2999-12-31", "2024-02-29"]
)
def test_dates_at_the_ends_of_the_range_are_accepted(date: str) -> None:
    assert TypeAdapter(PartialDate).validate_python(date) == date
    if date.count("-") == 2:
        assert TypeAdapter(Day).validate_python(date) == date
        assert parse_day(date) == datetime.date.fromisoformat(date)


@pytest.mark.parametrize(
    "date",
    ["1582", "1582-12", "1582-12-31", "3000", "3000-01", "3000-01-01", "9999-12-31", "0001-01-01"],
)
def test_dates_one_past_the_ends_of_the_range_are_refused(date: str) -> None:
    with pytest.raises(ValidationError, match=OUT_OF_RANGE):
        TypeAdapter(PartialDate).validate_python(date)
    if date.count("-") == 2:
        with pytest.raises(ValidationError, match=OUT_OF_RANGE):
            TypeAdapter(Day).validate_python(date)
        assert parse_day(date) is None


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("events.yaml", 'date: "1962"', 'date: "1582"'),
        ("events.yaml", "date: 2024-04", "date: 3000-01"),
        ("events.yaml", 'date: "2024-03-01"', 'date: "9999-12-31"'),
        ("questions.yaml", 'deadline: "2024-03-05"', 'deadline: "3000-01-01"'),
        ("questions.yaml", 'deadline: "2024-03-05"', 'deadline: "9999"'),
        ("article.yaml", 'retrieved: "2024-03-05"', 'retrieved: "1582-12-31"'),
    ],
)
def test_a_date_outside_the_range_is_refused_where_it_is_written(
    file: str, old: str, new: str, project: Project, first_dir: Path
) -> None:
    line = replace_in(first_dir / file, old, new)
    problem = only_problem(project)
    assert (problem.path, problem.line) == (first_dir / file, line)
    assert OUT_OF_RANGE in problem.message
    assert problem.hint


def _redate(project: Project, day: str) -> Path:
    """The first article, its seed's date line and its folder moved to another day."""
    seed = project.seeds_dir / "100_harbour_bridge.txt"
    seed.write_bytes(seed.read_bytes().replace(b"date 2024-03-04", f"date {day}".encode(), 1))
    folder = project.facts_dir / FIRST
    article = folder / "article.yaml"
    text = article.read_text(encoding="utf-8").replace('date: "2024-03-04"', f'date: "{day}"')
    text = re.sub(r"sha256: \w+", f"sha256: {hashlib.sha256(seed.read_bytes()).hexdigest()}", text)
    article.write_text(text, encoding="utf-8")
    return folder.rename(project.facts_dir / FIRST.replace("2024-03-04", day))


@pytest.mark.parametrize("day", ["9999-12-31", "3000-01-01", "1582-12-31", "0001-01-01"])
def test_an_article_dated_outside_the_range_is_refused_without_a_crash(
    day: str, project: Project
) -> None:
    """'tomorrow' from 9999-12-31 is no date Python has: the article is refused first."""
    folder = _redate(project, day)
    replace_in(
        folder / "questions.yaml", "deadline_written: on Tuesday", "deadline_written: tomorrow"
    )
    found = problems_of(project)
    dated = [p for p in found if OUT_OF_RANGE in p.message]
    assert [(p.path, p.line, p.column) for p in dated] == [(folder / "article.yaml", 4, 7)]
    assert all(p.hint for p in found)
    result = run_factsheet(project.root, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("day", ["1583-01-01", "2999-12-31"])
def test_dates_at_the_ends_of_the_range_go_through_every_later_stage(day: str) -> None:
    """Article date, deadline and event dates at the first and last day of the range: the
    pages, the picture of the timeline, the Atom feed and the iCalendar feed are all made."""
    corpus = validate_project(Project(NEWSROOM))
    year, month = day[:4], day[:7]
    for facts in corpus.articles:
        facts.article = facts.article.model_copy(update={"date": day})
        facts.questions = [
            question.model_copy(
                update={"deadline": day, "status": "open", "resolution": None}
                if question.deadline
                else {}
            )
            for question in facts.questions
        ]
        facts.events = [
            event.model_copy(update={"date": date})
            for event, date in zip(facts.events, [day, month, year] * 9, strict=False)
        ]
    pages = render_pages(corpus, as_of=datetime.date.fromisoformat(day))
    assert f"DTSTART;VALUE=DATE:{day.replace('-', '')}" in pages["deadlines.ics"]
    assert f"<published>{day}T00:00:00+00:00</published>" in pages["feed.xml"]


def test_a_changed_seed_fails_its_checksum(project: Project) -> None:
    seed = project.seeds_dir / "101_council_vote.txt"
    seed.write_bytes(seed.read_bytes() + b"A new paragraph.\n")
    problem = only_problem(project)
    assert problem.path.name == "article.yaml"
    assert "sha256 does not match" in problem.message


def test_every_problem_is_reported_in_one_run(
    project: Project, first_dir: Path, second_dir: Path
) -> None:
    replace_in(first_dir / "quotes.yaml", "text: study the request", "text: study the demand")
    replace_in(second_dir / "figures.yaml", "written: $14.5 million", "written: $15.4 million")
    replace_in(project.facts_dir / "actors.yaml", "kind: place", "kind: venue")
    found = problems_of(project)
    assert {(p.path.parent.name, p.path.name) for p in found} == {
        (FIRST, "quotes.yaml"),
        (SECOND, "figures.yaml"),
        ("facts", "actors.yaml"),
    }


def test_unexpected_files_and_folders_are_reported(project: Project, first_dir: Path) -> None:
    (project.facts_dir / "notes.txt").write_text("x")
    (project.facts_dir / "Not An Id").mkdir()
    (first_dir / "quotes.yml").write_text("[]")
    (first_dir / "drafts").mkdir()
    messages = [p.message for p in problems_of(project)]
    assert any("unexpected file 'notes.txt'" in m for m in messages)
    assert any("'Not An Id' is not a valid article id" in m for m in messages)
    assert any("unexpected file 'quotes.yml'" in m for m in messages)
    assert any("unexpected folder 'drafts'" in m for m in messages)


def test_answered_question_needs_a_resolution(project: Project, second_dir: Path) -> None:
    questions = second_dir / "questions.yaml"
    replace_in(questions, "- id: work-begins\n", "- id: work-begins\n  status: answered\n")
    problem = only_problem(project)
    assert "resolution exactly when" in problem.message


def test_a_resolution_from_a_seed_that_is_missing_is_reported(project: Project) -> None:
    (project.seeds_dir / "101_council_vote.txt").rename(project.seeds_dir / "101_vote.txt")
    found = problems_of(project)
    assert any("the seed '101_council_vote.txt' is not in seeds/" in p.message for p in found)
    assert any("did you mean '101_vote.txt'" in p.hint for p in found)


@pytest.mark.parametrize(
    ("folder", "words"),
    [
        ("2024-13-45-council-approves-bridge-budget", "not a real date"),
        ("2024-03-07-council-approves-bridge-budget", "differs from the date in the folder name"),
    ],
)
def test_the_folder_date_is_a_real_date_and_the_article_date(
    folder: str, words: str, project: Project, second_dir: Path
) -> None:
    second_dir.rename(project.facts_dir / folder)
    problem = only_problem(project)
    assert words in problem.message
    assert problem.hint


def test_seed_names_that_differ_only_in_case_are_refused(project: Project) -> None:
    seed = project.seeds_dir / "101_council_vote.txt"
    (project.seeds_dir / "101_Council_Vote.txt").write_bytes(seed.read_bytes())
    problem = only_problem(project)
    assert "differ only in case" in problem.message


def test_an_actor_id_that_is_a_generated_page_name_is_refused(project: Project) -> None:
    registry = project.facts_dir / "actors.yaml"
    with registry.open("a", encoding="utf-8") as stream:
        stream.write("\n- id: index\n  name: Index Corp\n  kind: organisation\n")
    problem = only_problem(project)
    assert "reserved for a page the site generates" in problem.message


@pytest.mark.parametrize(
    ("alias", "words"),
    [
        ("he", "pronouns, articles or common words"),
        ("The", "pronouns, articles or common words"),
        ("the official", "pronouns, articles or common words"),
        ("x", "one letter"),
        ("' '", "blank"),
        ("Varga", "already names the actor 'tomas-varga'"),
    ],
)
def test_aliases_that_cannot_serve_as_names_are_refused(
    alias: str, words: str, project: Project
) -> None:
    registry = project.facts_dir / "actors.yaml"
    line = replace_in(registry, "aliases: [Nair]", f"aliases: [Nair, {alias}]")
    problem = only_problem(project)
    assert problem.line == line
    assert words in problem.message
    assert problem.hint


# --- the command -----------------------------------------------------------------------------


def test_validate_command_reports_and_exits_1_without_traceback(
    project: Project, second_dir: Path
) -> None:
    quotes = second_dir / "quotes.yaml"
    line = replace_in(
        quotes, "text: We listened to the engineers,", "text: We heard the engineers,"
    )
    result = run_factsheet(project.root, "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"facts/{SECOND}/quotes.yaml:{line}:9: error:" in result.stderr
    assert "1 problem found" in result.stderr


def test_validate_command_passes_on_the_fixture() -> None:
    result = run_factsheet(NEWSROOM, "validate")
    assert result.returncode == 0, result.stderr
    assert (
        f"{len(NEWSROOM_ARTICLES)} article(s)" in result.stdout
        and "match their sources" in result.stdout
    )


def test_two_articles_cannot_rest_on_one_seed(project: Project, second_dir: Path) -> None:
    first_seed = re.search(
        r"seed: (\S+)", (project.facts_dir / FIRST / "article.yaml").read_text(encoding="utf-8")
    )
    assert first_seed is not None
    second = second_dir / "article.yaml"
    text = second.read_text(encoding="utf-8")
    second.write_text(re.sub(r"seed: \S+", f"seed: {first_seed.group(1)}", text), encoding="utf-8")
    found = [p for p in problems_of(project) if "already the source of" in p.message]
    assert len(found) == 1
    assert found[0].path == second and found[0].line == line_of(second, "seed:")


def test_key_facts_name_facts_of_the_article_once_each(project: Project, first_dir: Path) -> None:
    line = replace_in(
        first_dir / "article.yaml",
        "  - repair-estimate\n  - city-cannot-pay\n",
        "  - bridge-closure\n  - no-such-fact\n",
    )
    with pytest.raises(FactsheetError) as caught:
        validate_project(project)
    found = sorted((p.line, p.message) for p in caught.value.problems)
    assert found == [
        (line, "'bridge-closure' is listed twice"),
        (line + 1, "no fact of this article has the id 'no-such-fact'"),
    ], found


def test_a_correction_is_dated_on_or_after_its_article(project: Project, first_dir: Path) -> None:
    article = first_dir / "article.yaml"
    line = replace_in(article, 'date: "2024-03-05"', 'date: "2024-03-01"')
    with pytest.raises(FactsheetError) as caught:
        validate_project(project)
    [problem] = caught.value.problems
    assert "dated 2024-03-01, before the article (2024-03-04)" in problem.message
    assert problem.line == line
    replace_in(article, '"2024-03-01"', '"2024-03-04"')
    validate_project(project)


# --- the named checks --------------------------------------------------------------------------


def test_every_check_written_runs_in_the_table_of_checks() -> None:
    """A check written in generator/checks.py but left out of its table would never run."""
    written = {
        name
        for name, value in vars(checks).items()
        if inspect.isfunction(value) and value.__module__ == checks.__name__
    }
    registered = [check.__name__ for check in (*checks.REGISTRY_CHECKS, *checks.ARTICLE_CHECKS)]
    assert len(registered) == len(set(registered)), "a check is listed twice"
    assert written == set(registered)
