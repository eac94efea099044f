"""The validation cache: an unchanged file is neither parsed nor checked again.

Two kinds of entry, both keyed by content, never by names or times:

* *loaded*: a fact file's plain data and where its entries start, keyed by the sha256 of its
  bytes and the code digest (the generator's own code, which holds its version, the schema and
  the rules, and the versions of the libraries the checks read dates and numbers with);
* *checked*: a note that a file's facts passed every provenance rule, keyed by the loaded key,
  the article's context (its article file, its seed, its descriptions, the registry's names)
  and the other seeds the file cites.

A file whose signature (change time, modification time, size, inode) is as it was when it
was last read is not read again: its recorded sha256 stands in for its bytes, as git's index
does. A file changed less than two seconds before it was read is always read again, so that a
change within the same clock tick cannot hide.

Only what the key covers is trusted. Schema validation and the checks across files
(references, unique ids, the seed's checksum and date) run on every run, on the cached data.
A cache that cannot be opened, read or decoded is ignored: the run is then simply cold. It
lives in the project's state folder, outside the tracked tree, so a pull request cannot plant
one, and a fresh clone gives the same result as a warm run.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import sqlite3
import time
from functools import cache
from pathlib import Path
from typing import Any

from .load import Position

_FILE = "validation.sqlite3"
_KEEP_SECONDS = 30 * 24 * 3600  # entries unused for a month are dropped
_RACY_NS = 2_000_000_000  # a file changed less than 2 s ago is read again next time
_LIBRARIES = ("pydantic", "pyyaml", "dateparser", "text2num", "jinja2", "markupsafe", "pillow")


@cache
def code_digest() -> str:
    """The one digest of the generator itself: its code, its templates, and the versions of
    the libraries it checks and renders with. Any change to them makes every cached check
    stale and every page due for rendering."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    # The installed package is trusted code, not project input: it is read directly.
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            relative = path.relative_to(package).as_posix()
            digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    return digest.hexdigest()


def signature(info: os.stat_result) -> str:
    """What changes whenever a file's bytes change, as git's index records it: the change
    time (which no program can set back), modification time, size, inode and device."""
    return f"{info.st_ctime_ns}:{info.st_mtime_ns}:{info.st_size}:{info.st_ino}:{info.st_dev}"


def cache_key(*parts: str | bytes) -> str:
    """One key from several parts (each part is length-prefixed, so no two lists collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class ValidationCache:
    """The cache for one run. Every method fails soft: an error turns the cache off."""

    def __init__(self, folder: Path | None) -> None:
        self.db: sqlite3.Connection | None = None
        self.refresh: dict[str, list[str]] = {"loaded": [], "checked": []}
        if folder is None or os.environ.get("FACTSHEET_NO_CACHE"):
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(folder / _FILE, timeout=5, isolation_level=None)
            self.db.executescript(
                "PRAGMA journal_mode=WAL;"
                "CREATE TABLE IF NOT EXISTS loaded (key TEXT PRIMARY KEY, value TEXT, used INT);"
                "CREATE TABLE IF NOT EXISTS checked (key TEXT PRIMARY KEY, used INT);"
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, signature TEXT, sha256 TEXT);"
            )
        except (OSError, sqlite3.Error):
            self._off()

    def _off(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None

    def loaded(self, file_key: str) -> tuple[Any, list[Position]] | None:
        """A file's data and entry positions, if its key is cached and decodes."""
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                "SELECT value, used FROM loaded WHERE key = ?", (file_key,)
            ).fetchone()
        except sqlite3.Error:
            self._off()
            return None
        if row is None:
            return None
        try:
            value = json.loads(row[0])
            entries = [Position(int(line), int(column)) for line, column in value["entries"]]
            found = value["data"], entries
        except (ValueError, TypeError, KeyError):
            return None  # not what this code writes: a miss, and the entry is overwritten
        self._used("loaded", file_key, row[1])
        return found

    def content_hash(self, path: str, signature: str) -> str | None:
        """The sha256 of a file's bytes when last read, if its signature (see `signature`)
        has not changed since: the file is then not read at all."""
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                "SELECT sha256 FROM files WHERE path = ? AND signature = ?", (path, signature)
            ).fetchone()
        except sqlite3.Error:
            self._off()
            return None
        return row[0] if row is not None and isinstance(row[0], str) else None

    def store_content_hash(self, path: str, info: os.stat_result, sha256: str) -> None:
        """Remember a file's hash by its signature, unless the file changed so recently that a
        further change could leave the signature as it is (git's "racily clean" files)."""
        if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < _RACY_NS:
            return
        self._write(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (path, signature(info), sha256)
        )

    def store_loaded(self, file_key: str, data: Any, entries: list[Position]) -> None:
        if self.db is None:  # no cache (FACTSHEET_NO_CACHE, or it failed): nothing to encode
            return
        value = json.dumps({"data": data, "entries": [list(where) for where in entries]})
        self._write("INSERT OR REPLACE INTO loaded VALUES (?, ?, ?)", (file_key, value, _now()))

    def checked(self, check_key: str) -> bool:
        """True if a file with exactly this key passed every provenance rule before."""
        if self.db is None:
            return False
        try:
            row = self.db.execute("SELECT used FROM checked WHERE key = ?", (check_key,)).fetchone()
        except sqlite3.Error:
            self._off()
            return False
        if row is None:
            return False
        self._used("checked", check_key, row[0])
        return True

    def _used(self, table: str, used_key: str, last_used: Any) -> None:
        """Note an entry as used; its time is written at close, at most once a day."""
        if not isinstance(last_used, int) or last_used < _now() - 24 * 3600:
            self.refresh[table].append(used_key)

    def store_checked(self, check_key: str) -> None:
        self._write("INSERT OR REPLACE INTO checked VALUES (?, ?)", (check_key, _now()))

    def _write(self, statement: str, values: tuple[Any, ...]) -> None:
        if self.db is None:
            return
        try:
            if not self.db.in_transaction:
                self.db.execute("BEGIN")
            self.db.execute(statement, values)
        except sqlite3.Error:
            self._off()

    def close(self) -> None:
        """Save what this run learnt, mark what it used, and drop what nobody used lately."""
        if self.db is None:
            return
        try:
            if not self.db.in_transaction:
                self.db.execute("BEGIN")
            now = _now()
            for table, keys in self.refresh.items():
                self.db.executemany(
                    f"UPDATE {table} SET used = ? WHERE key = ?",
                    ((now, used) for used in keys),
                )
                self.db.execute(f"DELETE FROM {table} WHERE used < ?", (now - _KEEP_SECONDS,))
            self.db.execute("COMMIT")
        except sqlite3.Error:
            pass
        self._off()


def _now() -> int:
    return int(time.time())
