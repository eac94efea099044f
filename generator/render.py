"""Stage 3, render: turn the validated corpus into Markdown pages with Jinja templates.

The pages are plain Markdown (with attribute lists for stable anchors and `markdown` blocks
for the card layouts), so MkDocs and Zensical both build them without plugins or hooks of ours.
What the pages show comes from the site model (`generator.site`); the environment and its
filters, which escape every value from YAML, are in `generator.filters`; the search records in
`generator.records`. The pictures are SVG from their own templates (`generator.pictures`); the
preview images for sharing are PNG (`generator.previews`); the downloads and feeds are made by
`generator.export`. Every generated file comes from a row of `OUTPUTS`, at the end.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any
from urllib.parse import urlsplit

from .corpus import Corpus
from .escape import json_script
from .export import DownloadContext, DownloadFile, article_jsonld, download_table
from .filters import make_environment, tag_name
from .history import SheetHistory
from .index import RECORDS, records_json
from .model import (
    FACT_KINDS,
    HEADER,
    REGISTRY,
)
from .previews import image_text, sheet_image, site_image
from .records import search_records
from .rules_doc import rules_markdown
from .site import Sheet, SiteLinks, actor_records, build_date, cross_article, sort_key

HOME_LATEST = 10  # fact sheets listed on the home page; the rest are on the list of all

# What a generated file holds: text (Markdown, data, feeds), written as UTF-8, or bytes (images).
Content = str | bytes
Maker = Callable[[], Content]


class Pages(Mapping[str, Content]):
    """Generated files by path, each rendered when it is read (and not kept)."""

    def __init__(self, makers: dict[str, Maker]) -> None:
        self.makers = makers

    def __getitem__(self, path: str) -> Content:
        return self.makers[path]()

    def __iter__(self) -> Iterator[str]:
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)


@dataclass(frozen=True)
class Edit:
    """What the preview renders again after an edit: the articles whose sheets changed, and
    the render before the edit (whose actor pages the edit may have left)."""

    articles: set[str]
    previous: SiteRender | None


@dataclass(frozen=True)
class Output:
    """One kind of generated file: `files` yields each path with what renders it, so that the
    paths are known before anything is rendered (the writer lists them first) and each file is
    rendered as it is written. With an Edit, an output yields only what the edit touches.
    `settled`: the output depends on every article, so the preview writes it once the edits
    settle, not after each one."""

    name: str
    files: Callable[[SiteRender, Edit | None], Iterator[tuple[str, Maker]]]
    settled: bool = False


class SiteRender:
    """What every page is rendered from, made once per run; `OUTPUTS` renders the files.

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
        self.site_name = site_name
        self.site_description = str((config or {}).get("site_description") or "")
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

    def pages(self, edit: Edit | None = None, *, settled: bool | None = None) -> Pages:
        """The files of every output (with settled, only of the outputs that are, or are not,
        written once the edits settle); with an edit, only what it touches."""
        makers: dict[str, Maker] = {}
        for output in OUTPUTS:
            if settled is None or output.settled == settled:
                for path, maker in output.files(self, edit):
                    if path in makers:
                        raise ValueError(f"two outputs write {path}: {output.name} is the second")
                    makers[path] = maker
        return Pages(makers)

    def all_pages(self) -> Pages:
        """Every generated file. Each is rendered as it is read, so writing them holds one at
        a time: memory does not grow with the number of articles."""
        return self.pages()

    def sheets_in(self, edit: Edit | None) -> Iterator[Sheet]:
        """The sheets an output renders: every one, or those of the articles an edit changed."""
        return (sheet for sheet in self.sheets if edit is None or sheet.id in edit.articles)

    def template(self, name: str, **values: Any) -> Maker:
        """A page of a template, rendered when it is written, with what every page is given."""
        return partial(self.env.get_template(name).render, **values, **self.common)

    @cached_property
    def downloads(self) -> list[DownloadFile]:
        """Every download with its line on the Data page; each file is made when written."""
        context = DownloadContext(self.corpus, self.links, self.as_of, self.histories)
        return list(download_table(context))


# --- the outputs ----------------------------------------------------------------------------

PREVIEW_IMAGE = "preview.png"  # each sheet's, beside its page; the site's at the top


def sheet_files(render: SiteRender, edit: Edit | None) -> Iterator[tuple[str, Maker]]:
    """Each article's fact sheet and source page."""
    for sheet in render.sheets_in(edit):
        yield f"{sheet.id}/index.md", partial(_article_page, render, sheet)
        yield f"{sheet.id}/source.md", render.template("source.md.j2", sheet=sheet)


def _article_page(render: SiteRender, sheet: Sheet) -> str:
    url = render.links.page(f"sheets/{sheet.id}/")
    jsonld = json_script(article_jsonld(sheet.facts, render.corpus.actors, url))
    # Sharing needs the image's absolute address: without the site's, the page has none.
    image = render.links.page(f"sheets/{sheet.id}/{PREVIEW_IMAGE}") if render.links.site_url else ""
    return render.env.get_template("article.md.j2").render(
        sheet=sheet,
        jsonld=jsonld,
        image=image,
        image_alt=". ".join(image_text(sheet)),
        **render.common,
    )


def preview_files(render: SiteRender, edit: Edit | None) -> Iterator[tuple[str, Maker]]:
    """Each sheet's preview image for sharing, and the site's, for the other pages."""
    for sheet in render.sheets_in(edit):
        yield f"{sheet.id}/{PREVIEW_IMAGE}", partial(sheet_image, sheet, render.site_name)
    if edit is None:
        address = urlsplit(render.links.site_url or "").netloc
        yield PREVIEW_IMAGE, partial(site_image, render.site_name, render.site_description, address)


def actor_files(render: SiteRender, edit: Edit | None) -> Iterator[tuple[str, Maker]]:
    """Each actor's page; with an edit, only the pages of actors the edited articles involve
    now or involved before it."""
    before = edit.previous.records if edit is not None and edit.previous is not None else {}
    for actor_id, actor_record in render.records.items():
        if edit is not None:
            involved = set(actor_record.involvements)
            if actor_id in before:
                involved |= set(before[actor_id].involvements)
            if not edit.articles & involved:
                continue
        yield f"actors/{actor_id}.md", render.template("actor.md.j2", record=actor_record)


def listing_files(render: SiteRender, edit: Edit | None) -> Iterator[tuple[str, Maker]]:
    """The pages that list every article: home, articles, actors, questions, figures,
    timeline, and the rules."""
    sheets = render.sheets
    yield "index.md", render.template("articles.md.j2", sheets=sheets)
    yield "home.snippet", render.template("home.snippet.j2", sheets=sheets, latest=HOME_LATEST)
    members = sorted(render.records.values(), key=lambda found: sort_key(found.actor))
    yield "actors/index.md", render.template("actors.md.j2", members=members)
    listings = cross_article(sheets)
    for listing in ("questions", "figures", "timeline"):
        yield f"{listing}.md", render.template(f"{listing}.md.j2", sheets=sheets, **listings)
    yield "rules.snippet", rules_markdown


def download_files(render: SiteRender, edit: Edit | None) -> Iterator[tuple[str, Maker]]:
    """The downloads and feeds (generator.export), and the Data page that lists them."""
    yield "downloads.md", partial(_data_page, render)
    for download in render.downloads:
        yield download.path, download.make


def _data_page(render: SiteRender) -> str:
    catalogue = [download.listed for download in render.downloads if download.listed]
    return render.env.get_template("downloads.md.j2").render(
        sheets=render.sheets,
        downloads=catalogue,
        schemas=[kind.schema for kind in (HEADER, REGISTRY, *FACT_KINDS)],
        **render.common,
    )


def search_files(render: SiteRender, edit: Edit | None) -> Iterator[tuple[str, Maker]]:
    """The search records that generator.index makes the Pagefind bundle from."""
    yield RECORDS, lambda: records_json(search_records(render.sheets, render.records))


# Material's script takes every <link rel="alternate"> for a language version of the site and
# fetches the sitemap.xml beside it; beside the feeds the pages link to, this one has no page.
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def feed_link_files(render: SiteRender, edit: Edit | None) -> Iterator[tuple[str, Maker]]:
    """What linking the feeds from every page needs: an empty sitemap beside them (see
    overrides/main.html), so that the theme's request for it finds a file."""
    yield "sitemap.xml", partial(str, EMPTY_SITEMAP)


# Every generated file comes from one of these: a new output is a function and a row here.
OUTPUTS: tuple[Output, ...] = (
    Output("fact sheets", sheet_files),
    Output("preview images", preview_files),
    Output("actor pages", actor_files),
    Output("listings", listing_files),
    Output("downloads", download_files, settled=True),
    Output("search records", search_files, settled=True),
    Output("feed links", feed_link_files),
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
