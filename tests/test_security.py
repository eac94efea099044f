"""Untrusted pull requests: nothing outside the checkout is read, nothing committed skips the
checks, and nothing a pull request writes can act on a terminal, a CI log or a later run.

Single bad files are in tests/bad_inputs/; these are the attacks that take a tree, a git
history, a process or the workflows.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import cli
from generator.build import generate
from generator.errors import FactsheetError
from generator.history import read_history
from generator.load import load_bytes
from generator.project import Project
from generator.text import INVISIBLE_OR_CONTROL
from generator.validate import validate_project
from generator.write import MARKER_FILE

from .conftest import FIRST, NEWSROOM_ARTICLES, REPO, SECOND, replace_in, run_factsheet, tree_bytes

SECRET = "ghp_SECRETTOKEN1234567890"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project, standing in for .git/config or /proc/self/environ."""
    path = tmp_path / "outside" / "config"
    path.parent.mkdir()
    path.write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n")
    return path


def _never_leaks(result: subprocess.CompletedProcess[str]) -> None:
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# --- links out of the checkout ----------------------------------------------------------------


def test_a_seed_that_links_out_of_the_checkout_is_refused_unread(
    project: Project, second_dir: Path, secret: Path
) -> None:
    (project.seeds_dir / "notes.txt").symlink_to(secret)
    replace_in(second_dir / "article.yaml", "seed: 101_council_vote.txt", "seed: notes.txt")
    result = run_factsheet(project.root, "build")
    assert result.returncode == 1
    assert "seeds/notes.txt is a symbolic link" in result.stderr
    _never_leaks(result)
    assert not project.site_dir.exists()


@pytest.mark.parametrize("what", ["fact file", "article folder", "registry", "seeds folder"])
def test_linked_fact_files_and_folders_are_refused_unread(
    what: str, project: Project, secret: Path, tmp_path: Path
) -> None:
    if what == "fact file":
        link = project.facts_dir / FIRST / "quotes.yaml"
        link.unlink()
        link.symlink_to(secret)
    elif what == "article folder":
        elsewhere = tmp_path / "elsewhere"
        (project.facts_dir / SECOND).rename(elsewhere)
        (project.facts_dir / SECOND).symlink_to(elsewhere)
    elif what == "registry":
        link = project.facts_dir / "actors.yaml"
        link.unlink()
        link.symlink_to(secret)
    else:
        elsewhere = tmp_path / "seeds-elsewhere"
        project.seeds_dir.rename(elsewhere)
        project.seeds_dir.symlink_to(elsewhere)
    result = run_factsheet(project.root, "validate")
    assert result.returncode == 1
    assert "is a symbolic link" in result.stderr
    _never_leaks(result)


def test_links_under_docs_are_refused_before_mkdocs_follows_them(
    project: Project, secret: Path
) -> None:
    (project.docs_dir / "notes.md").symlink_to(secret)
    result = run_factsheet(project.root, "build")
    assert result.returncode == 1
    assert "docs/notes.md is a symbolic link" in result.stderr
    _never_leaks(result)
    assert not project.site_dir.exists()


def test_fmt_never_rewrites_a_file_a_link_points_at(project: Project, secret: Path) -> None:
    link = project.facts_dir / FIRST / "events.yaml"
    outside = secret.with_name("events.yaml")
    outside.write_bytes(
        link.read_bytes().replace(b"- id: bridge-opened", b"- id:    bridge-opened")
    )
    before = outside.read_bytes()
    link.unlink()
    link.symlink_to(outside)
    for args in (["fmt"], ["fmt", str(link)], ["fmt", str(outside)]):
        result = run_factsheet(project.root, *args)
        assert result.returncode == 1, args
    assert outside.read_bytes() == before


def test_fmt_writes_through_no_link_planted_beside_a_fact_file(
    project: Project, secret: Path
) -> None:
    """A pull request can commit a link with any name next to a fact file (such as a name a
    temporary file might take); rewriting the fact file must replace, never follow."""
    events = project.facts_dir / FIRST / "events.yaml"
    events.write_bytes(
        events.read_bytes().replace(b"- id: bridge-opened", b"- id:   bridge-opened")
    )
    before = secret.read_bytes()
    for name in (".events.yaml.fmt", ".tmp-events.yaml", "events.yaml.tmp"):
        (events.parent / name).symlink_to(secret)
    result = run_factsheet(project.root, "fmt", str(events))
    assert result.returncode == 0, result.stderr
    assert secret.read_bytes() == before
    assert not events.is_symlink() and b"- id: bridge-opened" in events.read_bytes()


@pytest.mark.parametrize("linked", ["docs", "docs/sheets", "schema"])
def test_output_folders_that_are_links_are_refused_and_not_written_through(
    linked: str, project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside-output"
    folder = project.root / linked
    if folder.exists():
        shutil.copytree(folder, outside)
        shutil.rmtree(folder)
    else:
        outside.mkdir()
    folder.symlink_to(outside)
    before = tree_bytes(outside)
    result = run_factsheet(project.root, "schema" if linked == "schema" else "generate")
    assert result.returncode == 1
    assert "is a symbolic link" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_bytes(outside) == before


@pytest.mark.slow
@pytest.mark.parametrize("name", [".site.building", ".site.old", "site"])
def test_a_build_never_empties_a_folder_a_link_in_its_way_points_at(
    name: str, project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "someone-elses-folder"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me")
    (project.root / name).symlink_to(outside)
    result = run_factsheet(project.root, "build")
    assert result.returncode == 0, result.stderr
    assert (outside / "precious.txt").read_text() == "keep me"
    assert sorted(path.name for path in outside.iterdir()) == ["precious.txt"]
    assert project.site_dir.is_dir() and not project.site_dir.is_symlink()


def test_committed_build_folders_are_refused(project: Project, tmp_path: Path) -> None:
    (project.root / ".site.building").mkdir()
    (project.root / ".site.building" / "index.html").write_text("<script>1</script>")
    _git(project.root, "init", "-q", "-b", "main")
    _git(project.root, "add", "-f", ".")
    _git(project.root, "commit", "-q", "-m", "a pull request that commits a half-built site")
    result = run_factsheet(project.root, "generate")
    assert result.returncode == 1
    assert "is committed, but it is generated output" in result.stderr


def test_tool_output_reaches_the_log_printable_and_without_workflow_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    from generator.build import relay

    relay(io.BytesIO(b"INFO fine\n::add-mask::secret\n  ::warning file=x::forged\n\x1b]0;t\x07\n"))
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "INFO fine"
    assert all(not line.lstrip().startswith("::") for line in lines)
    assert "\x1b" not in "".join(lines) and "\\x1b" in "".join(lines)


def test_names_under_docs_that_could_act_on_a_log_are_refused(project: Project) -> None:
    (project.docs_dir / "notes\n::add-mask::x.md").write_text("# Notes\n")
    result = run_factsheet(project.root, "build")
    assert result.returncode == 1
    assert "line break or a control or invisible character" in result.stderr
    assert "\n::add-mask::" not in result.stderr
    assert not any(line.startswith("::") for line in result.stderr.splitlines())


# --- committed output -------------------------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_committed_generated_pages_are_refused(project: Project) -> None:
    assert generate(project).written
    page = project.generated_dir / FIRST / "index.md"
    page.write_text(page.read_text() + "\n<script>window.__pwned=1</script>\n")
    _git(project.root, "init", "-q", "-b", "main")
    _git(project.root, "add", "-f", ".")
    _git(project.root, "commit", "-q", "-m", "a pull request that commits its own pages")
    result = run_factsheet(project.root, "build")
    assert result.returncode == 1
    assert "is committed, but it is generated output" in result.stderr
    assert not project.site_dir.exists()


def test_a_forged_manifest_and_pages_are_not_trusted_on_a_fresh_checkout(
    project: Project, tmp_path: Path
) -> None:
    """Without git to ask, the pages are still made from the facts: no digest, file list or
    page in the tree decides that nothing needs checking."""
    assert generate(project).written
    honest = tree_bytes(project.generated_dir)
    page = project.generated_dir / FIRST / "index.md"
    page.write_text(page.read_text() + "\n<script>window.__pwned=1</script>\n")
    os.environ["FACTSHEET_CACHE_DIR"] = str(tmp_path / "another-machine")
    try:
        report = generate(project)
    finally:
        os.environ["FACTSHEET_CACHE_DIR"] = str(tmp_path.parent / "cache")
    assert f"{FIRST}/index.md" in report.written
    assert tree_bytes(project.generated_dir) == honest


def test_a_page_changed_after_generation_is_noticed(project: Project) -> None:
    assert generate(project).written
    page = project.generated_dir / FIRST / "index.md"
    honest = page.read_bytes()
    page.write_bytes(honest + b"<script>window.__pwned=1</script>")
    assert generate(project).written == [f"{FIRST}/index.md"]
    assert page.read_bytes() == honest


# --- a hostile git history --------------------------------------------------------------------

FORGED = "0123456789abcdef0123456789abcdef01234567"


def _commit(root: Path, message: str, committer_date: str | None = None) -> None:
    """Commit what is staged as a contributor could, with any message and committer date."""
    environment = {**os.environ, "GIT_AUTHOR_DATE": "2024-03-08T12:00:00Z"}
    if committer_date is not None:
        environment["GIT_COMMITTER_DATE"] = committer_date
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(
        [*git, "commit", "-q", "--cleanup=verbatim", "-m", message],
        cwd=root,
        env=environment,
        check=True,
        capture_output=True,
    )


def _commit_object(root: Path, message: str, committer: str) -> None:
    """Commit what is staged with a committer line git itself would not write."""
    git = ["git", "-C", str(root)]
    tree = subprocess.run([*git, "write-tree"], capture_output=True, text=True, check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    body = (
        f"tree {tree.stdout.strip()}\nparent {head.stdout.strip()}\n"
        f"author t <t@example.invalid> 1709899200 +0000\ncommitter {committer}\n\n{message}\n"
    )
    made = subprocess.run(
        [*git, "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
        input=body.encode(),
        capture_output=True,
        check=True,
    )
    subprocess.run([*git, "update-ref", "HEAD", made.stdout.decode().strip()], check=True)


def _touch(project: Project, article: str) -> None:
    quotes = project.facts_dir / article / "quotes.yaml"
    quotes.write_text(quotes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git(project.root, "add", "facts")


def test_commit_messages_cannot_forge_the_corrections_log(project: Project) -> None:
    """Separators, a commit id, a file name and an impossible date in commit messages, and
    committer dates out of range or unreadable: no record is forged, none fails the build."""
    root = project.root
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "facts", "seeds")
    _commit(root, "Add the sheets", "2024-03-08T12:00:00Z")
    hostile = [
        # The separators of the old format, then a forged record of an impossible date.
        f"Fix a quote\x1e{FORGED}\x1f2021-13-45\x1fForged record",
        f"\x1f2021-13-45\x1f\x1e{FORGED}\x1f2021-13-45\x1f",
        # Fields of a record, each where a subject stands.
        FORGED,
        "2021-13-45",
        f"facts/{SECOND}/quotes.yaml",
        # A subject over several lines and a body naming another sheet's files.
        f"Two lines\n{FORGED}\n\nfacts/{SECOND}/quotes.yaml\n\x1e{FORGED}\x1f2021-01-01\x1fx",
    ]
    for message in hostile:
        _touch(project, FIRST)
        _commit(root, message, "2024-03-09T12:00:00Z")
    _touch(project, FIRST)
    _commit(root, "From the year 5138", "@99999999999 +0000")
    _touch(project, FIRST)
    _commit_object(root, "An unreadable committer date", "t <t@example.invalid> garbage")
    _touch(project, FIRST)
    _commit(root, "Last honest change", "2024-03-10T12:00:00Z")

    histories = read_history(root)
    assert set(histories) == set(NEWSROOM_ARTICLES)
    assert [change.subject for change in histories[SECOND].changes] == ["Add the sheets"]
    first = histories[FIRST]
    assert [change.date for change in first.changes] == (
        ["2024-03-08"] + ["2024-03-09"] * len(hostile) + ["2024-03-10"]
    )
    assert [change.subject for change in first.corrections] == [
        "Last honest change",
        f"Two lines {FORGED}",
        f"facts/{SECOND}/quotes.yaml",
        "2021-13-45",
        FORGED,
        f"2021-13-45{FORGED}2021-13-45",
        f"Fix a quote{FORGED}2021-13-45Forged record",
    ]
    assert FORGED[:12] not in {change.commit for change in first.changes}
    assert first.last_reviewed == "2024-03-10"
    assert generate(project).written
    page = (project.generated_dir / FIRST / "index.md").read_text(encoding="utf-8")
    # The sheet dates its last review from the history; commit subjects are not shown to
    # readers (corrections are the curators' own, in article.yaml).
    assert "last reviewed 10 March 2024" in page
    assert "Forged record" not in page and "Last honest change" not in page


# --- names and dates given to `factsheet new` -------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["--id", "2024-03-06-council-vote\n"],
        ["--id", "2024-03-06-council-vote\n::warning::x"],
        ["--date", "2024-03-06\n"],
    ],
    ids=["id", "id-and-line", "date"],
)
def test_new_article_refuses_an_id_or_a_date_that_ends_in_a_line_feed(
    options: list[str], project: Project
) -> None:
    before = sorted(path.name for path in project.facts_dir.iterdir())
    result = run_factsheet(
        project.root, "new", "article", "seeds/101_council_vote.txt", "--title", "T", *options
    )
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert not any(line.startswith("::") for line in result.stderr.splitlines())
    assert sorted(path.name for path in project.facts_dir.iterdir()) == before


@pytest.mark.parametrize("date", ["9999-12-31", "1582-12-31", "20240306", "2024-W10-3"])
def test_new_article_takes_only_a_date_validation_accepts(date: str, project: Project) -> None:
    (project.seeds_dir / "undated.txt").write_text("A seed without a date line.\n")
    result = run_factsheet(
        project.root, "new", "article", "seeds/undated.txt", "--title", "T", "--date", date
    )
    assert result.returncode == 1
    assert "is not a date from 1583 to 2999" in result.stderr
    assert not list(project.facts_dir.glob(f"{date}*"))


# --- characters that display as nothing, or that a feed cannot hold ---------------------------


def test_every_invisible_control_and_noncharacter_is_refused_and_nothing_else() -> None:
    """The refused characters are Unicode's: checked against the `regex` module's tables."""
    import regex  # dateparser's own dependency

    every = "".join(map(chr, range(0x110000)))
    properties = (
        r"[\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\p{Cs}\p{Cc}\p{Zl}\p{Zp}"
        r"\p{Bidi_Control}]"
    )
    expected = set(regex.findall(properties, every)) - set("\t\n\r")
    refused = set(INVISIBLE_OR_CONTROL.findall(every))
    # Besides: a blank that displays as nothing, and the interlinear annotation characters.
    assert refused == expected | set("\u2800\ufff9\ufffa\ufffb")


HIDDEN = [
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\ufdef",
    "\U0001fffe",
    "\U0010ffff",
    "\x85",
    "\x9b",
    "\uffa0",
    "\u3164",
    "\u034f",
    "\ufe00",
    "\ufe0f",
    "\u180b",
    "\u180f",
    "\U000e0100",
    "\U000e01ef",
    "\u2800",
    "\u17b4",
    "\u17b5",
    "\U0001d173",
    "\U0001d17a",
    "\ufff0",
    "\ufff8",
    "\U0001bca0",
]


@pytest.mark.parametrize("char", HIDDEN, ids=lambda char: f"U+{ord(char):04X}")
def test_a_hidden_character_is_refused_written_as_itself_or_as_an_escape(char: str) -> None:
    path = Path("facts/actors.yaml")
    escape = f"\\u{ord(char):04X}" if ord(char) < 0x10000 else f"\\U{ord(char):08X}"
    with pytest.raises(FactsheetError) as caught:
        load_bytes(path, f'- name: "Di Ma{escape}io"\n'.encode())
    assert [(p.line, p.column) for p in caught.value.problems] == [(1, 9)]
    assert f"U+{ord(char):04X}" in caught.value.problems[0].message
    with pytest.raises(FactsheetError) as caught:
        load_bytes(path, f"- name: Di Ma{char}io\n".encode())
    if char in "\ufffe\uffff\x9b":  # not even YAML: the parser refuses it too
        assert caught.value.problems
    else:
        assert any(
            (p.line, p.column) == (1, 14) and f"U+{ord(char):04X}" in p.message
            for p in caught.value.problems
        ), [p.format() for p in caught.value.problems]


def test_a_surrogate_escape_and_an_emoji_selector_are_refused_and_plain_text_is_not() -> None:
    path = Path("facts/actors.yaml")
    with pytest.raises(FactsheetError):
        load_bytes(path, b'- name: "Di Ma\\ud800io"\n')
    with pytest.raises(FactsheetError) as caught:
        load_bytes(path, "- name: I \u2764\ufe0f Rome\n".encode())
    assert "U+FE0F VARIATION SELECTOR-16" in caught.value.problems[0].message
    plain = "I \u2764 R\u00f4me, \u201cqu\u00f6te\u201d \u2014 \u4e2d\u6587 \U0001f600\u00a0\ufffd"
    assert load_bytes(path, f"- name: {plain}\n".encode()).data == [{"name": plain}]


def test_a_noncharacter_escaped_in_a_summary_is_refused_before_the_atom_feed(
    project: Project, first_dir: Path
) -> None:
    """lxml refuses U+FFFE in the feed: validation refuses it first, where it is written."""
    article = first_dir / "article.yaml"
    text = article.read_text(encoding="utf-8")
    summary = re.search(r"^summary: (.*)$", text, re.MULTILINE)
    assert summary is not None and '"' not in summary.group(1)
    line = replace_in(article, summary.group(0), f'summary: "\\uFFFE{summary.group(1)}"')
    with pytest.raises(FactsheetError) as caught:
        generate(project)
    assert [(p.path, p.line, p.column) for p in caught.value.problems] == [(article, line, 10)]
    assert "U+FFFE" in caught.value.problems[0].message
    assert not (project.generated_dir / "feed.xml").exists()


def test_a_deadline_in_the_year_9999_is_refused_before_the_icalendar_feed(
    project: Project, first_dir: Path
) -> None:
    questions = first_dir / "questions.yaml"
    line = replace_in(questions, 'deadline: "2024-03-05"', 'deadline: "9999-12-31"')
    result = run_factsheet(project.root, "generate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"questions.yaml:{line}:13: error: " in result.stderr
    assert "'9999-12-31' is outside the years 1583 to 2999" in result.stderr


# --- what reaches a terminal or a CI log ------------------------------------------------------


def test_file_names_and_values_cannot_start_workflow_commands_or_escape_sequences(
    project: Project,
) -> None:
    hostile = project.facts_dir / "x\n::warning file=a::forged\n::add-mask::x\x1b]0;t\x07.txt"
    hostile.write_text("x")
    replace_in(
        project.facts_dir / FIRST / "quotes.yaml",
        "speaker: ana-ruiz",
        'speaker: "\\e[2J\\n::stop-commands::token"',
    )
    for output in ("text", "github"):
        result = run_factsheet(project.root, "validate", "--format", output)
        assert result.returncode == 1
        for line in (result.stdout + result.stderr).splitlines():
            if "::" in line.lstrip()[:2]:
                assert line.startswith("::error file="), line  # our own command, nothing else
        assert "\x1b" not in result.stdout + result.stderr
        assert "\x07" not in result.stdout + result.stderr


# --- interrupted and concurrent runs ----------------------------------------------------------

_KILL_AFTER = """
import os, signal, sys
import generator.write as write
real = write._atomic_write
count = [0]
def dying(target, data):
    real(target, data)
    count[0] += 1
    if count[0] == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
write._atomic_write = dying
from generator.cli import main
main(["--root", sys.argv[1], "generate"])
"""


@pytest.mark.parametrize(("after", "fresh"), [(1, False), (2, False), (20, True)])
def test_a_generate_killed_mid_write_leaves_a_tree_the_next_run_completes(
    after: int, fresh: bool, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert generate(project).written
    before = tree_bytes(project.generated_dir)
    # Another repository address changes the correction links of every sheet; a fresh folder
    # has every page to write.
    monkeypatch.setenv("REPO_URL", "https://github.com/another/repository")
    if fresh:
        shutil.rmtree(project.generated_dir)
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AFTER, str(project.root), str(after)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    half = tree_bytes(project.generated_dir)
    assert half != before and len(half) < len(before) + 2  # the run died half-way through
    again = run_factsheet(project.root, "generate")
    assert again.returncode == 0, again.stderr
    fresh = Project(project.root.with_name("fresh"))
    shutil.copytree(project.root, fresh.root, ignore=shutil.ignore_patterns("sheets"))
    assert generate(fresh).written

    def pages(folder: Path) -> dict[str, bytes]:  # the search bundle's file names vary by run
        return {k: v for k, v in tree_bytes(folder).items() if not k.startswith("pagefind/")}

    assert pages(project.generated_dir) == pages(fresh.generated_dir)
    assert (project.generated_dir / "pagefind" / "pagefind-entry.json").is_file()
    assert not list(project.generated_dir.rglob(".tmp-*"))


def test_concurrent_generates_wait_for_each_other(project: Project) -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(project.root), "generate"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert "Traceback" not in err
    assert (project.generated_dir / MARKER_FILE).is_file()
    validate_project(project)


def test_an_unwritable_output_is_a_clear_error(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.write as write

    def refuse(target: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(write, "_atomic_write", refuse)
    assert cli.main(["--root", str(project.root), "generate"]) == 1
    err = capsys.readouterr().err
    assert "cannot write the generated pages: Permission denied" in err
    assert "Traceback" not in err


def test_a_failed_write_never_leaves_unowned_files(project: Project) -> None:
    with pytest.raises(FactsheetError):
        (project.facts_dir / FIRST / "figures.yaml").write_text("- id: [broken\n")
        generate(project)
    assert not project.generated_dir.exists()


# --- the workflows ----------------------------------------------------------------------------

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_pin_actions_and_keep_no_credentials(workflow: Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    for job_name, job in data["jobs"].items():
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
                if step["uses"].startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False, job_name
            if "run" in step:
                assert "${{" not in step["run"], f"{job_name}: pass expressions through env"


def test_only_the_deploy_job_may_write_to_pages() -> None:
    pages = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    assert set(pages["permissions"]) == {"contents"}
    for name, job in pages["jobs"].items():
        granted = job.get("permissions", {})
        if name == "deploy":
            assert granted == {"pages": "write", "id-token": "write"}
            assert all("run" not in step for step in job["steps"])
        else:
            assert granted.get("pages") is None and granted.get("id-token") is None


def test_ci_fails_when_generated_output_is_committed_and_prints_no_name(tmp_path: Path) -> None:
    """The CI step itself, run in a checkout that commits a page named like a workflow
    command: it fails, and nothing from the pull request reaches the log."""
    ci = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    script = next(
        step["run"]
        for job in ci["jobs"].values()
        for step in job["steps"]
        if step.get("name") == "Generated output is not committed"
    )
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text("facts\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "clean")
    clean = subprocess.run(["bash", "-ec", script], cwd=tmp_path, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    page = tmp_path / "docs" / "sheets" / "::add-mask::x.md"
    page.parent.mkdir(parents=True)
    page.write_text("<script>1</script>\n")
    _git(tmp_path, "add", "-f", ".")
    _git(tmp_path, "commit", "-q", "-m", "commits its own page")
    dirty = subprocess.run(["bash", "-ec", script], cwd=tmp_path, capture_output=True, text=True)
    assert dirty.returncode == 1
    assert "1 generated file(s) are committed" in dirty.stderr
    assert "add-mask" not in dirty.stdout + dirty.stderr
