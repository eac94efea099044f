"""Part of the render stage: the preview image a link to a sheet shows where it is shared.

One PNG per fact sheet, 1200 by 630 pixels (the size Open Graph and Twitter's large card expect), drawn
at build time with Pillow: the site's name, the sheet's title, its first key point (or its first
figure, or its summary), and the source's name and date. Made to be read when shown small, in a
feed or a chat: large type, dark on white, each text wrapped to its box and cut with an ellipsis,
never past it. The font is the one Pillow ships (`ImageFont.load_default`), so the image is the
same on every machine whatever fonts it has; characters that font lacks (CJK, Arabic, emoji)
are drawn as its empty box, never an error. The same text gives the same bytes, so the writer
leaves the file of an unchanged sheet alone. A site-wide image, for the pages that are not
sheets, is drawn the same way from the site's name and description.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .escape import raster_text
from .filters import long_date
from .site import Sheet

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
_INK = 17  # near-black on white: contrast well above WCAG's 7:1
_QUIET = 68  # the secondary lines, still above 7:1
_ACCENT = 60  # the band down the left edge, in grey: the image is grey levels only
BAND = 20
ELLIPSIS = "…"
_SIXTEEN_GREYS = [round(value / 17) for value in range(256)]  # each pixel's palette index
_GREY_PALETTE = [level * 17 for level in range(16) for _ in "rgb"]


@dataclass(frozen=True)
class Block:
    """One text of the image: its size, how many lines it may take, its grey and weight."""

    size: int
    lines: int
    grey: int
    bold: bool = False

    @property
    def leading(self) -> int:
        return round(self.size * 1.2)


SITE = Block(30, 1, _QUIET, bold=True)
TITLE = Block(64, 3, _INK, bold=True)
POINT = Block(38, 3, _INK)
SOURCE = Block(30, 1, _QUIET)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size)
    if not isinstance(font, ImageFont.FreeTypeFont):  # Pillow built without FreeType
        raise RuntimeError("preview images need Pillow with FreeType (its wheels have it)")
    return font


def _stroke(block: Block) -> int:
    """Pillow's font has one weight: a bold text is drawn with an outline of its own colour."""
    return max(1, block.size // 40) if block.bold else 0


def _width(text: str, block: Block) -> float:
    return float(_font(block.size).getlength(text)) + 2 * _stroke(block)


def wrap(text: str, block: Block, width: int) -> list[str]:
    """The text in at most `block.lines` lines, each no wider than width; a word wider than a
    line (or a script written without spaces) is broken between characters, and text that
    does not fit ends in an ellipsis."""
    words = raster_text(text).split()
    lines: list[str] = []
    line = ""
    overflow = False
    for word in words:
        candidate = f"{line} {word}" if line else word
        if _width(candidate, block) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while _width(word, block) > width:  # break a long word between characters
            cut = _fit(word, block, width)
            lines.append(word[:cut])
            word = word[cut:]
            if len(lines) > block.lines:
                break
        line = word
        if len(lines) > block.lines:
            break
    if line:
        lines.append(line)
    if len(lines) > block.lines:
        lines = lines[: block.lines]
        overflow = True
    if overflow:
        lines[-1] = _with_ellipsis(lines[-1], block, width)
    return lines


def _fit(word: str, block: Block, width: int) -> int:
    """How many of word's first characters fit in width (at least one)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(word[:middle], block) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _with_ellipsis(line: str, block: Block, width: int) -> str:
    """The line cut so that it ends in an ellipsis within width: at a word if one fits,
    between characters if not."""
    text = line
    while text and _width(text.rstrip(" ,;:.") + ELLIPSIS, block) > width:
        shorter = text.rsplit(" ", 1)[0] if " " in text else text[:-1]
        text = shorter
    return text.rstrip(" ,;:.") + ELLIPSIS


def draw_card(site: str, title: str, point: str, source: str) -> bytes:
    """The PNG of one preview: the site's name, a title, a line of substance and a source."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, BAND - 1, HEIGHT - 1), fill=_ACCENT)
    width = WIDTH - BAND - 2 * MARGIN
    left = BAND + MARGIN
    y = 48
    y = _draw(draw, wrap(site, SITE, width), SITE, left, y) + 24
    y = _draw(draw, wrap(title, TITLE, width), TITLE, left, y) + 28
    bottom = HEIGHT - 48 - SOURCE.leading
    room = max(0, (bottom - 24 - y) // POINT.leading)
    point_block = Block(POINT.size, min(POINT.lines, room), POINT.grey)
    if point_block.lines:
        _draw(draw, wrap(point, point_block, width), point_block, left, y)
    _draw(draw, wrap(source, SOURCE, width), SOURCE, left, bottom)
    # Sixteen greys are plenty for dark text on white: four bits a pixel make the file
    # smaller and twice as fast to compress. Pillow writes no date or other varying chunk.
    greys = Image.frombytes("P", image.size, image.point(_SIXTEEN_GREYS).tobytes())
    greys.putpalette(_GREY_PALETTE)
    out = io.BytesIO()
    greys.save(out, "PNG", bits=4, compress_level=3)
    return out.getvalue()


def _draw(draw: ImageDraw.ImageDraw, lines: list[str], block: Block, left: int, y: int) -> int:
    """Draw the lines from y down; return where the next text may start."""
    font = _font(block.size)
    stroke = _stroke(block)
    for line in lines:
        draw.text(
            (left + stroke, y),
            line,
            font=font,
            fill=block.grey,
            stroke_width=stroke,
            stroke_fill=block.grey,
        )
        y += block.leading
    return y


# --- what a sheet's image says --------------------------------------------------------------


def key_point(sheet: Sheet) -> str:
    """The sheet's first key point as one line of text; else its first figure; else its
    summary."""
    key = sheet.key_facts()
    if key:
        return _point(*key[0], sheet.actors)
    figures = sheet.facts.figures
    if figures:
        return _point("figure", figures[0], sheet.actors)
    return sheet.facts.article.summary


def _point(kind: str, fact: Any, actors: dict[str, Any]) -> str:
    if kind == "figure":
        written = fact.written[:1].upper() + fact.written[1:]
        return f"{written}: {fact.counts}"
    if kind == "quote":
        return f"“{' … '.join(fact.parts)}” ({actors[fact.speaker].name})"
    if kind == "claim":
        return f"{actors[fact.claimant].name}: {fact.source.excerpt}"
    if kind == "question":
        return f"Question: {fact.question}"
    if kind == "event":
        return f"{long_date(fact.date)}: {fact.what}"
    return str(fact.source.excerpt)


def source_line(sheet: Sheet) -> str:
    article = sheet.facts.article
    publication = article.publication
    publisher = publication.publisher if publication and publication.publisher else None
    date = long_date(article.date)
    return f"{publisher} · {date}" if publisher else f"News article of {date}"


def image_text(sheet: Sheet) -> tuple[str, str, str]:
    """What a sheet's image says: its title, its key point and its source (the image's
    description for those who cannot see it, too)."""
    return sheet.facts.article.title, key_point(sheet), source_line(sheet)


def sheet_image(sheet: Sheet, site_name: str) -> bytes:
    return draw_card(site_name, *image_text(sheet))


def site_image(site_name: str, description: str, address: str) -> bytes:
    """The image of every page that is not a sheet: the site's name, what it is, and where."""
    return draw_card("", site_name, description, address)
