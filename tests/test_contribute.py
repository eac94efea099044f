"""The contributor kit: scaffolding, canonical layout, the facts diff and PR annotations."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.load import load_file
from generator.project import Project
from generator.validate import validate_project

from .conftest import ARTICLE_ID, REPO, replace_in, run_factsheet, tree_bytes

NEW_SEED = (
    " date 2024-03-05 The council voted 7 to 2 to close the old bridge.\n"
    "“It is simply not safe any more,” Mayor Ana Ruiz said after the vote.\n"
    "Repairs would cost at least $4 million, the city engineer estimated.\n"
)


def uncomment(path: Path, marker: str, values: dict[str, str]) -> None:
    """Turn the last commented template in a file into an entry, as a contributor would."""
    text = path.read_text(encoding="utf-8")
    start = text.rindex(marker)
    lines = []
    for line in text[start:].splitlines():
        body = line[2:].split("  #", 1)[0].rstrip()
        key = body.strip().removeprefix("- ").split(":", 1)[0]
        if key in values:
            body = body[: body.index(key)] + f"{key}: {values[key]}"
        lines.append(body)
    path.write_text(text[:start] + "\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_new_article_with_a_quote_and_a_figure_reaches_the_site(project: Project) -> None:
    seed = project.seeds_dir / "001_bridge.txt"
    seed.write_text(NEW_SEED, encoding="utf-8")
    made = run_factsheet(
        project.root, "new", "article", str(seed), "--title", "Council closes the old bridge"
    )
    assert made.returncode == 0, made.stderr
    folder = project.facts_dir / "2024-03-05-council-closes-the-old-bridge"
    article = folder / "article.yaml"
    assert article.read_text().startswith(
        "# yaml-language-server: $schema=../../schema/article.schema.json"
    )
    assert "#  ¶2 “It is simply not safe any more,”" in article.read_text()

    # Until the summary is written, validation says so at its line.
    result = run_factsheet(project.root, "validate")
    line = article.read_text().splitlines().index('summary: ""') + 1
    assert f"facts/{folder.name}/article.yaml:{line}:10: error:" in result.stderr
    replace_in(article, 'summary: ""', "summary: The council voted to close the old bridge.")

    registry = project.facts_dir / "actors.yaml"
    assert run_factsheet(project.root, "new", "actor").returncode == 0
    uncomment(
        registry,
        "# - id: short-slug-of-the-actor",
        {
            "id": "ana-ruiz",
            "name": "Ana Ruiz",
            "kind": "person",
            "aliases": "[Mayor Ana Ruiz]",
            "background": "null",
        },
    )
    for kind in ("quote", "figure"):
        added = run_factsheet(project.root, "new", kind, "--article", folder.name)
        assert added.returncode == 0, added.stderr
    uncomment(
        folder / "quotes.yaml",
        "# - id:",
        {
            "id": "not-safe",
            "speaker": "ana-ruiz",
            "text": "It is simply not safe any more",
            "fragment": "false",
            "context": "After the vote.",
            "paragraph": "2",
            "excerpt": "“It is simply not safe any more,” Mayor Ana Ruiz said after the vote.",
        },
    )
    uncomment(
        folder / "figures.yaml",
        "# - id:",
        {
            "id": "repair-cost",
            "written": "at least $4 million",
            "value": "4000000",
            "unit": "USD",
            "qualifier": "at least",
            "counts": "cost of repairs, as the city engineer estimated",
            "paragraph": "3",
            "excerpt": "Repairs would cost at least $4 million",
        },
    )
    validated = run_factsheet(project.root, "validate")
    assert validated.returncode == 0, validated.stderr
    assert run_factsheet(project.root, "build").returncode == 0
    page = BeautifulSoup(
        (project.site_dir / "sheets" / folder.name / "index.html").read_text(), "html.parser"
    )
    assert page.find(id="quote-not-safe") is not None
    assert page.find(id="figure-repair-cost") is not None
    assert "Ana Ruiz" in page.get_text()


def test_new_never_overwrites(project: Project) -> None:
    seed = project.seeds_dir / "000_9b837632feedfbd1.txt"
    before = tree_bytes(project.facts_dir)
    title = "Islamic State detainees syria aid"
    result = run_factsheet(project.root, "new", "article", str(seed), "--title", title)
    assert result.returncode == 1
    assert "exists already" in result.stderr
    assert tree_bytes(project.facts_dir) == before


def test_new_refuses_a_seed_outside_seeds(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(NEW_SEED)
    result = run_factsheet(project.root, "new", "article", str(outside), "--title", "Bridge")
    assert result.returncode == 1 and "must be a file in seeds/" in result.stderr


def test_a_template_entry_appended_to_a_real_file_keeps_it_valid(project: Project) -> None:
    quotes = project.facts_dir / ARTICLE_ID / "quotes.yaml"
    before = quotes.read_text()
    assert run_factsheet(project.root, "new", "quote", "--article", ARTICLE_ID).returncode == 0
    after = quotes.read_text()
    assert after.startswith(before) and "# - id: short-slug-of-the-quote" in after
    validate_project(project)


def test_fmt_rewrites_layout_only_and_is_stable(project: Project) -> None:
    figures = project.facts_dir / ARTICLE_ID / "figures.yaml"
    data_before = load_file(figures).data
    messy = figures.read_text().replace(
        "  written: At least 10,000\n  value: 10000\n",
        "  value:   10000\n  written: 'At least 10,000'\n",
    )
    messy = messy.replace("\n\n- id: foreign", "\n- id: foreign").replace(
        "unit: fighters", "unit:    fighters"
    )
    figures.write_text(messy)
    check = run_factsheet(project.root, "fmt", "--check")
    assert check.returncode == 1 and "figures.yaml: not in canonical layout" in check.stdout
    assert run_factsheet(project.root, "fmt").returncode == 0
    assert load_file(figures).data == data_before
    assert figures.read_text() == (REPO / "facts" / ARTICLE_ID / "figures.yaml").read_text()
    assert run_factsheet(project.root, "fmt", "--check").returncode == 0


def test_the_real_facts_are_in_canonical_layout() -> None:
    result = run_factsheet(REPO, "fmt", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_fmt_leaves_a_file_with_inner_comments_alone(project: Project) -> None:
    events = project.facts_dir / ARTICLE_ID / "events.yaml"
    line = replace_in(events, "- id: un-aid-begins\n", "- id: un-aid-begins  # the first event\n")
    before = events.read_bytes()
    result = run_factsheet(project.root, "fmt")
    assert result.returncode == 1
    assert f"events.yaml:{line}:1: error: fmt keeps only the comments at the top" in result.stderr
    assert events.read_bytes() == before


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_diff_names_added_changed_and_removed_facts(project: Project) -> None:
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "facts")
    git(project.root, "commit", "-q", "-m", "facts")
    folder = project.facts_dir / ARTICLE_ID
    replace_in(
        folder / "quotes.yaml",
        "context: On the situation of the detainees, in remarks opening the conference.",
        "context: Changed context.",
    )
    events = folder / "events.yaml"
    text = events.read_text()
    start = text.index("- id: un-aid-begins")
    events.write_text(text[:start] + text[text.index("- id:", start + 5) :])
    replace_in(folder / "figures.yaml", "- id: foreign-fighters", "- id: foreign-fighters-2")
    result = run_factsheet(project.root, "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1 added, 1 changed, 2 removed." in out
    assert f"- quote `simply-untenable` in `{ARTICLE_ID}`" in out
    assert "`context`: “On the situation of the detainees" in out and "→ “Changed context.”" in out
    assert f"- event `un-aid-begins` in `{ARTICLE_ID}`" in out
    assert f"- figure `foreign-fighters-2` in `{ARTICLE_ID}`" in out
    bad = run_factsheet(project.root, "diff", "no-such-revision")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_github_format_annotates_the_line(project: Project) -> None:
    quotes = project.facts_dir / ARTICLE_ID / "quotes.yaml"
    line = replace_in(quotes, "speaker: luigi-di-maio", "speaker: luigi")
    result = run_factsheet(project.root, "validate", "--format", "github")
    assert result.returncode == 1
    expected = f"::error file=facts/{ARTICLE_ID}/quotes.yaml,line={line},col=12,title=factsheet::unknown actor 'luigi'"
    assert expected in result.stdout
