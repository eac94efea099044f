"""factsheet: curated YAML facts, checked against their source texts, published as a static site.

The pipeline has one module per stage: load → validate → render → build.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _version() -> str:
    """The version in pyproject.toml, its one source: as installed, or, in a checkout that was
    never installed, from pyproject.toml itself."""
    try:
        return version("factsheet")
    except PackageNotFoundError:
        pass
    try:
        with (Path(__file__).resolve().parent.parent / "pyproject.toml").open("rb") as file:
            project = tomllib.load(file).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        project = {}
    if project.get("name") == "factsheet" and isinstance(project.get("version"), str):
        return str(project["version"])
    return "0+unknown"


__version__ = _version()
