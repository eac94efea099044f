"""Located problems: every error the generator reports names a file, a line and a column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .escape import printable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pointing at where a contributor should look.

    Lines and columns are 1-based, as editors and GitHub show them. Messages quote the input,
    which is untrusted: every way out (terminal, CI log, annotation) passes through `printable`,
    so no file name, key or value can start a line of its own.
    """

    path: Path
    line: int
    column: int
    message: str
    hint: str = ""

    def format(self, root: Path | None = None) -> str:
        shown = printable(_relative(self.path, root))
        text = f"{shown}:{self.line}:{self.column}: error: {printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text

    def github_annotation(self, root: Path | None = None) -> str:
        """The problem as a GitHub Actions workflow command, shown on the PR's changed line."""
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        return (
            f"::error file={_property(_relative(self.path, root))},line={self.line},"
            f"col={self.column},title=factsheet::{_data(message)}"
        )


def _data(text: str) -> str:
    return printable(text).replace("%", "%25")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class FactsheetError(Exception):
    """Raised with every problem found, so that a run reports all of them at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems)


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
