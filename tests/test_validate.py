"""Stage 2: schema, references and provenance, on the real facts and damaged copies of them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.errors import FactsheetError, Problem
from generator.project import Project
from generator.validate import Seed, fold, validate_project

from .conftest import ARTICLE_ID, REPO, replace_in, run_factsheet


def problems_of(project: Project) -> list[Problem]:
    with pytest.raises(FactsheetError) as caught:
        validate_project(project)
    return caught.value.problems


def only_problem(project: Project) -> Problem:
    found = problems_of(project)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


# --- the real data -------------------------------------------------------------------------


def test_real_facts_are_valid_and_complete() -> None:
    corpus = validate_project(Project(REPO))
    assert [facts.id for facts in corpus.articles] == [ARTICLE_ID]
    facts = corpus.articles[0]
    assert facts.seed.date == facts.article.date == "2021-06-28"
    assert len(facts.seed.paragraphs) == 17
    assert facts.seed.paragraphs[0].startswith("Rapidly expanding in Africa")
    # Every paragraph of the source is cited by at least one fact.
    cited = {
        fact.source.paragraph
        for kind in (facts.figures, facts.quotes, facts.mentions, facts.questions, facts.events)
        for fact in kind
    }
    assert cited >= set(range(1, 18)) - {10, 16}
    speakers = {quote.speaker for quote in facts.quotes}
    assert speakers == {"blinken", "luigi-di-maio", "senior-state-department-official"}


def test_every_quotation_in_the_seed_is_curated() -> None:
    """Each stretch of text between curly quotation marks is one quote's text (or contains it)."""
    corpus = validate_project(Project(REPO))
    facts = corpus.articles[0]
    quoted = [
        piece.split("\u201d", 1)[0]
        for paragraph in facts.seed.paragraphs
        for piece in paragraph.split("\u201c")[1:]
    ]
    texts = [fold(quote.text) for quote in facts.quotes]
    for piece in quoted:
        assert any(text in fold(piece) and len(text) >= len(fold(piece)) - 1 for text in texts), (
            piece
        )


def test_seed_is_kept_byte_for_byte() -> None:
    seed = REPO / "seeds" / "000_9b837632feedfbd1.txt"
    shared = REPO.parent / "shared" / "seeds" / seed.name
    digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    assert digest == "889a2b86bc272c7165c453927393fbc62859ca73e85cc93b1bd62bfbaa9a9282"
    if shared.exists():
        assert shared.read_bytes() == seed.read_bytes()


# --- folding -------------------------------------------------------------------------------


def test_fold_ignores_quote_styles_ellipses_and_white_space() -> None:
    assert fold("\u201cWe\u2019ll see\u201d") == fold('"We\'ll see"')
    assert fold("on down . . . is") == fold("on down \u2026 is") == "on down ... is"
    assert fold("  a\n  b\tc ") == "a b c"
    assert fold("untenable") != fold("Untenable")


def test_seed_date_line_is_metadata_not_text(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes(b" date 2020-01-02 First paragraph.\n\nSecond.\n")
    seed = Seed.read(path)
    assert seed.date == "2020-01-02"
    assert seed.paragraphs == ("First paragraph.", "Second.")


# --- damaged copies --------------------------------------------------------------------------


def test_a_changed_word_in_a_quote_is_reported_at_its_line(
    project: Project, article_dir: Path
) -> None:
    quotes = article_dir / "quotes.yaml"
    line = replace_in(quotes, "text: simply untenable.", "text: simply unbearable.")
    problem = only_problem(project)
    assert problem.path == quotes
    assert (problem.line, problem.column) == (line, 9)
    assert "quote text is not in the excerpt" in problem.message
    assert "up to 'simply '" in problem.hint
    assert "reads 'unbearable.'" in problem.hint
    assert "source has 'untenable." in problem.hint


def test_a_changed_excerpt_names_the_paragraph(project: Project, article_dir: Path) -> None:
    figures = article_dir / "figures.yaml"
    line = replace_in(
        figures, "excerpt: At least 10,000 captured", "excerpt: At least 11,000 captured"
    )
    found = problems_of(project)
    assert [(p.path, p.line) for p in found] == [(figures, line)]
    assert "not in paragraph 2" in found[0].message


def test_a_wrong_paragraph_number_suggests_the_right_one(
    project: Project, article_dir: Path
) -> None:
    quotes = article_dir / "quotes.yaml"
    line = replace_in(quotes, "paragraph: 3\n", "paragraph: 4\n")
    problem = only_problem(project)
    assert (problem.path, problem.line) == (quotes, line + 1)
    assert "set paragraph: 3" in problem.hint


def test_a_quote_attributed_to_the_wrong_speaker_fails(project: Project, article_dir: Path) -> None:
    quotes = article_dir / "quotes.yaml"
    line = replace_in(quotes, "speaker: luigi-di-maio", "speaker: blinken")
    problem = only_problem(project)
    assert (problem.path, problem.line) == (quotes, line)
    assert "does not name the speaker 'blinken'" in problem.message


def test_a_dangling_speaker_is_reported_with_a_suggestion(
    project: Project, article_dir: Path
) -> None:
    quotes = article_dir / "quotes.yaml"
    line = replace_in(quotes, "speaker: luigi-di-maio", "speaker: luigi-dimaio")
    problem = only_problem(project)
    assert (problem.path, problem.line, problem.column) == (quotes, line, 12)
    assert "unknown actor 'luigi-dimaio'" in problem.message
    assert "luigi-di-maio" in problem.hint


def test_a_duplicate_id_is_reported_with_both_places(project: Project, article_dir: Path) -> None:
    events = article_dir / "events.yaml"
    line = replace_in(events, "- id: un-aid-begins", "- id: captured-fighters")
    problem = only_problem(project)
    # Files are read in name order, so the figure is the second use of the id.
    figures = article_dir / "figures.yaml"
    figure_line = figures.read_text().splitlines().index("- id: captured-fighters") + 1
    assert (problem.path, problem.line, problem.column) == (figures, figure_line, 7)
    assert "duplicate id 'captured-fighters'" in problem.message
    assert f"events.yaml line {line}" in problem.hint


def test_a_yaml_syntax_error_names_file_and_line(project: Project, article_dir: Path) -> None:
    figures = article_dir / "figures.yaml"
    line = replace_in(figures, "  value: 10000\n", "  value: [10000\n")
    problem = only_problem(project)
    assert problem.path == figures
    assert problem.line > line
    assert "syntax" in problem.message


def test_a_misspelt_field_is_named_with_a_suggestion(project: Project, article_dir: Path) -> None:
    quotes = article_dir / "quotes.yaml"
    line = replace_in(quotes, "  speaker: blinken", "  speeker: blinken")
    found = problems_of(project)
    unknown = [p for p in found if "unknown field 'speeker'" in p.message]
    assert [(p.line, p.column) for p in unknown] == [(line, 3)]
    assert "did you mean 'speaker'" in unknown[0].hint
    assert any("missing field 'speaker'" in p.message for p in found)


def test_wrong_types_are_errors_not_conversions(project: Project, article_dir: Path) -> None:
    figures = article_dir / "figures.yaml"
    line = replace_in(figures, "  value: 10000\n", '  value: "10,000"\n')
    problem = only_problem(project)
    assert (problem.path, problem.line) == (figures, line)
    assert "without quotes" in problem.hint


def test_an_unquoted_date_is_refused_with_a_hint(project: Project, article_dir: Path) -> None:
    article = article_dir / "article.yaml"
    line = replace_in(article, 'date: "2021-06-28"', "date: 2021-06-28")
    problem = only_problem(project)
    assert (problem.path, problem.line, problem.column) == (article, line, 7)
    assert "'2021-06-28'" in problem.hint


def test_a_changed_seed_fails_its_checksum(project: Project) -> None:
    seed = project.seeds_dir / "000_9b837632feedfbd1.txt"
    seed.write_bytes(seed.read_bytes() + b"\nA new paragraph.")
    problem = only_problem(project)
    assert problem.path.name == "article.yaml"
    assert "sha256 does not match" in problem.message


def test_every_problem_is_reported_in_one_run(project: Project, article_dir: Path) -> None:
    replace_in(article_dir / "quotes.yaml", "text: simply untenable.", "text: simply bad.")
    replace_in(article_dir / "figures.yaml", "written: $436 million", "written: $463 million")
    replace_in(project.facts_dir / "actors.yaml", "kind: group", "kind: band")
    found = problems_of(project)
    assert {p.path.name for p in found} == {"quotes.yaml", "figures.yaml", "actors.yaml"}


def test_unexpected_files_and_folders_are_reported(project: Project) -> None:
    (project.facts_dir / "notes.txt").write_text("x")
    (project.facts_dir / "Not An Id").mkdir()
    (project.facts_dir / ARTICLE_ID / "quotes.yml").write_text("[]")
    messages = [p.message for p in problems_of(project)]
    assert any("unexpected file 'notes.txt'" in m for m in messages)
    assert any("'Not An Id' is not a valid article id" in m for m in messages)
    assert any("unexpected file 'quotes.yml'" in m for m in messages)


def test_answered_question_needs_a_resolution(project: Project, article_dir: Path) -> None:
    questions = article_dir / "questions.yaml"
    replace_in(questions, "- id: russian-veto\n", "- id: russian-veto\n  status: answered\n")
    problem = only_problem(project)
    assert "resolution exactly when" in problem.message


# --- the command -----------------------------------------------------------------------------


def test_validate_command_reports_and_exits_1_without_traceback(
    project: Project, article_dir: Path
) -> None:
    quotes = article_dir / "quotes.yaml"
    line = replace_in(quotes, "Italy is a strong trade partner", "Italy is a good trade partner")
    result = run_factsheet(project.root, "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"facts/{ARTICLE_ID}/quotes.yaml:{line}:9: error:" in result.stderr
    assert "1 problem found" in result.stderr


def test_validate_command_passes_on_the_real_facts() -> None:
    result = run_factsheet(REPO, "validate")
    assert result.returncode == 0, result.stderr
    assert "match their sources" in result.stdout
