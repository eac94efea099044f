"""`factsheet new`: start an article's fact files from its seed, or add a template entry.

Both only ever create a file or append to one; they never overwrite anything.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .errors import FactsheetError, Problem
from .model import ARTICLE_FILE, ARTICLE_KINDS, FACT_KINDS, REGISTRY, REGISTRY_FILE
from .project import Project
from .validate import Seed

TEMPLATES = {
    "quote": """\
# - id: short-slug-of-the-quote
#   speaker: actor-id                 # an id from facts/actors.yaml
#   text: the quoted words, exactly as printed between the quotation marks
#   fragment: false                   # true if the article quotes only part of a sentence
#   context: what the quote is about, in your words (optional)
#   source:
#     paragraph: 1                    # paragraphs are the non-empty lines of the seed
#     excerpt: words copied from that paragraph, including who said it ("Blinken said")
""",
    "figure": """\
# - id: short-slug-of-the-figure
#   written: at least 10,000          # the number as the text writes it
#   value: 10000                      # the number itself, or null ("tens of thousands")
#   unit: people                      # optional
#   qualifier: at least               # optional: at least, about, approximately, more than, up to
#   counts: what the number counts, as the text says
#   source:
#     paragraph: 1
#     excerpt: words copied from that paragraph, containing the written form
""",
    "question": """\
# - id: short-slug-of-the-question
#   question: What does the article leave open?
#   why: why it matters, in your words
#   actors: [actor-id]                # ids from facts/actors.yaml
#   deadline: "2021-07-10"            # optional, quoted; give deadline_written with it
#   deadline_written: midnight July 10
#   status: open                      # or answered, with a resolution (answer and source)
#   source:
#     paragraph: 1
#     excerpt: words copied from that paragraph
""",
    "event": """\
# - id: short-slug-of-the-event
#   date: "2021-06-28"                # quoted: a year, a month ("2021-06") or a day
#   date_basis: how the date follows from the text, if the text does not print it (optional)
#   what: what happened
#   source:
#     paragraph: 1
#     excerpt: words copied from that paragraph
""",
    "mention": """\
# - actor: actor-id                   # an id from facts/actors.yaml
#   described_as: the article's own words for the actor (optional)
#   source:
#     paragraph: 1
#     excerpt: words copied from that paragraph that name the actor
""",
    "actor": """\
# - id: short-slug-of-the-actor
#   name: the name as the sources write it
#   kind: person                      # person, organisation, state or group
#   aliases: [other names the sources use]
#   background: your own note, shown marked as not from the sources (optional)
""",
}


def slugify(text: str, words: int = 6) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(parts[:words])


def schema_line(project: Project, path: Path) -> str:
    kind = REGISTRY if path.parent == project.facts_dir else ARTICLE_KINDS[path.name]
    schema = project.schema_dir / f"{kind.schema}.schema.json"
    relative = Path("../" * (len(path.relative_to(project.root).parts) - 1)) / schema.relative_to(
        project.root
    )
    return f"# yaml-language-server: $schema={relative.as_posix()}\n"


def new_article(project: Project, seed_path: Path, title: str, date: str | None) -> Path:
    """Create facts/<date>-<title words>/article.yaml for a seed already copied into seeds/."""
    seed_path = seed_path.resolve()
    if seed_path.parent != project.seeds_dir.resolve() or not seed_path.is_file():
        raise FactsheetError(
            [
                Problem(
                    seed_path,
                    1,
                    1,
                    "the seed must be a file in seeds/",
                    "copy the source text into seeds/ unchanged, then run this again",
                )
            ]
        )
    seed = Seed.read(seed_path)
    day = date or seed.date
    if day is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise FactsheetError(
            [
                Problem(
                    seed_path,
                    1,
                    1,
                    "the seed has no 'date YYYY-MM-DD' line",
                    "give the article's date: --date 2021-06-28",
                )
            ]
        )
    words = slugify(title)
    if not words:
        raise FactsheetError(
            [Problem(seed_path, 1, 1, "the title has no letters or digits", "give a real title")]
        )
    folder = project.facts_dir / f"{day}-{words}"
    target = folder / ARTICLE_FILE
    if folder.exists():
        raise FactsheetError(
            [Problem(folder, 1, 1, "this article folder exists already", "nothing was changed")]
        )
    paragraphs = "".join(
        f"#  ¶{number} {paragraph[:110]}{'…' if len(paragraph) > 110 else ''}\n"
        for number, paragraph in enumerate(seed.paragraphs, start=1)
    )
    text = (
        schema_line(project, target)
        + "# Write the summary: a neutral account of the article in your own words.\n"
        + "# The paragraphs of the seed, numbered as facts cite them (source.paragraph):\n"
        + paragraphs
        + f"title: {_quoted(title)}\n"
        + f'date: "{day}"\n'
        + f"seed: {seed.name}\n"
        + f"sha256: {seed.sha256}\n"
        + 'summary: ""\n'
        + "tags: []\n"
    )
    folder.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    return target


# The file each kind of entry goes to, from the one table of fact-file kinds.
_KIND_FILES = {kind.singular: kind.file for kind in (REGISTRY, *FACT_KINDS)}


def new_entry(project: Project, kind: str, article: str | None) -> Path:
    """Append a commented template entry of the given kind; create the file if needed."""
    template = TEMPLATES[kind]
    file_name = _KIND_FILES[kind]
    if kind == "actor":
        target = project.facts_dir / REGISTRY_FILE
    else:
        folders = sorted(p for p in project.facts_dir.iterdir() if (p / ARTICLE_FILE).is_file())
        chosen = [p for p in folders if p.name == article] if article else folders
        if len(chosen) != 1:
            names = ", ".join(p.name for p in folders) or "none yet"
            raise FactsheetError(
                [
                    Problem(
                        project.facts_dir,
                        1,
                        1,
                        f"name the article with --article (articles: {names})"
                        if not article
                        else f"no article '{article}'",
                        "run 'factsheet new article SEED --title ...' to start one",
                    )
                ]
            )
        target = chosen[0] / file_name
    if not target.is_file():
        target.write_text(schema_line(project, target) + "\n" + template, encoding="utf-8")
        return target
    text = target.read_text(encoding="utf-8")
    gap = "" if text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
    with target.open("a", encoding="utf-8") as stream:
        stream.write(gap + template)
    return target


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
