"""Markdown from content files to HTML that is safe to put in a page or a feed.

Content comes from pull requests by many hands, so raw HTML is shown as text
(never passed through) and only http(s), mailto and relative links survive.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = {"", "http", "https", "mailto"}


def _is_safe_link(url: str) -> bool:
    """Allow web, mail and relative links; refuse javascript:, vbscript:, data:, file: and the rest."""
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace())
    try:
        return urlsplit(cleaned).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        return False


class _SafeLinkMarkdown(MarkdownIt):
    """markdown-it-py asks ``validateLink`` of every link and image: here it keeps only ``_is_safe_link`` ones."""

    def validateLink(self, url: str) -> bool:
        return _is_safe_link(url)


_md = _SafeLinkMarkdown("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


@cache
def render_markdown(text: str) -> Markup:
    """HTML for a Markdown text; cached because pages and feeds show the same bodies."""
    return Markup(_md.render(text))


@cache
def render_inline(text: str) -> Markup:
    """HTML for a one-line Markdown text (no paragraph around it)."""
    return Markup(_md.renderInline(text))
