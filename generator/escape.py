"""One escaping function per output context.

Every string from a fact file is untrusted. Wherever such a string is written into an output,
it passes through the one function here for that output's context, and through nothing else:

| context | function |
| --- | --- |
| Markdown source (a page's body) | `markdown_text` |
| YAML front matter (a page's title, description, tags) | `front_matter` |

The rest of the contexts are listed in SECURITY.md with the function that serves each.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

# The characters Python-Markdown (with the tables extension) honours a backslash before.
# `<`, `>` and `&` are left to Jinja's HTML escaping, which runs after this.
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_{}[]()#+-.!|"})


def markdown_text(value: Any) -> Any:
    """Make a YAML string inert in Markdown: one line, every Markdown punctuation escaped.

    HTML's own characters (`<`, `>`, `&`, quotes) are left to the HTML escaping that Jinja's
    autoescape applies after this (the environment's `finalize`).
    """
    if value is None or isinstance(value, Markup):
        return value if value is not None else ""
    if isinstance(value, bool | int | float):
        return value
    return " ".join(str(value).split()).translate(_MARKDOWN_ESCAPES)


# YAML 1.1's printable set, which PyYAML (and so MkDocs) enforces on a document's characters;
# everything outside it must be written as an escape inside a double-quoted scalar. Line
# breaks (NEL, LS, PS) are inside the set but fold inside a scalar, so they are escaped too.
_YAML_UNPRINTABLE = re.compile(
    '[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|["\\\\]'
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHITE_SPACE = re.compile(r"\s+")


def _yaml_escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in '"\\':
        return "\\" + char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def front_matter(value: str) -> Markup:
    """A string for a page's YAML front matter: one double-quoted line that any YAML parser
    reads back as the same text, HTML-escaped.

    The text is HTML-escaped because themes print `page.title` and `page.meta.description`
    into `<title>` and `<meta>` unescaped. It is written as a YAML double-quoted scalar whose
    every character outside YAML's printable set is an escape, so the front matter always
    parses: a front matter a parser refuses would be dropped and read as Markdown. Lone
    surrogates, which no output can encode, become U+FFFD.
    """
    text = _WHITE_SPACE.sub(" ", _SURROGATE.sub("\ufffd", value)).strip()
    return Markup('"' + _YAML_UNPRINTABLE.sub(_yaml_escape, html.escape(text)) + '"')
