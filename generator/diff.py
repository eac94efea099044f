"""`factsheet diff REV`: the facts a change adds, edits or removes, in Markdown for reviewers.

Facts are compared by article, kind and id (mentions by actor), field by field, so a reviewer
sees "quote `simply-untenable`: text" with the old and the new words rather than shifted YAML
lines. Both sides are read with the strict loader; a file that cannot be read on one side is
reported, not guessed at.

The output goes into a pull request's job summary, which GitHub renders as Markdown, and the
fact text in it comes from the pull request. So every value is shown inside a fenced `diff`
block or a code span, where Markdown makes no links, images, headings or HTML, and passes
through `printable` first, so that it is one line with no control characters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import FactsheetError
from .escape import printable, summary_code
from .load import MAX_FILE_BYTES, load_bytes
from .model import ARTICLE_FILE, FACT_KINDS, REGISTRY_FILE
from .project import Project, UnsafeFile
from .runner import ToolError, capture

Key = tuple[str, str, str]  # (article id, or "" for the registry; kind; fact id)
_KINDS = {kind.file: kind.singular for kind in FACT_KINDS}
_MAX_VALUE = 2000


@dataclass
class FactChanges:
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    changed: list[Key] = field(default_factory=list)
    before: dict[Key, dict[str, Any]] = field(default_factory=dict)
    after: dict[Key, dict[str, Any]] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    seeds: list[tuple[str, str]] = field(default_factory=list)  # (name, what happened)
    other_files: list[str] = field(default_factory=list)


class RevisionError(Exception):
    """git could not read the revision (a typo, or a shallow clone without it)."""


def _git(project: Project, *args: str) -> bytes:
    return capture(["git", "-C", str(project.root), *args], timeout=120)


def files_at_revision(project: Project, revision: str, folder: str) -> dict[str, bytes]:
    """The files under a folder at a git revision, by path relative to the project root.

    Read from git's object store, so links are never followed: a link is its target's name.
    """
    try:
        prefix = _git(project, "rev-parse", "--show-prefix").decode().strip()
        listing = _git(project, "ls-tree", "-r", "-l", "-z", revision, "--", folder).decode()
    except ToolError as error:
        raise RevisionError(f"git could not read {printable(revision)!r}: {error.detail}") from None
    entries = []
    files = {}
    for line in filter(None, listing.split("\0")):
        meta, _, name = line.partition("\t")
        mode, kind, object_id, size = meta.split(maxsplit=3)
        if kind == "blob":
            relative = str(PurePosixPath(name).relative_to(prefix)) if prefix else name
            if int(size) > MAX_FILE_BYTES:  # not read: no fact file or seed is this large
                files[relative] = _too_large(int(size))
            else:
                entries.append((relative, mode, object_id))
    if not entries:
        return files
    # One `git cat-file --batch` for all the blobs: one process, not one per file.
    batch = capture(
        ["git", "-C", str(project.root), "cat-file", "--batch"],
        input="".join(f"{object_id}\n" for _, _, object_id in entries).encode(),
        timeout=300,
    )
    cursor = 0
    for relative, mode, _ in entries:
        header_end = batch.index(b"\n", cursor)
        length = int(batch[cursor:header_end].split()[2])
        content = batch[header_end + 1 : header_end + 1 + length]
        cursor = header_end + 1 + length + 1
        files[relative] = b"link:" + content if mode == "120000" else content
    return files


def files_in_tree(project: Project, folder: Path) -> dict[str, bytes]:
    """The regular files under a folder of the work tree, read through `Project`: a link (the
    folder itself, or anything in it) is listed as a link and never followed."""
    out: dict[str, bytes] = {}
    for path, what in project.walk(folder):
        relative = path.relative_to(project.root).as_posix()
        if what != "file":
            out[relative] = f"{what}: not read".encode()
            continue
        try:
            out[relative] = project.read(path, MAX_FILE_BYTES)
        except UnsafeFile as unsafe:
            out[relative] = unsafe.message.encode()
    return out


def _too_large(size: int) -> bytes:
    return f"too large to compare: {size:,} bytes".encode()


def index_facts(
    files: dict[str, bytes], unreadable: list[str], side: str
) -> dict[Key, dict[str, Any]]:
    facts: dict[Key, dict[str, Any]] = {}
    for relative, raw in sorted(files.items()):
        path = PurePosixPath(relative)
        if not relative.endswith(".yaml"):
            continue
        try:
            data = load_bytes(Path(relative), raw, allow_empty=path.name != ARTICLE_FILE).data
        except FactsheetError:
            unreadable.append(f"{relative} ({side})")
            continue
        if path.parent.name == "facts" and path.name == REGISTRY_FILE:
            for entry in data if isinstance(data, list) else []:
                if isinstance(entry, dict):
                    facts[("", "actor", str(entry.get("id")))] = entry
            continue
        article = path.parent.name
        if path.name == ARTICLE_FILE and isinstance(data, dict):
            facts[(article, "article", "")] = data
        elif path.name in _KINDS and isinstance(data, list):
            seen: dict[str, int] = {}
            for entry in data:
                if not isinstance(entry, dict):
                    continue
                if path.name == "actors.yaml":
                    actor = str(entry.get("actor"))
                    seen[actor] = seen.get(actor, 0) + 1
                    name = actor if seen[actor] == 1 else f"{actor} ({seen[actor]})"
                else:
                    name = str(entry.get("id"))
                facts[(article, _KINDS[path.name], name)] = entry
    return facts


def compare(before: dict[Key, dict[str, Any]], after: dict[Key, dict[str, Any]]) -> FactChanges:
    return FactChanges(
        added=sorted(key for key in after if key not in before),
        removed=sorted(key for key in before if key not in after),
        changed=sorted(key for key in set(before) & set(after) if before[key] != after[key]),
        before=before,
        after=after,
    )


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """A fact's fields as dotted names and one-line text: lists as 'a, b', not Python reprs."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key, inner in value.items():  # a key is untrusted text too: one printable line
            out.update(flatten(inner, f"{prefix}{printable(str(key))}."))
        return out
    name = prefix.rstrip(".")
    if isinstance(value, list):
        if any(isinstance(item, dict | list) for item in value):
            out = {}  # a list of mappings: numbered fields
            for index, item in enumerate(value, 1):
                out.update(flatten(item, f"{prefix}{index}."))
            return out
        return {name: ", ".join(_text(item) for item in value)}
    return {name: _text(value)}


def _text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = printable(" ".join(str(value).split()))
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def diff_markdown(project: Project, revision: str) -> str:
    unreadable: list[str] = []
    old_facts = files_at_revision(project, revision, "facts")
    changes = compare(
        index_facts(old_facts, unreadable, "before"),
        index_facts(files_in_tree(project, project.facts_dir), unreadable, "now"),
    )
    changes.unreadable = unreadable
    old_seeds = files_at_revision(project, revision, "seeds")
    new_seeds = files_in_tree(project, project.seeds_dir)
    for name in sorted(set(old_seeds) | set(new_seeds)):
        if name not in old_seeds:
            what = f"added, sha256 {hashlib.sha256(new_seeds[name]).hexdigest()}"
        elif name not in new_seeds:
            what = "removed"
        elif old_seeds[name] != new_seeds[name]:
            what = f"changed, now sha256 {hashlib.sha256(new_seeds[name]).hexdigest()}"
        else:
            continue
        changes.seeds.append((name, what))
    changes.other_files = _other_changes(project, revision)
    return render_markdown(changes, revision)


def _other_changes(project: Project, revision: str) -> list[str]:
    """Files the change touches outside facts/ and seeds/: code a reviewer must read as code."""
    try:
        names = _git(project, "diff", "--name-only", "-z", revision, "--", ".").decode()
    except ToolError:
        return []
    return [
        name
        for name in filter(None, names.split("\0"))
        if not name.startswith(("facts/", "seeds/"))
    ]


def _title(key: Key, what: str) -> str:
    article, kind, fact = key
    where = "the actor registry" if not article else f"article {summary_code(article)}"
    name = f"{kind} {summary_code(fact)}" if fact else f"{kind} header"
    return f"#### {what}: {name} in {where}"


def _block(lines: list[str]) -> list[str]:
    return ["", "```diff", *lines, "```", ""]


def _excused(changes: FactChanges) -> list[str]:
    """A line for each added or changed fact whose review (a rule it is excused from, and
    why) is new or different."""
    out = []
    for key in sorted({*changes.added, *changes.changed}):
        review = changes.after[key].get("review")
        if not review or (changes.before.get(key) or {}).get("review") == review:
            continue
        article, kind, fact = key
        where = "the actor registry" if not article else f"article {summary_code(article)}"
        rule, reason = (
            review.get(k, "") if isinstance(review, dict) else "" for k in ("rule", "reason")
        )
        out.append(
            f"- {kind} {summary_code(fact)} in {where}: rule {summary_code(str(rule))}, "
            f"because {summary_code(str(reason))}"
        )
    return out


def render_markdown(changes: FactChanges, revision: str) -> str:
    total = len(changes.added) + len(changes.removed) + len(changes.changed)
    lines = [f"## Changes in facts since {summary_code(revision)}", ""]
    if not total and not changes.unreadable and not changes.seeds:
        lines.append("No facts were added, changed or removed.")
    else:
        lines.append(
            f"{len(changes.added)} added, {len(changes.changed)} changed, "
            f"{len(changes.removed)} removed. Each value is shown as text: `-` before, `+` after."
        )
    excused = _excused(changes)
    if excused:
        lines += [
            "",
            "### Excused from a rule by a reviewer",
            "",
            "These facts name a rule the validator cannot verify them by, and say why. Check "
            "each against the source yourself:",
            "",
            *excused,
        ]
    for key in changes.added:
        lines += [
            "",
            _title(key, "Added"),
            *_block([f"+ {n}: {v}" for n, v in flatten(changes.after[key]).items()]),
        ]
    for key in changes.changed:
        old, new = flatten(changes.before[key]), flatten(changes.after[key])
        body = []
        for name in dict.fromkeys([*old, *new]):
            if old.get(name) != new.get(name):
                if name in old:
                    body.append(f"- {name}: {old[name]}")
                if name in new:
                    body.append(f"+ {name}: {new[name]}")
        lines += ["", _title(key, "Changed"), *_block(body)]
    for key in changes.removed:
        lines += [
            "",
            _title(key, "Removed"),
            *_block([f"- {n}: {v}" for n, v in flatten(changes.before[key]).items()]),
        ]
    if changes.seeds:
        lines += ["", "### Seeds", ""]
        lines += [f"- {summary_code(name)}: {what}" for name, what in changes.seeds]
    if changes.unreadable:
        lines += ["", "### Not compared", ""]
        lines += [
            f"- {summary_code(name)}: not valid YAML; see the validation step"
            for name in changes.unreadable
        ]
    if changes.other_files:
        lines += [
            "",
            "### Not facts",
            "",
            "This change also edits files outside `facts/` and `seeds/`; review them as code:",
            "",
        ]
        lines += [f"- {summary_code(name)}" for name in changes.other_files[:50]]
    return "\n".join(lines).rstrip() + "\n"
