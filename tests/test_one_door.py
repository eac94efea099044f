"""One door to the filesystem: the generator reads and walks the project only through Project.

Ruff's banned-API rule (pyproject.toml) catches module functions such as `os.walk`; this test
catches what a linter cannot type: the methods of paths (`read_text`, `rglob`, `open`, ...)
and the built-in `open`. Each place that may use them is listed with the reason it is not
project input, so a new one has to be argued for here.
"""

from __future__ import annotations

import ast

from .conftest import REPO

FILE_METHODS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "rglob",
    "glob",
    "iterdir",
}

# (module, method): why it is not a read of untrusted project input.
ALLOWED = {
    ("__init__.py", "open"): "the package's own pyproject.toml, for its version",
    ("cache.py", "rglob"): "the installed package's own code, for the code digest",
    ("cache.py", "read_bytes"): "the installed package's own code, for the code digest",
    ("load.py", "read_bytes"): "load_file, for tools and tests that name a file themselves",
    ("index.py", "write_text"): "the scratch folder Pagefind reads, and the generator's state",
    ("index.py", "read_text"): "the generator's state, outside the tracked tree",
    ("write.py", "rglob"): "the generated folder, which the generator owns (links refused)",
    ("write.py", "iterdir"): "the generated folder, which the generator owns (links refused)",
    ("write.py", "read_text"): "the generated folder's manifest, and the generator's state",
    ("write.py", "read_bytes"): "a generated page, compared before it is rewritten",
    ("write.py", "open"): "a generated page, hashed to notice an edit after generation",
}


def calls_in(source: str) -> set[tuple[str, int]]:
    """The file methods and built-in `open` called in a module's source, with their lines."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in FILE_METHODS:
            if not (isinstance(function.value, ast.Name) and function.value.id == "os"):
                found.add((function.attr, node.lineno))  # os.open: ruff's banned-API rule
        elif isinstance(function, ast.Name) and function.id == "open":
            found.add(("open", node.lineno))
    return found


def file_calls() -> set[tuple[str, str, int]]:
    package = REPO / "generator"
    return {
        (path.relative_to(package).as_posix(), method, line)
        for path in sorted(package.rglob("*.py"))
        for method, line in calls_in(path.read_text(encoding="utf-8"))
    }


def test_files_are_read_and_walked_only_through_the_project() -> None:
    unlisted = sorted(
        f"generator/{module}:{line}: .{method}()"
        for module, method, line in file_calls()
        if (module, method) not in ALLOWED
    )
    assert not unlisted, "read through Project (or list the reason here): " + ", ".join(unlisted)


def test_every_listed_exception_is_still_needed() -> None:
    used = {(module, method) for module, method, _ in file_calls()}
    assert set(ALLOWED) <= used, sorted(set(ALLOWED) - used)


def test_the_check_sees_each_form_of_direct_access() -> None:
    sample = "Path('x').read_text()\nopen('y')\nfolder.rglob('*')\nos.open('z', 0)\n"
    assert calls_in(sample) == {("read_text", 1), ("open", 2), ("rglob", 3)}
