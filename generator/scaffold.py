"""`factsheet new`: start an article's fact files from its seed, or add a template entry.

Both only ever create a file or append to one; they never overwrite anything. What they write
is already in the canonical layout (`factsheet fmt --check` passes on it untouched).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from pathlib import Path

from .errors import FactsheetError, Problem
from .escape import printable
from .fmt import canonical_yaml
from .load import MAX_FILE_BYTES
from .model import (
    ARTICLE_FILE,
    ARTICLE_ID_PATTERN,
    ARTICLE_KINDS,
    FIRST_YEAR,
    HEADER,
    KINDS_BY_SINGULAR,
    LAST_YEAR,
    REGISTRY,
    REGISTRY_FILE,
    SEED_PATTERN,
    parse_day,
)
from .project import Project, UnsafeFile
from .seeds import MAX_SEED_BYTES, Seed, SeedError

# One commented template per kind: every field of the model, with an example and a note.
# tests/test_contribute.py checks that each lists exactly its model's fields.
TEMPLATES = {
    "quote": """\
# - id: short-slug-of-the-quote
#   speaker: actor-id                 # an id from facts/actors.yaml
#   text: the quoted words, exactly as printed between the quotation marks
#   fragment: false                   # true if the article quotes only part of a sentence
#   context: what the quote is about, in your words (optional)
#   source:
#     paragraph: 1                    # paragraphs are the non-empty lines of the seed
#     excerpt: words copied from that paragraph, with who said it ("Blinken said")
#   continued: []                     # the next paragraphs, if the quote runs on (optional)
#   attribution:                      # only if the excerpt says just "he said" (optional)
#     paragraph: 1
#     excerpt: words where the article names the speaker
#   review:                           # only if a rule refuses this right fact (optional)
#     rule: name_of_the_rule          # as "How facts are checked" names it
#     reason: why the fact is right, in words readers will see
""",
    "claim": """\
# - id: short-slug-of-the-claim
#   claimant: actor-id                # an id from facts/actors.yaml
#   type: accusation                  # accusation, announcement, assessment, demand, denial,
#                                     # position, promise or warning
#   context: your note (optional)
#   source:
#     paragraph: 1
#     excerpt: the claim as the article reports it ("Russia has accused ...")
#   attribution:                      # only if the excerpt does not name the claimant (optional)
#     paragraph: 1
#     excerpt: words where the article names the claimant
#   review:                           # only if a rule refuses this right fact (optional)
#     rule: name_of_the_rule          # as "How facts are checked" names it
#     reason: why the fact is right, in words readers will see
""",
    "statement": """\
# - id: short-slug-of-the-statement
#   context: your note (optional)
#   source:
#     paragraph: 1
#     excerpt: the sentence as the article states it in its own voice, not attributed to anyone
#   review:                           # only if a rule refuses this right fact (optional)
#     rule: name_of_the_rule          # as "How facts are checked" names it
#     reason: why the fact is right, in words readers will see
""",
    "figure": """\
# - id: short-slug-of-the-figure
#   written: at least 10,000          # the number as the text writes it, qualifier included
#   value: 10000                      # the number, or null ("tens of thousands"); or instead:
#   range: {low: 3, high: 5}          #   for "between 3 and 5"
#   tally: {for: 12, against: 0, abstentions: 1}  # for a vote such as "12-0"
#   unit: people                      # optional; a currency as its code: USD, EUR
#   qualifier: at least               # optional: the words before the number, as written
#   counts: what the number counts, in your words
#   source:
#     paragraph: 1
#     excerpt: words copied from that paragraph, containing the written form
#   review:                           # only if a rule refuses this right fact (optional)
#     rule: name_of_the_rule          # as "How facts are checked" names it
#     reason: why the fact is right, in words readers will see
""",
    "question": """\
# - id: short-slug-of-the-question
#   question: What does the article leave open?
#   why: why it matters, in your words
#   actors: [actor-id]                # ids from facts/actors.yaml
#   deadline: "2021-07-10"            # optional, quoted: a day, a month ("2021-07") or a year
#   deadline_written: midnight July 10  # the deadline as the text words it
#   status: open                      # or answered, with a resolution (answer and source)
#   resolution:
#     answer: what happened, in your words
#     source: {seed: other-seed.txt, paragraph: 1, excerpt: words from that seed}
#   source:
#     paragraph: 1
#     excerpt: words copied from that paragraph
#   review:                           # only if a rule refuses this right fact (optional)
#     rule: name_of_the_rule          # as "How facts are checked" names it
#     reason: why the fact is right, in words readers will see
""",
    "event": """\
# - id: short-slug-of-the-event
#   date: "2021-06-28"                # quoted: a year ("2014"), a month ("2021-06") or a day
#   date_basis: last Friday           # the words that date it, if the excerpt has no full date
#   date_source:                      # where date_basis is written, if not in the excerpt
#     paragraph: 1
#     excerpt: words that contain date_basis
#   what: what happened, in your words
#   source:
#     paragraph: 1
#     excerpt: words copied from that paragraph
#   review:                           # only if a rule refuses this right fact (optional)
#     rule: name_of_the_rule          # as "How facts are checked" names it
#     reason: why the fact is right, in words readers will see
""",
    "mention": """\
# - actor: actor-id                   # an id from facts/actors.yaml
#   described_as: the article's own words for the actor (optional)
#   source:
#     paragraph: 1
#     excerpt: words copied from that paragraph that name the actor
#   review:                           # only if a rule refuses this right fact (optional)
#     rule: name_of_the_rule          # as "How facts are checked" names it
#     reason: why the fact is right, in words readers will see
""",
    "actor": """\
# - id: short-slug-of-the-actor
#   name: the name as the sources write it
#   kind: person                      # person, organisation, state, group or place
#   aliases: [other names the sources use]  # names only: no "he", no "the official"
#   full_name: your note, if the sources give less (optional)
#   role: your note, such as "U.S. Secretary of State" (optional)
#   background: your own note, shown marked as not from the sources (optional)
#   sort_as: how to file it in the index (optional)
#   wikidata: Q30                     # optional
#   website: https://www.example.org/  # optional
""",
}
_WRAP = 96


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


def _fail(path: Path, message: str, hint: str) -> FactsheetError:
    return FactsheetError([Problem(path, 1, 1, message, hint)])


def new_article(
    project: Project, seed_path: Path, title: str, date: str | None, article_id: str | None
) -> Path:
    """Create facts/<id>/article.yaml for a seed already copied into seeds/."""
    if not re.fullmatch(SEED_PATTERN, seed_path.name):
        raise _fail(
            seed_path,
            f"'{printable(seed_path.name)}' cannot be a seed's name",
            "name seeds with letters, digits, '-', '_' and '.' only, such as 001_bridge.txt",
        )
    seed_path = project.seeds_dir / seed_path.name
    try:
        seed = Seed.parse(seed_path.name, project.read(seed_path, MAX_SEED_BYTES))
    except UnsafeFile as unsafe:
        raise FactsheetError([unsafe.problem()]) from None
    except SeedError as error:
        raise FactsheetError(
            [Problem(seed_path, error.line, error.column, error.message, error.hint)]
        ) from None
    day = date or seed.date
    if day is None:
        raise _fail(seed_path, "the seed has no 'date YYYY-MM-DD' line", "give --date 2021-06-28")
    if parse_day(day) is None:
        raise _fail(
            seed_path,
            f"'{day}' is not a date from {FIRST_YEAR} to {LAST_YEAR}",
            "give --date YYYY-MM-DD",
        )
    if seed.date is not None and day != seed.date:
        raise _fail(seed_path, f"the seed is dated {seed.date}, not {day}", "leave out --date")
    if article_id is None:
        words = slugify(title)
        if not words:
            raise _fail(seed_path, "the title has no letters or digits", "give a real title")
        article_id = f"{day}-{words}"
    elif not re.fullmatch(ARTICLE_ID_PATTERN, article_id) or not article_id.startswith(day + "-"):
        raise _fail(
            project.facts_dir / article_id,
            f"'{article_id}' is not an article id for an article of {day}",
            f"start it with the date and use lower-case words: {day}-few-words",
        )
    folder = project.facts_dir / article_id
    if folder.exists() or folder.is_symlink():
        raise _fail(folder, "this article folder exists already", "nothing was changed")
    target = folder / ARTICLE_FILE
    header = {
        "title": " ".join(title.split()),
        "date": day,
        "seed": seed.name,
        "sha256": seed.sha256,
        "summary": "",
        "tags": [],
    }
    text = (
        schema_line(project, target)
        + "# Write the summary: a neutral account of the article in your own words.\n"
        + "# The paragraphs of the seed, numbered as facts cite them (source.paragraph):\n"
        + "".join(
            _paragraph_comment(number, text) for number, text in enumerate(seed.paragraphs, 1)
        )
        + "\n"
        + canonical_yaml(header, HEADER.model)
    )
    try:
        project.write(target, text.encode("utf-8"))
    except UnsafeFile as unsafe:
        raise FactsheetError([unsafe.problem()]) from None
    return target


def _paragraph_comment(number: int, paragraph: str) -> str:
    lines = textwrap.wrap(
        paragraph,
        width=_WRAP,
        initial_indent=f"# ¶{number} ",
        subsequent_indent="#     ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "".join(line.rstrip() + "\n" for line in lines)


def new_entry(project: Project, kind: str, article: str | None) -> Path:
    """Append a commented template entry of the given kind; create the file if needed."""
    template = TEMPLATES[kind]
    file_name = KINDS_BY_SINGULAR[kind].file
    if kind == "actor":
        target = project.facts_dir / REGISTRY_FILE
    else:
        folders = sorted(
            entry.name
            for entry in project.entries(project.facts_dir)
            if entry.is_dir(follow_symlinks=False)
        )
        chosen = [name for name in folders if name == article] if article else folders
        if len(chosen) != 1:
            names = ", ".join(folders) or "none yet"
            raise _fail(
                project.facts_dir,
                f"name the article with --article (articles: {names})"
                if not article
                else f"no article '{article}'",
                "run 'factsheet new article SEED --title ...' to start one",
            )
        target = project.facts_dir / chosen[0] / file_name
    if target.is_symlink():
        raise _fail(target, "this fact file is a symbolic link", "replace it with a file")
    try:
        if not target.is_file():
            project.write(target, (schema_line(project, target) + "\n" + template).encode())
            return target
        text = project.read(target, MAX_FILE_BYTES).decode("utf-8")
        gap = "\n" if text.endswith("\n") else "\n\n"
        project.write(target, (text + gap + template).encode("utf-8"))
    except UnsafeFile as unsafe:
        raise FactsheetError([unsafe.problem()]) from None
    except UnicodeDecodeError:
        raise _fail(target, "the file is not valid UTF-8", "save it as UTF-8") from None
    return target
