"""The status widget other sites embed: ``embed.js`` for pages that allow script, ``embed/`` for those that don't.

``embed.js`` is a few KB of plain JavaScript with no dependencies. Included
in any page, it reads the site's own ``api/v2/summary.json`` (GitHub Pages
serves it to other origins) and shows a status dot with the overall status
in words, a banner while an incident or a maintenance is going on, or both.
It is rendered from the theme's ``embed.js`` template, so its words are the
site's language (the catalogues), and it carries no content: titles and
statuses come from the JSON at run time and are only ever set as text.

``embed/`` is a page for an iframe, for hosts whose policy allows no
foreign script: the same dot, sentence and list, as of the last build, with
no script at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from sitegen.content.site import Site
from sitegen.content.statuses import Impact, UpdateStatus
from sitegen.output import urls
from sitegen.views.badges import SITE_BADGES
from sitegen.views.pages import Page, current

REFRESH_SECONDS = 300
"""How often an open page reads the summary again: as often as a status page is usually rebuilt, at most."""


def embed_pages(site: Site) -> Iterator[Page]:
    """The widget's script, made from the catalogues alone, and the iframe page, made from what is going on now."""
    colours = {impact.value: colour for impact, (_, colour) in SITE_BADGES.items()}
    yield Page.of(
        urls.embed_script(),
        "embed.js",
        indicators=tuple(Impact),
        statuses=tuple(UpdateStatus),
        colours=colours,
        refresh=REFRESH_SECONDS,
    )
    going_on = current([*site.active_incidents, *site.active_maintenances], site.now)
    yield Page.of(urls.embed_page(), "embed.html", going_on=going_on, colours=colours)
