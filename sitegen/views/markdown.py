"""Markdown from content files to HTML that is safe to put in a page or a feed.

Content comes from pull requests by many hands, so raw HTML is shown as text
(never passed through) and only http(s), mailto and relative links survive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import cache
from urllib.parse import urlsplit

import markdown_it
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


RENDERER = f"markdown-it-py {markdown_it.__version__}"
"""What renders Markdown, with its version: HTML kept from another version is not reused."""
_rendered: dict[str, str] = {}
"""HTML of each Markdown text rendered so far, by the text's digest (see ``digest``)."""
_prerendered: tuple[Site, dict[str, str]] | None = None
"""The last site given to ``prerender_site``, with its answer."""


@cache  # a build looks every text up more than once (to prerender, to render, to keep)
def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def parse(text: str) -> list[Token]:
    """The tokens of a Markdown text, under the same rules as pages (for formats that are not HTML)."""
    return _md.parse(text)


def render_markdown(text: str) -> Markup:
    """HTML for a Markdown text, rendered once: pages, feeds and notifications show the same bodies."""
    key = digest(text)
    html = _rendered.get(key)
    if html is None:
        html = _rendered[key] = _md.render(text)
    return Markup(html)


def prerender(texts: Iterable[str]) -> dict[str, str]:
    """Render the texts not rendered yet, on every core, so that later renders (in any process) find them.

    Returns the HTML of all of ``texts`` by digest: what a build keeps for the next one.
    """
    wanted = {digest(text): text for text in texts}
    todo = [(key, text) for key, text in wanted.items() if key not in _rendered]
    for (key, _), html in zip(todo, parallel_map(_md.render, [text for _, text in todo])):
        _rendered[key] = html
    return {key: _rendered[key] for key in wanted}


def prerender_site(site: Site) -> dict[str, str]:
    """``prerender`` of every text of ``site``; the same site again is answered at once.

    A build asks twice (its pages need the texts rendered, and it keeps
    their HTML for the next build), and walking a large site's texts costs
    as much as a few of its pages. A site is immutable, so the answer for it
    cannot change while it is the last site asked about.
    """
    global _prerendered
    if _prerendered is None or _prerendered[0] is not site:
        _prerendered = (site, prerender(site_texts(site)))
    return _prerendered[1]


def site_texts(site: Site) -> Iterator[str]:
    """Every Markdown text of a site: update bodies, incident summaries, write-ups and the footer."""
    yield site.config.footer
    for incident in site.incidents:
        yield incident.summary
        yield from (update.body for update in incident.updates)
    yield from (writeup.body for writeup in site.writeups)


def remember(previous: dict[str, str]) -> None:
    """Take renders kept from an earlier build (by digest of the same renderer's input)."""
    _rendered.update(previous)


def forget() -> None:
    """Drop every render kept in this process (for a build that must start from nothing)."""
    global _prerendered
    _rendered.clear()
    _prerendered = None
    render_inline.cache_clear()


@cache
def render_inline(text: str) -> Markup:
    """HTML for a one-line Markdown text (no paragraph around it)."""
    return Markup(_md.renderInline(text))
