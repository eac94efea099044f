"""Where a factsheet project keeps its parts, and the only way the generator reads them.

Every file under `facts/`, `seeds/` and `docs/` may come from an untrusted pull request. The
generator reads them only through `Project.read`, which accepts a regular file inside the
project and nothing else: no symbolic link anywhere on the way (a link could point at
`.git/config` or `/proc/self/environ`), no device, no FIFO, nothing larger than the limit
asked for.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import FactsheetError, Problem

GENERATED_FOLDER = "sheets"


class UnsafeFile(Exception):
    """A path the generator refuses to read, with why and what to do."""

    def __init__(self, path: Path, message: str, hint: str) -> None:
        super().__init__(message)
        self.path, self.message, self.hint = path, message, hint

    def problem(self) -> Problem:
        return Problem(self.path, 1, 1, self.message, self.hint)


@dataclass
class FactsTree:
    """What `facts/` holds: the registry file and each article folder with its files."""

    registry: Path | None
    articles: list[tuple[Path, list[Path]]]
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Project:
    """A project root holding mkdocs.yml, docs/, facts/ and seeds/."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(os.path.abspath(self.root)))

    @property
    def facts_dir(self) -> Path:
        return self.root / "facts"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def generated_dir(self) -> Path:
        """The only folder the generator writes Markdown into; it owns everything inside."""
        return self.docs_dir / GENERATED_FOLDER

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @cached_property
    def state_dir(self) -> Path:
        """Where the generator keeps its caches: never in the tracked tree.

        Inside `.git/` when the project is a git checkout (nothing there can be committed, so
        a pull request cannot plant a cache), else in the user's cache folder. Set
        FACTSHEET_CACHE_DIR to choose another place.
        """
        chosen = os.environ.get("FACTSHEET_CACHE_DIR")
        key = hashlib.sha256(str(self.root.resolve()).encode()).hexdigest()[:16]
        if chosen:
            return Path(chosen) / key
        git = self.root / ".git"
        if git.is_dir() and not git.is_symlink():
            return git / "factsheet"
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return base / "factsheet" / key

    # --- reading untrusted files ----------------------------------------------------------

    @cached_property
    def _real_folders(self) -> set[str]:
        """Folders found to be real folders, not links, by earlier reads (each is looked at
        once per run, not once per file in it)."""
        return set()

    def _check_folders(self, path: Path, *, create: bool = False) -> None:
        """Refuse a path outside the project, or under a folder that is a symbolic link.

        With create, missing folders are made (one by one, so that none is made through a
        link)."""
        root, target = os.fspath(self.root), os.fspath(path)
        parts = target[len(root) + 1 :].split(os.sep)
        if not target.startswith(root + os.sep) or not parts[-1] or {".", ".."} & set(parts):
            raise UnsafeFile(
                path, "the file is outside the project", "give a file inside the project"
            )
        current = root
        for part in parts[:-1]:
            current = os.path.join(current, part)
            if current in self._real_folders:
                continue
            try:
                mode = os.lstat(current).st_mode
            except FileNotFoundError:
                if not create:
                    return  # nothing below a missing folder can be a link
                os.mkdir(current)
                mode = os.lstat(current).st_mode
            except OSError as error:
                raise UnsafeFile(Path(current), f"cannot read: {error.strerror}", "") from None
            if stat.S_ISLNK(mode):
                raise _link(Path(current), self.root)
            if not stat.S_ISDIR(mode):
                raise UnsafeFile(Path(current), "this is not a folder", "remove it")
            self._real_folders.add(current)

    def write(self, path: Path, data: bytes) -> None:
        """Write a file inside the project, atomically, never through a symbolic link: not
        through a linked folder (refused), and a link in the file's place is replaced, not
        followed."""
        self._check_folders(path, create=True)
        atomic_write(path, data)

    def check_folder(self, folder: Path) -> None:
        """Refuse (as a FactsheetError) a folder the generator writes into that is, or lies
        under, a symbolic link, or is not a folder."""
        try:
            self._check_folders(folder / "file")
        except UnsafeFile as unsafe:
            raise FactsheetError([unsafe.problem()]) from None

    def read(self, path: Path, limit: int) -> bytes:
        """The bytes of a regular file inside the project; UnsafeFile for anything else."""
        self._check_folders(path)
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise _link(path, self.root) from None
            raise UnsafeFile(path, f"cannot read the file: {error.strerror}", "") from None
        with os.fdopen(handle, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UnsafeFile(
                    path, "this is not a regular file", "only plain files are read; remove it"
                )
            if info.st_size > limit:
                raise UnsafeFile(
                    path,
                    f"the file is {info.st_size:,} bytes; at most {limit:,} are allowed here",
                    "check that it is the right file, or split it",
                )
            data = stream.read(limit + 1)
            if len(data) > limit:
                raise UnsafeFile(path, f"the file grew past {limit:,} bytes while being read", "")
            return data

    def entries(self, folder: Path) -> Iterator[os.DirEntry[str]]:
        """The entries of a project folder, sorted by name; a symbolic link is refused."""
        try:
            if stat.S_ISLNK(os.lstat(folder).st_mode):
                raise _link(folder, self.root)
            with os.scandir(folder) as scan:
                found = sorted(scan, key=lambda entry: entry.name)
        except FileNotFoundError:
            return
        yield from found

    def walk(self, folder: Path) -> Iterator[tuple[Path, str]]:
        """Everything under a project folder, depth first and sorted, as (path, what): what is
        "file" for a regular file, "link" for a symbolic link (never followed, and never
        descended into) and "other" for anything else that is not a folder.

        A folder that is itself a link, or lies under one, is reported as one "link" and not
        walked: a pull request can commit `facts/` as a link to anywhere on the machine.
        """
        try:
            self._check_folders(folder / "file")
        except UnsafeFile:
            yield folder, "link"
            return
        try:
            if stat.S_ISLNK(os.lstat(folder).st_mode):
                yield folder, "link"
                return
        except FileNotFoundError:
            return
        # A stack of sorted listings, not recursion: a hostile tree may nest thousands deep.
        stack = [iter(self._listing(folder))]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                yield path, "link"
            elif entry.is_dir(follow_symlinks=False):
                stack.append(iter(self._listing(path)))
            else:
                yield path, "file" if entry.is_file(follow_symlinks=False) else "other"

    @staticmethod
    def _listing(folder: Path) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as scan:
                return sorted(scan, key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            return []

    def scan_facts(self) -> FactsTree:
        """The registry and the article folders, refusing links and anything unexpected."""
        from .model import ARTICLE_KINDS, REGISTRY_FILE

        tree = FactsTree(None, [])
        if not self.facts_dir.is_dir() or self.facts_dir.is_symlink():
            tree.problems.append(
                Problem(self.facts_dir, 1, 1, "the facts folder is missing", "create facts/")
            )
            return tree
        for entry in self.entries(self.facts_dir):  # facts/ itself is no link: checked above
            path = Path(entry.path)
            if entry.is_symlink():
                tree.problems.append(_link(path, self.root).problem())
            elif entry.is_dir(follow_symlinks=False):
                files = []
                for inner in self.entries(path):
                    inner_path = Path(inner.path)
                    if inner.is_symlink():
                        tree.problems.append(_link(inner_path, self.root).problem())
                    elif inner.name in ARTICLE_KINDS and inner.is_file(follow_symlinks=False):
                        files.append(inner_path)
                    elif not inner.name.startswith(".") or inner.is_dir(follow_symlinks=False):
                        tree.problems.append(
                            Problem(
                                inner_path,
                                1,
                                1,
                                f"unexpected {'folder' if inner.is_dir() else 'file'} "
                                f"'{inner.name}' in an article folder",
                                "an article folder holds " + ", ".join(ARTICLE_KINDS),
                            )
                        )
                tree.articles.append((path, files))
            elif entry.name == REGISTRY_FILE and entry.is_file(follow_symlinks=False):
                tree.registry = path
            elif not entry.name.startswith("."):
                tree.problems.append(
                    Problem(
                        path,
                        1,
                        1,
                        f"unexpected file '{entry.name}' in the facts folder",
                        f"facts/ holds {REGISTRY_FILE} and one folder per article",
                    )
                )
        return tree

    def seed_names(self) -> tuple[set[str], list[Problem]]:
        """The seed files, and problems: links, folders, and names that differ only in case
        (they are one file on macOS and Windows)."""
        names: set[str] = set()
        problems = []
        folded: dict[str, str] = {}
        try:
            found = list(self.entries(self.seeds_dir))
        except UnsafeFile as unsafe:
            return names, [unsafe.problem()]
        for entry in found:
            path = Path(entry.path)
            if entry.is_symlink():
                problems.append(_link(path, self.root).problem())
                continue
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            other = folded.setdefault(entry.name.casefold(), entry.name)
            if other != entry.name:
                problems.append(
                    Problem(
                        path,
                        1,
                        1,
                        f"seeds/{entry.name} and seeds/{other} differ only in case",
                        "they are one file on macOS and Windows: rename or remove one",
                    )
                )
            names.add(entry.name)
        return names, problems

    def check_no_links(self, *folders: Path) -> None:
        """Refuse symbolic links anywhere under the given folders (MkDocs would follow them),
        and names a terminal or a CI log could act on (MkDocs prints file names)."""
        problems = []
        for folder in folders:
            if folder.is_symlink():
                problems.append(_link(folder, self.root).problem())
                continue
            for current, directories, files in os.walk(folder):
                for name in directories + files:
                    path = Path(current) / name
                    if path.is_symlink():
                        problems.append(_link(path, self.root).problem())
                    elif not name.isprintable():
                        problems.append(
                            Problem(
                                path,
                                1,
                                1,
                                "the name holds a line break or a control or invisible character",
                                "rename it with visible characters only",
                            )
                        )
        if problems:
            raise FactsheetError(problems)

    @cached_property
    def site_config(self) -> dict[str, Any]:
        """The settings of mkdocs.yml the generator uses (repo_url, edit_uri), read safely.

        `!ENV [NAME, default]` is resolved as MkDocs and Zensical resolve it; any other tag in
        the file is ignored rather than constructed.
        """
        try:
            text = self.read(self.config_file, 1024 * 1024).decode("utf-8")
            loaded = yaml.load(text, Loader=_ConfigLoader)  # a SafeLoader: constructs no objects
        except (UnsafeFile, UnicodeDecodeError, yaml.YAMLError):
            return {}
        return loaded if isinstance(loaded, dict) else {}


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file in one rename: readers see the old file or the new, never half of one, and
    a link in its place is replaced, not followed. The folder must exist."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_owned(path: Path) -> None:
    """Delete a file or folder the generator owns; a link in its place is removed as a link,
    never followed (a pull request may have put one there)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _link(path: Path, root: Path) -> UnsafeFile:
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = path.as_posix()
    return UnsafeFile(
        path,
        f"{shown} is a symbolic link; the generator reads only regular files in the project",
        "replace the link with the file itself (git add the real content)",
    )


class _ConfigLoader(yaml.SafeLoader):
    pass


def _environment(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        values = [str(value) for value in loader.construct_sequence(node)]
    else:
        values = [str(loader.construct_scalar(node))]  # type: ignore[arg-type]
    names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
    return next((os.environ[name] for name in names if os.environ.get(name)), default)


def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_constructor("!ENV", _environment)
_ConfigLoader.add_multi_constructor("!", _ignore)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)
