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


def test_curie_incident_reads_like_the_page_it_comes_from(public: Path) -> None:
    """Five updates newest first under the write-up's publication, as on the status page this project started from."""
    soup = page(public, f"incidents/{CURIE}")
    assert soup.h1.get_text(strip=True) == "Error responses for curie fine-tuned models"
    entries = soup.select(".timeline__entry")
    statuses = [e.select_one(".update-status").get_text(strip=True) for e in entries]
    assert statuses == [
        "Write-up published",
        "Resolved",
        "Investigating",
        "Investigating",
        "Investigating",
        "Investigating",
    ]
    times = [e.find("time")["datetime"] for e in entries]
    assert times == sorted(times, reverse=True)
    assert times[:2] == ["2022-07-26T16:54:00Z", "2022-07-23T07:15:00Z"]
    newest = entries[0]
    assert newest.a.get_text(" ", strip=True).startswith("Read it here")
    assert newest.a["href"] == f"../../writeups/{CURIE_WRITEUP}/index.html"
    assert "(3 days after the previous update)" in newest.get_text(" ", strip=True)
    assert "We have been alerted to an issue with curie fine-tuned models" in entries[-1].get_text()
    assert "This incident has been resolved." in entries[1].get_text()


def test_gap_notes_appear_only_where_notable(public: Path) -> None:
    """16 minutes and 3 days are said; the 10 and 7 minutes between the last updates are the usual pace."""
    gaps = [
        e.select_one("p.muted").get_text(" ", strip=True).partition("(")[2]
        for e in page(public, f"incidents/{CURIE}").select(".timeline__entry")
    ]
    assert gaps == ["3 days after the previous update)", "", "", "16 minutes after the previous update)", "", ""]


def test_incident_page_draws_each_component_over_the_incident(public: Path) -> None:
    soup = page(public, f"incidents/{CURIE}")
    [strip] = soup.select(".strip")
    assert strip.select_one(".strip__head a").get_text() == "Fine-tuned models"
    assert strip.select_one(".strip__head .status").get_text() == "Major outage"
    periods = [li.get_text(" ", strip=True) for li in strip.select(".strip__periods li")]
    assert periods == [
        "Major outage from Jul 22, 2022, 23:10 PDT to Jul 22, 2022, 23:58 PDT (48 minutes)",
        "Degraded performance from Jul 22, 2022, 23:58 PDT to Jul 23, 2022, 00:15 PDT (17 minutes)",
    ]
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
    assert "16 minutes after the previous update" in text  # 06:42 -> 06:58


def test_times_are_time_elements_in_site_timezone(public: Path) -> None:
    soup = page(public, f"incidents/{CURIE}")
    first = soup.select(".timeline__entry")[-1].find("time")
    assert first["datetime"] == "2022-07-23T06:42:00Z"
    assert first.get_text() == "Jul 22, 2022, 23:42 PDT"


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
