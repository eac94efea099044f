"""The schema of every fact kind: the one source of truth for validation and the JSON Schema.

The shapes follow schema.org (Article, Quotation, ClaimReview) and Wikidata's references: every
fact carries a `source` that names the paragraph of the source text it rests on and the excerpt
that proves it. Fields that hold the curators' own words (summary, context, background) are named
so, and pages show them apart from what the source says.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ARTICLE_ID_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$"
SEED_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.txt$"


def _real_date(text: str) -> str:
    """Accept 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' only when it names a real year, month or day."""
    parts = [int(part) for part in text.split("-")]
    try:
        datetime.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )
    except ValueError:
        raise _rule(f"'{text}' is not a real date", "check the month and the day") from None
    return text


def _rule(message: str, hint: str) -> PydanticCustomError:
    """A broken rule of the schema, with the hint the validator shows beside it."""
    return PydanticCustomError("fact_rule", message, {"hint": hint})


Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        max_length=80,
        description="Lower-case letters, digits and single hyphens, e.g. 'captured-fighters'.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
Day = Annotated[
    str,
    Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="A day, quoted: '2021-06-28'."),
    AfterValidator(_real_date),
]
PartialDate = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$",
        description="A year, a month or a day, quoted: '2014', '2021-06' or '2021-06-28'.",
    ),
    AfterValidator(_real_date),
]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Source(Strict):
    """Where a fact stands in its article's source text."""

    paragraph: int = Field(ge=1, description="1-based number of the paragraph in the seed.")
    excerpt: Text = Field(description="Words copied from that paragraph that support the fact.")


class ExternalSource(Source):
    """A source that may be another seed, as for the answer to an open question."""

    seed: str | None = Field(
        default=None,
        pattern=SEED_PATTERN,
        description="File name under seeds/; defaults to the article's own seed.",
    )


class Article(Strict):
    """One source article: its fact sheet's header. Its id is the name of its folder."""

    title: Text = Field(description="A descriptive title written by the curators.")
    date: Day = Field(
        description="Publication date; must match the seed's date line if it has one."
    )
    seed: str = Field(pattern=SEED_PATTERN, description="File name of the source text in seeds/.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the seed file's bytes.")
    summary: Text = Field(description="The curators' neutral summary of the article.")
    tags: list[Slug] = Field(default_factory=list)


class Actor(Strict):
    """A person, organisation, state or group, kept in one registry shared by all articles."""

    id: Slug
    name: Text = Field(description="The name as the sources write it.")
    kind: Literal["person", "organisation", "state", "group"]
    aliases: list[Text] = Field(
        default_factory=list, description="Other names the sources use for the same actor."
    )
    background: Text | None = Field(
        default=None,
        description="The curators' own background note; shown marked as not from any source.",
    )


class Mention(Strict):
    """An actor named in an article, described as the article describes it."""

    actor: Slug = Field(description="Id of an actor in facts/actors.yaml.")
    described_as: Text | None = Field(
        default=None, description="The article's own words for the actor, found in the excerpt."
    )
    source: Source


class Figure(Strict):
    """A number the article reports, exactly as written."""

    id: Slug
    written: Text = Field(description="The number as the text writes it, e.g. '$436 million'.")
    value: int | float | None = Field(
        description="The number itself, or null when the text gives none ('tens of thousands')."
    )
    unit: Text | None = Field(default=None, description="e.g. 'people', 'USD', 'months'.")
    qualifier: Literal["at least", "about", "approximately", "more than", "up to"] | None = None
    counts: Text = Field(description="What the number counts.")
    source: Source


class Quote(Strict):
    """Words the article prints in quotation marks, with their speaker."""

    id: Slug
    speaker: Slug = Field(description="Id of the actor who said it.")
    text: Text = Field(description="The quoted words, verbatim.")
    fragment: bool = Field(
        default=False, description="True if the article quotes only part of a sentence."
    )
    context: Text | None = Field(default=None, description="The curators' note on the situation.")
    source: Source


class Resolution(Strict):
    answer: Text
    source: ExternalSource


class Question(Strict):
    """Something the article leaves open."""

    id: Slug
    question: Text
    why: Text = Field(description="Why it matters, in the curators' words.")
    actors: list[Slug] = Field(default_factory=list, description="Ids of the actors involved.")
    deadline: Day | None = None
    deadline_written: Text | None = Field(
        default=None, description="The deadline as the text writes it, found in the excerpt."
    )
    status: Literal["open", "answered"] = "open"
    resolution: Resolution | None = None
    source: Source

    @model_validator(mode="after")
    def _answered_has_resolution(self) -> Question:
        if (self.status == "answered") != (self.resolution is not None):
            raise _rule(
                "a question has a resolution exactly when its status is 'answered'",
                "add a resolution (answer and source) with status: answered, or set status: open",
            )
        if (self.deadline is None) != (self.deadline_written is None):
            raise _rule(
                "give both deadline and deadline_written, or neither",
                "deadline is the date; deadline_written is how the text writes it",
            )
        return self


class Event(Strict):
    """A dated happening, for the timeline."""

    id: Slug
    date: PartialDate
    date_basis: Text | None = Field(
        default=None,
        description="How the date follows from the text when the text does not print it "
        "(e.g. 'this month' in an article dated 2021-06-28).",
    )
    what: Text
    source: Source


@dataclass(frozen=True)
class FileKind:
    """One kind of fact file: its file name, its model, and the names the tools use for it."""

    file: str  # file name: the registry in facts/, the others in each article folder
    model: type[BaseModel]
    plural: str  # attribute of an article's facts, download name: "quotes"
    singular: str  # name in messages and templates: "quote"
    schema: str  # name of its JSON Schema in schema/
    is_list: bool = True  # a list of entries; article.yaml is one mapping

    @cached_property
    def shape(self) -> TypeAdapter[Any]:
        return TypeAdapter(list[self.model] if self.is_list else self.model)  # type: ignore[name-defined]


REGISTRY = FileKind("actors.yaml", Actor, "actors", "actor", "actor-registry")
HEADER = FileKind("article.yaml", Article, "article", "article", "article", is_list=False)
# The files of an article folder besides article.yaml, all optional, in reading order.
FACT_KINDS = (
    FileKind("actors.yaml", Mention, "mentions", "mention", "mentions"),
    FileKind("figures.yaml", Figure, "figures", "figure", "figures"),
    FileKind("quotes.yaml", Quote, "quotes", "quote", "quotes"),
    FileKind("questions.yaml", Question, "questions", "question", "questions"),
    FileKind("events.yaml", Event, "events", "event", "events"),
)
ARTICLE_KINDS = {kind.file: kind for kind in (HEADER, *FACT_KINDS)}
REGISTRY_FILE = REGISTRY.file
ARTICLE_FILE = HEADER.file


def json_schemas() -> dict[str, str]:
    """The JSON Schema of each fact file, keyed by its file name under schema/."""
    out = {}
    for kind in (REGISTRY, HEADER, *FACT_KINDS):
        name = kind.schema
        schema = kind.shape.json_schema()
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"factsheet {name} file",
            **schema,
        }
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def write_json_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
