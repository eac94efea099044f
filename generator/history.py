"""Part of the render stage: each sheet's history, read from git, for "last reviewed" and the
corrections log.

One `git log` over facts/ gives every commit that touched a fact file. A sheet was last
reviewed when a commit last touched its folder; every commit after the one that added the
folder is a correction (or an addition) and is listed with its date and first line. Without
git (a tarball, a test project), pages simply say nothing about history.

Commit messages are untrusted text like any other: templates escape them.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .text import INVISIBLE_OR_CONTROL

_SEPARATOR = "\x1f"


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
    """The history of every article folder under facts/, by article id; {} without git."""
    if not (root / ".git").exists():
        return {}
    try:
        output = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "log",
                "--no-merges",
                "--date=short",
                f"--format=%x1e%H{_SEPARATOR}%cd{_SEPARATOR}%s",
                "--name-only",
                "--",
                "facts",
            ],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return {}
    histories: dict[str, SheetHistory] = {}
    for record in output.split("\x1e")[1:]:
        header, _, names = record.partition("\n")
        commit, date, subject = [*header.split(_SEPARATOR), "", ""][:3]
        # A commit subject comes from a contributor: characters that could make it display as
        # something else on the page (bidirectional overrides, invisible ones) are dropped.
        change = Change(date, INVISIBLE_OR_CONTROL.sub("", subject).strip(), commit[:12])
        articles = {
            parts[1]
            for name in names.splitlines()
            if len(parts := name.strip().split("/")) >= 3 and parts[0] == "facts"
        }
        for article in articles:
            histories.setdefault(article, SheetHistory()).changes.insert(0, change)
    return histories


def head_commit(root: Path) -> str:
    """The checked-out commit, so that a new commit counts as a changed input; '' without git."""
    if not (root / ".git").exists():
        return ""
    try:
        return (
            subprocess.run(
                ["git", "-C", str(root), "rev-parse", "HEAD"],
                capture_output=True,
                check=True,
                timeout=30,
            )
            .stdout.decode()
            .strip()
        )
    except (OSError, subprocess.SubprocessError):
        return ""
