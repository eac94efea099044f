"""Part of the render stage: each sheet's history, read from git, for "last reviewed" and the
corrections log.

One `git log` over facts/ gives every commit that touched a fact file. A sheet was last
reviewed when a commit last touched its folder; every commit after the one that added the
folder is a correction (or an addition) and is listed with its date and first line. Without
git (a tarball, a test project), pages simply say nothing about history.

Commit messages and dates are untrusted like any other input: no message can change how git's
output is read (see _FORMAT), a commit whose date is not a day this generator handles is left
out, and templates escape the subjects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .model import parse_day
from .runner import ToolError, capture
from .text import INVISIBLE_OR_CONTROL

# Each commit as git prints it with -z: its three fields, each ended by a NUL, then a line feed
# and the names of the files it touched, each ended by a NUL. The subject is the one field a
# contributor writes, and it cannot hold a NUL (git ends a message at one), so it can neither
# end its own field early nor start another record: records are read by position, and each
# must start with a commit id.
_FORMAT = "--format=%H%x00%cd%x00%s"
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1, or SHA-256


@dataclass(frozen=True)
class Change:
    date: str  # YYYY-MM-DD, the commit date
    subject: str
    commit: str


@dataclass
class SheetHistory:
    """The commits that touched one article folder, oldest first."""

    changes: list[Change] = field(default_factory=list)

    @property
    def last_reviewed(self) -> str | None:
        return self.changes[-1].date if self.changes else None

    @property
    def added(self) -> str | None:
        return self.changes[0].date if self.changes else None

    @property
    def corrections(self) -> list[Change]:
        """Every change after the one that added the sheet, newest first."""
        return list(reversed(self.changes[1:]))


def read_history(root: Path) -> dict[str, SheetHistory]:
    """The history of every article folder under facts/, by article id; {} without git.

    A commit whose date git cannot give as a real day in the years dates may have is left
    out: history never stops a build.
    """
    if not (root / ".git").exists():
        return {}
    try:
        output = capture(
            [
                "git",
                "-C",
                str(root),
                "log",
                "-z",
                "--no-merges",
                "--date=short",
                _FORMAT,
                "--name-only",
                "--",
                "facts",
            ],
            timeout=120,
        ).decode("utf-8", "replace")
    except ToolError:
        return {}
    histories: dict[str, SheetHistory] = {}
    for commit, date, subject, names in _records(output):
        if parse_day(date) is None:
            continue
        # A commit subject comes from a contributor: characters that could make it display as
        # something else on the page (bidirectional overrides, invisible ones) are dropped.
        change = Change(date, INVISIBLE_OR_CONTROL.sub("", subject).strip(), commit[:12])
        articles = {
            parts[1] for name in names if len(parts := name.split("/")) >= 3 and parts[0] == "facts"
        }
        for article in articles:
            histories.setdefault(article, SheetHistory()).changes.insert(0, change)
    return histories


def _records(output: str) -> Iterator[tuple[str, str, str, list[str]]]:
    """(commit, date, subject, file names) of each commit in `git log -z` output of _FORMAT.

    Stops where a record does not start with a commit id, rather than guess where the next
    one starts.
    """
    fields = output.split("\0")
    at = 0
    while True:
        while at < len(fields) and not fields[at]:
            at += 1
        if at + 3 > len(fields) or not _COMMIT.fullmatch(fields[at]):
            return
        commit, date, subject = fields[at : at + 3]
        at += 3
        names: list[str] = []
        if at < len(fields) and fields[at].startswith("\n"):
            names.append(fields[at][1:])
            at += 1
            while at < len(fields) and fields[at] and not _COMMIT.fullmatch(fields[at]):
                names.append(fields[at])
                at += 1
        yield commit, date, subject, names


def head_commit(root: Path) -> str:
    """The checked-out commit, so that a new commit counts as a changed input; '' without git."""
    if not (root / ".git").exists():
        return ""
    try:
        return capture(["git", "-C", str(root), "rev-parse", "HEAD"], timeout=30).decode().strip()
    except ToolError:
        return ""
