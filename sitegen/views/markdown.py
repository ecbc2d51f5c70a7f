"""Markdown from content files to HTML that is safe to put in a page or a feed.

Content comes from pull requests by many hands, so raw HTML is shown as text
(never passed through) and only http(s), mailto and relative links survive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from sitegen.content.site import Site
from sitegen.parallel import parallel_map

SAFE_SCHEMES = {"", "http", "https", "mailto"}


def is_safe_link(url: str) -> bool:
    """Allow web, mail and relative links; refuse javascript:, vbscript:, data:, file: and the rest."""
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace())
    try:
        return urlsplit(cleaned).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        return False


class _SafeLinkMarkdown(MarkdownIt):
    """markdown-it-py asks ``validateLink`` of every link and image: here it keeps only ``is_safe_link`` ones."""

    def validateLink(self, url: str) -> bool:
        return is_safe_link(url)


_md = _SafeLinkMarkdown("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def digest(text: str) -> str:
    """The key of a text's HTML among the renders a build keeps for the next."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def parse(text: str) -> list[Token]:
    """The tokens of a Markdown text, under the same rules as pages (for formats that are not HTML)."""
    return _md.parse(text)


def render_markdown(text: str) -> Markup:
    """HTML for a Markdown text, rendered now: for a message sent outside a build, which renders each body once."""
    return Markup(_md.render(text))


class MarkdownRenders:
    """The HTML of the Markdown texts of one build, each text rendered once: pages and feeds show the same bodies.

    A build starts from the renders an earlier one kept (``kept``: HTML by
    the ``digest`` of each text), renders the texts missing on every core
    (``prerender_site``) and keeps this site's for the next (``kept_for``).
    Views are given the object and only call ``render``: where the HTML
    came from is not theirs to know. Each build has its own, so nothing
    rendered for one site lingers into another's build in the same process.
    """

    def __init__(self, kept: Mapping[str, object] | None = None):
        self.loaded: dict[str, str] = {
            key: html for key, html in (kept or {}).items() if isinstance(key, str) and isinstance(html, str)
        }
        """What an earlier build kept, less any entry that is not text (a damaged or planted table)."""
        self._html = dict(self.loaded)
        self._digests: dict[str, str] = {}
        """Each text's digest, worked out once: a build looks a text up to prerender, to render and to keep."""
        self._inline: dict[str, Markup] = {}
        self._site: tuple[Site, list[str]] | None = None
        """The last site given to ``prerender_site``, with the digests of its texts."""

    def render(self, text: str) -> Markup:
        """HTML for a Markdown text: kept or rendered before if it was, else rendered now and remembered."""
        key = self._digest(text)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = _md.render(text)
        return Markup(html)

    def render_inline(self, text: str) -> Markup:
        """HTML for a one-line Markdown text (no paragraph around it)."""
        html = self._inline.get(text)
        if html is None:
            html = self._inline[text] = Markup(_md.renderInline(text))
        return html

    def prerender_site(self, site: Site) -> None:
        """Render every text of ``site`` not rendered yet, on every core, so that its pages (made in any
        process) find them; the same site again is done at once.

        A build asks twice (its pages need the texts rendered, and it keeps
        their HTML for the next build), and walking a large site's texts costs
        as much as a few of its pages. A site is immutable, so the answer for it
        cannot change while it is the last site asked about.
        """
        if self._site is not None and self._site[0] is site:
            return
        wanted = {self._digest(text): text for text in site_texts(site)}
        todo = [(key, text) for key, text in wanted.items() if key not in self._html]
        for (key, _), html in zip(todo, parallel_map(_md.render, [text for _, text in todo])):
            self._html[key] = html
        self._site = (site, list(wanted))

    def kept_for(self, site: Site) -> dict[str, str]:
        """The HTML of every text of ``site`` by digest: what a build keeps for the next, never more than the site's."""
        self.prerender_site(site)
        assert self._site is not None, "prerender_site remembers the site"
        return {key: self._html[key] for key in self._site[1]}

    def _digest(self, text: str) -> str:
        key = self._digests.get(text)
        if key is None:
            key = self._digests[text] = digest(text)
        return key


def site_texts(site: Site) -> Iterator[str]:
    """Every Markdown text of a site: update bodies, incident summaries, write-ups and the footer."""
    yield site.config.footer
    for incident in site.incidents:
        yield incident.summary
        yield from (update.body for update in incident.updates)
    yield from (writeup.body for writeup in site.writeups)
