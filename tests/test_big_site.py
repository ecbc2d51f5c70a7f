"""A big site stays light: the front page and every component page under 250 KB and 3,000 elements.

A site with two dozen components and a hundred incidents going on at once,
each touching every component for the last 90 days, is the worst case of
what these pages carry per day: before they were capped, the front page
listed every ongoing incident and each of 2,160 day marks named up to three
of them in its tip, and each component page linked every ongoing incident
on each of its 90 days.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, incident, write_site

from sitegen.build import build_site
from sitegen.views.pages import ONGOING_LIMIT
from sitegen.views.strips import WORST_DAYS

COMPONENTS = [f"service-{n:02d}" for n in range(24)]
ONGOING = 100
MAX_BYTES = 250 * 1024
MAX_ELEMENTS = 3000
CONFIG = '[site]\ntitle = "Big Status"\nbase_url = "https://example.github.io/status/"\ntimezone = "UTC"\n' + "".join(
    f'\n[[components]]\nid = "{c}"\nname = "Service {c[-2:]}"\ngroup = "Group {int(c[-2:]) // 6}"\n' for c in COMPONENTS
)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.count += 1


def elements(html: str) -> int:
    parser = _Elements()
    parser.feed(html)
    return parser.count


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    affected = "components:\n" + "".join(f"  {c}: major_outage\n" for c in COMPONENTS)
    files = {
        f"content/incidents/2026-08-{1 + n % 28:02d}-outage-{n:03d}.md": incident(
            f"Elevated error rates and slow responses across many services, number {n}",
            updates=f"  - at: 2026-08-{1 + n % 28:02d}T{n % 24:02d}:00:00Z\n    status: investigating\n"
            "    body: We are investigating elevated error rates across many services and will post again soon.\n",
            extra=affected,
        )
        for n in range(ONGOING)
    }
    root = write_site(tmp_path_factory.mktemp("big") / "site", files, config=CONFIG)
    build_site(root, root / "public", now=NOW)
    return root / "public"


def test_the_front_page_stays_light(public: Path) -> None:
    html = (public / "index.html").read_text(encoding="utf-8")
    assert len(html.encode()) <= MAX_BYTES and elements(html) <= MAX_ELEMENTS, (len(html.encode()), elements(html))


@pytest.mark.parametrize("component", COMPONENTS[:1] + COMPONENTS[-1:])
def test_every_component_page_stays_light(public: Path, component: str) -> None:
    html = (public / "components" / component / "index.html").read_text(encoding="utf-8")
    assert len(html.encode()) <= MAX_BYTES and elements(html) <= MAX_ELEMENTS, (len(html.encode()), elements(html))


def test_the_front_page_lists_a_few_ongoing_incidents_and_counts_the_rest(public: Path) -> None:
    page = BeautifulSoup((public / "index.html").read_text(encoding="utf-8"), "html.parser")
    ongoing = page.find(id="ongoing").find_parent("section")
    assert len(ongoing.select(".incident-item")) == ONGOING_LIMIT
    more = ongoing.find_all("p", recursive=False)[-1]
    assert (
        more.get_text(" ", strip=True)
        == f"{ONGOING - ONGOING_LIMIT} more ongoing incidents: see the incident history ."
    )
    assert more.a["href"] == "history/index.html"
    assert page.select(".component")  # the components follow


def test_a_days_tip_counts_its_incidents_and_names_none(public: Path) -> None:
    page = BeautifulSoup((public / "index.html").read_text(encoding="utf-8"), "html.parser")
    today = page.select_one(".component .bars > i:last-child")
    assert today["data-tip"].split("\n") == ["Nov 28", "Major outage: 12 hours", f"{ONGOING} incidents"]


def test_the_day_table_links_each_incident_once(public: Path) -> None:
    page = BeautifulSoup(
        (public / "components" / COMPONENTS[0] / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    links = [a["href"] for a in page.select(".days tbody a")]
    assert len(links) == len(set(links)) == ONGOING
    first, second = page.select(".days tbody tr")[:2]
    assert len(first.find_all("a")) == ONGOING  # the newest day lists them all
    assert second.find_all("td")[-1].get_text(strip=True) == f"{ONGOING} listed above"


def test_a_year_names_its_worst_days_and_counts_the_others(public: Path) -> None:
    page = BeautifulSoup(
        (public / "components" / COMPONENTS[0] / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    year = page.select_one(".year")
    days = year.select(".year__days li")
    assert len(days) == WORST_DAYS
    assert all(len(day.find_all("a")) == 2 and f"({ONGOING} incidents in all)" in day.get_text() for day in days)
    assert year.select_one(".year__days + p").get_text(strip=True) == f"{120 - WORST_DAYS} more days with downtime."
