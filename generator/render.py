"""Stage 3, render: turn the validated corpus into Markdown pages with Jinja templates.

The pages are plain Markdown (with attribute lists for stable anchors), so MkDocs and Zensical
both build them without plugins or hooks of ours.

Escaping: templates are rendered with autoescaping on, and every value from YAML first passes
through `markdown_escape`, which flattens line breaks and backslash-escapes Markdown punctuation,
before Jinja's HTML escaping turns `<`, `>`, `&` and quotes into entities. No YAML string can
therefore open an HTML tag, a link, an emphasis or a block of its own. Values built by the
generator from validated slugs (links, anchors) are marked safe with `Markup`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .export import article_jsonld, download_files, jsonld_script
from .model import (
    ARTICLE_ID_PATTERN,
    SLUG_PATTERN,
    Actor,
    Claim,
    Figure,
    Mention,
    Question,
    Quote,
)
from .validate import ArticleFacts, Corpus

# The characters Python-Markdown (with the tables extension) honours a backslash before.
# `<`, `>` and `&` are left to Jinja's HTML escaping, which runs after this.
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_{}[]()#+-.!|"})
_LINE_BREAKS = re.compile(r"\s+")
_SLUG = re.compile(ARTICLE_ID_PATTERN + "|" + SLUG_PATTERN)


def markdown_escape(value: Any) -> Any:
    """Make a YAML string inert in Markdown: one line, every Markdown punctuation escaped."""
    if value is None or isinstance(value, Markup):
        return value if value is not None else ""
    if isinstance(value, bool | int | float):
        return value
    return " ".join(str(value).split()).translate(_MARKDOWN_ESCAPES)


def slug(value: str) -> Markup:
    """Mark a validated id as safe to use in a link or an anchor, after checking it once more."""
    if not _SLUG.fullmatch(value):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


def front_matter_title(value: str) -> Markup:
    """A page title for the YAML front matter, HTML-escaped because themes print it unescaped.

    MkDocs themes put `page.title` into `<title>` and the header without escaping it; setting it
    from front matter in escaped form keeps a title such as `</title><script>` inert there.
    JSON strings are valid YAML, so json.dumps quotes it safely for the front matter.
    """
    return Markup(json.dumps(html.escape(_LINE_BREAKS.sub(" ", value).strip())))


def capfirst(value: str) -> str:
    """Upper-case the first letter only ('tens of thousands' -> 'Tens of thousands')."""
    return value[:1].upper() + value[1:]


def figure_number(figure: Figure) -> str:
    """The number of a figure as a reader sees it: '10,000', '3 to 5' with an en dash, '12-0'."""
    if figure.range is not None:
        return f"{_number(figure.range.low)}\u2013{_number(figure.range.high)}"
    if figure.tally is not None:
        tally = figure.tally
        text = f"{tally.in_favour}\u2013{tally.against}"
        if tally.abstentions:
            text += f" ({tally.abstentions} abstention{'s' if tally.abstentions != 1 else ''})"
        return text
    return _number(figure.value) if figure.value is not None else ""


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) or value != int(value) else f"{int(value):,}"


def group_in_order(items: list[Any], attribute: str) -> list[tuple[str, list[Any]]]:
    """Group facts by an attribute in order of first appearance (Jinja's groupby sorts)."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(getattr(item, attribute), []).append(item)
    return list(groups.items())


def front_matter_string(value: str) -> Markup:
    """A plain string for the YAML front matter (JSON strings are valid YAML)."""
    return Markup(json.dumps(str(value)))


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=True,
        finalize=markdown_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["slug"] = slug
    env.filters["front_matter_title"] = front_matter_title
    env.filters["capfirst"] = capfirst
    env.filters["front_matter_string"] = front_matter_string
    env.filters["group_in_order"] = group_in_order
    env.filters["figure_number"] = figure_number
    return env


@dataclass
class Appearance:
    """What one article says by and about one actor."""

    facts: ArticleFacts
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


@dataclass
class ActorRecord:
    """Everything the corpus says by and about one actor, by article, newest first."""

    actor: Actor
    appearances: dict[str, Appearance] = field(default_factory=dict)

    def appearance(self, facts: ArticleFacts) -> Appearance:
        return self.appearances.setdefault(facts.id, Appearance(facts))

    @property
    def quote_count(self) -> int:
        return sum(len(seen.quotes) for seen in self.appearances.values())


def actor_records(corpus: Corpus) -> dict[str, ActorRecord]:
    """Gather each actor's facts in one pass over the corpus (articles are newest first)."""
    records = {actor_id: ActorRecord(actor) for actor_id, actor in corpus.actors.items()}
    for facts in corpus.articles:
        for mention in facts.mentions:
            records[mention.actor].appearance(facts).mentions.append(mention)
        for quote in facts.quotes:
            records[quote.speaker].appearance(facts).quotes.append(quote)
        for claim in facts.claims:
            records[claim.claimant].appearance(facts).claims.append(claim)
        for question in facts.questions:
            for actor_id in question.actors:
                records[actor_id].appearance(facts).questions.append(question)
    return records


@dataclass(frozen=True)
class SourceLinks:
    """Links to the fact files in the repository, from mkdocs.yml's repo_url and edit_uri."""

    edit_base: str | None
    view_base: str | None

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SourceLinks:
        repo = str(config.get("repo_url") or "").rstrip("/")
        if not re.fullmatch(r"https?://[^\s\"'<>]+", repo):
            return cls(None, None)
        edit = str(config.get("edit_uri") or "edit/main/docs/").strip("/")
        if edit.endswith("/docs"):
            edit = edit.removesuffix("/docs")  # the facts live beside docs/, not in it
        view = edit.replace("edit/", "blob/", 1) if edit.startswith("edit/") else edit
        return cls(f"{repo}/{edit}/", f"{repo}/{view}/")

    def edit(self, path: str) -> Markup | None:
        return Markup(self.edit_base + path) if self.edit_base else None

    def view(self, path: str, line: int | None = None) -> Markup | None:
        if not self.view_base:
            return None
        return Markup(self.view_base + path + (f"#L{line}" if line else ""))


def render_pages(corpus: Corpus, config: dict[str, Any] | None = None) -> dict[str, str]:
    """Every generated page, keyed by its path relative to the generated folder."""
    env = make_environment()
    records = actor_records(corpus)
    links = SourceLinks.from_config(config or {})
    helpers = {"actors": corpus.actors, "records": records, "links": links}
    pages: dict[str, str] = {}
    article_page = env.get_template("article.md.j2")
    source_page = env.get_template("source.md.j2")
    for facts in corpus.articles:
        pages[f"{facts.id}/index.md"] = article_page.render(
            facts=facts, jsonld=jsonld_script(article_jsonld(facts, corpus.actors)), **helpers
        )
        pages[f"{facts.id}/source.md"] = source_page.render(facts=facts, **helpers)
    pages["index.md"] = env.get_template("articles.md.j2").render(
        articles=corpus.articles, **helpers
    )
    pages["home.snippet"] = env.get_template("home.snippet.j2").render(
        articles=corpus.articles, **helpers
    )
    actor_page = env.get_template("actor.md.j2")
    for actor_id, record in records.items():
        pages[f"actors/{actor_id}.md"] = actor_page.render(record=record, **helpers)
    pages["actors/index.md"] = env.get_template("actors.md.j2").render(
        members=list(records.values()), **helpers
    )
    listings = _cross_article(corpus)
    for listing in ("questions", "figures", "timeline", "downloads"):
        pages[f"{listing}.md"] = env.get_template(f"{listing}.md.j2").render(
            articles=corpus.articles, **listings, **helpers
        )
    pages.update(download_files(corpus))
    return pages


def _cross_article(corpus: Corpus) -> dict[str, Any]:
    """The facts of every article gathered for the cross-article pages, in reading order."""
    questions = [(facts, q) for facts in corpus.articles for q in facts.questions]
    unanswered = [pair for pair in questions if pair[1].resolution is None]
    # Soonest deadline first; the rest keep the newest-article-first order of the corpus.
    unanswered.sort(key=lambda pair: (pair[1].deadline is None, pair[1].deadline or ""))
    events = [(facts, event) for facts in corpus.articles for event in facts.events]
    events.sort(key=lambda pair: pair[1].date)
    return {
        "open_questions": unanswered,
        "answered_questions": [pair for pair in questions if pair[1].resolution is not None],
        "events": events,
    }
