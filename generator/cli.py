"""The `factsheet` command: validate, generate, build, serve, check-links, new, fmt, diff, schema."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .build import check_links, generate, mkdocs_build, serve
from .diff import RevisionError, diff_markdown
from .errors import FactsheetError
from .escape import printable
from .fmt import format_files
from .model import FACT_KINDS, json_schemas
from .project import Project, UnsafeFile
from .scaffold import new_article, new_entry
from .validate import validate_project

MAX_SCHEMA_BYTES = 4 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="factsheet",
        description="Build fact-sheet sites from curated YAML facts checked against their sources.",
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    validate_parser = commands.add_parser(
        "validate", help="check every fact file and report all problems"
    )
    validate_parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: print problems as GitHub Actions annotations on the changed lines",
    )
    commands.add_parser("generate", help="validate, then write the Markdown pages under docs/")
    commands.add_parser("build", help="validate, generate and build the site into site/")
    serve_parser = commands.add_parser("serve", help="preview the site; regenerates on edits")
    serve_parser.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    new_parser = commands.add_parser("new", help="start an article, or add a template entry")
    new_parser.add_argument(
        "kind",
        choices=("article", *(kind.singular for kind in FACT_KINDS), "actor"),
    )
    new_parser.add_argument("seed", nargs="?", type=Path, help="with 'article': the seed in seeds/")
    new_parser.add_argument("--title", help="with 'article': a descriptive title")
    new_parser.add_argument(
        "--date", help="with 'article': YYYY-MM-DD, if the seed has no date line"
    )
    new_parser.add_argument(
        "--id", help="with 'article': the folder name, DATE-few-words (default: from the title)"
    )
    new_parser.add_argument("--article", help="the article folder to add the entry to")
    fmt_parser = commands.add_parser("fmt", help="rewrite fact files in the canonical layout")
    fmt_parser.add_argument("--check", action="store_true", help="only list files that are off")
    fmt_parser.add_argument("paths", nargs="*", type=Path, help="files (default: all under facts/)")
    diff_parser = commands.add_parser(
        "diff", help="summarise in Markdown the facts added, changed or removed since REV"
    )
    diff_parser.add_argument("revision", help="a git revision, such as origin/main")
    links_parser = commands.add_parser(
        "check-links", help="check the built site's internal links and anchors offline"
    )
    links_parser.add_argument("site", nargs="?", type=Path, help="built site (default: site/)")
    schema_parser = commands.add_parser("schema", help="write the JSON Schemas to schema/")
    schema_parser.add_argument(
        "--check", action="store_true", help="only report whether schema/ is up to date"
    )
    args = parser.parse_args(argv)
    project = Project(args.root.resolve())

    def report(error: FactsheetError) -> None:
        for problem in error.problems:
            if getattr(args, "format", "text") == "github":
                print(problem.github_annotation(project.root))
            print(problem.format(project.root), file=sys.stderr)
        count = len(error.problems)
        print(f"factsheet: {count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)

    try:
        if args.command == "validate":
            corpus = validate_project(project)
            facts = sum(article.fact_count for article in corpus.articles)
            print(
                f"factsheet: {len(corpus.articles)} article(s), {len(corpus.actors)} actors and "
                f"{facts} facts are valid and match their sources."
            )
            excused = corpus.counts.facts_excused
            if excused:
                print(
                    f"factsheet: {excused} of them {'is' if excused == 1 else 'are'} excused "
                    "from a rule by a reviewer (review:), and marked so on the site."
                )
            return 0
        if args.command in ("generate", "build"):
            written = generate(project)
            print(
                f"factsheet: {len(written.written)} page(s) written, {len(written.removed)} "
                f"removed, {written.unchanged} unchanged in {printable(str(project.generated_dir))}."
            )
            if args.command == "generate":
                return 0
            code = mkdocs_build(project)
            if code == 0:
                print(
                    f"factsheet: the site is in {printable(str(project.site_dir))}/ "
                    "(preview it with: make serve)"
                )
            else:
                print("factsheet: the site build failed; the previous site/ is untouched.")
            return code
        if args.command == "serve":
            return serve(project, args.dev_addr, report)
        if args.command == "new":
            return _new(project, args)
        if args.command == "fmt":
            return _fmt(project, args.paths, check=args.check, report=report)
        if args.command == "diff":
            try:
                print(diff_markdown(project, args.revision), end="")
            except RevisionError as error:
                print(f"factsheet: {error}", file=sys.stderr)
                return 2
            return 0
        if args.command == "check-links":
            return check_links(args.site or project.site_dir)
        if args.command == "schema":
            return _schema(project, check=args.check)
    except FactsheetError as error:
        report(error)
        return 1
    except OSError as error:
        print(f"factsheet: {printable(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("factsheet: interrupted; the pages and the site are as they were.", file=sys.stderr)
        return 130
    return 2


def _new(project: Project, args: argparse.Namespace) -> int:
    if args.kind == "article":
        if args.seed is None or not args.title:
            print(
                "factsheet: give the seed and a title: factsheet new article seeds/NAME.txt --title '...'",
                file=sys.stderr,
            )
            return 2
        path = new_article(project, args.seed, args.title, args.date, args.id)
        print(
            f"factsheet: created {printable(str(path.relative_to(project.root)))}; "
            "write its summary, then add facts."
        )
    else:
        path = new_entry(project, args.kind, args.article)
        print(
            f"factsheet: added a commented {args.kind} template to "
            f"{printable(str(path.relative_to(project.root)))}."
        )
    return 0


def _fmt(
    project: Project, paths: list[Path], *, check: bool, report: Callable[[FactsheetError], None]
) -> int:
    problems = []
    if paths:
        files = [Path(os.path.abspath(path)) for path in paths]
    else:
        tree = project.scan_facts()
        problems = tree.problems
        files = [path for _, found in tree.articles for path in found]
        files = ([tree.registry] if tree.registry else []) + files
    result = format_files(project, files, check=check)
    result.problems[:0] = problems
    for path in result.changed:
        shown = path.relative_to(project.root) if path.is_relative_to(project.root) else path
        print(f"{printable(str(shown))}: {'not in canonical layout' if check else 'reformatted'}")
    if result.problems:
        report(FactsheetError(result.problems))
    if check and result.changed:
        print("factsheet: run 'factsheet fmt' to fix the layout.", file=sys.stderr)
    return 1 if result.problems or (check and result.changed) else 0


def _read_or_none(project: Project, path: Path) -> bytes | None:
    try:
        return project.read(path, MAX_SCHEMA_BYTES)
    except UnsafeFile:
        return None


def _schema(project: Project, *, check: bool) -> int:
    folder = project.schema_dir
    if check:
        stale = [
            name
            for name, text in json_schemas().items()
            if _read_or_none(project, folder / name) != text.encode("utf-8")
        ]
        for name in stale:
            print(f"{folder.name}/{name} is out of date: run 'factsheet schema'", file=sys.stderr)
        return 1 if stale else 0
    written = write_json_schemas(project)
    print(f"factsheet: {len(written)} schema file(s) updated in {folder}.")
    return 0


def write_json_schemas(project: Project) -> list[Path]:
    """Write the schemas that changed into the project's schema/ folder (through no link)."""
    written = []
    for name, text in json_schemas().items():
        path = project.schema_dir / name
        try:
            current = project.read(path, MAX_SCHEMA_BYTES) if path.exists() else None
        except UnsafeFile:
            current = None  # a link or an odd file in its place: replaced, never followed
        if current != text.encode("utf-8"):
            try:
                project.write(path, text.encode("utf-8"))
            except UnsafeFile as unsafe:
                raise FactsheetError([unsafe.problem()]) from None
            written.append(path)
    return written
