"""The pages' structure for readers: uptime as one picture per component, light pages, folds and languages.

These read the built HTML; tests/test_a11y.py opens the same pages in a browser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import DEFAULT_CONFIG, NOW, incident

from sitegen.build import build_site
from sitegen.errors import ContentError


def outage(start: str, end: str | None, components: str, title: str = "Errors", extra: str = "") -> str:
    """An incident: ``components`` ('id: status', comma separated) from ``start``, resolved at ``end`` (None: ongoing)."""
    updates = f"  - at: {start}\n    status: investigating\n    body: Looking.\n"
    if end is not None:
        updates += f"  - at: {end}\n    status: resolved\n    body: Fixed.\n"
    lines = "".join(f"  {line.strip()}\n" for line in components.split(","))
    return incident(title, updates=updates, extra=f"{extra}components:\n{lines}")


def built(make_site, tmp_path: Path, files: dict[str, str], config: str = DEFAULT_CONFIG) -> Path:
    out = tmp_path / "out"
    build_site(make_site(files, config=config), out, now=NOW)
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_front_page_bars_are_one_picture_per_component_out_of_the_tab_order(make_site, tmp_path) -> None:
    files = {"content/incidents/a.md": outage("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", "api: major_outage")}
    page = soup(built(make_site, tmp_path, files) / "index.html")
    rows = page.select(".component")
    assert len(rows) == 3
    for row in rows:
        bars = row.select_one(".bars")
        assert bars["aria-hidden"] == "true" and not bars.find(["a", "button"])
        days = bars.find_all("i")
        assert len(days) == 90 and all(day["tabindex"] == "-1" for day in days)  # a tap focuses, Tab skips
        assert all(day["data-tip"].split("\n")[0][:3] in {"Aug", "Sep", "Oct", "Nov"} for day in days)  # its date
    api = rows[0]
    figures = api.select_one(".uptime__figures").get_text(" ", strip=True)
    assert figures == "99.90% uptime, last 90 days · 99.71% last 30 days"  # CLDR's English percent
    nov_20 = api.select(".bars > i")[-9]
    assert nov_20["class"] == ["fill--major_outage"]
    assert nov_20["data-tip"].split("\n") == ["Nov 20", "Major outage: 2 hours", "1 incident"]  # what a day needs
    assert [a.get_text() for a in api.find_all("a")] == ["API"]  # the row's one tab stop


def test_component_page_lists_its_days_and_draws_its_years(make_site, tmp_path) -> None:
    files = {
        "content/incidents/old.md": outage("2024-02-29T10:00:00Z", "2024-02-29T11:00:00Z", "db: partial_outage", "Old"),
        "content/incidents/new.md": outage("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", "db: major_outage", "New"),
    }
    page = soup(built(make_site, tmp_path, files) / "components" / "db" / "index.html")
    headings = [h.get_text(" ", strip=True) for h in page.find_all("h2")]
    assert headings[:3] == ["Incidents", "Uptime", "By year"]  # incidents first, calendars last
    [row] = page.select(".days tbody tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
    assert cells == ["Nov 20, 2026", "Major outage 2 hours Counted as downtime: 2 hours", "New"]
    assert row.a["href"] == "../../incidents/new/index.html"
    years = page.select(".year")
    assert [y.h3.get_text(" ", strip=True) for y in years] == [
        "2026 99.97% uptime",
        "2025 100% uptime",
        "2024 99.99% uptime",  # 1 - 0.3 h / 8784 h = 99.9966 %
    ]
    leap_year = years[2].find("svg")
    assert leap_year["role"] == "img" and leap_year["class"] == ["chart__svg"]
    assert leap_year["aria-label"].endswith("Worst status of the day: 1 day with partial outage.")
    # one path per kind of day, twelve month names and a row of day numbers, not a shape per day
    assert len(leap_year.find_all()) <= 24
    numbers = [tspan.get_text() for tspan in leap_year.find_all("tspan")]
    assert numbers == ["1", "5", "10", "15", "20", "25", "30"]
    # the bad days in words, each incident linked
    [worst] = years[2].select(".year__days li")
    assert worst.get_text(" ", strip=True) == "Feb 29, 2024 Partial outage 1 hour · Old"
    assert worst.a["href"] == "../../incidents/old/index.html"
    assert [y.select(".year__days li") for y in years[:2]][1] == []  # 2025: nothing to name
    drawn = {path["class"][0]: path["d"].count("M") for path in leap_year.find_all("path")}
    assert drawn == {"svg--operational": 365, "svg--partial_outage": 1}


def test_component_page_counts_days_before_since_as_no_data(make_site, tmp_path) -> None:
    config = DEFAULT_CONFIG.replace('id = "web"\nname = "Website"', 'id = "web"\nname = "Website"\nsince = 2026-11-01')
    page = soup(built(make_site, tmp_path, {}, config=config) / "components" / "web" / "index.html")
    assert "Tracked since Nov 1, 2026" in page.get_text(" ", strip=True)
    days = page.select(".bars > i")
    assert sum(day["class"] == ["fill--no_data"] for day in days) == 62  # Aug 31 to Oct 31
    assert days[0]["data-tip"] == "Aug 31\nNo data"


def test_a_components_incidents_are_paginated(make_site, tmp_path) -> None:
    files = {
        f"content/incidents/i{n:02d}.md": outage(f"2026-10-{n:02d}T10:00:00Z", f"2026-10-{n:02d}T11:00:00Z", "api: partial_outage", f"Incident {n}")
        for n in range(1, 26)
    }  # fmt: skip
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nhistory_page_size = 10')
    out = built(make_site, tmp_path, files, config=config)
    first = soup(out / "components/api/index.html")
    titles = [a.get_text() for a in first.select(".incident-item__title a")]
    assert titles == [f"Incident {n}" for n in range(25, 15, -1)]
    assert first.find("a", string="Older incidents of API")["href"] == "../../components/api/page/2/index.html"
    second, third = soup(out / "components/api/page/2/index.html"), soup(out / "components/api/page/3/index.html")
    assert [a.get_text() for a in second.select(".incident-item__title a")][0] == "Incident 15"
    assert [a.get_text() for a in third.select(".incident-item__title a")] == [f"Incident {n}" for n in range(5, 0, -1)]
    assert second.find("a", rel="prev")["href"] == "../../../../components/api/index.html"
    assert "Page 3 of 3" in third.select_one(".pager").get_text() and third.find("a", rel="next") is None
    assert not (out / "components/api/page/4").exists() and not (out / "components/db/page").exists()


def test_front_page_caps_past_incidents_and_lists_an_ongoing_one_once(make_site, tmp_path) -> None:
    files = {
        f"content/incidents/i{n:02d}.md": outage(f"2026-11-{n:02d}T10:00:00Z", f"2026-11-{n:02d}T10:30:00Z", "db: degraded_performance", f"Past {n}")
        for n in range(14, 28) for _ in [0]
    }  # fmt: skip
    files |= {
        f"content/incidents/j{n:02d}.md": outage(f"2026-11-{n:02d}T12:00:00Z", f"2026-11-{n:02d}T12:30:00Z", "web: degraded_performance", f"Also {n}")
        for n in range(14, 28)
    }  # fmt: skip
    files["content/incidents/now.md"] = outage("2026-11-28T09:00:00Z", None, "api: major_outage", "Ongoing")
    page = soup(built(make_site, tmp_path, files) / "index.html")
    titles = [a.get_text() for a in page.select(".incident-item__title a")]
    assert titles.count("Ongoing") == 1
    recent = page.find(id="recent").parent
    assert len(recent.select(".incident-item")) == 25
    assert "1 incident begun this day is going on: see above." in recent.get_text(" ", strip=True)
    assert "3 more incidents in these days: see the incident history" in recent.get_text(" ", strip=True)


def test_a_long_incident_folds_its_earlier_updates(make_site, tmp_path) -> None:
    updates = "".join(
        f"  - at: 2026-11-20T{10 + n // 60:02d}:{n % 60:02d}:00Z\n    status: investigating\n    body: Update {n}.\n"
        for n in range(0, 80, 5)
    )
    page = soup(
        built(make_site, tmp_path, {"content/incidents/long.md": incident("Long", updates=updates)})
        / "incidents/long/index.html"
    )
    shown = page.select("#updates ~ ol > .timeline__entry")
    folded = page.select(".timeline__earlier .timeline__entry")
    assert (len(shown), len(folded)) == (10, 6)
    assert page.select_one(".timeline__earlier summary").get_text() == "6 earlier updates"
    assert "Update 75." in shown[0].get_text() and "Update 0." in folded[-1].get_text()


def test_lang_marks_text_written_in_another_language(make_site, tmp_path) -> None:
    files = {
        "content/incidents/panne.md": outage(
            "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", "api: major_outage", "Panne de l'API", extra="lang: fr\n"
        ),
        "content/writeups/bilan.md": "---\ntitle: Bilan\npublished: 2026-11-21T10:00:00Z\nincidents: [panne]\nlang: fr\n---\nCe qui s'est passé.\n",
    }
    out = built(make_site, tmp_path, files)
    for path in ("index.html", "history/index.html", "components/api/index.html"):
        [link] = [a for a in soup(out / path).select(".incident-item__title a") if a.get_text() == "Panne de l'API"]
        assert link["lang"] == "fr", path
    page = soup(out / "incidents/panne/index.html")
    assert page.html["lang"] == "en" and page.h1.span["lang"] == "fr"
    assert all(prose["lang"] == "fr" for prose in page.select(".timeline .prose"))
    writeup = soup(out / "writeups/bilan/index.html")
    assert writeup.h1.span["lang"] == "fr" and writeup.select_one(".prose")["lang"] == "fr"


def test_a_lang_that_is_no_language_tag_is_refused_at_its_line(make_site, tmp_path) -> None:
    files = {"content/incidents/x.md": incident(extra='lang: "fr\\" onload=\\"x"\n')}
    with pytest.raises(ContentError) as caught:
        build_site(make_site(files), tmp_path / "out", now=NOW)
    [problem] = caught.value.problems
    assert problem.line == 3 and "'lang' must be a language tag such as 'fr'" in problem.message
