"""Stage 2, validate: schema, references between facts, and provenance against the seeds.

Every problem in every file is collected before anything is reported, so that a contributor
sees all of them in one run. Nothing is written by this stage.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .errors import FactsheetError, Problem
from .load import Document, Loc, load_file
from .model import (
    ARTICLE_FILE,
    ARTICLE_ID_PATTERN,
    ARTICLE_KINDS,
    FACT_KINDS,
    REGISTRY,
    REGISTRY_FILE,
    Actor,
    Article,
    Event,
    Figure,
    Mention,
    Question,
    Quote,
    Source,
)
from .project import Project

_SEED_DATE = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s+")
_FOLD = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u2026": "...",
    }
)
_SPACED_ELLIPSIS = re.compile(r"\.(?:\s*\.){2}")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold what differs between faithful copies: quote styles, '. . .' and white space."""
    text = text.translate(_FOLD)
    text = _SPACED_ELLIPSIS.sub("...", text)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Seed:
    """A source text: one paragraph per non-empty line, after an optional 'date YYYY-MM-DD'."""

    name: str
    path: Path
    sha256: str
    date: str | None
    paragraphs: tuple[str, ...]

    @cached_property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(paragraph) for paragraph in self.paragraphs)

    @classmethod
    def read(cls, path: Path) -> Seed:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        date = None
        found = _SEED_DATE.match(text)
        if found:
            date = found.group(1)
            text = text[found.end() :]
        paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
        return cls(path.name, path, hashlib.sha256(raw).hexdigest(), date, paragraphs)


@dataclass
class ArticleFacts:
    """One article with all its facts, after validation."""

    id: str
    article: Article
    seed: Seed
    files: dict[str, Path]
    mentions: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    """Line of each fact in its file, by (file name, fact id): for links to edit a fact."""


@dataclass
class Corpus:
    """Everything the render stage needs: the actor registry and every article, newest first."""

    actors: dict[str, Actor]
    articles: list[ArticleFacts]
    registry_path: Path


def validate_project(project: Project) -> Corpus:
    """Load and check every fact file; raise FactsheetError listing every problem found.

    Loading creates millions of small objects that all stay alive, so Python's cyclic garbage
    collector would run full passes that free nothing (about a fifth of the time at 1,000
    articles); it is paused while the corpus is built.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Validator(project).run()
    finally:
        if was_enabled:
            gc.enable()


class _Validator:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.problems: list[Problem] = []
        self.seeds: dict[str, Seed | None] = {}

    def run(self) -> Corpus:
        facts = self.project.facts_dir
        if not facts.is_dir():
            raise FactsheetError([Problem(facts, 1, 1, "the facts folder is missing", "create it")])
        registry_path = facts / REGISTRY_FILE
        registry = self._registry(registry_path)
        actors = registry if registry is not None else {}
        articles = []
        for entry in sorted(facts.iterdir()):
            if entry.is_dir():
                found = self._article(entry, registry)
                if found is not None:
                    articles.append(found)
            elif entry.name != REGISTRY_FILE and not entry.name.startswith("."):
                self.problems.append(
                    Problem(
                        entry,
                        1,
                        1,
                        f"unexpected file '{entry.name}' in the facts folder",
                        f"facts/ holds {REGISTRY_FILE} and one folder per article",
                    )
                )
        if self.problems:
            raise FactsheetError(self.problems)
        articles.sort(key=lambda found: (found.article.date, found.id), reverse=True)
        return Corpus(actors, articles, registry_path)

    # --- loading and schema -------------------------------------------------------------

    def _load(self, path: Path, shape: TypeAdapter[Any]) -> tuple[Document, Any] | None:
        try:
            document = load_file(path)
        except FactsheetError as error:
            self.problems.extend(error.problems)
            return None
        try:
            return document, shape.validate_python(document.data)
        except ValidationError as error:
            self.problems.extend(_schema_problems(document, error))
            return None

    def _registry(self, path: Path) -> dict[str, Actor] | None:
        """The actor registry, or None if it could not be read (its problems are reported)."""
        if not path.is_file():
            self.problems.append(
                Problem(
                    path, 1, 1, "the actor registry is missing", "create it with a list of actors"
                )
            )
            return None
        loaded = self._load(path, REGISTRY.shape)
        if loaded is None:
            return None
        document, entries = loaded
        actors: dict[str, Actor] = {}
        for index, actor in enumerate(entries):
            if actor.id in actors:
                self.problems.append(
                    document.problem(
                        (index, "id"),
                        f"duplicate actor id '{actor.id}'",
                        "every actor in the registry needs its own id",
                    )
                )
            actors.setdefault(actor.id, actor)
        return actors

    def _article(self, folder: Path, actors: dict[str, Actor] | None) -> ArticleFacts | None:
        """Check one article folder; references are checked only if the registry loaded."""
        article_path = folder / ARTICLE_FILE
        if not re.match(ARTICLE_ID_PATTERN, folder.name):
            self.problems.append(
                Problem(
                    article_path,
                    1,
                    1,
                    f"the article folder name '{folder.name}' is not a valid article id",
                    "name it by date and a few words of the title: 2021-06-28-words-of-title",
                )
            )
            return None
        if not article_path.is_file():
            self.problems.append(
                Problem(
                    article_path,
                    1,
                    1,
                    f"{ARTICLE_FILE} is missing",
                    "every article folder needs one",
                )
            )
            return None
        loaded: dict[str, tuple[Document, Any]] = {}
        for path in sorted(folder.iterdir()):
            kind = ARTICLE_KINDS.get(path.name)
            if kind is None:
                if not path.name.startswith("."):
                    self.problems.append(
                        Problem(
                            path,
                            1,
                            1,
                            f"unexpected file '{path.name}' in an article folder",
                            "an article folder holds " + ", ".join(ARTICLE_KINDS),
                        )
                    )
                continue
            result = self._load(path, kind.shape)
            if result is not None:
                loaded[path.name] = result
        if ARTICLE_FILE not in loaded:
            return None
        article_doc, article = loaded[ARTICLE_FILE]
        seed = self._seed(article_doc, article)
        facts = ArticleFacts(
            id=folder.name,
            article=article,
            seed=seed if seed is not None else Seed(article.seed, article_path, "", None, ()),
            files={name: document.path for name, (document, _) in loaded.items()},
        )
        for kind in FACT_KINDS:
            if kind.file in loaded:
                document, entries = loaded[kind.file]
                setattr(facts, kind.plural, entries)
                for index, entry in enumerate(entries):
                    key = getattr(entry, "id", None)
                    if key is not None:
                        facts.lines[(kind.file, key)] = document.position((index,)).line
        self._check_ids(loaded)
        if actors is not None:
            self._check_references(loaded, actors)
        if seed is not None:
            _Provenance(self, seed, actors or {}).check(loaded)
        return facts

    def _seed(self, document: Document, article: Article) -> Seed | None:
        path = self.project.seeds_dir / article.seed
        if not path.is_file():
            self.problems.append(
                document.problem(
                    ("seed",),
                    f"the seed '{article.seed}' is not in {self.project.seeds_dir.name}/",
                    "copy the source text into seeds/ unchanged, or fix the file name",
                )
            )
            return None
        seed = self.seed(article.seed)
        if seed is None:
            self.problems.append(
                document.problem(("seed",), f"the seed '{article.seed}' is not valid UTF-8 text")
            )
            return None
        if seed.sha256 != article.sha256:
            self.problems.append(
                document.problem(
                    ("sha256",),
                    f"sha256 does not match seeds/{article.seed}",
                    f"the seed's sha256 is {seed.sha256}; if the seed changed on purpose, "
                    "re-check every fact against it and update sha256",
                )
            )
        if seed.date is not None and seed.date != article.date:
            self.problems.append(
                document.problem(
                    ("date",),
                    f"date {article.date} differs from the seed's date line ({seed.date})",
                    f"write date: '{seed.date}'",
                )
            )
        return seed

    def seed(self, name: str) -> Seed | None:
        """The named seed, read once per run; None if it is missing or not UTF-8."""
        if name not in self.seeds:
            path = self.project.seeds_dir / name
            try:
                self.seeds[name] = Seed.read(path)
            except (OSError, UnicodeDecodeError):
                self.seeds[name] = None
        return self.seeds[name]

    # --- ids and references -------------------------------------------------------------

    def _check_ids(self, loaded: dict[str, tuple[Document, Any]]) -> None:
        """Fact ids are anchors on the article page: unique across all kinds in the article."""
        first: dict[str, tuple[Document, int]] = {}
        for name, (document, entries) in loaded.items():
            if name in (ARTICLE_FILE, "actors.yaml"):
                continue
            for index, fact in enumerate(entries):
                if fact.id in first:
                    other, line = first[fact.id]
                    self.problems.append(
                        document.problem(
                            (index, "id"),
                            f"duplicate id '{fact.id}'",
                            f"'{fact.id}' is already used in {other.path.name} line {line}; "
                            "ids must be unique within an article",
                        )
                    )
                else:
                    first[fact.id] = (document, document.position((index, "id")).line)

    def _check_references(
        self, loaded: dict[str, tuple[Document, Any]], actors: dict[str, Actor]
    ) -> None:
        def check(document: Document, loc: Loc, actor_id: str) -> None:
            if actor_id not in actors:
                close = difflib.get_close_matches(actor_id, list(actors), n=1)
                hint = f"did you mean '{close[0]}'?" if close else ""
                hint = (hint + " " if hint else "") + f"actors are listed in facts/{REGISTRY_FILE}"
                self.problems.append(document.problem(loc, f"unknown actor '{actor_id}'", hint))

        if "actors.yaml" in loaded:
            document, mentions = loaded["actors.yaml"]
            for index, mention in enumerate(mentions):
                check(document, (index, "actor"), mention.actor)
        if "quotes.yaml" in loaded:
            document, quotes = loaded["quotes.yaml"]
            for index, quote in enumerate(quotes):
                check(document, (index, "speaker"), quote.speaker)
        if "questions.yaml" in loaded:
            document, questions = loaded["questions.yaml"]
            for index, question in enumerate(questions):
                for position, actor_id in enumerate(question.actors):
                    check(document, (index, "actors", position), actor_id)


class _Provenance:
    """Checks that every fact rests on words that really are in its source paragraph."""

    def __init__(self, validator: _Validator, seed: Seed, actors: dict[str, Actor]) -> None:
        self.validator = validator
        self.seed = seed
        self.actors = actors

    def check(self, loaded: dict[str, tuple[Document, Any]]) -> None:
        for name, (document, entries) in loaded.items():
            if name == ARTICLE_FILE:
                continue
            for index, fact in enumerate(entries):
                paragraph = self._source(document, (index, "source"), fact.source, self.seed)
                if paragraph is None:
                    continue
                excerpt = fold(fact.source.excerpt)
                if isinstance(fact, Quote):
                    self._within(document, (index, "text"), fact.text, excerpt, "quote text")
                    self._names(document, (index, "speaker"), fact.speaker, excerpt, "speaker")
                elif isinstance(fact, Figure):
                    self._within(
                        document, (index, "written"), fact.written, excerpt, "written form"
                    )
                elif isinstance(fact, Mention):
                    if fact.described_as is not None:
                        self._within(
                            document,
                            (index, "described_as"),
                            fact.described_as,
                            excerpt,
                            "description",
                        )
                    self._names(document, (index, "actor"), fact.actor, excerpt, "actor")
                elif isinstance(fact, Question):
                    if fact.deadline_written is not None:
                        self._within(
                            document,
                            (index, "deadline_written"),
                            fact.deadline_written,
                            excerpt,
                            "deadline",
                        )
                    if fact.resolution is not None:
                        resolution = fact.resolution.source
                        seed = self.seed
                        if resolution.seed is not None:
                            other = self.validator.seed(resolution.seed)
                            if other is None:
                                self._problem(
                                    document,
                                    (index, "resolution", "source", "seed"),
                                    f"the seed '{resolution.seed}' is not in seeds/",
                                    "add the source text of the answer to seeds/",
                                )
                                continue
                            seed = other
                        self._source(document, (index, "resolution", "source"), resolution, seed)

    def _source(self, document: Document, loc: Loc, source: Source, seed: Seed) -> str | None:
        """Check the excerpt against its paragraph; return the folded paragraph if it exists."""
        count = len(seed.paragraphs)
        if source.paragraph > count:
            self._problem(
                document,
                (*loc, "paragraph"),
                f"paragraph {source.paragraph} does not exist: {seed.name} has {count} paragraphs",
                _locate_hint(fold(source.excerpt), seed),
            )
            return None
        paragraph = seed.folded[source.paragraph - 1]
        excerpt = fold(source.excerpt)
        if excerpt not in paragraph:
            self._problem(
                document,
                (*loc, "excerpt"),
                f"the excerpt is not in paragraph {source.paragraph} of {seed.name}",
                _mismatch_hint(excerpt, paragraph, seed),
            )
            return None
        return paragraph

    def _within(self, document: Document, loc: Loc, value: str, excerpt: str, what: str) -> None:
        folded = fold(value)
        if folded not in excerpt:
            self._problem(
                document,
                loc,
                f"the {what} is not in the excerpt, word for word",
                _mismatch_hint(folded, excerpt, None),
            )

    def _names(self, document: Document, loc: Loc, actor_id: str, excerpt: str, role: str) -> None:
        actor = self.actors.get(actor_id)
        if actor is None:
            return  # reported as an unknown reference
        names = [actor.name, *actor.aliases]
        if not any(fold(name) in excerpt for name in names):
            self._problem(
                document,
                loc,
                f"the excerpt does not name the {role} '{actor_id}' (" + " / ".join(names) + ")",
                "widen source.excerpt to include the attribution (such as 'Blinken said'), "
                "or add the name the article uses to the actor's aliases",
            )

    def _problem(self, document: Document, loc: Loc, message: str, hint: str = "") -> None:
        self.validator.problems.append(document.problem(loc, message, hint))


def _locate_hint(needle: str, seed: Seed) -> str:
    for number, paragraph in enumerate(seed.folded, start=1):
        if needle in paragraph:
            return f"the excerpt is in paragraph {number}: set paragraph: {number}"
    return "paragraphs are the non-empty lines of the seed, counted from 1"


def _mismatch_hint(needle: str, haystack: str, seed: Seed | None) -> str:
    """Say where the copy departs from the source, so a contributor can see the changed word."""
    if seed is not None:
        elsewhere = _locate_hint(needle, seed)
        if elsewhere.startswith("the excerpt is in"):
            return elsewhere
    low, high = 0, len(needle)
    while low < high:  # the longest prefix of needle found in haystack
        middle = (low + high + 1) // 2
        if needle[:middle] in haystack:
            low = middle
        else:
            high = middle - 1
    if low < len(needle) and " " in needle[:low]:
        low = needle.rindex(" ", 0, low) + 1  # show the whole word that differs
    if low < 3:
        return "copy the words exactly from the source text"
    at = haystack.find(needle[:low]) + low
    return (
        f"it matches up to '{needle[max(0, low - 30) : low]}', then reads "
        f"'{needle[low : low + 30]}' where the source has '{haystack[at : at + 30]}'"
    )


def _schema_problems(document: Document, error: ValidationError) -> list[Problem]:
    problems: dict[tuple[int, int], Problem] = {}
    for item in error.errors(include_url=False):
        loc: Loc = tuple(part for part in item["loc"] if not _is_union_tag(part))
        kind = item["type"]
        field_path = _describe(loc)
        if kind == "extra_forbidden":
            message = f"unknown field '{loc[-1]}'"
            hint = _unknown_field_hint(str(loc[-1]), error)
            problem = document.problem(loc, message, hint, key=True)
        elif kind == "missing":
            message = f"missing field '{loc[-1]}'"
            problem = document.problem(loc[:-1], message, f"add '{loc[-1]}:' to this entry")
        else:
            value = item.get("input")
            message = f"{field_path}: {item['msg'].rstrip('.')}"
            hint = str(item.get("ctx", {}).get("hint", "")) or _value_hint(kind, value, loc)
            problem = document.problem(loc, message, hint)
        problems.setdefault((problem.line, problem.column), problem)
    return list(problems.values())


def _is_union_tag(part: str | int) -> bool:
    """Pydantic adds the tried member type of a union to an error's location; drop it."""
    return isinstance(part, str) and (
        part in ("int", "float", "str", "bool", "none")
        or "[" in part
        or part.startswith("function")
    )


def _describe(loc: Loc) -> str:
    words = []
    for part in loc:
        if isinstance(part, int):
            words.append(f"entry {part + 1}")
        else:
            words.append(part)
    return " > ".join(words) if words else "the file"


_ALL_FIELDS = sorted(
    {
        name
        for model in (Article, Actor, Mention, Figure, Quote, Question, Event, Source)
        for name in model.model_fields
    }
    | {"answer", "seed"}
)


def _unknown_field_hint(name: str, error: ValidationError) -> str:
    close = difflib.get_close_matches(name, _ALL_FIELDS, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "remove it; the JSON Schema in schema/ lists the fields of each kind"


_PATTERN_HINTS = {
    "date": "write a quoted date such as '2021-06-28' (events may give just '2014' or '2021-06')",
    "deadline": "write a quoted date such as '2021-07-10'",
    "seed": "give the file name of the seed in seeds/, such as '000_9b837632feedfbd1.txt'",
    "sha256": "64 lower-case hex digits, as printed by: sha256sum seeds/NAME",
}


def _value_hint(kind: str, value: Any, loc: Loc) -> str:
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "string_type" and isinstance(value, bool | int | float):
        return "put the value in quotes to make it text"
    if kind == "string_type" and value is None:
        return "the value is empty: write the text, or remove the field"
    if kind == "string_pattern_mismatch" and field in _PATTERN_HINTS:
        return _PATTERN_HINTS[field]
    if kind == "string_pattern_mismatch":
        return "ids are lower-case letters, digits and single hyphens, such as 'captured-fighters'"
    if kind in ("int_type", "float_type", "int_from_float") and isinstance(value, str):
        return "write the number without quotes, commas or units, such as 10000"
    if kind in ("int_type", "float_type", "int_from_float"):
        return "write a plain number such as 10000, or null where the text gives none"
    if kind == "literal_error":
        return "use one of the values listed"
    if kind == "string_too_short":
        return "write the text, or remove the field if it is optional"
    if kind in ("list_type", "model_type", "dict_type") and not loc:
        return (
            "a fact file holds a list of entries, each starting with '- '"
            if kind == "list_type"
            else "article.yaml holds one mapping of fields: title, date, seed, sha256, summary"
        )
    if kind == "list_type":
        return "write a list: [a, b], or one '- item' per line"
    if kind in ("model_type", "dict_type"):
        return "write a mapping of fields here, one 'field: value' per line"
    if kind in ("greater_than_equal", "greater_than"):
        return "paragraphs are counted from 1"
    return "see the JSON Schema in schema/ for the fields of each kind"
