"""Stage 2, validate: the schema of every file, the references between facts, and provenance.

In the order they run: every file is parsed against its model (`generator.schema_errors`
words what is wrong); the registry's checks, then each article's (folder name, seed, and
the named checks of `generator.checks`: ids, key facts, corrections, references); then
provenance, each fact against its source text (`generator.provenance`).

The tree is untrusted input. Only regular files inside `facts/` and `seeds/` are read (see
`Project.read`); every problem in every file is collected before anything is reported, so
that a contributor sees all of them in one run. Provenance, the checks of each fact against
its source text, lives in `generator.provenance`. Nothing is written by this stage except the
validation cache (see `generator.cache`).
"""

from __future__ import annotations

import datetime
import difflib
import gc
import hashlib
import os
import re
import stat
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from . import provenance
from .cache import ValidationCache, cache_key, code_digest, signature
from .checks import ARTICLE_CHECKS, REGISTRY_CHECKS, LoadedArticle, LoadedRegistry
from .corpus import ArticleFacts, Corpus, ValidationCounts, name_index
from .errors import FactsheetError, Problem
from .load import MAX_FILE_BYTES, Document, load_bytes
from .model import (
    ARTICLE_FILE,
    ARTICLE_ID_PATTERN,
    ARTICLE_KINDS,
    FACT_KINDS,
    REGISTRY,
    REGISTRY_FILE,
    Actor,
    Article,
    Question,
)
from .project import Project, UnsafeFile
from .provenance.attribution import NameIndex
from .schema_errors import schema_problems
from .seeds import MAX_SEED_BYTES, Seed, SeedError

_ARTICLE_ID = re.compile(ARTICLE_ID_PATTERN)


def validate_project(
    project: Project, *, use_cache: bool = True, counts: ValidationCounts | None = None
) -> Corpus:
    """Load and check every fact file; raise FactsheetError listing every problem found.

    Unchanged files come from the validation cache (see generator.cache) unless use_cache is
    false; the result is the same either way. What was parsed and checked, and what came from
    the cache, is counted in the corpus's `counts`, and in `counts` if given (which a failed
    validation fills too).

    Loading creates millions of small objects that all stay alive, so Python's cyclic garbage
    collector would run full passes that free nothing (about a fifth of the time at 1,000
    articles); it is paused while the corpus is built, and what was built is then moved out
    of its sight (`gc.freeze`), or the first pass after it resumes would walk it all again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    cache = ValidationCache(project.state_dir if use_cache else None)
    try:
        return _Validator(project, cache, counts or ValidationCounts()).run()
    finally:
        cache.close()
        if was_enabled:
            gc.freeze()
            gc.enable()


class _Validator:
    def __init__(self, project: Project, cache: ValidationCache, counts: ValidationCounts) -> None:
        self.project = project
        self.cache = cache
        self.file_keys: dict[Path, str] = {}
        self.names_digest = ""
        self.problems: list[Problem] = []
        self.seeds: dict[str, Seed | None] = {}
        self.seed_names: set[str] = set()
        self.seed_owners: dict[str, str] = {}
        self.counts = counts

    def run(self) -> Corpus:
        tree = self.project.scan_facts()
        self.problems.extend(tree.problems)
        self.seed_names, seed_problems = self.project.seed_names()
        self.problems.extend(seed_problems)
        registry_path = tree.registry or self.project.facts_dir / REGISTRY_FILE
        actors = self._registry(tree.registry) if self.project.facts_dir.is_dir() else None
        names = name_index(actors or {})
        # What provenance reads of the registry: the ids and the names (not backgrounds).
        self.names_digest = cache_key(
            *sorted(f"{a.id}\0{a.name}\0{a.aliases}" for a in (actors or {}).values())
        )
        articles = []
        for folder, files in tree.articles:
            found = self._article(folder, files, actors, names)
            if found is not None:
                articles.append(found)
        if self.problems:
            raise FactsheetError(self.problems)
        articles.sort(key=lambda found: (found.article.date, found.id), reverse=True)
        corpus = Corpus(actors or {}, articles, registry_path, self.counts)
        corpus.names = names  # built once, for every later stage
        return corpus

    # --- reading and schema ---------------------------------------------------------------

    def _load(self, path: Path, shape: TypeAdapter[Any]) -> tuple[Document, Any] | None:
        try:
            document, self.file_keys[path] = self._document(path)
        except UnsafeFile as unsafe:
            self.problems.append(unsafe.problem())
            return None
        except FactsheetError as error:
            self.problems.extend(error.problems)
            return None
        try:
            return document, shape.validate_python(document.data)
        except ValidationError as error:
            self.problems.extend(schema_problems(document, error))
            return None

    def _document(self, path: Path) -> tuple[Document, str]:
        """A file's document and its cache key: from the cache if the file is unchanged
        (the file is then not even read, when its signature is unchanged too)."""
        try:
            info: os.stat_result | None = os.lstat(path)
        except OSError:
            info = None  # reading it will say why
        content = None
        if info is not None and stat.S_ISREG(info.st_mode):
            content = self.cache.content_hash(str(path), signature(info))
        raw = None
        if content is None:
            raw = self.project.read(path, MAX_FILE_BYTES)
            content = hashlib.sha256(raw).hexdigest()
            if info is not None:
                self.cache.store_content_hash(str(path), info, content)
        file_key = cache_key(code_digest(), path.name, content)
        cached = self.cache.loaded(file_key)
        if cached is not None:
            self.counts.files_cached += 1
            return Document.from_cache(path, *cached, reread=partial(self._reread, path)), file_key
        self.counts.files_parsed += 1
        self.counts.parsed.append(path.relative_to(self.project.facts_dir).as_posix())
        if raw is None:
            raw = self.project.read(path, MAX_FILE_BYTES)
            file_key = cache_key(code_digest(), path.name, hashlib.sha256(raw).hexdigest())
        # A fact file of comments only is refused, not read as no facts: it is a template
        # never filled in, or facts commented out, and either way a reader would miss them.
        document = load_bytes(path, raw)
        self.cache.store_loaded(file_key, document.data, document.entry_positions())
        return document, file_key

    def _reread(self, path: Path) -> bytes:
        try:
            return self.project.read(path, MAX_FILE_BYTES)
        except UnsafeFile as unsafe:
            raise OSError(unsafe.message) from None

    def seed(self, name: str) -> Seed | None:
        """The named seed, read and checked once per run; None (and a problem) if unusable."""
        if name not in self.seeds:
            self.seeds[name] = None
            path = self.project.seeds_dir / name
            if name in self.seed_names:
                try:
                    self.seeds[name] = Seed.parse(name, self.project.read(path, MAX_SEED_BYTES))
                except UnsafeFile as unsafe:
                    self.problems.append(unsafe.problem())
                except SeedError as error:
                    self.problems.append(
                        Problem(path, error.line, error.column, error.message, error.hint)
                    )
        return self.seeds[name]

    # --- the registry ---------------------------------------------------------------------

    def _registry(self, path: Path | None) -> dict[str, Actor] | None:
        """The actor registry, or None if it could not be read (its problems are reported)."""
        if path is None:
            self.problems.append(
                Problem(
                    self.project.facts_dir / REGISTRY_FILE,
                    1,
                    1,
                    "the actor registry is missing",
                    "create facts/actors.yaml with a list of actors",
                )
            )
            return None
        loaded = self._load(path, REGISTRY.shape)
        if loaded is None:
            return None
        document, entries = loaded
        registry = LoadedRegistry(document, entries)
        for check in REGISTRY_CHECKS:
            self.problems.extend(check(registry))
        actors: dict[str, Actor] = {}
        for actor in entries:
            actors.setdefault(actor.id, actor)
        return actors

    # --- one article ----------------------------------------------------------------------

    def _article(
        self,
        folder: Path,
        files: list[Path],
        actors: dict[str, Actor] | None,
        registry_names: NameIndex,
    ) -> ArticleFacts | None:
        """Check one article folder; references are checked only if the registry loaded."""
        article_path = folder / ARTICLE_FILE
        matched = _ARTICLE_ID.fullmatch(folder.name)
        if not matched:
            self.problems.append(
                Problem(
                    article_path,
                    1,
                    1,
                    f"the article folder name '{folder.name}' is not a valid article id",
                    "name it by the article's date and a few words: 2021-06-28-words-of-title",
                )
            )
            return None
        try:
            datetime.date.fromisoformat(matched.group(1))
        except ValueError:
            self.problems.append(
                Problem(
                    article_path,
                    1,
                    1,
                    f"the folder name '{folder.name}' starts with '{matched.group(1)}', "
                    "which is not a real date",
                    "start the folder name with the article's date, YYYY-MM-DD",
                )
            )
            return None
        if article_path not in files:
            self.problems.append(
                Problem(article_path, 1, 1, f"{ARTICLE_FILE} is missing", "every article needs one")
            )
            return None
        loaded: dict[str, tuple[Document, Any]] = {}
        for path in files:
            result = self._load(path, ARTICLE_KINDS[path.name].shape)
            if result is not None:
                loaded[path.name] = result
        if ARTICLE_FILE not in loaded:
            return None
        article_doc, article = loaded[ARTICLE_FILE]
        seed = self._article_seed(article_doc, article, folder.name)
        facts = ArticleFacts(
            id=folder.name,
            article=article,
            seed=seed or Seed(article.seed, "", None, ()),
            files={name: document.path for name, (document, _) in loaded.items()},
        )
        for kind in FACT_KINDS:
            if kind.file in loaded:
                document, entries = loaded[kind.file]
                facts.by_kind[kind.plural] = entries
                self.counts.facts_excused += sum(1 for entry in entries if entry.review)
        loaded_article = LoadedArticle(loaded, len(loaded) == len(files), actors)
        for check in ARTICLE_CHECKS:
            self.problems.extend(check(loaded_article))
        if seed is not None:
            context_key = cache_key(
                self.file_keys[article_doc.path],
                seed.sha256,
                self.file_keys.get(folder / "actors.yaml", ""),
                self.names_digest,
            )
            context: provenance.Context | None = None
            for kind in FACT_KINDS:
                if kind.file not in loaded:
                    continue
                document, entries = loaded[kind.file]
                check_key = self._check_key(document, entries, context_key)
                if self.cache.checked(check_key):
                    self.counts.facts_cached += len(entries)
                    continue
                if context is None:
                    names = facts.names(registry_names)
                    context = provenance.Context(article, seed, actors or {}, names, self.seed)
                self._check_provenance(document, entries, context, check_key)
        return facts

    def _check_key(self, document: Document, entries: list[Any], context_key: str) -> str:
        """What a file's provenance depends on: its bytes, its article's context, and the
        other seeds it cites (only a question's resolution can cite one)."""
        cited = sorted(
            {
                fact.resolution.source.seed
                for fact in entries
                if isinstance(fact, Question)
                and fact.resolution is not None
                and fact.resolution.source.seed is not None
            }
        )
        return cache_key(
            self.file_keys[document.path],
            context_key,
            *(f"{name}\0{found.sha256 if (found := self.seed(name)) else ''}" for name in cited),
        )

    def _check_provenance(
        self, document: Document, entries: list[Any], context: provenance.Context, check_key: str
    ) -> None:
        """Every fact of one file against its source; a file that passes is noted in the
        cache under its check key."""
        if self.cache.checked(check_key):
            return
        before = len(self.problems)
        self.counts.facts_checked += len(entries)
        for index, fact in enumerate(entries):
            for finding in provenance.check_fact(fact, context):
                self.problems.append(
                    document.problem((index, *finding.loc), finding.message, finding.hint)
                )
        if len(self.problems) == before:
            self.cache.store_checked(check_key)

    def _article_seed(self, document: Document, article: Article, folder: str) -> Seed | None:
        if article.seed not in self.seed_names:
            close = difflib.get_close_matches(article.seed, sorted(self.seed_names), n=1)
            self.problems.append(
                document.problem(
                    ("seed",),
                    f"the seed '{article.seed}' is not in seeds/",
                    f"did you mean '{close[0]}'?"
                    if close
                    else "copy the source text into seeds/ unchanged, or fix the file name",
                )
            )
            return None
        owner = self.seed_owners.setdefault(article.seed, folder)
        if owner != folder:
            self.problems.append(
                document.problem(
                    ("seed",),
                    f"the seed '{article.seed}' is already the source of the article '{owner}'",
                    "each article has a seed of its own: one fact sheet per source text",
                )
            )
        seed = self.seed(article.seed)
        if seed is not None:
            for finding in provenance.check_header(article, folder, seed):
                self.problems.append(document.problem(finding.loc, finding.message, finding.hint))
        return seed
