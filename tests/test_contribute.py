"""The contributor kit: scaffolding, canonical layout, the facts diff and PR annotations, and
adding an article to the live repository as a pull request would."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.build import input_digest
from generator.fmt import canonical_yaml
from generator.load import load_file
from generator.model import REGISTRY
from generator.project import Project
from generator.scaffold import TEMPLATES
from generator.validate import validate_project

from .conftest import (
    FIRST,
    NEWSROOM,
    PAYLOAD,
    REPO,
    SECOND,
    copy_project,
    live_articles,
    replace_in,
    run_factsheet,
    tree_bytes,
)


def without_second(project: Project) -> Project:
    """The fixture newsroom before its second article was added (its seed is in seeds/)."""
    shutil.rmtree(project.facts_dir / SECOND)
    return project


def uncomment(path: Path, marker: str, values: dict[str, str]) -> None:
    """Turn the last commented template in a file into an entry, as a contributor would:
    uncomment it, fill in the values, and drop the lines of the optional fields left unused."""
    text = path.read_text(encoding="utf-8")
    start = text.rindex(marker)
    lines, used = [], set()
    for line in text[start:].splitlines():
        body = line[2:].split("  #", 1)[0].rstrip()
        key = body.strip().removeprefix("- ").split(":", 1)[0]
        if key in values and key not in used:
            used.add(key)
            lines.append(body[: body.index(key)] + f"{key}: {values[key]}")
        elif body.strip() == "source:":
            lines.append(body)
    path.write_text(text[:start] + "\n".join(lines) + "\n", encoding="utf-8")


def new_article(project: Project, title: str, *options: str) -> subprocess.CompletedProcess[str]:
    """`factsheet new article` for the second fixture article's seed, as a contributor runs it."""
    return run_factsheet(
        project.root, "new", "article", "seeds/101_council_vote.txt", "--title", title, *options
    )


def test_a_scaffolded_article_passes_fmt_and_lists_whole_paragraphs(project: Project) -> None:
    without_second(project)
    made = new_article(
        project, "Port Alder\u2019s council approves an \u201cemergency\u201d budget"
    )
    assert made.returncode == 0, made.stderr
    article = (
        project.facts_dir / "2024-03-06-port-alders-council-approves-an-emergency" / "article.yaml"
    )
    text = article.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/article.schema.json")
    assert all(len(line) <= 100 for line in text.splitlines())
    seed = (project.seeds_dir / "101_council_vote.txt").read_text(encoding="utf-8")
    comments = " ".join(line[1:].strip() for line in text.splitlines() if line.startswith("#"))
    for number, paragraph in enumerate(seed.splitlines()[1:], start=1):
        assert f"¶{number} {paragraph}" in comments  # whole, wrapped, never cut
    check = run_factsheet(project.root, "fmt", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_new_article_takes_an_id_whose_date_is_the_article_date(project: Project) -> None:
    without_second(project)
    wrong = new_article(project, "T", "--id", "2024-03-07-council-vote")
    assert (
        wrong.returncode == 1 and "not an article id for an article of 2024-03-06" in wrong.stderr
    )
    made = new_article(project, "T", "--id", "2024-03-06-council-vote")
    assert made.returncode == 0, made.stderr
    assert (project.facts_dir / "2024-03-06-council-vote" / "article.yaml").is_file()


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_an_appended_template_passes_fmt_and_keeps_the_file_valid(
    kind: str, project: Project
) -> None:
    before = tree_bytes(project.facts_dir)
    added = run_factsheet(project.root, "new", kind, "--article", FIRST)
    assert added.returncode == 0, added.stderr
    changed = [
        name for name, data in tree_bytes(project.facts_dir).items() if before.get(name) != data
    ]
    assert len(changed) == 1
    path = project.facts_dir / changed[0]
    assert path.read_text(encoding="utf-8").startswith(before.get(changed[0], b"").decode())
    check = run_factsheet(project.root, "fmt", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    validate_project(project)


def test_each_template_lists_exactly_the_fields_of_its_kind() -> None:
    from generator.fmt import field_order
    from generator.model import KINDS_BY_SINGULAR

    for kind, template in TEMPLATES.items():
        keys = {
            match.group(1)
            for match in re.finditer(r"^#\s+(?:-\s+)?([a-z_]+):", template, re.MULTILINE)
        }
        top = set(field_order(KINDS_BY_SINGULAR[kind].model))
        assert top <= keys, (kind, top - keys)


def test_fmt_keeps_comments_where_contributors_put_them(project: Project, first_dir: Path) -> None:
    events = first_dir / "events.yaml"
    commented = "# A note above a fact stays above it.\n- id: bridge-opened\n"
    replace_in(events, "- id: bridge-opened\n", commented)
    replace_in(events, "  what: The bridge opened.\n", "  what: The bridge opened.  # checked\n")
    with events.open("a", encoding="utf-8") as stream:
        stream.write('\n# - id: a-commented-out-fact\n#   date: "1990"\n#   what: Not yet.\n')
    before = events.read_text(encoding="utf-8")
    check = run_factsheet(project.root, "fmt", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert run_factsheet(project.root, "fmt").returncode == 0
    assert events.read_text(encoding="utf-8") == before


def test_fmt_rewrites_layout_only_and_is_stable(project: Project, first_dir: Path) -> None:
    figures = first_dir / "figures.yaml"
    original = figures.read_text()
    data_before = load_file(figures).data
    messy = original.replace(
        "  written: nearly 40,000\n  value: 40000\n",
        "  value:   40000\n  written: 'nearly 40,000'\n",
    )
    messy = messy.replace("\n\n- id: repair-estimate", "\n- id: repair-estimate")
    messy = messy.replace(
        "range: {low: 12000000, high: 15000000}", "range:\n    low: 12000000\n    high: 15000000"
    )
    figures.write_text(messy)
    check = run_factsheet(project.root, "fmt", "--check")
    assert check.returncode == 1 and "figures.yaml: not in canonical layout" in check.stdout
    assert run_factsheet(project.root, "fmt").returncode == 0
    assert load_file(figures).data == data_before
    assert figures.read_text() == original
    assert run_factsheet(project.root, "fmt", "--check").returncode == 0


@pytest.mark.parametrize("value", ["a\x7fb", "a\x85b", "a\u2028b", "a\u202eb"])
def test_fmt_escapes_characters_that_would_change_the_text(value: str) -> None:
    """Written raw, DEL and C1 make the file unreadable and U+2028 and U+0085 read back as line
    breaks; fmt writes them as escapes, which read back as the same text."""
    import yaml

    from generator.model import Figure

    text = canonical_yaml([{"id": "x", "written": value, "value": 1, "counts": "c"}], Figure)
    assert value not in text and "\\" in text  # written as an escape
    assert yaml.safe_load(text)[0]["written"] == value


@pytest.mark.parametrize("value", ["café", "x: y # z", "'quoted'", "- dash", "null", "1.0e+16"])
def test_fmt_writes_text_and_numbers_that_read_back_unchanged(value: str) -> None:
    from generator.load import load_bytes
    from generator.model import Figure

    data = [{"id": "x", "written": value, "value": 1.0e16, "counts": "c"}]
    text = canonical_yaml(data, Figure)
    assert load_bytes(Path("figures.yaml"), text.encode()).data == data


def test_the_live_facts_are_in_canonical_layout() -> None:
    result = run_factsheet(REPO, "fmt", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def committed(project: Project) -> Project:
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "facts", "seeds")
    git(project.root, "commit", "-q", "-m", "facts")
    return project


def test_diff_shows_kind_id_and_each_changed_field_as_text(project: Project) -> None:
    committed(project)
    folder = project.facts_dir / FIRST
    replace_in(
        folder / "quotes.yaml", "context: On closing the bridge.", "context: Changed context."
    )
    replace_in(
        folder / "questions.yaml",
        "actors: [northern-region, region-spokesman]",
        "actors: [northern-region]",
    )
    events = folder / "events.yaml"
    text = events.read_text()
    start = text.index("- id: bridge-opened")
    events.write_text(text[:start] + text[text.index("- id:", start + 5) :])
    replace_in(folder / "figures.yaml", "- id: corroded-cables", "- id: corroded-steel-cables")
    result = run_factsheet(project.root, "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1 added, 2 changed, 2 removed." in out
    assert f"#### Changed: quote ` not-safe ` in article ` {FIRST} `" in out
    assert "- context: On closing the bridge.\n+ context: Changed context." in out
    assert "- actors: northern-region, region-spokesman\n+ actors: northern-region" in out
    assert "['" not in out  # lists as text, never as Python
    assert f"#### Removed: event ` bridge-opened ` in article ` {FIRST} `" in out
    assert "- date: 1962" in out
    assert f"#### Added: figure ` corroded-steel-cables ` in article ` {FIRST} `" in out
    assert "+ written: more than 30" in out
    bad = run_factsheet(project.root, "diff", "no-such-revision")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_diff_values_cannot_become_markdown_in_the_job_summary(project: Project) -> None:
    committed(project)
    folder = project.facts_dir / FIRST
    hostile = (
        PAYLOAD + "\n# A heading\n[a link](https://example.invalid) https://example.invalid ```"
    )
    quotes = folder / "quotes.yaml"
    data = load_file(quotes).data
    data[0]["context"] = hostile
    data[0]["id"] = "x` ![img](https://example.invalid/i.png) `y"
    quotes.write_text(
        canonical_yaml(data, REGISTRY.model.__class__) if False else _dump_quotes(data)
    )
    out = run_factsheet(project.root, "diff", "HEAD").stdout
    html = markdown.markdown(out, extensions=["fenced_code"])
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["img", "a", "script", "h1", "h5", "h6"])
    headings = [h.get_text() for h in soup.find_all(["h2", "h3", "h4"])]
    assert headings[0].startswith("Changes in facts since")
    assert all("A heading" not in heading for heading in headings)
    assert "__pwned" in soup.get_text()  # shown, as text


def test_diff_lists_each_fact_a_reviewer_excused_under_its_own_heading(project: Project) -> None:
    committed(project)
    claims = project.facts_dir / SECOND / "claims.yaml"
    replace_in(
        claims,
        "  type: promise\n",
        "  type: promise\n  review:\n    rule: claimant_named\n"
        "    reason: The region is named in the headline of the notice.\n",
    )
    out = run_factsheet(project.root, "diff", "HEAD").stdout
    heading = out.index("### Excused from a rule by a reviewer")
    listed = out[heading:].split("\n\n")[2]
    assert "claim ` region-offer `" in listed and "rule ` claimant_named `" in listed
    assert "` The region is named in the headline of the notice. `" in listed
    assert heading < out.index("#### Changed: claim ` region-offer `")


def test_a_key_with_a_line_break_cannot_close_the_diff_block(project: Project) -> None:
    committed(project)
    quotes = project.facts_dir / FIRST / "quotes.yaml"
    text = quotes.read_text(encoding="utf-8")
    hostile = '"x\\n```\\n# Forged heading\\n![i](https://example.invalid/i.png)"'
    quotes.write_text(text.replace("  context:", f"  {hostile}: y\n  context:", 1))
    out = run_factsheet(project.root, "diff", "HEAD").stdout
    soup = BeautifulSoup(markdown.markdown(out, extensions=["fenced_code"]), "html.parser")
    assert not soup.find_all(["img", "h1"])
    assert all("Forged" not in h.get_text() for h in soup.find_all(["h2", "h3", "h4"]))
    assert "Forged heading" in soup.get_text()  # shown, inside the block, as text


def test_diff_never_reads_through_linked_folders(project: Project, tmp_path: Path) -> None:
    """facts/ or seeds/ committed as a link: the summary names the link and reads nothing
    where it points (a pull request's summary is written even when validation fails)."""
    committed(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "private-notes.yaml").write_text("- id: token-in-a-file\n")
    (elsewhere / "secret.txt").write_text("TOKEN\n")
    for folder in (project.facts_dir, project.seeds_dir):
        shutil.rmtree(folder)
        folder.symlink_to(elsewhere)
    out = run_factsheet(project.root, "diff", "HEAD").stdout
    assert "private-notes" not in out and "token-in-a-file" not in out
    assert "secret.txt" not in out
    assert hashlib.sha256(b"TOKEN\n").hexdigest() not in out


def test_the_input_digest_reads_nothing_through_a_linked_folder(
    project: Project, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project.seeds_dir, elsewhere)
    shutil.rmtree(project.seeds_dir)
    project.seeds_dir.symlink_to(elsewhere)
    before = input_digest(project)
    for seed in elsewhere.iterdir():
        seed.write_text("changed where the link points\n")
    (elsewhere / "new.txt").write_text("more\n")
    assert input_digest(project) == before


def _dump_quotes(data: list[dict[str, object]]) -> str:
    from generator.model import Quote

    return canonical_yaml(data, Quote)


def test_github_format_annotates_the_line_and_cannot_be_forged(project: Project) -> None:
    quotes = project.facts_dir / SECOND / "quotes.yaml"
    line = replace_in(quotes, "speaker: priya-nair", "speaker: nair")
    result = run_factsheet(project.root, "validate", "--format", "github")
    assert result.returncode == 1
    expected = (
        f"::error file=facts/{SECOND}/quotes.yaml,line={line},col=12,"
        "title=factsheet::unknown actor 'nair'"
    )
    assert expected in result.stdout
    replace_in(quotes, "speaker: nair", 'speaker: "x\\n::warning file=a::forged\\n::add-mask::x"')
    forged = run_factsheet(project.root, "validate", "--format", "github")
    for stream in (forged.stdout, forged.stderr):
        for text_line in stream.splitlines():
            assert not text_line.startswith(("::warning", "::add-mask", "::stop-commands")), (
                text_line
            )


@pytest.mark.slow
def test_a_new_article_from_the_scaffold_reaches_the_site(project: Project) -> None:
    """A contributor adds the second fixture article by hand, as CONTRIBUTING.md says."""
    reference = project.facts_dir / SECOND
    keep = {
        name: (reference / name).read_text(encoding="utf-8")
        for name in ("quotes.yaml", "figures.yaml")
    }
    without_second(project)
    made = new_article(project, "Council vote", "--id", SECOND)
    assert made.returncode == 0, made.stderr
    article = project.facts_dir / SECOND / "article.yaml"
    result = run_factsheet(project.root, "validate")
    line = article.read_text().splitlines().index('summary: ""') + 1
    assert f"facts/{SECOND}/article.yaml:{line}:10: error:" in result.stderr
    replace_in(article, 'summary: ""', "summary: The council approved the budget.")
    for kind in ("quote", "figure"):
        assert run_factsheet(project.root, "new", kind, "--article", SECOND).returncode == 0
    uncomment(
        project.facts_dir / SECOND / "quotes.yaml",
        "# - id:",
        {
            "id": "listened",
            "speaker": "ana-ruiz",
            "text": "We listened to the engineers,",
            "paragraph": "3",
            "excerpt": "“We listened to the engineers,” Ruiz told reporters after the vote.",
        },
    )
    uncomment(
        project.facts_dir / SECOND / "figures.yaml",
        "# - id:",
        {
            "id": "emergency-budget",
            "written": "$14.5 million",
            "value": "14500000",
            "unit": "USD",
            "counts": "emergency budget for the bridge",
            "paragraph": "1",
            "excerpt": "an emergency budget of $14.5 million for the Old Harbour Bridge",
        },
    )
    validated = run_factsheet(project.root, "validate")
    assert validated.returncode == 0, validated.stderr
    assert "listened" in keep["quotes.yaml"] and "emergency-budget" in keep["figures.yaml"]
    assert run_factsheet(project.root, "fmt", "--check").returncode == 0
    assert run_factsheet(project.root, "build").returncode == 0
    page = BeautifulSoup(
        (project.site_dir / "sheets" / SECOND / "index.html").read_text(), "html.parser"
    )
    assert page.find(id="quote-listened") is not None
    assert page.find(id="figure-emergency-budget") is not None


def add_fixture_articles(project: Project) -> list[str]:
    """Add the fixture newsroom's articles, seeds and actors to a copy of the live project."""
    for name in ("100_harbour_bridge.txt", "101_council_vote.txt"):
        shutil.copy2(NEWSROOM / "seeds" / name, project.seeds_dir / name)
    for article in (FIRST, SECOND):
        shutil.copytree(NEWSROOM / "facts" / article, project.facts_dir / article)
    registry = project.facts_dir / "actors.yaml"
    merged = load_file(registry).data + load_file(NEWSROOM / "facts" / "actors.yaml").data
    header = "".join(
        line
        for line in registry.read_text(encoding="utf-8").splitlines(keepends=True)
        if line.startswith("#")
    )
    registry.write_text(header + "\n" + canonical_yaml(merged, REGISTRY.model), encoding="utf-8")
    for article in (FIRST, SECOND):
        for path in (project.facts_dir / article).glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace("../../../../../schema/", "../../schema/"), encoding="utf-8"
            )
    return [FIRST, SECOND]


@pytest.mark.slow
def test_adding_an_article_to_the_live_repository_keeps_everything_green(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    before = live_articles()
    added = add_fixture_articles(project)
    validated = run_factsheet(project.root, "validate")
    assert validated.returncode == 0, validated.stderr
    assert f"{len(before) + len(added)} article(s)" in validated.stdout
    assert run_factsheet(project.root, "fmt", "--check").returncode == 0
    built = run_factsheet(project.root, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    links = run_factsheet(project.root, "check-links")
    assert links.returncode == 0, links.stdout + links.stderr
    for article in [*before, *added]:
        assert (project.site_dir / "sheets" / article / "index.html").is_file(), article
