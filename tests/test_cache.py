"""The validation cache: a warm run skips unchanged files and says exactly what a cold run says."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from generator import cache, validate
from generator.corpus import Corpus, ValidationCounts
from generator.errors import FactsheetError
from generator.export import facts_json
from generator.project import Project
from generator.validate import validate_project

from .conftest import FIRST, SECOND, replace_in


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache of the test's own, and files trusted by their signature at once (the real
    cache waits until a file is two seconds old; these tests change files faster)."""
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FACTSHEET_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_RACY_NS", 0)


def outcome(project: Project, counts: ValidationCounts | None = None) -> tuple[str, list[str]]:
    """What a run gives: the corpus as published, or every problem as printed; what it
    parsed and checked is added to counts."""
    try:
        corpus: Corpus = validate_project(project, counts=counts)
    except FactsheetError as error:
        return "", [problem.format(project.root) for problem in error.problems]
    return facts_json(corpus), []


def test_a_warm_run_parses_and_checks_nothing_and_gives_the_same_corpus(
    project: Project,
) -> None:
    cold_work, warm_work = ValidationCounts(), ValidationCounts()
    cold = outcome(project, cold_work)
    assert cold_work.files_parsed > 0 and cold_work.facts_checked > 0
    warm = outcome(project, warm_work)
    assert warm_work.files_parsed == 0 and warm_work.facts_checked == 0
    assert warm_work.files_cached == cold_work.files_parsed
    assert warm_work.facts_cached == cold_work.facts_checked
    assert warm == cold and cold[1] == []
    assert warm == outcome(Project(project.root)) == _uncached(project)


def _uncached(project: Project) -> tuple[str, list[str]]:
    try:
        return facts_json(validate_project(project, use_cache=False)), []
    except FactsheetError as error:
        return "", [problem.format(project.root) for problem in error.problems]


def test_one_changed_file_is_the_only_one_parsed_and_checked_again(
    project: Project, first_dir: Path
) -> None:
    outcome(project)
    work = ValidationCounts()
    replace_in(first_dir / "quotes.yaml", "On closing the bridge.", "On the closure.")
    warm = outcome(project, work)
    assert work.parsed == [f"{FIRST}/quotes.yaml"]
    corpus = validate_project(project)
    quotes = len(next(facts for facts in corpus.articles if facts.id == FIRST).quotes)
    assert work.facts_checked == quotes
    assert warm == _uncached(project)


def test_a_wrong_fact_in_a_changed_file_is_reported_as_a_cold_run_reports_it(
    project: Project, first_dir: Path
) -> None:
    outcome(project)
    replace_in(first_dir / "quotes.yaml", "not safe any more,\n", "not safe at all,\n")
    warm = outcome(project)
    assert warm[1] and warm == _uncached(project)
    assert "quotes.yaml:" in warm[1][0]


def test_problems_found_across_files_point_into_cached_files_exactly(
    project: Project,
) -> None:
    """The registry loses an actor: the unchanged files that name it were not parsed again,
    yet each problem names the same line and column as a cold run."""
    outcome(project)
    registry = project.facts_dir / "actors.yaml"
    text = registry.read_text(encoding="utf-8")
    start = text.index("- id: ana-ruiz")
    end = text.index("\n- id:", start + 1)
    registry.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    work = ValidationCounts()
    warm = outcome(project, work)
    assert f"{FIRST}/quotes.yaml" not in work.parsed and work.parsed
    assert any("unknown actor 'ana-ruiz'" in line for line in warm[1])
    assert warm == _uncached(project)


def test_a_changed_seed_is_checked_again_though_no_fact_file_changed(project: Project) -> None:
    outcome(project)
    seed = next(path for path in project.seeds_dir.iterdir() if b"Ruiz said" in path.read_bytes())
    seed.write_bytes(seed.read_bytes().replace(b"Ruiz said", b"Ruiz told reporters"))
    warm = outcome(project)
    assert any("sha256" in line for line in warm[1])
    assert warm == _uncached(project)


def test_a_registry_change_checks_facts_again_only_if_it_changes_names(
    project: Project,
) -> None:
    outcome(project)
    registry = project.facts_dir / "actors.yaml"
    work = ValidationCounts()
    replace_in(registry, "role: Mayor of Port Alder", "role: Mayor of the city of Port Alder")
    outcome(project, work)
    assert work.facts_checked == 0, "a role names no one: no fact is checked again"
    replace_in(registry, "aliases: [Ruiz]", "aliases: [Ruiz, Mayor Ruiz]")
    assert outcome(project, work) == _uncached(project)
    assert work.facts_checked > 0, "a new alias can change who an attribution names"


@pytest.mark.parametrize("damage", ["garbage file", "garbage rows", "other code"])
def test_a_corrupt_or_stale_cache_is_ignored(
    project: Project, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    cold = outcome(project)
    database = project.state_dir / "validation.sqlite3"
    if damage == "garbage file":
        database.write_bytes(b"not a database" * 100)
    elif damage == "garbage rows":
        with sqlite3.connect(database) as db:
            db.execute("UPDATE loaded SET value = '{\"data\": 1'")
    else:
        monkeypatch.setattr(validate, "code_digest", lambda: "a later version of the generator")
    work = ValidationCounts()
    assert outcome(project, work) == cold
    assert work.files_parsed > 0


def test_a_cached_file_replaced_by_a_link_is_refused(project: Project, tmp_path: Path) -> None:
    outcome(project)
    quotes = project.facts_dir / SECOND / "quotes.yaml"
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(quotes.read_bytes())
    quotes.unlink()
    quotes.symlink_to(outside)
    problems = outcome(project)[1]
    assert any("symbolic link" in line and "quotes.yaml" in line for line in problems)


def test_without_the_cache_nothing_is_stored(project: Project) -> None:
    validate_project(project, use_cache=False)
    assert not (project.state_dir / "validation.sqlite3").exists()
    validate_project(project)
    assert (project.state_dir / "validation.sqlite3").exists()


def test_the_cache_lives_outside_the_tracked_tree(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a git checkout the cache is in .git/, which no commit can hold; nothing is written
    into the tree git tracks."""
    monkeypatch.delenv("FACTSHEET_CACHE_DIR")
    subprocess.run(["git", "init", "-q"], cwd=project.root, check=True)
    validate_project(project)
    database = project.root / ".git" / "factsheet" / "validation.sqlite3"
    assert database.is_file()
    untracked = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "sqlite3" not in untracked and ".git/" not in untracked
