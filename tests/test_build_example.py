"""End to end: build the example site in this repository and read the pages back like a visitor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, REPO

from sitegen.build import build_site

CURIE = "2022-07-23-curie-fine-tuned-errors"
CURIE_WRITEUP = "2022-07-26-curie-pubsub-outage"


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "public"
    build_site(REPO, out, now=NOW)
    return out


def page(public: Path, path: str) -> BeautifulSoup:
    file = public / path / "index.html" if not path.endswith(".html") else public / path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "history/index.html",
        f"incidents/{CURIE}/index.html",
        "components/fine-tuned-models/index.html",
        f"writeups/{CURIE_WRITEUP}/index.html",
        "404.html",
        "assets/style.css",
    ],
)
def test_contract_pages_exist(public: Path, path: str) -> None:
    assert (public / path).is_file()


ORIGINAL_ENTRIES = [
    ("Resolved", "Summary: starting at 11:10 p.m. PDT on July 22,", "Posted Tue, Jul 26, 2022, 09:54 AM PDT"),
    ("Resolved", "This incident has been resolved.", "Posted Sat, Jul 23, 2022, 12:15 AM PDT (3 days earlier)"),
    ("Investigating", "Latency should be back to normal.", "Posted Sat, Jul 23, 2022, 12:08 AM PDT"),
    ("Investigating", "We have identified the source of the issue", "Posted Fri, Jul 22, 2022, 11:58 PM PDT"),
    (
        "Investigating",
        "We are continuing to investigate this issue.",
        "Posted Fri, Jul 22, 2022, 11:42 PM PDT (16 minutes earlier)",
    ),
    ("Investigating", "We have been alerted to an issue with curie", "Posted Fri, Jul 22, 2022, 11:42 PM PDT"),
]
"""The status page this project started from, entry by entry: status, first words, and the line under each.

Its six updates newest first, the summary three days on as a second 'Resolved'; its dates with the weekday and
a 12-hour clock (US English), here in the site's zone; the time to the next update on the older entry, when notable.
"""


def test_curie_incident_reads_like_the_page_it_comes_from(public: Path) -> None:
    soup = page(public, f"incidents/{CURIE}")
    assert soup.h1.get_text(strip=True) == "Error responses for curie fine-tuned models"
    entries = soup.select(".timeline__entry")
    shown = [
        (
            e.select_one(".update-status").get_text(strip=True),
            " ".join(e.select_one(".prose").get_text(" ", strip=True).split()),
            e.select_one("p.muted").get_text(" ", strip=True),
        )
        for e in entries
    ]
    assert [(status, note) for status, _, note in shown] == [(status, note) for status, _, note in ORIGINAL_ENTRIES]
    assert all(body.startswith(words) for (_, body, _), (_, words, _) in zip(shown, ORIGINAL_ENTRIES, strict=True))
    assert [e.find("time")["datetime"] for e in entries][:2] == ["2022-07-26T16:54:00Z", "2022-07-23T07:15:00Z"]


def test_the_summary_update_links_the_writeup_published_with_it(public: Path) -> None:
    """The write-up went out with the summary: one entry, the update's, links it; no entry of its own."""
    newest = page(public, f"incidents/{CURIE}").select_one(".timeline__entry")
    link = newest.find("a", href=f"../../writeups/{CURIE_WRITEUP}/index.html")
    assert link.get_text(" ", strip=True).startswith("Read it here")
    assert "Write-up published" not in page(public, f"incidents/{CURIE}").select_one(".timeline").get_text()


def test_the_writeup_callout_says_its_title_once(public: Path) -> None:
    [callout] = page(public, f"incidents/{CURIE}").select(".callout")
    text = callout.get_text(" ", strip=True)
    assert text == "Write-up: curie fine-tuned models outage of July 22, 2022 Published Tue, Jul 26, 2022, 09:54 AM PDT"


def test_the_updates_come_right_under_the_title(public: Path) -> None:
    """Before the facts, the write-up and the components: the order of the page, whatever the screen."""
    soup = page(public, f"incidents/{CURIE}")
    order = [e.get("class", [""])[0] for e in soup.select(".incident > *")]
    assert order[:2] == ["incident__header", ""] and soup.select_one(".incident > section").find(class_="timeline")
    assert order.index("facts") > 1 and soup.find(id="affected").find_previous(class_="timeline")


def test_incident_page_draws_each_component_over_the_incident(public: Path) -> None:
    soup = page(public, f"incidents/{CURIE}")
    [strip] = soup.select(".strip")
    assert strip.select_one(".strip__head a").get_text() == "Fine-tuned models"
    assert strip.select_one(".strip__head .status").get_text() == "Major outage"
    assert (
        strip.select_one(".strip__head").get_text(" ", strip=True) == "Fine-tuned models Major outage 1 hour 5 minutes"
    )
    periods = [li.get_text(" ", strip=True) for li in strip.select(".strip__periods li")]
    assert periods == [
        "Major outage from 11:10 PM PDT to 11:58 PM PDT (48 minutes)",  # the day it started, given in full above
        "Degraded performance from 11:58 PM PDT to Sat, Jul 23, 2022, 12:15 AM PDT (17 minutes)",
    ]
    times = [t["datetime"] for t in strip.select(".strip__periods time")]
    assert times == ["2022-07-23T06:10:00Z", "2022-07-23T06:58:00Z", "2022-07-23T06:58:00Z", "2022-07-23T07:15:00Z"]
    svg = strip.find("svg")
    assert svg["aria-hidden"] == "true"
    heights = {rect["class"][0]: float(rect["height"]) for rect in svg.find_all("rect")}
    assert heights["svg--operational"] < heights["svg--degraded_performance"] < heights["svg--major_outage"]


def test_curie_incident_links_component_and_writeup_and_back(public: Path) -> None:
    soup = page(public, f"incidents/{CURIE}")
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert "../../components/fine-tuned-models/index.html" in hrefs
    assert f"../../writeups/{CURIE_WRITEUP}/index.html" in hrefs
    writeup = page(public, f"writeups/{CURIE_WRITEUP}")
    assert f"../../incidents/{CURIE}/index.html" in {a["href"] for a in writeup.find_all("a")}
    assert "pub/sub" in writeup.get_text()


def test_incident_page_states_duration_and_gap(public: Path) -> None:
    text = page(public, f"incidents/{CURIE}").get_text(" ", strip=True)
    assert "1 hour 5 minutes" in text  # 06:10 to 07:15
    assert "(16 minutes earlier)" in text  # 06:42 -> 06:58


def test_times_are_time_elements_in_site_timezone(public: Path) -> None:
    soup = page(public, f"incidents/{CURIE}")
    first = soup.select(".timeline__entry")[-1].find("time")
    assert first["datetime"] == "2022-07-23T06:42:00Z"
    assert first.get_text() == "Fri, Jul 22, 2022, 11:42 PM PDT"


def test_front_page_shows_banner_ongoing_components_and_fifteen_days(public: Path) -> None:
    soup = page(public, "")
    assert soup.select_one(".banner__text").get_text(strip=True) == "Partial System Outage"
    ongoing = soup.find(id="ongoing").find_parent("section")
    assert "Increased errors for image generation" in ongoing.get_text()
    groups = [h.get_text(strip=True) for h in soup.select(".group__name")]
    assert groups == ["API", "Models", "Platform"]
    row = next(li for li in soup.select(".component") if "Image generation" in li.get_text())
    assert row.select_one(".status").get_text(strip=True) == "Partial outage"
    days = soup.select(".day")
    assert len(days) == 15
    assert sum("No incidents reported." in d.get_text() for d in days) >= 10
    assert "Fine-tuning infrastructure maintenance" in soup.find(id="maintenance-upcoming").parent.get_text()


def test_history_lists_every_incident_by_month_newest_first(public: Path) -> None:
    soup = page(public, "history")
    months = [h.get_text(strip=True) for h in soup.select(".month h2")]
    assert months[0] == "December 2026"
    assert "July 2022" in months
    links = [a["href"] for a in soup.select(".incident-item__title a")]
    assert len(links) == len(list((REPO / "content" / "incidents").glob("*.md")))


def test_component_page_lists_its_incidents(public: Path) -> None:
    soup = page(public, "components/fine-tuned-models")
    titles = [a.get_text(strip=True) for a in soup.select(".incident-item__title a")]
    assert "Error responses for curie fine-tuned models" in titles
    assert all("image generation" not in t.lower() for t in titles)


def test_not_found_page_links_from_the_base_path(public: Path) -> None:
    soup = page(public, "404.html")
    assert soup.find("link", rel="stylesheet")["href"] == "/status/assets/style.css"
    assert {a["href"] for a in soup.find_all("a")} >= {"/status/", "/status/history/"}


def test_every_relative_link_resolves_to_a_file(public: Path) -> None:
    for html in public.rglob("*.html"):
        if html.name == "404.html":
            continue
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link"], href=True):
            href = tag["href"]
            if re.match(r"^[a-z]+:", href) or href.startswith("#"):
                continue
            assert (html.parent / href).resolve().is_file(), f"{html.relative_to(public)} links to missing {href}"


def test_headings_never_skip_a_level(public: Path) -> None:
    """Screen-reader users navigate by headings: h1, then h2, h3... without gaps."""
    for html in public.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels and levels[0] == 1, html
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{html.relative_to(public)}: h{before} then h{after}"
