"""One escaping function per output context.

Every string from a fact file is untrusted. Wherever such a string is written into an output,
it passes through the one function here for that output's context, and through nothing else:

| context | function | used by |
| --- | --- | --- |
| Markdown source (a page's body) | `markdown_text` | the Jinja environment's `finalize` |
| HTML text and attributes (pages, search records) | `html_text` | Jinja's autoescape, `index` |
| SVG text and attributes (the pictures) | `svg_text`, then autoescape | `pictures` |
| YAML front matter (title, description, tags) | `front_matter` | page templates |
| YAML double-quoted scalar (fact files) | `yaml_string` | `fmt`, `front_matter` |
| JSON (downloads, search records) | `json_text` | `export`, `index` |
| JSON inside `<script>` (JSON-LD) | `json_script` | `render` |
| XML (the Atom feed) | `xml_text` | `export` |
| iCalendar text | `calendar_text` | `export` |
| text drawn in a picture (the preview images) | `raster_text` | `previews` |
| CSV cell | `csv_cell` | `export` |
| URL query value | `url_part` | `render` |
| terminal and CI log | `printable` | `errors`, `cli`, `runner`, `diff`, `scaffold` |
| job-summary Markdown | `summary_code` | `diff` |

Lone surrogates, which no output can encode, become U+FFFD wherever they could reach a file;
validation refuses them (and every other character these contexts cannot hold) before that.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

# --- Markdown and HTML ---------------------------------------------------------------------

# The characters Python-Markdown (with the tables extension) honours a backslash before.
# `<`, `>` and `&` are left to Jinja's HTML escaping, which runs after this.
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_{}[]()#+-.!|"})
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHITE_SPACE = re.compile(r"\s+")


def markdown_text(value: Any) -> Any:
    """Make a YAML string inert in Markdown: one line, every Markdown punctuation escaped.

    HTML's own characters (`<`, `>`, `&`, quotes) are left to the HTML escaping that Jinja's
    autoescape applies after this (the environment's `finalize`).
    """
    if value is None or isinstance(value, Markup):
        return value if value is not None else ""
    if isinstance(value, bool | int | float):
        return value
    return " ".join(_SURROGATE.sub("\ufffd", str(value)).split()).translate(_MARKDOWN_ESCAPES)


def html_text(value: object) -> str:
    """Text for HTML content or a quoted attribute value: `<`, `>`, `&` and both quotes."""
    return html.escape(_SURROGATE.sub("\ufffd", str(value)), quote=True)


# --- YAML ----------------------------------------------------------------------------------

# YAML 1.1's printable set, which PyYAML (and so MkDocs) enforces on a document's characters;
# everything outside it must be written as an escape inside a double-quoted scalar. Line
# breaks (NEL, LS, PS) are inside the set but fold inside a scalar, so they are escaped too.
_YAML_UNPRINTABLE = re.compile(
    '[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|["\\\\]'
)


_YAML_SHORT = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _yaml_escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _YAML_SHORT:
        return _YAML_SHORT[char]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\\ufffd"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar that every YAML parser reads back as the same text.

    Only what YAML requires is escaped: the quotation mark, the backslash, and characters
    outside YAML's printable set, so the text stays readable in the file.
    """
    return '"' + _YAML_UNPRINTABLE.sub(_yaml_escape, value) + '"'


def front_matter(value: str) -> Markup:
    """A string for a page's YAML front matter: one double-quoted line that any YAML parser
    reads back as the same text, HTML-escaped.

    The text is HTML-escaped because themes print `page.title` and `page.meta.description`
    into `<title>` and `<meta>` unescaped. It is a YAML double-quoted scalar so that the front
    matter always parses: front matter a parser refuses is dropped and read as Markdown.
    """
    return Markup(yaml_string(html_text(_WHITE_SPACE.sub(" ", value).strip())))


# --- JSON ----------------------------------------------------------------------------------


def _escape_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(data: Any) -> str:
    """Compact JSON, UTF-8 as written; a lone surrogate is kept as a JSON escape, so the
    text can be encoded and reads back the same. (json's C encoder is used only without
    indentation, and it is ten times faster.)"""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SURROGATE.sub(_escape_surrogate, text)


def json_script(data: Any) -> Markup:
    """A `<script type="application/ld+json">` element: `<`, `>` and `&` are escaped inside
    the JSON, so no string can close the element ("</script>") or open a comment."""
    text = json_text(data)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(f'<script type="application/ld+json">{text}</script>')


# --- XML and iCalendar ---------------------------------------------------------------------

# Characters XML 1.0 cannot hold, escaped or not, and the noncharacters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """Text an XML library can write: every character XML 1.0 cannot hold becomes U+FFFD.

    The library (feedgen, through lxml) escapes `<`, `>` and `&` itself; what it cannot do is
    write a control character or a noncharacter, which it refuses with an error."""
    return _NOT_XML.sub("\ufffd", value)


def svg_text(value: Any) -> Any:
    """A value for an SVG template (the pictures' Jinja `finalize`): text loses what XML
    cannot hold, then autoescaping escapes `<`, `>`, `&` and quotes."""
    return xml_text(value) if isinstance(value, str) and not isinstance(value, Markup) else value


_NOT_DRAWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def raster_text(value: str) -> str:
    """Text for drawing into an image: one line of the characters as they read, with no
    control, bidirectional or invisible formatting characters (a font draws them as boxes);
    lone surrogates become U+FFFD."""
    text = _NOT_DRAWN.sub(" ", _SURROGATE.sub("\ufffd", value))
    return _WHITE_SPACE.sub(" ", text).strip()


def calendar_text(value: str) -> str:
    """A TEXT value for iCalendar, one line: the library escapes `,`, `;` and `\\`; controls
    and line breaks, which would end or corrupt a content line, become spaces or U+FFFD."""
    return _NOT_XML.sub("\ufffd", " ".join(value.split()))


# --- CSV -----------------------------------------------------------------------------------

# Where a spreadsheet program may start a cell: at the start of the text, or after a separator
# it might split the text on (a comma, a semicolon, the list separator of many locales, a tab or
# a line break), once it has dropped the spaces and quotation marks there. If what follows is
# one of = + - @, the piece is run as a formula.
_FORMULA_START = re.compile(r"(^|[;,\t\r\n])([\s\"]*)(?=[=+\-@])")


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell (true/false, empty for none), kept from running as a formula
    in spreadsheet programs (CSV injection).

    A single quote makes the program read what follows as text. Prefixing the whole cell is
    not enough: a program that splits rows on ';' turns 'a;=HYPERLINK(…)' into two cells, the
    second a formula. So the quote goes before every formula character that may start a cell:
    'a;=HYPERLINK(…)' is written "a;'=HYPERLINK(…)". A cell that starts with a tab or carriage
    return, which some programs drop, is prefixed as well.
    """
    if isinstance(value, str):
        value = _FORMULA_START.sub(r"\1\2'", _SURROGATE.sub("\ufffd", value))
        return "'" + value if value[:1] in ("\t", "\r") else value
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


# --- URLs ----------------------------------------------------------------------------------


def url_part(value: str) -> str:
    """A value for a URL's query or path segment: everything but unreserved characters is
    percent-encoded, so no value can add a parameter, a fragment or a scheme."""
    return quote(_SURROGATE.sub("\ufffd", value), safe="")


# --- terminals, CI logs and job summaries --------------------------------------------------


def printable(text: str) -> str:
    """The text with every character a terminal or a CI log could act on shown as an escape.

    Line breaks, escape sequences (ESC, OSC, CSI), bidirectional controls and invisible
    characters become `\\n`, `\\x1b`, `\\u202e`, so that untrusted text can neither start a
    GitHub Actions workflow command (`::add-mask::` at the start of a line) nor move the cursor,
    recolour the terminal or reorder what is shown.
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable():
            out.append(char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "".join(out)


def summary_code(text: str) -> str:
    """Untrusted text as a Markdown code span for a job summary: one printable line, fenced
    by more backticks than it holds, so nothing inside is read as Markdown or HTML."""
    text = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"
