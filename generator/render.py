"""Stage 3, render: turn the validated corpus into Markdown pages with Jinja templates.

The pages are plain Markdown (with attribute lists for stable anchors and `markdown` blocks
for the card layouts), so MkDocs and Zensical both build them without plugins or hooks of ours.
What the pages show comes from the site model (`generator.site`); the environment and its
filters, which escape every value from YAML, are in `generator.filters`; the search records in
`generator.records`. The pictures are SVG from their own templates (`generator.pictures`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from .corpus import Corpus
from .escape import json_script
from .export import article_jsonld, download_files
from .filters import make_environment, tag_name
from .history import SheetHistory
from .index import RECORDS, records_json
from .model import (
    FACT_KINDS,
    HEADER,
    REGISTRY,
)
from .records import search_records
from .rules_doc import rules_markdown
from .site import Sheet, SiteLinks, actor_records, build_date, cross_article, sort_key

HOME_LATEST = 10  # fact sheets listed on the home page; the rest are on the list of all


class Pages(Mapping[str, str]):
    """Generated files by path, each rendered when it is read (and not kept)."""

    def __init__(self, makers: dict[str, Callable[[], str]]) -> None:
        self.makers = makers

    @classmethod
    def join(cls, *parts: Mapping[str, str]) -> Pages:
        makers: dict[str, Callable[[], str]] = {}
        for part in parts:
            if isinstance(part, Pages):
                makers.update(part.makers)
            else:
                makers.update({path: partial(part.__getitem__, path) for path in part})
        return cls(makers)

    def __getitem__(self, path: str) -> str:
        return self.makers[path]()

    def __iter__(self) -> Iterator[str]:
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)


class SiteRender:
    """What every page is rendered from, made once per run; each method renders a part.

    `previous` is the render of an earlier run (the preview keeps it): the sheets of articles
    whose facts did not change are taken over from it, with what they derived (the actors their
    figures and events name), so that one changed article costs one article.
    """

    def __init__(
        self,
        corpus: Corpus,
        config: dict[str, Any] | None = None,
        *,
        as_of: datetime.date | None = None,
        histories: dict[str, SheetHistory] | None = None,
        previous: SiteRender | None = None,
    ) -> None:
        self.corpus = corpus
        self.env = make_environment()
        self.env.filters["tag_name"] = partial(tag_name, actors=corpus.actors)
        self.as_of = as_of or build_date()
        self.histories = histories or {}
        self.links = SiteLinks.from_config(config or {})
        site_name = str((config or {}).get("site_name") or "Fact sheets")
        extra = (config or {}).get("extra")
        settings = extra.get("factsheet") if isinstance(extra, dict) else None
        # Whether source pages reproduce the whole article or only the paragraphs the facts
        # cite: republishing another publisher's article is a question of rights.
        full_text = isinstance(settings, dict) and settings.get("source_text") == "full"
        reusable = (
            previous.sheets_by_id
            if previous is not None
            and previous.corpus.actors == corpus.actors
            and previous.as_of == self.as_of
            and previous.histories == self.histories
            else {}
        )
        self.sheets = []
        for facts in corpus.articles:
            before = reusable.get(facts.id)
            if before is not None and before.facts == facts:
                self.sheets.append(before)
                continue
            names = facts.names(corpus.names)
            history = self.histories.get(facts.id)
            self.sheets.append(Sheet(facts, corpus.actors, self.as_of, history, names))
        by_seed = {facts.seed.name: facts for facts in corpus.articles}
        for sheet in self.sheets:
            sheet.by_seed = by_seed
        self.sheets_by_id: dict[str, Sheet] = {sheet.id: sheet for sheet in self.sheets}
        self.records = actor_records(self.sheets, corpus.actors)
        self.common = {
            "actors": corpus.actors,
            "links": self.links,
            "as_of": self.as_of,
            "site_name": site_name,
            "full_source_text": full_text,
            "sort_key": sort_key,
        }

    def changed_since(self, previous: SiteRender | None) -> set[str] | None:
        """The ids of the articles whose sheets are new in this render; None if every page
        may have changed (no earlier render, or articles added or removed)."""
        if previous is None or set(previous.sheets_by_id) != set(self.sheets_by_id):
            return None
        return {
            sheet.id for sheet in self.sheets if previous.sheets_by_id.get(sheet.id) is not sheet
        }

    def sheet_pages(self, ids: set[str] | None = None) -> Pages:
        """Each article's fact sheet and source page (only those in ids, if given)."""
        makers: dict[str, Callable[[], str]] = {}
        for sheet in self.sheets:
            if ids is not None and sheet.id not in ids:
                continue
            makers[f"{sheet.id}/index.md"] = partial(self._article_page, sheet)
            makers[f"{sheet.id}/source.md"] = partial(
                self.env.get_template("source.md.j2").render, sheet=sheet, **self.common
            )
        return Pages(makers)

    def _article_page(self, sheet: Sheet) -> str:
        jsonld = json_script(
            article_jsonld(sheet.facts, self.corpus.actors, self.links.page(f"sheets/{sheet.id}/"))
        )
        return self.env.get_template("article.md.j2").render(
            sheet=sheet, jsonld=jsonld, **self.common
        )

    def actor_pages(
        self, articles: set[str] | None = None, previous: SiteRender | None = None
    ) -> Pages:
        """Each actor's page; with articles, only the pages of actors the given articles
        involve now or involved in the previous render."""
        makers: dict[str, Callable[[], str]] = {}
        actor_page = self.env.get_template("actor.md.j2")
        before = previous.records if previous is not None else {}
        for actor_id, actor_record in self.records.items():
            if articles is not None:
                involved = set(actor_record.involvements)
                if actor_id in before:
                    involved |= set(before[actor_id].involvements)
                if not articles & involved:
                    continue
            makers[f"actors/{actor_id}.md"] = partial(
                actor_page.render, record=actor_record, **self.common
            )
        return Pages(makers)

    def listing_pages(self) -> dict[str, str]:
        """The pages that list every article: home, articles, actors, questions, figures,
        timeline, and the rules."""
        env, common, sheets = self.env, self.common, self.sheets
        pages = {
            "index.md": env.get_template("articles.md.j2").render(sheets=sheets, **common),
            "home.snippet": env.get_template("home.snippet.j2").render(
                sheets=sheets, latest=HOME_LATEST, **common
            ),
        }
        members = sorted(self.records.values(), key=lambda found: sort_key(found.actor))
        pages["actors/index.md"] = env.get_template("actors.md.j2").render(
            members=members, **common
        )
        listings = cross_article(sheets)
        for listing in ("questions", "figures", "timeline"):
            pages[f"{listing}.md"] = env.get_template(f"{listing}.md.j2").render(
                sheets=sheets, **listings, **common
            )
        pages["rules.snippet"] = rules_markdown()
        return pages

    def data_pages(self) -> dict[str, str]:
        """The downloads, their page, and the search records."""
        downloads = download_files(self.corpus, self.links, self.as_of, self.histories)
        pages = {
            "downloads.md": self.env.get_template("downloads.md.j2").render(
                sheets=self.sheets,
                downloads=downloads.catalogue,
                schemas=[kind.schema for kind in (HEADER, REGISTRY, *FACT_KINDS)],
                **self.common,
            ),
            RECORDS: records_json(search_records(self.sheets, self.records)),
        }
        pages.update(downloads.files)
        return pages

    def all_pages(self) -> Pages:
        """Every generated file. Sheets and actor pages are rendered as they are read, so
        writing them holds one at a time: memory does not grow with the number of articles."""
        return Pages.join(
            self.sheet_pages(), self.listing_pages(), self.actor_pages(), self.data_pages()
        )


def render_pages(
    corpus: Corpus,
    config: dict[str, Any] | None = None,
    *,
    as_of: datetime.date | None = None,
    histories: dict[str, SheetHistory] | None = None,
) -> Pages:
    """Every generated page, keyed by its path relative to the generated folder."""
    return SiteRender(corpus, config, as_of=as_of, histories=histories).all_pages()
