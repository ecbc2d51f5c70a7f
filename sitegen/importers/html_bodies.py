"""Update bodies written in HTML, as the Markdown a sitegen file holds.

Statuspage pages kept their updates as HTML for years (GitHub's from 2010
to 2018: ``<ul><li><strong>time</strong> - text</li></ul>``, ``<a>``,
``<br>``, ``<p>``), and incident.io and Upptime texts can carry some.
Sitegen shows raw HTML as text, so imported as it is a reader would see
the tags. markdownify turns them into the Markdown the site renders:
lists, emphasis, links, code, paragraphs and line breaks. Every other
element becomes its text, scripts and styles nothing, and a link whose
scheme the pages refuse (``javascript:``, ``data:``) its text alone, so
what is written passes the same rules as a hand-written file.

A body without any such element is plain text and is kept as written:
``<1% of runs`` is not HTML, and escaping it would change what it says.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString
from markdownify import MarkdownConverter

from sitegen.views.markdown import is_safe_link

RENDERED = ("a", "b", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong", "ul")
"""The elements whose meaning a page shows; the rest are read as their text."""
UNSEEN = ("script", "style", "template", "noscript", "iframe", "object")
"""Elements whose text a browser never shows either."""
HTML_ELEMENT = re.compile(
    r"</?(?:a|b|br|code|em|i|li|ol|p|pre|strong|ul|div|span|h[1-6]|table|tr|td|th|img|hr|u|blockquote|font|small"
    r"|script|style|iframe)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


_converter = MarkdownConverter(convert=list(RENDERED), bullets="-", strong_em_symbol="*", heading_style="atx")


def is_html(body: str) -> bool:
    return HTML_ELEMENT.search(body) is not None


def markdown_body(body: str) -> str:
    """``body`` as Markdown: converted when it holds HTML elements, else unchanged.

    Brackets in text are escaped, so that text reading like a Markdown link
    (``[x](javascript:...)``) stays text.
    """
    if not is_html(body):
        return body
    soup = BeautifulSoup(body, "html.parser")
    for element in soup.find_all(UNSEEN):
        element.decompose()
    for link in soup.find_all("a"):
        if not is_safe_link(str(link.get("href", ""))):
            link.unwrap()
    for string in soup.find_all(string=True):
        if string.find_parent(["code", "pre"]) is None and ("[" in string or "]" in string):
            string.replace_with(NavigableString(string.replace("[", "\\[").replace("]", "\\]")))
    text = _converter.convert_soup(soup)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
