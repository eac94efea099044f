"""Stage 6, index: the site's search, built with Pagefind from the facts themselves.

Pagefind filters whole records, so a record's facts must share what readers filter by. The
records are therefore groups of facts, not pages:

* the quotes of one speaker in one article, and the claims of one claimant (so that "quotes
  by Blinken" finds Blinken's quotes, not every page that quotes him);
* the figures, the questions and the events of one article;
* each fact sheet (title and summary), and each actor (name, role, aliases).

Each fact is a heading with its anchor inside its record, so a result lists the matching facts
and links to them on the article page; the search dialog shows every matching fact as a result
of its own, named with its kind, its speaker and its article (from the record's filters). At
1,000 articles that is about 12 records an article: one record per fact (52,500) takes Pagefind
1.35 GB and 21 s against 0.57 GB and 6.6 s for the groups; one record per page cannot filter
single facts. Filters: kind, speaker or claimant, actor, article, year, tag.

Pagefind searches a record's metadata (its title and any `data-pagefind-meta`) as well as its
body, so a record carries none: a search for a word of an article's title or address would
otherwise match every group of that article, with no fact to show. The record's file is named
after the page it stands for (`sheets/<article>/quote-<actor>.html`), which is how a result
finds its page. A quote or a claim carries its speaker's names under the fact, weighted above
everything else, so that a speaker's name brings that speaker's statements first. Pagefind
counts records per filter value; the facts per value are written beside the bundle
(`fact-counts.json`) for the filter lists.

The records are written by the render stage (`.search/records.json` in the generated folder,
which the site does not publish). This stage turns them into small HTML files in a temporary
folder, runs the Pagefind binary that the `pagefind[bin]` wheel ships, and puts the bundle in
`docs/sheets/pagefind/`, where MkDocs and Zensical both copy it into the site as it is. It does
not read the built HTML, so navigation, edit links and footers are never indexed, and the same
index serves a Zensical build.

Pagefind holds the whole index in memory while it builds it (about 5 GiB for 10,000 articles), so
the records are indexed in parts of at most PART_RECORDS records, one Pagefind run and one bundle
each: the first part is the bundle itself, the others are its folders `part-1/`, `part-2/`...,
listed in `parts.json`, and the search dialog merges them with Pagefind's `mergeIndex`, which
searches them as one and ranks their results together. A site of up to about 2,000 articles is
one part. The fact counts are of every record. Pagefind's Python API (`PagefindIndex`) runs the
same program, but at 1,000 articles it took 1,466 s to add the records one message at a time,
against 28 s for the binary on the same files, so the binary stays.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import FactsheetError, Problem
from .escape import html_text, json_text
from .project import Project, UnsafeFile, remove_owned
from .runner import Finished, ToolTimeout, run

RECORDS = ".search/records.json"
BUNDLE = "pagefind"
FACT_COUNTS = "fact-counts.json"
# The list of the bundle's other parts ("part-1/", ...), which the search dialog merges in.
PARTS = "parts.json"
# The most records one Pagefind run indexes: Pagefind holds a whole index in memory, about
# 40 MiB per 1,000 records, so a larger corpus is indexed in parts of this size, one bundle
# each, and merged in the browser. A corpus of up to about 2,000 articles is one part.
PART_RECORDS = 30_000
# The weight of a speaker's or claimant's names under each of their statements: the highest
# in the index (Pagefind's scale ends at 10), so that the names find their statements first.
SPEAKER_WEIGHT = 10
_STATE = "search.json"
# The records are the generator's own output; the limit is there only so that nothing else is read.
_MAX_RECORDS_BYTES = 8 * 1024**3


@dataclass
class IndexReport:
    records: int
    seconds: float
    rebuilt: bool


# --- records (made by the render stage) --------------------------------------------------------


def record(
    url: str,
    name: str,
    kind: str,
    facts: list[dict[str, Any]],
    **filters: list[str],
) -> dict[str, Any]:
    """One search record: a group of facts sharing their filters, each with its anchor. Its
    file is `name`.html in the page's folder (`url`), so a result knows its page."""
    return {
        "path": f"{url}{name}.html",
        "url": url,
        "filters": {"kind": [kind], **{k: sorted(set(v)) for k, v in filters.items() if v}},
        "facts": facts,
    }


def fact(
    anchor: str,
    heading: str,
    text: str = "",
    extra: str = "",
    weight: int = 1,
    by: list[str] | None = None,
) -> dict[str, Any]:
    """A fact in a record: its heading (what a result shows) and the words it is found by.
    `extra` holds other spellings to match ('436000000' for '$436 million'); `by`, the names
    of whoever said it (a quote's speaker, a claim's claimant)."""
    return {
        "anchor": anchor,
        "heading": heading,
        "text": text,
        "extra": extra,
        "weight": weight,
        "by": " · ".join(dict.fromkeys(by or [])),
    }


def fact_counts(records: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """How many facts each filter value holds (Pagefind's own counts are of records)."""
    counts: dict[str, dict[str, int]] = {}
    for entry in records:
        for name, values in entry["filters"].items():
            for value in values:
                per_value = counts.setdefault(name, {})
                per_value[value] = per_value.get(value, 0) + len(entry["facts"])
    return {name: dict(sorted(values.items())) for name, values in sorted(counts.items())}


def records_json(records: list[dict[str, Any]]) -> str:
    return json_text({"version": 1, "records": records})


# --- the index ---------------------------------------------------------------------------------


def _html(entry: dict[str, Any]) -> str:
    """A record as the HTML Pagefind reads: filters as attributes, each fact a heading with its
    anchor, and no metadata (Pagefind would search it). Every value is escaped; nothing comes
    before the first fact, so a record is never a result of its own."""
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        "</head><body><main data-pagefind-body>",
    ]
    for name, values in entry["filters"].items():
        parts += [
            f'<span data-pagefind-filter="{html_text(name)}:{html_text(value)}"></span>'
            for value in values
        ]
    for item in entry["facts"]:
        weight = f' data-pagefind-weight="{int(item["weight"])}"' if item["weight"] != 1 else ""
        parts.append(
            f'<h2 id="{html_text(item["anchor"])}"{weight}>{html_text(item["heading"])}</h2>'
        )
        if item["text"]:
            parts.append(f'<p data-pagefind-weight="0.5">{html_text(item["text"])}</p>')
        if item["extra"]:
            parts.append(
                f'<p data-pagefind-weight="{int(item["weight"])}">{html_text(item["extra"])}</p>'
            )
        if item.get("by"):
            parts.append(f'<p data-pagefind-weight="{SPEAKER_WEIGHT}">{html_text(item["by"])}</p>')
    parts.append("</main></body></html>\n")
    return "".join(parts)


def pagefind_binary() -> Path:
    """The Pagefind binary the pagefind[bin] wheel puts in site-packages."""
    try:
        import pagefind_bin
    except ImportError:
        raise FactsheetError(
            [
                Problem(
                    Path("pagefind"),
                    1,
                    1,
                    "Pagefind is not installed",
                    "pip install 'pagefind[bin]'",
                )
            ]
        ) from None
    return Path(pagefind_bin.__file__).parent / "pagefind"


def index_search(
    project: Project,
    *,
    should_stop: Callable[[], bool] | None = None,
    part_records: int | None = None,
) -> IndexReport | None:
    """Build the Pagefind bundle from the records, unless it was built from these same records
    and is still exactly as written. Call it holding `project_lock`.

    should_stop, polled while Pagefind runs, abandons the run (None is returned and the bundle
    is left as it was): the preview asks for it when a newer edit arrives. part_records is
    the most records one Pagefind run indexes (PART_RECORDS unless given).
    """
    start = time.perf_counter()
    project.check_folder(project.generated_dir)
    source = project.generated_dir / RECORDS
    bundle = project.generated_dir / BUNDLE
    try:
        raw = project.read(source, _MAX_RECORDS_BYTES)
    except UnsafeFile:
        raw = b""  # none written yet (a link or anything else was refused by check_folder)
    digest = hashlib.sha256(raw).hexdigest()
    records = json.loads(raw)["records"] if raw else []
    if raw and _bundle_current(project, digest, bundle):
        return IndexReport(len(records), time.perf_counter() - start, False)
    # Pagefind writes the new bundle beside the old one (same file system), which then
    # replaces it in one rename.
    output = bundle.with_name(f".{bundle.name}.new")
    remove_owned(output)
    groups = parts(records, part_records)
    for number, group in enumerate(groups):
        target = output if number == 0 else output / part_folder(number)
        if not _index_part(group, target, len(raw), source, should_stop):
            remove_owned(output)
            return None
    (output / FACT_COUNTS).write_text(json_text(fact_counts(records)), encoding="utf-8")
    extra = [f"{part_folder(number)}/" for number in range(1, len(groups))]
    (output / PARTS).write_text(json_text({"parts": extra}), encoding="utf-8")
    _swap_in(output, bundle)
    _save_state(project, digest, bundle)
    return IndexReport(len(records), time.perf_counter() - start, True)


def parts(records: list[dict[str, Any]], limit: int | None = None) -> list[list[dict[str, Any]]]:
    """The records cut into parts of at most `limit` records (PART_RECORDS), in their order,
    a page's records never split between two parts; always one part at least."""
    limit = limit or PART_RECORDS
    groups: list[list[dict[str, Any]]] = [[]]
    for page in _by_page(records):
        if groups[-1] and len(groups[-1]) + len(page) > limit:
            groups.append([])
        groups[-1].extend(page)
    return groups


def _by_page(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    pages: dict[str, list[dict[str, Any]]] = {}
    for entry in records:
        pages.setdefault(entry["url"], []).append(entry)
    return list(pages.values())


def part_folder(number: int) -> str:
    """The folder of the bundle that holds part `number` (1, 2, ...); part 0 is the bundle."""
    return f"part-{number}"


def _index_part(
    records: list[dict[str, Any]],
    output: Path,
    size: int,
    source: Path,
    should_stop: Callable[[], bool] | None,
) -> bool:
    """One Pagefind run over `records`, its bundle written to `output`; False if it was
    stopped."""
    with tempfile.TemporaryDirectory(prefix="factsheet-index-", dir=_scratch(size)) as scratch:
        pages = Path(scratch) / "records"
        for entry in records:
            target = pages / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_html(entry), encoding="utf-8")
        pages.mkdir(exist_ok=True)
        command = [
            str(pagefind_binary()),
            "--site",
            str(pages),
            "--output-path",
            str(output),
            "--force-language",
            "en",
            "--silent",
        ]
        done = _run_pagefind(command, should_stop)
        if done is None:
            return False
        if done.returncode != 0:
            remove_owned(output)
            raise FactsheetError(
                [
                    Problem(
                        source,
                        1,
                        1,
                        "Pagefind could not build the search index",
                        done.errors.decode("utf-8", "replace")[-500:].strip(),
                    )
                ]
            )
    return True


def _scratch(size: int) -> str | None:
    """Where the records are written for Pagefind: memory (/dev/shm) when it has room for
    them twice over, since thousands of small files cost far more on a disk; else the
    default temporary folder."""
    shm = "/dev/shm"
    try:
        if (
            os.path.isdir(shm)
            and os.access(shm, os.W_OK)
            and shutil.disk_usage(shm).free > 4 * size
        ):
            return shm
    except OSError:
        pass
    return None


# How long Pagefind may run before it is taken to be stuck and stopped.
_PAGEFIND_SECONDS = 1800


def _run_pagefind(command: list[str], should_stop: Callable[[], bool] | None) -> Finished | None:
    """Run Pagefind to the end, or until should_stop says so (None then). A run past its time
    is stopped and abandoned in the same way, leaving the bundle as it was."""
    try:
        done = run(command, output="errors", should_stop=should_stop, timeout=_PAGEFIND_SECONDS)
    except ToolTimeout:
        return None
    return None if done.stopped else done


def _swap_in(new: Path, bundle: Path) -> None:
    """Replace the bundle in one rename, so a reader never gets half of two indexes."""
    old = bundle.with_name(f".{bundle.name}.old")
    remove_owned(old)
    if bundle.exists() or bundle.is_symlink():
        bundle.rename(old)
    new.rename(bundle)
    remove_owned(old)


def _fingerprint(project: Project, bundle: Path) -> str:
    """A digest of every file of the bundle, names and contents; '' if it is missing or holds
    a link. Kept outside the tree, so an edited or planted bundle is rebuilt, never trusted."""
    digest = hashlib.sha256()
    found = False
    for path, what in project.walk(bundle):
        if what != "file":
            return ""
        digest.update(path.relative_to(bundle).as_posix().encode() + b"\0")
        try:
            digest.update(hashlib.sha256(project.read(path, _MAX_RECORDS_BYTES)).digest())
        except UnsafeFile:
            return ""
        found = True
    return digest.hexdigest() if found else ""


def _bundle_current(project: Project, digest: str, bundle: Path) -> bool:
    try:
        state = json.loads((project.state_dir / _STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(state, dict)
        and state.get("records") == digest
        and bool(state.get("bundle"))
        and state.get("bundle") == _fingerprint(project, bundle)
    )


def _save_state(project: Project, digest: str, bundle: Path) -> None:
    with contextlib.suppress(OSError):
        project.state_dir.mkdir(parents=True, exist_ok=True)
        (project.state_dir / _STATE).write_text(
            json.dumps({"records": digest, "bundle": _fingerprint(project, bundle)}),
            encoding="utf-8",
        )


def main() -> None:  # pragma: no cover - a debugging aid: python -m generator.index ROOT
    project = Project(Path(sys.argv[1]).resolve())
    report = index_search(project)
    if report is not None:
        print(f"{report.records} records in {report.seconds:.1f} s")
