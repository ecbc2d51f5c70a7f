"""Update bodies written in HTML are imported as the Markdown the site renders, never as tag soup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import NOW

from sitegen.content.loader import load_site
from sitegen.importers.html_bodies import markdown_body
from sitegen.importers.importing import import_history
from sitegen.importers.statuspage import read_statuspage
from sitegen.views.markdown import MarkdownRenders

# GitHub's status history, incident 01sqkcp7z62r (2011): the shape of 832 of its 1,282 incidents.
GITHUB_2011 = (
    "<ul><li><strong>2011-07-28 03:06:00</strong> - One of our file servers failed over and we had a brief "
    "hiccup in availability.  Continuing to investigate.</li><li><strong>2011-07-28 05:43:00</strong> - "
    "Our fileserver issues have been fully resolved!</li></ul>"
)
# GitHub, incident gz5s7chlxwk8 (2010): a link, and "\r\n" written out as text by the source.
GITHUB_2010 = (
    "<ul><li><strong>2010-07-14 01:01:00</strong> - Shutting down background workers and running DB "
    'maintenance now - hang tight!\\r\\n\\r\\n<a href="http://github.com/blog/680-db-maintenance-today-18-00-pst">'
    "More</a></li></ul>"
)


def test_a_statuspage_list_becomes_a_markdown_list() -> None:
    assert markdown_body(GITHUB_2011) == (
        "- **2011-07-28 03:06:00** - One of our file servers failed over and we had a brief hiccup in "
        "availability. Continuing to investigate.\n- **2011-07-28 05:43:00** - Our fileserver issues have been "
        "fully resolved!"
    )


def test_links_paragraphs_and_line_breaks_are_kept() -> None:
    assert "[More](http://github.com/blog/680-db-maintenance-today-18-00-pst)" in markdown_body(GITHUB_2010)
    assert markdown_body("<p>One [1].</p><p>Two<br>lines, <em>really</em> <code>a_b[0]</code>.</p>") == (
        "One \\[1\\].\n\nTwo  \nlines, *really* `a_b[0]`."
    )


@pytest.mark.parametrize(
    "body",
    [
        "We found an issue that impacts a small subset of customers <1% have encountered audit logs",
        "GitHub Actions continues to observe < 2% of customer runs being impacted.",
        "Plain **Markdown** with a [link](https://example.com) and a_b.",
    ],
)
def test_text_without_html_is_kept_as_written(body: str) -> None:
    assert markdown_body(body) == body


def test_elements_the_site_does_not_render_become_their_text() -> None:
    html = "<div><h2>Title</h2><table><tr><td>cell</td></tr></table><span style='x'>span</span></div>"
    assert markdown_body(html) == "Titlecellspan"


@pytest.mark.parametrize(
    "html",
    [
        '<a href="javascript:alert(1)">click</a>',
        '<a href=" JaVaScRiPt:alert(1)">click</a>',
        '<a href="data:text/html,<script>alert(1)</script>">click</a>',
        "<script>alert(1)</script>click",
        '<img src=x onerror="alert(1)">click',
        '<b onclick="alert(1)">click</b>',
        "<p>[click](javascript:alert(1))</p>",
        '<iframe src="https://evil.example/"></iframe>click',
    ],
)
def test_nothing_unsafe_survives(html: str) -> None:
    converted = markdown_body(html)
    rendered = str(MarkdownRenders().render(converted)).lower()
    assert "click" in converted
    assert not re.search(r"<(script|iframe|img)|<[^>]*\b(on\w+|href|src)\s*=", rendered)


def test_an_imported_github_incident_renders_without_tags(tmp_path: Path) -> None:
    incident = {
        "id": "01sqkcp7z62r",
        "name": "Minor service outage",
        "status": "resolved",
        "impact": "none",
        "incident_updates": [
            {
                "id": "u1",
                "status": "resolved",
                "body": GITHUB_2011,
                "created_at": "2011-07-28T05:43:00Z",
                "display_at": "2011-07-28T05:43:00Z",
            }
        ],
    }
    import_history(tmp_path, read_statuspage([("incident.json", {"incident": incident})]), now=NOW)
    body = load_site(tmp_path, now=NOW).incidents[0].updates[0].body
    html = str(MarkdownRenders().render(body))
    assert "&lt;" not in html and "<li><strong>2011-07-28 03:06:00</strong> - One of our" in html
