"""The schema of every fact kind: the one source of truth for validation, JSON Schema, CSV columns,
the scaffolds and the field reference.

The shapes follow schema.org (NewsArticle, Quotation, Claim, Place) and Wikidata's references:
every fact carries a `source` that names the paragraph of the source text it rests on and the
excerpt that proves it. Fields that hold the curators' own words (summary, context, background,
role) are named so, and pages show them apart from what the source says.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

# Patterns of ids, names and addresses. Those given to pydantic as `pattern=` are matched by its
# Rust regex engine (pinned in `Strict`) and written into the JSON Schemas (ECMA-262): in both,
# `$` is the end of the text. In Python's `re`, `$` also matches before a final line feed
# (`re.match("^x$", "x\n")` matches), so Python code checks these with re.fullmatch, and
# ARTICLE_ID_PATTERN, which only Python code uses, ends with `\Z`.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ARTICLE_ID_PATTERN = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})-[a-z0-9]+(?:-[a-z0-9]+)*\Z"
SEED_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.txt$"
# http(s) only, and none of the characters that could end a Markdown link or an HTML attribute.
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~%!$&*+,;=:@/-]*)?(?:\?[A-Za-z0-9._~%!$&*+,;=:@/?-]*)?(?:#[A-Za-z0-9._~%!$&*+,;=:@/?-]*)?$"

# Qualifiers a figure may carry, each with what it says about the number. A qualifier must be
# written in the figure's `written` form, word for word ("nearly 4,000").
QUALIFIERS: dict[str, str] = {
    "at least": "the number or more",
    "no fewer than": "the number or more",
    "more than": "above the number",
    "over": "above the number",
    "upwards of": "above the number",
    "fewer than": "below the number",
    "less than": "below the number",
    "under": "below the number",
    "at most": "the number or less",
    "no more than": "the number or less",
    "up to": "the number or less",
    "as many as": "the number or less",
    "nearly": "just below the number",
    "almost": "just below the number",
    "close to": "just below the number",
    "about": "roughly the number",
    "around": "roughly the number",
    "roughly": "roughly the number",
    "approximately": "roughly the number",
    "some": "roughly the number",
    "an estimated": "roughly the number, as estimated",
}
Qualifier = Literal[
    "at least",
    "no fewer than",
    "more than",
    "over",
    "upwards of",
    "fewer than",
    "less than",
    "under",
    "at most",
    "no more than",
    "up to",
    "as many as",
    "nearly",
    "almost",
    "close to",
    "about",
    "around",
    "roughly",
    "approximately",
    "some",
    "an estimated",
]

ActorKind = Literal["person", "organisation", "state", "group", "place"]
ClaimType = Literal[
    "accusation",
    "announcement",
    "assessment",
    "demand",
    "denial",
    "position",
    "promise",
    "warning",
]

# Generated file names an id must not take (actors/index.md is the actor listing).
RESERVED_IDS = frozenset({"index"})


def _rule(message: str, hint: str) -> PydanticCustomError:
    """A broken rule of the schema, with the hint the validator shows beside it."""
    return PydanticCustomError("fact_rule", message, {"hint": hint})


# The years a date may have: every date field (an article's date, a publication's `retrieved`,
# a question's deadline, an event's date, as a year, a month or a day) and the commit dates of
# a sheet's history. Python's dates end at 9999, and what comes after validation works out
# dates around the ones given: "next year" or "ten years ago" from an article's date, the day
# after a deadline (iCalendar's DTEND), the month after the last date on a timeline. A range
# far from the ends keeps all of that, and the feeds, inside what every library handles. It
# starts with the first whole year of the Gregorian calendar, the calendar Python's dates
# follow, so that no day is checked against a calendar its source did not use.
FIRST_YEAR = 1583
LAST_YEAR = 2999
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _real_date(text: str) -> str:
    """Accept 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' only when it names a real year, month or day
    from FIRST_YEAR to LAST_YEAR."""
    parts = [int(part) for part in text.split("-")]
    if not FIRST_YEAR <= parts[0] <= LAST_YEAR:
        raise _rule(
            f"'{text}' is outside the years {FIRST_YEAR} to {LAST_YEAR}",
            f"check the year: dates run from {FIRST_YEAR} to {LAST_YEAR}",
        )
    try:
        datetime.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )
    except ValueError:
        raise _rule(f"'{text}' is not a real date", "check the month and the day") from None
    return text


def parse_day(text: str) -> datetime.date | None:
    """The day 'YYYY-MM-DD' names, if it is a real day from FIRST_YEAR to LAST_YEAR; else None."""
    if not _DAY.fullmatch(text):
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def _not_reserved(text: str) -> str:
    if text in RESERVED_IDS:
        raise _rule(
            f"the id '{text}' is reserved for a page the site generates",
            f"choose another id, such as '{text}-1'",
        )
    return text


def _finite(value: float) -> float:
    if isinstance(value, float) and not math.isfinite(value):
        raise _rule("the number is not finite", "write a plain number such as 10000")
    return value


def precision(date: str) -> Literal["year", "month", "day"]:
    """How precise a partial date is: '2021' is a year, '2021-06' a month, '2021-06-28' a day."""
    return ("year", "month", "day")[date.count("-")]


Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        max_length=80,
        description="Lower-case letters, digits and single hyphens, e.g. 'captured-fighters'.",
    ),
]


class _Marker:
    """A mark on a field's type that the tools read (pydantic ignores it)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


ACTOR_REFERENCE = _Marker("ACTOR_REFERENCE")  # the field names an actor of the registry
CURATED = _Marker("CURATED")  # the field holds the curators' own words, not the source's

ActorId = Annotated[Slug, AfterValidator(_not_reserved)]
ActorRef = Annotated[Slug, ACTOR_REFERENCE]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
CuratorText = Annotated[Text, CURATED]
Name = Annotated[str, Field(min_length=1, max_length=200)]
CuratorName = Annotated[Name, CURATED]
Number = Annotated[int | float, AfterValidator(_finite)]
Count = Annotated[int, Field(ge=0, le=10**15)]
Url = Annotated[str, Field(pattern=URL_PATTERN, max_length=2000, description="An http(s) URL.")]
Day = Annotated[
    str,
    Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="A day, quoted: '2021-06-28'."),
    AfterValidator(_real_date),
]
PartialDate = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$",
        description="A year, a month or a day, quoted: '2014', '2021-07' or '2021-06-28'. "
        "Its precision is the precision the text gives.",
    ),
    AfterValidator(_real_date),
]


class Strict(BaseModel):
    # The Rust engine reads `$` as the end of the text, as the JSON Schemas do (see above).
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, regex_engine="rust-regex")


class Source(Strict):
    """Where a fact stands in its article's source text."""

    paragraph: int = Field(ge=1, le=100_000, description="1-based number of the paragraph.")
    excerpt: Text = Field(description="Words copied from that paragraph that support the fact.")


class ExternalSource(Source):
    """A source that may be another seed, as for the answer to an open question."""

    seed: str | None = Field(
        default=None,
        pattern=SEED_PATTERN,
        description="File name under seeds/; defaults to the article's own seed.",
    )


class Publication(Strict):
    """Where and how the source article was first published; every field is optional."""

    publisher: Name | None = Field(default=None, description="e.g. 'The Washington Post'.")
    byline: Name | None = Field(default=None, description="The authors, as the byline reads.")
    headline: Text | None = Field(default=None, description="The original headline.")
    url: Url | None = Field(default=None, description="Where the article was published.")
    archived_url: Url | None = Field(default=None, description="An archived copy.")
    retrieved: Day | None = Field(default=None, description="When the seed text was taken.")


class Correction(Strict):
    """A correction to the sheet, as the curators tell readers of it."""

    date: Day = Field(description="The day the sheet was corrected.")
    wrong: CuratorText = Field(description="What the sheet said that was wrong.")
    right: CuratorText = Field(description="What it says now, and why.")


class Article(Strict):
    """One source article: its fact sheet's header. Its id is the name of its folder."""

    title: CuratorText = Field(description="A descriptive title written by the curators.")
    date: Day = Field(
        description="Publication date; must match the seed's date line and the folder name."
    )
    seed: str = Field(pattern=SEED_PATTERN, description="File name of the source text in seeds/.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the seed file's bytes.")
    summary: CuratorText = Field(description="The curators' neutral summary of the article.")
    tags: list[Slug] = Field(default_factory=list, max_length=30)
    publication: Publication | None = Field(
        default=None, description="The original publication, where it is known."
    )
    corrections: list[Correction] = Field(
        default_factory=list,
        description="Corrections made to the sheet after it was published, oldest first.",
    )
    key_facts: list[Slug] = Field(
        default_factory=list,
        max_length=5,
        description="The facts readers should see first, by id and in order: up to five of "
        "this article's figures, quotes, claims, statements, questions and events.",
    )


# How the site titles each kind of actor, in lists of actors.
KIND_TITLES = {
    "person": "People",
    "organisation": "Organisations",
    "state": "States",
    "group": "Groups",
    "place": "Places",
}


class Actor(Strict):
    """A person, organisation, state, group or place, in one registry shared by all articles."""

    id: ActorId
    name: Name = Field(description="The name as the sources write it.")
    kind: ActorKind
    aliases: list[Name] = Field(
        default_factory=list,
        description="Other names the sources use for the same actor; no pronouns or common words.",
    )
    full_name: CuratorName | None = Field(
        default=None, description="The curators' full name, where the sources give less."
    )
    role: CuratorName | None = Field(
        default=None, description="The curators' note of the role, e.g. 'U.S. Secretary of State'."
    )
    background: CuratorText | None = Field(
        default=None,
        description="The curators' own background note; shown marked as not from any source.",
    )
    sort_as: Name | None = Field(
        default=None, description="How to file the actor in the index, e.g. 'State Department'."
    )
    wikidata: str | None = Field(
        default=None, pattern=r"^Q[1-9][0-9]{0,11}$", description="Wikidata item, e.g. 'Q38'."
    )
    website: Url | None = Field(default=None, description="The official site.")


class Review(Strict):
    """A reviewer's word that a fact is right although one rule cannot verify it."""

    rule: str = Field(
        pattern=r"^[a-z][a-z_]*$",
        max_length=80,
        description="The rule the fact is excused from, by its name on the 'How facts are "
        "checked' page.",
    )
    reason: CuratorText = Field(
        description="Why the fact is right although the rule refuses it, in the reviewer's "
        "words; shown to readers."
    )


REVIEW_DESCRIPTION = (
    "Only for a right fact that a rule cannot verify: the rule it is excused from, and why. "
    "The site marks it as checked by a reviewer."
)


class Mention(Strict):
    """An actor named in an article, described as the article describes it."""

    actor: ActorRef = Field(description="Id of an actor in facts/actors.yaml.")
    described_as: Text | None = Field(
        default=None, description="The article's own words for the actor, found in the excerpt."
    )
    source: Source
    review: Review | None = Field(default=None, description=REVIEW_DESCRIPTION)


class Range(Strict):
    low: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low >= self.high:
            raise _rule("a range needs low below high", "write the smaller number as low")
        return self


class Tally(Strict):
    """A vote or a score as the text gives it: '12-0', '2-3 with 10 abstentions'."""

    model_config = ConfigDict(populate_by_name=False)

    in_favour: Count = Field(alias="for")
    against: Count
    abstentions: Count | None = None


class Figure(Strict):
    """A number the article reports, exactly as written: one number, a range or a tally."""

    id: Slug
    written: Text = Field(description="The number as the text writes it, e.g. '$436 million'.")
    value: Number | None = Field(
        default=None,
        description="The number itself, or null when the text gives none ('tens of thousands').",
    )
    range: Range | None = Field(default=None, description="For 'between 3 and 5': low and high.")
    tally: Tally | None = Field(default=None, description="For a vote such as '12-0'.")
    unit: Name | None = Field(default=None, description="e.g. 'people', 'USD', 'months'.")
    qualifier: Qualifier | None = Field(
        default=None, description="Words before the number that qualify it, as written."
    )
    counts: CuratorText = Field(description="What the number counts, in the curators' words.")
    source: Source

    @model_validator(mode="after")
    def _one_shape(self) -> Figure:
        given = [name for name in ("value", "range", "tally") if name in self.model_fields_set]
        if len(given) != 1:
            raise _rule(
                "a figure has exactly one of value, range and tally",
                "give value (a number, or null for 'millions'), or range, or tally",
            )
        return self

    @property
    def shape(self) -> Literal["value", "range", "tally"]:
        return "range" if self.range else "tally" if self.tally else "value"

    @model_serializer(mode="wrap")
    def _only_its_shape(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Exports carry the one shape a figure has, so that they load back as the same fact."""
        data: dict[str, Any] = handler(self)
        for name in ("value", "range", "tally"):
            if name != self.shape:
                data.pop(name, None)
        return data

    review: Review | None = Field(default=None, description=REVIEW_DESCRIPTION)


class Quote(Strict):
    """Words the article prints in quotation marks, with their speaker."""

    id: Slug
    speaker: ActorRef = Field(description="Id of the actor who said it.")
    text: Text | list[Text] = Field(
        description="The quoted words, verbatim; a list when the article interrupts the quote "
        "('“If …,” the official said, “that …”') or continues it into the next paragraphs."
    )
    fragment: bool = Field(
        default=False,
        description="True if the article quotes only part of a sentence; checked.",
    )
    context: CuratorText | None = Field(
        default=None, description="The curators' note on the situation."
    )
    source: Source
    continued: list[Source] = Field(
        default_factory=list,
        max_length=20,
        description="The following paragraphs the quote runs on into, in order.",
    )
    attribution: Source | None = Field(
        default=None,
        description="Where the article names the speaker, when the excerpt says only 'he said'.",
    )

    @property
    def parts(self) -> list[str]:
        return [self.text] if isinstance(self.text, str) else list(self.text)

    @property
    def sources(self) -> list[Source]:
        return [self.source, *self.continued]

    review: Review | None = Field(default=None, description=REVIEW_DESCRIPTION)


class Claim(Strict):
    """Something the article reports an actor as saying without quoting it."""

    id: Slug
    claimant: ActorRef = Field(
        description="Id of the actor who claims, accuses, warns or announces."
    )
    type: ClaimType = Field(description="What kind of statement the article reports.")
    context: CuratorText | None = Field(default=None, description="The curators' note.")
    source: Source = Field(description="The excerpt is the claim, as the article words it.")
    attribution: Source | None = Field(
        default=None,
        description="Where the article names the claimant, when the excerpt does not.",
    )
    review: Review | None = Field(default=None, description=REVIEW_DESCRIPTION)


class Statement(Strict):
    """Something the article states in its own voice: context or background it gives without
    attributing it to anyone (what it reports someone as saying is a claim)."""

    id: Slug
    context: CuratorText | None = Field(default=None, description="The curators' note.")
    source: Source = Field(description="The excerpt is the statement, as the article words it.")
    review: Review | None = Field(default=None, description=REVIEW_DESCRIPTION)


class Resolution(Strict):
    answer: Text
    source: ExternalSource


class Question(Strict):
    """Something the article leaves open."""

    id: Slug
    question: CuratorText
    why: CuratorText = Field(description="Why it matters, in the curators' words.")
    actors: list[ActorRef] = Field(default_factory=list, description="Ids of the actors involved.")
    deadline: PartialDate | None = None
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

    review: Review | None = Field(default=None, description=REVIEW_DESCRIPTION)


class Event(Strict):
    """A dated happening, for the timeline."""

    id: Slug
    date: PartialDate
    date_basis: Text | None = Field(
        default=None,
        description="The words that date the event when the excerpt does not print the date in "
        "full ('last Friday', 'this month', 'July 10'); resolved against the article date.",
    )
    date_source: Source | None = Field(
        default=None, description="Where date_basis is written, if not in the excerpt."
    )
    what: CuratorText
    source: Source
    review: Review | None = Field(default=None, description=REVIEW_DESCRIPTION)


@dataclass(frozen=True)
class FileKind:
    """One kind of fact file: its file name, its model, and the names the tools use for it."""

    file: str  # file name: the registry in facts/, the others in each article folder
    model: type[BaseModel]
    plural: str  # attribute of an article's facts, download name: "quotes"
    singular: str  # name in messages, anchors and templates: "quote"
    schema: str  # name of its JSON Schema in schema/
    is_list: bool = True  # a list of entries; article.yaml is one mapping
    # Its section on a fact sheet: heading, anchor, label in the jump links, place among the
    # sections (kinds of fact only).
    heading: str = ""
    anchor: str = ""
    jump: str = ""
    section: int = 0

    @cached_property
    def shape(self) -> TypeAdapter[Any]:
        return TypeAdapter(list[self.model] if self.is_list else self.model)  # type: ignore[name-defined]

    @cached_property
    def actor_fields(self) -> tuple[str, ...]:
        """The fields that name actors of the registry (an id, or a list of ids)."""
        return _fields_marked(self.model, ACTOR_REFERENCE)

    @cached_property
    def curated_fields(self) -> tuple[str, ...]:
        """The fields in the curators' own words, which no rule checks against the source."""
        return _fields_marked(self.model, CURATED)

    def actor_references(self, fact: BaseModel) -> list[tuple[tuple[str | int, ...], str]]:
        """The actor ids a fact refers to, with where each is written (its actor fields)."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        for name in self.actor_fields:
            value = getattr(fact, name)
            if isinstance(value, str):
                found.append(((name,), value))
            elif isinstance(value, list):
                found.extend(((name, position), actor) for position, actor in enumerate(value))
        return found

    @property
    def template(self) -> str:
        """The template of the kind's section on a fact sheet."""
        return f"kinds/{self.singular}.md.j2"


def _marked(annotation: Any, marker: _Marker) -> bool:
    """True if a type, or a type inside it (a list's items, an optional value), is marked."""
    if get_origin(annotation) is Annotated and marker in get_args(annotation)[1:]:
        return True
    return any(_marked(inner, marker) for inner in get_args(annotation))


def _fields_marked(model: type[BaseModel], marker: _Marker) -> tuple[str, ...]:
    return tuple(
        name
        for name, info in model.model_fields.items()
        if marker in info.metadata or _marked(info.annotation, marker)
    )


REGISTRY = FileKind("actors.yaml", Actor, "actors", "actor", "actor-registry")
HEADER = FileKind("article.yaml", Article, "article", "article", "article", is_list=False)
# The files of an article folder besides article.yaml, all optional, in reading order.
FACT_KINDS = (
    FileKind(
        "actors.yaml", Mention, "mentions", "mention", "mentions",
        heading="Actors", anchor="actors", jump="Actors", section=7,
    ),
    FileKind(
        "figures.yaml", Figure, "figures", "figure", "figures",
        heading="Key figures", anchor="figures", jump="Figures", section=1,
    ),
    FileKind(
        "quotes.yaml", Quote, "quotes", "quote", "quotes",
        heading="Quotes", anchor="quotes", jump="Quotes", section=2,
    ),
    FileKind(
        "claims.yaml", Claim, "claims", "claim", "claims",
        heading="Reported claims", anchor="claims", jump="Claims", section=3,
    ),
    FileKind(
        "statements.yaml", Statement, "statements", "statement", "statements",
        heading="Background", anchor="background", jump="Background", section=4,
    ),
    FileKind(
        "questions.yaml", Question, "questions", "question", "questions",
        heading="Open questions", anchor="questions", jump="Questions", section=5,
    ),
    FileKind(
        "events.yaml", Event, "events", "event", "events",
        heading="Timeline", anchor="timeline", jump="Timeline", section=6,
    ),
)  # fmt: skip
SECTIONS = tuple(sorted(FACT_KINDS, key=lambda kind: kind.section))  # in a fact sheet's order
ARTICLE_KINDS = {kind.file: kind for kind in (HEADER, *FACT_KINDS)}
KINDS_BY_SINGULAR = {kind.singular: kind for kind in (REGISTRY, *FACT_KINDS)}
REGISTRY_FILE = REGISTRY.file
ARTICLE_FILE = HEADER.file


def json_schemas() -> dict[str, str]:
    """The JSON Schema of each fact file, keyed by its file name under schema/."""
    out = {}
    for kind in (REGISTRY, HEADER, *FACT_KINDS):
        name = kind.schema
        schema = kind.shape.json_schema(by_alias=True)
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"factsheet {name} file",
            **schema,
        }
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out
