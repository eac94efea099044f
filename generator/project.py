"""Where a factsheet project keeps its parts: one place that knows the layout of the tree."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

GENERATED_FOLDER = "sheets"


@dataclass(frozen=True)
class Project:
    """A project root holding mkdocs.yml, docs/, facts/ and seeds/."""

    root: Path

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
    def site_config(self) -> dict[str, Any]:
        """The settings of mkdocs.yml the generator uses (repo_url, edit_uri), read safely.

        `!ENV [NAME, default]` is resolved as MkDocs and Zensical resolve it; any other tag in
        the file is ignored rather than constructed.
        """
        try:
            text = self.config_file.read_text(encoding="utf-8")
            loaded = yaml.load(text, Loader=_ConfigLoader)  # a SafeLoader: constructs no objects
        except (OSError, yaml.YAMLError):
            return {}
        return loaded if isinstance(loaded, dict) else {}


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
