"""Time each stage on the worst inputs of about 1 MiB that a contributor can send.

    python -m bench.worst_inputs [--size KIB] [--timeout S] [--goal S] [--cases a,b]
                                                                       (make bench-worst)

Fact files may be up to 1 MiB (`generator.load.MAX_FILE_BYTES`), so every stage must take time
in proportion to its input up to that size, never its square: a pull request of one hostile
file must not tie up CI (or a reviewer's `factsheet validate`) for minutes. Each case copies
the fixture newsroom (tests/fixtures/newsroom), replaces one fact file (or the registry) with a
hostile one of the given size, and runs one stage on the project in a process of its own, with
a timeout, so that no case can hang the benchmark. The table gives seconds per MiB of hostile
input, on the wall clock and of CPU (the steadier measure on a shared machine); the goal is
at most 5 CPU seconds per MiB for every stage on a small (2-core) machine, and the command
fails if a case misses it, times out or crashes.

The builders (`prepare`) and the stages (`run_stage`) are also run at a small size by
tests/test_worst_inputs.py, which checks that every input is accepted or refused cleanly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NEWSROOM = REPO / "tests" / "fixtures" / "newsroom"
FIRST = "2024-03-04-old-harbour-bridge-to-close"
QUOTES = f"facts/{FIRST}/quotes.yaml"
MENTIONS = f"facts/{FIRST}/actors.yaml"
ARTICLE = f"facts/{FIRST}/article.yaml"
SEED = "seeds/100_harbour_bridge.txt"
REGISTRY = "facts/actors.yaml"
MIB = 1 << 20
KIB = 1 << 10


# --- building inputs ---------------------------------------------------------------------------


def repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    """head, then unit as many times as fits, then tail: at most `size` bytes of UTF-8."""
    room = size - len((head + tail).encode("utf-8"))
    return head + unit * max(0, room // len(unit.encode("utf-8"))) + tail


def numbered(make: Callable[[int], str], size: int, head: str = "") -> str:
    """head, then make(0), make(1), … while the text stays within `size` bytes."""
    parts, used, index = [head], len(head.encode("utf-8")), 0
    while True:
        part = make(index)
        used += len(part.encode("utf-8"))
        if used > size:
            return "".join(parts)
        parts.append(part)
        index += 1


def word(index: int) -> str:
    """A distinct lower-case word for each index: 'qa', 'qb', … 'qba', …"""
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = chr(ord("a") + rest) + letters
        if not index:
            return "q" + letters


def fixture_entries(relative: str) -> list[str]:
    """The entries of a fixture fact file as text, each starting with '- '."""
    text = (NEWSROOM / relative).read_text(encoding="utf-8")
    body = text[text.index("\n- ") + 3 :]
    return ["- " + entry for entry in body.split("\n- ")]


def many_quotes(size: int, change: str = "") -> str:
    """The fixture article's quotes over and over, each copy with ids of its own: a valid file.
    With change, every copy's context reads differently (the other side of a diff)."""
    entries = fixture_entries(QUOTES)

    def copy(number: int) -> str:
        entry = entries[number % len(entries)].rstrip("\n")
        entry = re.sub(r"^- id: (\S+)", rf"- id: \1-{number}", entry)
        if change:
            entry = entry.replace("  context: ", f"  context: {change} ", 1)
        return entry + "\n\n"

    return numbered(copy, size)


@dataclass(frozen=True)
class Case:
    """One hostile input: the stage it is for, and how to write it into a project."""

    name: str
    stage: str  # load, validate, fmt, diff, render, index or names
    what: str
    files: Callable[[int], dict[str, str]]  # project-relative path -> text, for a size in bytes
    expect: str = "accepted"  # the outcome: accepted, refused, formatted, not named
    before: Callable[[int], dict[str, str]] | None = None  # diff: the committed version


def _one(path: str, make: Callable[[int], str]) -> Callable[[int], dict[str, str]]:
    return lambda size: {path: make(size)}


def _nested(depth: int) -> str:
    lines = []
    for level in range(depth):
        lines.append("  " * level + ("- " if level == 0 else "  ") + f"k{level}:")
    return "\n".join(lines) + " v\n"


def _deep_and_wide(size: int) -> str:
    entry = _nested(15)
    return repeat(entry, size)


def _long_excerpts(size: int) -> str:
    """Mentions whose excerpts are as long as allowed (5,000 characters) and almost, but not
    quite, in the paragraph: each one is searched for and a hint computed."""
    paragraph = (
        "The city of Port Alder will close the Old Harbour Bridge to traffic next month, "
        "Mayor Ana Ruiz announced on Friday, after engineers found corrosion in more than 30 "
        "of its steel cables. "
    )
    excerpt = (paragraph * (5000 // len(paragraph) + 1))[:4990].strip()
    return numbered(
        lambda number: (
            f"- actor: ana-ruiz\n  source:\n    paragraph: 1\n    excerpt: {excerpt} {number}\n\n"
        ),
        size,
    )


def _long_paragraph(size: int) -> dict[str, str]:
    """A seed with one more paragraph, as long as a seed allows, and mentions citing it with
    excerpts as long as allowed that differ from it only in their last word: each excerpt is
    looked for in the whole paragraph, and a hint made of where it parts from it."""
    seed = (NEWSROOM / SEED).read_text(encoding="utf-8")
    paragraph = repeat("the bridge ", min(size // 2, 500 * KIB)).strip()
    number = sum(1 for line in seed.splitlines()[1:] if line.strip()) + 1  # after the date
    seed = f"{seed.rstrip()}\n{paragraph}\n"
    article = (NEWSROOM / ARTICLE).read_text(encoding="utf-8")
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    article = re.sub(r"(?m)^sha256: \S+$", f"sha256: {digest}", article)
    excerpt = repeat("the bridge ", 4980).strip()
    mentions = (NEWSROOM / MENTIONS).read_text(encoding="utf-8").rstrip() + "\n\n"
    room = size - len(seed.encode("utf-8")) - len(mentions.encode("utf-8"))
    mentions += numbered(
        lambda n: (
            f"- actor: old-harbour-bridge\n  source:\n    paragraph: {number}\n"
            f"    excerpt: {excerpt} {word(n)}\n\n"
        ),
        room,
    )
    return {SEED: seed, ARTICLE: article, MENTIONS: mentions}


def _many_aliases(size: int) -> str:
    """The registry with one actor given every alias that fits: each name check of that actor
    (every excerpt of every mention of it) meets all of them."""
    text = (NEWSROOM / REGISTRY).read_text(encoding="utf-8")
    head = text.replace("  aliases: [Ruiz]\n", "  aliases:\n    - Ruiz\n", 1)
    marker = "    - Ruiz\n"
    before, after = head.split(marker, 1)
    room = size - len((before + marker + after).encode("utf-8"))
    aliases = numbered(lambda number: f"    - Ana {word(number)} Ruiz\n", room)
    return before + marker + aliases + after


def _wide_fact(size: int, change: str = "") -> str:
    return numbered(
        lambda number: f"  {word(number)}: value {change}{number}\n", size, head="- id: wide\n"
    )


def _long_value(size: int, change: str = "") -> str:
    return repeat("word ", size, head=f"- id: long\n  text: {change}", tail="\n")


def _names_text(size: int) -> str:
    return repeat("a ", size)


CASES: tuple[Case, ...] = (
    # load: the strict YAML loader alone
    Case("many-lines", "load", "'- a' on every line", _one(QUOTES, lambda s: repeat("- a\n", s))),
    Case(
        "long-line",
        "load",
        "one plain scalar of the whole size",
        _one(QUOTES, lambda s: repeat("a", s, head="- ", tail="\n")),
    ),
    Case(
        "long-escaped-line",
        "load",
        "one double-quoted scalar of escapes",
        _one(QUOTES, lambda s: repeat("\\t", s, head='- "', tail='"\n')),
    ),
    Case(
        "unsafe-one-line",
        "load",
        "U+0001 throughout, one line",
        _one(QUOTES, lambda s: repeat("\x01", s)),
        expect="refused",
    ),
    Case(
        "unsafe-many-lines",
        "load",
        "U+0001 on every line",
        _one(QUOTES, lambda s: repeat("- \x01\n", s)),
        expect="refused",
    ),
    Case(
        "unsafe-bidi",
        "load",
        "U+202E after every word",
        _one(QUOTES, lambda s: repeat("a\u202e ", s, head="- ", tail="\n")),
        expect="refused",
    ),
    Case(
        "unsafe-escaped",
        "load",
        "the escape \\u0001 in every scalar",
        _one(QUOTES, lambda s: repeat('- "\\u0001"\n', s)),
        expect="refused",
    ),
    Case(
        "ambiguous-values",
        "load",
        "'- no' (a YAML 1.1 boolean) on every line",
        _one(QUOTES, lambda s: repeat("- no\n", s)),
        expect="refused",
    ),
    Case(
        "duplicate-keys",
        "load",
        "one key repeated",
        _one(QUOTES, lambda s: repeat("k: 1\n", s)),
        expect="refused",
    ),
    Case(
        "wide-mapping",
        "load",
        "one mapping of distinct keys",
        _one(QUOTES, lambda s: numbered(lambda n: f"{word(n)}: v\n", s)),
    ),
    Case(
        "deep-and-wide",
        "load",
        "entries nested 15 levels deep",
        _one(QUOTES, _deep_and_wide),
    ),
    Case(
        "deep-flow",
        "load",
        "'[' nested as deep as the size allows",
        _one(QUOTES, lambda s: repeat("[", s)),
        expect="refused",
    ),
    Case(
        "long-number",
        "load",
        "one integer of the whole size",
        _one(QUOTES, lambda s: repeat("1", s, head="- ", tail="\n")),
        expect="refused",
    ),
    Case(
        "sexagesimal",
        "load",
        "'1:1:1…' (a YAML 1.1 number) of the whole size",
        _one(QUOTES, lambda s: repeat(":1", s, head="- 1", tail="\n")),
        expect="refused",
    ),
    Case(
        "long-key",
        "load",
        "one key of the whole size",
        _one(QUOTES, lambda s: repeat("k", s, tail=": v\n")),
        expect="refused",
    ),
    Case(
        "comments-only",
        "load",
        "a comment on every line",
        _one(QUOTES, lambda s: repeat("# a comment\n", s)),
    ),
    # validate: loading, schema and provenance of the whole project
    Case(
        "huge-excerpt",
        "validate",
        "one quote whose excerpt is the whole size",
        _one(
            QUOTES,
            lambda s: repeat(
                "word ",
                s,
                head="- id: huge\n  speaker: ana-ruiz\n  text: word\n"
                "  source:\n    paragraph: 1\n    excerpt: ",
                tail="\n",
            ),
        ),
        expect="refused",
    ),
    Case("many-quotes", "validate", "valid quotes, copied", _one(QUOTES, many_quotes)),
    Case(
        "long-excerpts",
        "validate",
        "mentions with 5,000-character excerpts not in the paragraph",
        _one(MENTIONS, _long_excerpts),
        expect="refused",
    ),
    Case(
        "long-paragraph",
        "validate",
        "a seed paragraph of 0.5 MiB, and long excerpts that nearly match it",
        _long_paragraph,
        expect="refused",
    ),
    Case(
        "many-aliases",
        "validate",
        "one actor with every alias that fits",
        _one(REGISTRY, _many_aliases),
    ),
    # names: whole-word name lookups (provenance's attribution rules) on long token sequences
    Case(
        "repeated-token",
        "names",
        "'a a a …' against long names of 'a'",
        _one("words", _names_text),
        expect="not named",
    ),
    Case(
        "many-names",
        "names",
        "half the size in names, half in words that match none",
        _one("words", lambda s: numbered(lambda n: f"{word(n)} ", s)),
        expect="not named",
    ),
    # fmt: the canonical layout with comments kept
    Case(
        "comment-lines",
        "fmt",
        "'- a #' on every line",
        _one(QUOTES, lambda s: repeat("- a #\n", s)),
        expect="formatted",
    ),
    Case(
        "trailing-comments",
        "fmt",
        "a comment at the end of every line",
        _one(QUOTES, lambda s: repeat("- a  # note\n", s)),
        expect="formatted",
    ),
    Case(
        "comment-block",
        "fmt",
        "one block of comment lines above one entry",
        _one(QUOTES, lambda s: repeat("# note\n", s, tail="- a\n")),
        expect="formatted",
    ),
    Case(
        "commented-fields",
        "fmt",
        "a comment above and after every field",
        _one(
            QUOTES,
            lambda s: numbered(
                lambda n: f"# entry\n- id: q{n}  # id\n  # speaker\n  speaker: ana-ruiz  # who\n",
                s,
            ),
        ),
        expect="formatted",
    ),
    Case(
        "flow-comments",
        "fmt",
        "a comment inside every flow list",
        _one(QUOTES, lambda s: repeat("- tags: [a,  # c\n    b]\n", s)),
        expect="formatted",
    ),
    Case(
        "long-line-comment",
        "fmt",
        "one long value with a comment after it",
        _one(QUOTES, lambda s: repeat("a", s, head="- ", tail="  # c\n")),
        expect="formatted",
    ),
    # diff: two versions of a large file, both read with the strict loader and compared
    Case(
        "many-facts",
        "diff",
        "every copied quote's context changed",
        _one(QUOTES, lambda s: many_quotes(s, "Edited,")),
        before=_one(QUOTES, many_quotes),
    ),
    Case(
        "wide-fact",
        "diff",
        "one fact of many fields, all changed",
        _one(QUOTES, lambda s: _wide_fact(s, "new ")),
        before=_one(QUOTES, _wide_fact),
    ),
    Case(
        "long-value",
        "diff",
        "one fact with a value of the whole size, changed",
        _one(QUOTES, lambda s: _long_value(s, "new ")),
        before=_one(QUOTES, _long_value),
    ),
    # render and index: a valid project with a large file of facts
    Case("many-quotes", "render", "valid quotes, copied", _one(QUOTES, many_quotes)),
    Case("many-quotes", "index", "valid quotes, copied", _one(QUOTES, many_quotes)),
)


def case_id(case: Case) -> str:
    return f"{case.stage}/{case.name}"


def find_case(name: str) -> Case:
    return next(case for case in CASES if case_id(case) == name)


@dataclass
class Prepared:
    root: Path
    files: list[Path]
    bytes: int


def base_project(root: Path) -> None:
    """The fixture newsroom with the repository's site configuration."""
    root.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("sheets"))
    shutil.copytree(REPO / "schema", root / "schema")
    for folder in ("facts", "seeds"):
        shutil.copytree(NEWSROOM / folder, root / folder)


def _write(root: Path, files: dict[str, str]) -> list[Path]:
    written = []
    for relative, text in files.items():
        path = root / relative
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=120,
    )


def prepare(case: Case, root: Path, size: int) -> Prepared:
    """Write the case's project under root (which must not exist yet)."""
    base_project(root)
    hostile = 0
    if case.before is not None:
        old = case.before(size)
        _write(root, old)
        hostile += sum(len(text.encode("utf-8")) for text in old.values())
        _git(root, "init", "-q")
        _git(root, "add", ".")
        _git(root, "commit", "-q", "-m", "before")
    files = case.files(size)
    paths = _write(root, files)
    hostile += sum(len(text.encode("utf-8")) for text in files.values())
    return Prepared(root, paths, hostile)


# --- running a stage -----------------------------------------------------------------------------


class Clock:
    """Seconds since `restart`: on the wall clock, and of CPU in this process and the programs
    it ran (on a shared machine the CPU time is the steadier measure)."""

    def __init__(self) -> None:
        self.wall, self.cpu = 0.0, 0.0
        self.restart()

    def restart(self) -> None:
        self.wall, self.cpu = time.perf_counter(), _cpu()

    def read(self) -> dict[str, float]:
        return {"seconds": time.perf_counter() - self.wall, "cpu_seconds": _cpu() - self.cpu}


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def name_index(case: Case, text: str) -> tuple[Any, list[str]]:
    """The name index and the words of a `names` case (built outside the timing)."""
    from generator.provenance.attribution import NameIndex
    from generator.provenance.passages import tokens

    index = NameIndex()
    if case.name == "repeated-token":
        # Long names (100 tokens, within a name's 200 characters) that all start as the text
        # does and differ from it only at their end.
        for number in range(64):
            index.add("actor", " ".join(["a"] * 99 + [word(number)]))
        return index, tokens(text)
    half = len(text) // 2
    for name in text[:half].split():
        index.add("actor", f"{name} {name}")
    return index, tokens(text[half:])


def run_stage(case: Case, prepared: Prepared) -> dict[str, Any]:
    """Run the case's stage on its project and return what came of it, with the time the
    stage itself took (not the setup before it)."""
    from generator.build import generate
    from generator.diff import diff_markdown
    from generator.errors import FactsheetError
    from generator.fmt import format_files
    from generator.index import index_search
    from generator.load import load_file
    from generator.project import Project
    from generator.render import SiteRender
    from generator.validate import validate_project
    from generator.write import project_lock

    project = Project(prepared.root)
    target = prepared.files[0]
    result: dict[str, Any] = {"outcome": "accepted", "problems": 0}
    clock = Clock()
    try:
        if case.stage == "names":
            index, words = name_index(case, target.read_text(encoding="utf-8"))
            clock.restart()
            result["outcome"] = "named" if index.mentions(words, "actor") else "not named"
        elif case.stage == "load":
            loaded = load_file(target, allow_empty=True)
            result["entries"] = len(loaded.data) if isinstance(loaded.data, list | dict) else 1
        elif case.stage == "validate":
            corpus = validate_project(project, use_cache=False)
            result["facts"] = sum(facts.fact_count for facts in corpus.articles)
        elif case.stage == "fmt":
            formatted = format_files(project, [target], check=True)
            result["problems"] = len(formatted.problems)
            result["outcome"] = "refused" if formatted.problems else "formatted"
            if formatted.problems:
                result["first"] = formatted.problems[0].format(project.root)
        elif case.stage == "diff":
            result["markdown_bytes"] = len(diff_markdown(project, "HEAD").encode("utf-8"))
        elif case.stage == "render":
            corpus = validate_project(project, use_cache=False)
            clock.restart()
            result["pages"] = len(SiteRender(corpus, project.site_config).all_pages())
        elif case.stage == "index":
            generate(project, index=False)
            clock.restart()
            with project_lock(project):
                report = index_search(project)
            result["records"] = report.records if report else 0
        else:
            raise ValueError(f"unknown stage {case.stage}")
    except FactsheetError as error:
        result["outcome"] = "refused"
        result["problems"] = len(error.problems)
        result["first"] = error.problems[0].format(project.root)
    result.update(clock.read())
    return result


# --- the benchmark -------------------------------------------------------------------------------


def _child(name: str, size: int, work: Path) -> None:
    case = find_case(name)
    prepared = prepare(case, work / "project", size)
    result = run_stage(case, prepared)
    result["bytes"] = prepared.bytes
    print(json.dumps(result))


def measure(case: Case, size: int, timeout: float, work: Path) -> dict[str, Any]:
    """Run one case in a process of its own (and its own process group, so that whatever it
    starts goes with it), killed at the timeout."""
    folder = Path(tempfile.mkdtemp(prefix="case-", dir=work))
    command = [sys.executable, "-m", "bench.worst_inputs", "--child", case_id(case)]
    command += ["--bytes", str(size), "--work", str(folder)]
    environment = {**os.environ, "FACTSHEET_CACHE_DIR": str(folder / "cache")}
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"outcome": "timeout"}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if process.returncode != 0 or not out.strip():
        return {"outcome": "crashed", "error": err.strip().splitlines()[-1:] or ["?"]}
    return dict(json.loads(out.strip().splitlines()[-1]))


def _outcome(case: Case, result: dict[str, Any]) -> str:
    outcome = str(result["outcome"])
    if outcome == "crashed":
        return f"CRASHED: {result['error'][0]}"
    shown = f"refused, {result['problems']:,} problem(s)" if outcome == "refused" else outcome
    return shown if outcome in (case.expect, "timeout") else f"{shown} (EXPECTED {case.expect})"


def row(case: Case, result: dict[str, Any], goal: float) -> tuple[list[str], bool]:
    """A table row for a case, and whether it met the goal (CPU seconds per MiB) with the
    outcome expected."""
    if result["outcome"] in ("timeout", "crashed"):
        cells = [result["outcome"]] * 5
        met = False
    else:
        mib = result["bytes"] / MIB
        wall, cpu = result["seconds"], result["cpu_seconds"]
        cells = [
            f"{result['bytes'] / KIB:,.0f}",
            f"{wall:.2f}",
            f"{cpu:.2f}",
            f"{wall / mib:.2f}",
            f"{cpu / mib:.2f}",
        ]
        met = cpu / mib <= goal and result["outcome"] == case.expect
    return [case.stage, case.name, *cells, _outcome(case, result), case.what], met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=MIB // KIB, help="input size in KiB")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed a case")
    parser.add_argument("--goal", type=float, default=5.0, help="CPU seconds per MiB allowed")
    parser.add_argument("--cases", default="", help="comma-separated stages or stage/case names")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--bytes", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.bytes, args.work)
        return
    wanted = [name for name in args.cases.split(",") if name]
    cases = [c for c in CASES if not wanted or c.stage in wanted or case_id(c) in wanted]
    print(f"Worst inputs of {args.size:,} KiB, {args.timeout:g} s allowed each", file=sys.stderr)
    rows, missed = [], []
    with tempfile.TemporaryDirectory(prefix="factsheet-worst-") as work:
        for case in cases:
            cells, met = row(
                case, measure(case, args.size * KIB, args.timeout, Path(work)), args.goal
            )
            print("  " + "  ".join(cells[:7]), file=sys.stderr)
            rows.append(cells)
            if not met:
                missed.append(case_id(case))
    print(
        "| stage | case | KiB | wall s | CPU s | wall s per MiB | CPU s per MiB | outcome | input |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---|")
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    if missed:
        print(f"\nOver {args.goal:g} CPU s per MiB, unexpected or failed: {', '.join(missed)}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
