"""`factsheet diff REV`: which facts a change adds, edits or removes, in Markdown for reviewers.

Facts are compared by article, kind and id (mentions by actor), field by field, so a reviewer
sees "quote simply-untenable: text changed" rather than shifted YAML lines. Both sides are read
with the strict loader; a file that cannot be read on one side is reported, not guessed at.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import FactsheetError
from .load import load_bytes
from .model import ARTICLE_FILE, FACT_KINDS, REGISTRY_FILE
from .project import Project

Key = tuple[str, str, str]  # (article id or "registry", kind, fact id)
_KINDS = {kind.file: kind.singular for kind in FACT_KINDS}


@dataclass
class FactChanges:
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    changed: list[tuple[Key, list[tuple[str, Any, Any]]]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


class RevisionError(Exception):
    """git could not read the revision (a typo, or a shallow clone without it)."""


def facts_at_revision(project: Project, revision: str) -> dict[str, bytes]:
    """The fact files at a git revision, by path relative to the project root."""

    def git(*args: str) -> bytes:
        return subprocess.run(
            ["git", *args], cwd=project.root, capture_output=True, check=True
        ).stdout

    try:
        prefix = git("rev-parse", "--show-prefix").decode().strip()
        names = git("ls-tree", "-r", "--name-only", revision, "--", "facts").decode().split("\n")
    except (subprocess.CalledProcessError, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise RevisionError(f"git could not read {revision!r}: {detail.decode().strip()}") from None
    files = {}
    for name in filter(None, names):
        relative = str(PurePosixPath(name).relative_to(prefix)) if prefix else name
        files[relative] = git("show", f"{revision}:{name}")
    return files


def facts_in_tree(project: Project) -> dict[str, bytes]:
    return {
        path.relative_to(project.root).as_posix(): path.read_bytes()
        for path in sorted(project.facts_dir.rglob("*.yaml"))
    }


def index_facts(
    files: dict[str, bytes], unreadable: list[str], side: str
) -> dict[Key, dict[str, Any]]:
    facts: dict[Key, dict[str, Any]] = {}
    for relative, raw in sorted(files.items()):
        path = PurePosixPath(relative)
        if not relative.endswith(".yaml"):
            continue
        try:
            data = load_bytes(Path(relative), raw).data
        except FactsheetError:
            unreadable.append(f"{relative} ({side})")
            continue
        if path.parent.name == "facts" and path.name == REGISTRY_FILE:
            for entry in data if isinstance(data, list) else []:
                if isinstance(entry, dict):
                    facts[("registry", "actor", str(entry.get("id")))] = entry
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
    changes = FactChanges()
    changes.added = sorted(key for key in after if key not in before)
    changes.removed = sorted(key for key in before if key not in after)
    for key in sorted(set(before) & set(after)):
        fields = _changed_fields(before[key], after[key], "")
        if fields:
            changes.changed.append((key, fields))
    return changes


def _changed_fields(old: Any, new: Any, prefix: str) -> list[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for name in dict.fromkeys([*old, *new]):
            out.extend(_changed_fields(old.get(name), new.get(name), f"{prefix}{name}."))
        return out
    return [] if old == new else [(prefix.rstrip("."), old, new)]


def diff_markdown(project: Project, revision: str) -> str:
    files = facts_at_revision(project, revision)
    unreadable: list[str] = []
    changes = compare(
        index_facts(files, unreadable, revision),
        index_facts(facts_in_tree(project), unreadable, "now"),
    )
    changes.unreadable = unreadable
    return render_markdown(changes, revision)


def _name(key: Key) -> str:
    article, kind, fact = key
    where = "actor registry" if article == "registry" else f"`{article}`"
    return f"{kind} `{fact}` in {where}" if fact else f"{kind} header of {where}"


def _show(value: Any) -> str:
    text = " ".join(str(value).split()) if value is not None else "(none)"
    text = text if len(text) <= 90 else text[:87] + "…"
    return "“" + text.replace("|", "\\|").replace("`", "'") + "”"


def render_markdown(changes: FactChanges, revision: str) -> str:
    total = len(changes.added) + len(changes.removed) + len(changes.changed)
    lines = [f"## Changes in facts since `{revision}`", ""]
    if not total and not changes.unreadable:
        return "\n".join([*lines, "No facts were added, changed or removed.", ""])
    lines.append(
        f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed."
    )
    for title, keys in (("Added", changes.added), ("Removed", changes.removed)):
        if keys:
            lines += ["", f"### {title}", ""] + [f"- {_name(key)}" for key in keys]
    if changes.changed:
        lines += ["", "### Changed", ""]
        for key, fields in changes.changed:
            lines.append(f"- {_name(key)}")
            lines += [f"    - `{name}`: {_show(old)} → {_show(new)}" for name, old, new in fields]
    if changes.unreadable:
        lines += ["", "### Not compared", ""]
        lines += [
            f"- {name}: not valid YAML; run factsheet validate" for name in changes.unreadable
        ]
    return "\n".join(lines) + "\n"
