"""An incident page on a phone, in headless Chromium: the newest update is on the first screen.

A reader during an outage opens the incident's page for its latest news.
At 390×740 CSS px (a common phone) the newest update's text must start
within the first screen on every page of the example_site site, and on an
incident that affects four components, whose strips once pushed it a
couple of screens down.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW, REPO, incident, write_site
from test_a11y_support import CHROMIUM, Browser

from sitegen.build import build_site

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

PHONE = (390, 740)
LINE = 24
"""About one line of text: the newest update's first line must be wholly on the first screen."""

FOUR_COMPONENTS = """\
[site]
title = "Four Status"
base_url = "https://example.github.io/status/"
timezone = "America/Los_Angeles"
""" + "".join(f'\n[[components]]\nid = "{c}"\nname = "{c.title()} service"\n' for c in ("api", "db", "web", "queue"))

FOUR_UPDATES = """\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Requests to several services fail. We are investigating.
  - at: 2026-11-20T10:20:00Z
    status: identified
    body: A database failover went wrong; the services that depend on it are degraded.
    components: {api: partial_outage, db: major_outage, web: degraded_performance, queue: partial_outage}
  - at: 2026-11-20T11:05:00Z
    status: monitoring
    body: The database is back; we are watching the queue drain.
    components: {api: degraded_performance, db: degraded_performance, web: operational, queue: degraded_performance}
"""


def newest_update_top(browser: Browser, url: str) -> float:
    """Where the newest update's text starts, in CSS px from the top of the page."""
    browser.open(url, width=PHONE[0], height=PHONE[1])
    return browser.evaluate(
        "document.querySelector('.timeline > .timeline__entry > :is(.prose, p)').getBoundingClientRect().top + scrollY"
    )


@pytest.fixture(scope="module")
def four_components(tmp_path_factory) -> Path:
    files = {
        "content/incidents/2026-11-20-cascade.md": incident(
            "Errors and delays across the API, the database, the website and the job queue after a failover",
            updates=FOUR_UPDATES,
            extra="components: {api: major_outage, db: major_outage, web: partial_outage, queue: major_outage}\n",
        )
    }
    root = write_site(tmp_path_factory.mktemp("four") / "site", files, config=FOUR_COMPONENTS)
    out = root / "public"
    build_site(root, out, now=NOW)
    return out


@pytest.mark.parametrize("slug", sorted(p.stem for p in (REPO / "content" / "incidents").glob("*.md")))
def test_newest_update_starts_on_a_phones_first_screen(browser, example_site: Path, slug: str) -> None:
    top = newest_update_top(browser, (example_site / "incidents" / slug / "index.html").as_uri())
    assert top <= PHONE[1] - LINE, f"the newest update starts at {top:.0f} px, below the first screen"


def test_newest_update_starts_on_the_first_screen_with_four_components(browser, four_components: Path) -> None:
    page = four_components / "incidents" / "2026-11-20-cascade" / "index.html"
    assert page.read_text(encoding="utf-8").count('class="strip"') == 4  # the four components are on the page
    top = newest_update_top(browser, page.as_uri())
    assert top <= PHONE[1] - LINE, f"the newest update starts at {top:.0f} px, below the first screen"
