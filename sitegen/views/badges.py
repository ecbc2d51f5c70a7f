"""Status badges: small SVG images to embed in a README, a wiki or a dashboard.

``badge.svg`` shows the whole site's status (the front page's banner, in a
few words) and ``components/<id>/badge.svg`` one component's, in the flat
style of shields.io: a grey label on the left, the status on a coloured
ground on the right. They are static files like the rest of the site, so
they are as current as the last build.

Text
    The label is "status" for the site and the component's name for a
    component; the message is the status in words, never colour alone, in
    the site's language (the catalogues' ``badge`` messages). An
    SVG image cannot measure its own text, so widths are estimated from
    Verdana's advance widths (``sitegen.views.charts.text_width``) and each text
    is drawn with that ``textLength``, so a slightly different font is
    squeezed or stretched to fit rather than overflowing. Every text is
    escaped; the badge's ``<title>`` and ``aria-label`` say "label: message"
    to screen readers.

Colours
    The default theme's light-mode status colours, each dark enough for
    white 11px text (contrast of at least 4.5:1, WCAG AA), unlike shields'
    bright green. A badge sits on whatever page embeds it, so it does not
    follow dark mode.
"""

from __future__ import annotations

import math

from markupsafe import Markup

from sitegen.content.site import Site
from sitegen.content.statuses import ComponentStatus, Impact, pgettext_noop
from sitegen.output import urls
from sitegen.views.charts import svg_text, text_width
from sitegen.views.i18n import BADGE_CONTEXT, Localizer, site_words

__all__ = ["badge_svg", "render_badges"]

SITE_LABEL = pgettext_noop("badge", "status")
LABEL_COLOUR = "#555555"
TEXT_COLOUR = "#ffffff"
PADDING = 5

OK, MAINTENANCE, MINOR, MAJOR, CRITICAL = "#1b7f4b", "#2f5fb3", "#8a6100", "#b54708", "#b42318"
COMPONENT_BADGES: dict[ComponentStatus, tuple[str, str]] = {
    ComponentStatus.OPERATIONAL: (pgettext_noop("badge", "operational"), OK),
    ComponentStatus.UNDER_MAINTENANCE: (pgettext_noop("badge", "under maintenance"), MAINTENANCE),
    ComponentStatus.DEGRADED_PERFORMANCE: (pgettext_noop("badge", "degraded performance"), MINOR),
    ComponentStatus.PARTIAL_OUTAGE: (pgettext_noop("badge", "partial outage"), MAJOR),
    ComponentStatus.MAJOR_OUTAGE: (pgettext_noop("badge", "major outage"), CRITICAL),
}
SITE_BADGES: dict[Impact, tuple[str, str]] = {
    Impact.NONE: (pgettext_noop("badge", "operational"), OK),
    Impact.MAINTENANCE: (pgettext_noop("badge", "under maintenance"), MAINTENANCE),
    Impact.MINOR: (pgettext_noop("badge", "minor outage"), MINOR),
    Impact.MAJOR: (pgettext_noop("badge", "partial outage"), MAJOR),
    Impact.CRITICAL: (pgettext_noop("badge", "major outage"), CRITICAL),
}
"""The site's indicator in a badge's few words (Statuspage's descriptions, shortened)."""


def render_badges(site: Site, words: Localizer | None = None) -> dict[str, bytes]:
    """The site's badge and one per component, by output path, in the site's language (``words``)."""
    words = words or site_words(site)
    message, colour = SITE_BADGES[site.indicator]
    label = words.pgettext(BADGE_CONTEXT, SITE_LABEL)
    said = words.pgettext(BADGE_CONTEXT, message)
    files = {urls.badge(): badge_svg(label, said, colour, words.pair(label, said))}
    for component in site.components:
        message, colour = COMPONENT_BADGES[site.component_statuses[component.id]]
        said = words.pgettext(BADGE_CONTEXT, message)
        files[urls.badge(component.id)] = badge_svg(component.name, said, colour, words.pair(component.name, said))
    return files


def badge_svg(label: str, message: str, colour: str, read: str | None = None) -> bytes:
    """A flat badge: ``label`` on grey, ``message`` on ``colour`` (a #rrggbb value).

    ``read`` is what screen readers say, "label: message" punctuated in the site's language (English by default).
    """
    label_text, message_text = math.ceil(text_width(label)), math.ceil(text_width(message))
    label_width, message_width = label_text + 2 * PADDING, message_text + 2 * PADDING
    width = label_width + message_width
    said = svg_text(read if read is not None else f"{label}: {message}")
    svg = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{said}">\n'
        "<title>{said}</title>\n"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>\n'
        '<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>\n'
        '<g clip-path="url(#r)"><rect width="{label_width}" height="20" fill="{label_colour}"/>'
        '<rect x="{label_width}" width="{message_width}" height="20" fill="{colour}"/>'
        '<rect width="{width}" height="20" fill="url(#s)"/></g>\n'
        '<g fill="{text_colour}" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'text-rendering="geometricPrecision" font-size="110">\n'
        "{label_svg}{message_svg}</g>\n</svg>\n"
    ).format(
        width=width, said=said, label_width=label_width, message_width=message_width,
        label_colour=LABEL_COLOUR, colour=svg_text(colour), text_colour=TEXT_COLOUR,
        label_svg=_text(label, label_width / 2, label_text),
        message_svg=_text(message, label_width + message_width / 2, message_text),
    )  # fmt: skip
    return str(svg).encode("utf-8")


def _text(text: str, middle: float, length: int) -> Markup:
    """``text`` centred on ``middle`` with a shadow, drawn at 10x and scaled down as shields.io does for crisp text."""
    return Markup(
        '<text aria-hidden="true" x="{x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" '
        'textLength="{length}">{text}</text>\n'
        '<text x="{x}" y="140" transform="scale(.1)" textLength="{length}">{text}</text>\n'
    ).format(x=round(middle * 10), length=length * 10, text=svg_text(text))
