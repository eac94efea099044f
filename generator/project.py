"""Where a factsheet project keeps its parts: one place that knows the layout of the tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
