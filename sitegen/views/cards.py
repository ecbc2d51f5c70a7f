"""Link-preview cards: a PNG per incident and one for the front page, shown where a link is pasted.

Chat apps and social sites show the image of a page's ``og:image`` tag
beside a pasted link; they refuse SVG, so the cards are PNGs, drawn at
build time with Pillow at the size Open Graph scrapers ask for (1200 x 630).
An incident's card says its title, impact and latest status with its time,
on its status colour (green once resolved); the front page's says the
site's overall status and what is going on.

Which pages have a card of their own
    A card costs about 5 ms of CPU and 18 KB, more than twice the rest of
    an incident's outputs: drawn for each of 10,000 incidents, 50 s. The
    links people share are to incidents going on and to those just past,
    so only those have a card (``PreviewCards``: the incidents not yet
    over, and the ``RECENT_CARDS`` newest). Every other page, an older
    incident's included, shows the neutral card: the site's name and
    "Incident history", on no status colour. The front page alone shows
    the front page's card, as it alone is about the status now: a chat app
    keeps the image it fetched with a link, so a history, component,
    report or write-up link shared during an outage would show that
    outage beside a page about something else for as long as the preview
    lives, and a component's status is not the site's. The neutral card
    is never wrong.

Text
    In the site's language, drawn with the fonts shipped in the default
    theme's ``fonts/`` (Noto, under the SIL Open Font License; see
    ``tools/card_fonts.py``). A line with Chinese, Japanese or Korean
    characters is drawn with the CJK font, any other with the font that
    covers Latin, Greek, Cyrillic, Arabic and Hebrew. Right-to-left text is
    laid out by Pillow's Raqm layout (FriBiDi and HarfBuzz: joined and in
    visual order) and aligned right. Characters neither font has are drawn
    as boxes. A site's own theme cannot replace the fonts: a font file is
    parsed by native code, and a theme may come from an untrusted pull
    request.

Same bytes
    A card is a function of its texts, its colour, the fonts and Pillow's
    version: it is a keyed output (``sitegen.views.keyed``) under a digest
    of all of them, and PNG as Pillow writes it carries no time.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sitegen.content.model import Incident
from sitegen.content.site import Site
from sitegen.content.statuses import Impact, pgettext_noop
from sitegen.output import urls
from sitegen.views.badges import OK, SITE_BADGES
from sitegen.views.i18n import Localizer
from sitegen.views.keyed import Keyed, OutputKeys
from sitegen.views.theme import default_theme_dir

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
"""The size Open Graph scrapers ask for (Facebook's and X's large image), stated in each page's tags."""
MARGIN = 72
BAND = 24
"""The status colour's band along the top."""
BACKGROUND, TEXT, MUTED, ON_COLOUR = "#ffffff", "#1f2328", "#57606a", "#ffffff"
PNG_EFFORT = 3
"""zlib's level: a card is 20 KB at 3 and 16 KB at 6, the default, which takes twice the time (1.8 ms, 4.2 ms)."""
BLEND_STEPS = 16
"""Shades between a colour and its ground in a card's palette: smoother than the eye tells apart at this size."""
ACTIVE_SHOWN = 3
"""Ongoing incidents and maintenances a front page card names; the page lists them all."""
RECENT_CARDS = 50
"""The newest incidents with a card of their own, besides those not yet over: those still shared (see above).

Fifty is months of incidents on a busy site, and 0.25 s of CPU to draw cold.
"""
NEUTRAL = TEXT
"""The band of the neutral card: the text's colour, none of the statuses'."""

IMPACT_WORDS = {
    Impact.NONE: pgettext_noop("incident impact", "No impact"),
    Impact.MINOR: pgettext_noop("incident impact", "Minor impact"),
    Impact.MAJOR: pgettext_noop("incident impact", "Major impact"),
    Impact.CRITICAL: pgettext_noop("incident impact", "Critical impact"),
}
"""An incident's impact as its pill on the pages says it; a maintenance's is its label, "Maintenance"."""
CJK_BLOCKS = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


class Text(NamedTuple):
    """A paragraph of a card: wrapped to the card's width in at most ``lines`` lines, the last ending in '…'."""

    text: str
    size: int
    colour: str = TEXT
    bold: bool = False
    lines: int = 1
    pill: str | None = None
    """Drawn in ``ON_COLOUR`` on a rounded ground of this colour, as the pages' impact pills."""


class PreviewCards:
    """Which incidents have a card of their own: the one answer both to what a page points at and to what is drawn.

    The incidents not yet over at ``site.now`` (going on, or maintenance to
    come) and the ``RECENT_CARDS`` newest, by start and then slug (the order
    of ``site.incidents``), so that equal sites choose the same ones.
    """

    def __init__(self, site: Site):
        newest = {incident.slug for incident in site.incidents[:RECENT_CARDS]}
        self.incidents = tuple(i for i in site.incidents if i.slug in newest or i.ended_at(site.now) is None)
        """The incidents with a card, newest first."""
        self._slugs = frozenset(incident.slug for incident in self.incidents)

    def of(self, incident: Incident) -> str:
        """The site path of the card an incident's page shows: its own, or the neutral card."""
        return urls.card(incident.slug) if incident.slug in self._slugs else urls.neutral_card()


def card_outputs(
    site: Site,
    words: Localizer,
    keys: OutputKeys,
    updated_at: datetime,
    previews: PreviewCards,
) -> Iterator[Keyed]:
    """The front page's card, the neutral card and the chosen incidents' (``previews``), keyed by their texts and
    colours, the fonts and Pillow.

    ``updated_at`` is the site's latest change, which the front page's card states.
    """
    drawn_with = (_fonts_digest(), version("Pillow"))
    made = (_front_card(site, words, updated_at), _neutral_card(site, words), *_incident_cards(site, words, previews))
    for path, colour, texts in made:
        yield keys.output(path, draw_card, (colour, texts), about=(*drawn_with, colour, texts))


def _front_card(site: Site, words: Localizer, updated_at: datetime) -> tuple[str, str, tuple[Text, ...]]:
    colour = SITE_BADGES[site.indicator][1]
    going_on = [*site.active_incidents, *site.active_maintenances]
    texts = [
        Text(site.config.title, 52, bold=True, lines=2),
        Text(words.overall(site.indicator), 40, bold=True, pill=colour),
        *(Text(words.pair(i.title, words.label(i.status_at(site.now))), 32) for i in going_on[:ACTIVE_SHOWN]),
        Text(words.gettext("Updated %(at)s", at=words.time(updated_at)), 28, MUTED),
    ]
    return urls.card(), colour, tuple(texts)


def _neutral_card(site: Site, words: Localizer) -> tuple[str, str, tuple[Text, ...]]:
    """The site's name and what its pages hold, in words every catalogue has: no status, so never out of date."""
    texts = (Text(site.config.title, 60, bold=True, lines=3), Text(words.gettext("Incident history"), 40, MUTED))
    return urls.neutral_card(), NEUTRAL, texts


def _incident_cards(
    site: Site, words: Localizer, previews: PreviewCards
) -> Iterator[tuple[str, str, tuple[Text, ...]]]:
    for incident in previews.incidents:
        now = incident.settled(site.now)
        over = incident.resolved_at is not None and incident.resolved_at <= now
        colour = OK if over else SITE_BADGES[incident.impact][1]
        impact = _impact_words(incident, words)
        update = incident.standing_update
        texts = (
            Text(site.config.title, 30, MUTED),
            Text(incident.title, 60, bold=True, lines=3),
            Text(impact, 30, bold=True, pill=SITE_BADGES[incident.impact][1]),
            Text(words.pair(words.label(incident.status_at(now)), words.time(update.at)), 32),
        )
        yield urls.card(incident.slug), colour, texts


def _impact_words(incident: Incident, words: Localizer) -> str:
    if incident.impact in IMPACT_WORDS:
        return words.pgettext("incident impact", IMPACT_WORDS[incident.impact])
    return words.label(incident.impact)


def draw_card(colour: str, texts: Sequence[Text]) -> bytes:
    """The card as PNG: a band of ``colour`` along the top, then each text in turn from the top."""
    from PIL import Image, ImageDraw  # here: a rebuild that keeps every card need not load Pillow

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAND), fill=colour)
    top = BAND + MARGIN - 16
    for text in texts:
        top = _draw_text(draw, text, top) + text.size // 2
    out = io.BytesIO()
    card = image.quantize(palette=_palette(colour, texts), dither=Image.Dither.NONE)
    card.save(out, format="PNG", compress_level=PNG_EFFORT)
    return out.getvalue()


def _palette(colour: str, texts: Sequence[Text]) -> Image.Image:
    """The card's colours, and BLEND_STEPS steps between each and the ground it is drawn on (text's smooth edges).

    A card has only these: as a palette image its PNG is a third of the bytes, and half the time to make.
    """
    from PIL import Image, ImageColor

    pairs = {(colour, BACKGROUND)}
    for text in texts:
        pairs |= {(ON_COLOUR, text.pill), (text.pill, BACKGROUND)} if text.pill else {(text.colour, BACKGROUND)}
    steps = []
    for fore, ground in sorted(pairs):
        (f, g) = (ImageColor.getrgb(fore), ImageColor.getrgb(ground))
        steps += [tuple(round(a + (b - a) * n / BLEND_STEPS) for a, b in zip(f, g)) for n in range(BLEND_STEPS + 1)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([channel for rgb in dict.fromkeys(steps) for channel in rgb])
    return palette


def _draw_text(draw: ImageDraw.ImageDraw, text: Text, top: int) -> int:
    """Draw ``text`` from ``top`` (down to the card's foot at most); return where it ends."""
    font = _font(text.text, text.bold, text.size)
    padding = text.size // 3 if text.pill else 0
    width = WIDTH - 2 * MARGIN - 2 * padding
    rtl = _right_to_left(text.text)
    line_height = round(text.size * 1.3)
    for number, line in enumerate(_wrapped(text.text, font, width, text.lines)):
        height = line_height + 2 * padding
        if top + height > HEIGHT - MARGIN // 2:
            break
        if text.pill and number == 0:
            length = round(font.getlength(line)) + 2 * padding
            left = WIDTH - MARGIN - length if rtl else MARGIN
            draw.rounded_rectangle((left, top, left + length, top + height), radius=height // 2, fill=text.pill)
        x = WIDTH - MARGIN - padding if rtl else MARGIN + padding
        colour = ON_COLOUR if text.pill else text.colour
        draw.text((x, top + height // 2), line, font=font, fill=colour, anchor="rm" if rtl else "lm")
        top += height
    return top


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """``text`` in lines no wider than ``width``: between words, or between any two CJK characters."""
    lines: list[str] = []
    line = ""
    for piece in _pieces(" ".join(text.split())):
        candidate = line + piece
        if line and font.getlength(candidate.rstrip()) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line = candidate
    lines.append(line.rstrip())
    if len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return [line for line in lines if line]


def _pieces(text: str) -> Iterator[str]:
    """The places a line may break: after a space, and around each CJK character."""
    piece = ""
    for char in text:
        if _is_cjk(char):
            if piece:
                yield piece
            yield char
            piece = ""
        else:
            piece += char
            if char == " ":
                yield piece
                piece = ""
    if piece:
        yield piece


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(first <= code <= last for first, last in CJK_BLOCKS)


def _right_to_left(text: str) -> bool:
    """Whether the text's first strongly directional character is right-to-left (as Unicode's bidi rule P2)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


FONT_FILES = {
    (False, False): "CardSans-Regular.ttf",
    (False, True): "CardSans-Bold.ttf",
    (True, False): "CardSansCJK-Bold.otf",
    (True, True): "CardSansCJK-Bold.otf",
}
"""The font of a line by (has CJK, bold); the CJK font has one weight (two would double its 2 MB)."""


def _font(text: str, bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return _loaded(FONT_FILES[any(_is_cjk(c) for c in text), bold], size)


@cache
def _loaded(name: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(_fonts_dir() / name), size)  # laid out by Raqm where Pillow has it


def _fonts_dir() -> Path:
    return default_theme_dir() / "fonts"


@cache
def _fonts_digest() -> str:
    """A digest of the font files: a card drawn with other fonts is another card."""
    hasher = hashlib.blake2b(digest_size=16)
    for name in sorted(set(FONT_FILES.values())):
        hasher.update(name.encode() + b":" + (_fonts_dir() / name).read_bytes())
    return hasher.hexdigest()
