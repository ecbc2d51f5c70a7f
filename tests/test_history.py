"""The history pages: every incident, newest first, by month, a page at a time."""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import DEFAULT_CONFIG, NOW, incident

from sitegen.build import build_site


def dated(day: str) -> str:
    updates = f"""\
  - at: {day}T10:00:00Z
    status: investigating
    body: Looking.
  - at: {day}T11:00:00Z
    status: resolved
    body: Fixed.
"""
    return incident(f"Incident of {day}", updates=updates)


def test_history_is_paginated_newest_first_with_months_on_each_page(make_site, tmp_path) -> None:
    days = ["2026-09-30", "2026-10-01", "2026-10-15", "2026-11-02", "2026-11-20"]
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nhistory_page_size = 2')
    site = make_site({f"content/incidents/{d}-x.md": dated(d) for d in days}, config=config)
    out = tmp_path / "out"
    build_site(site, out, now=NOW)

    pages = [out / "history/index.html", out / "history/page/2/index.html", out / "history/page/3/index.html"]
    soups = [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in pages]
    titles = [[a.get_text() for a in s.select(".incident-item__title a")] for s in soups]
    assert titles == [
        ["Incident of 2026-11-20", "Incident of 2026-11-02"],
        ["Incident of 2026-10-15", "Incident of 2026-10-01"],
        ["Incident of 2026-09-30"],
    ]
    months = [[h.get_text() for h in s.select(".month h2")] for s in soups]
    assert months == [["November 2026"], ["October 2026"], ["September 2026"]]
    assert not (out / "history/page/4").exists()

    first, middle, last = (s.select_one(".pager") for s in soups)
    assert first.find("a", rel="next")["href"] == "../history/page/2/index.html"
    assert first.find("a", rel="prev") is None
    assert middle.find("a", rel="prev")["href"] == "../../../history/index.html"
    assert middle.find("a", rel="next")["href"] == "../../../history/page/3/index.html"
    assert last.find("a", rel="next") is None
    assert "Page 3 of 3" in last.get_text()


def test_empty_history_says_so(make_site, tmp_path) -> None:
    out = tmp_path / "out"
    build_site(make_site({}), out, now=NOW)
    soup = BeautifulSoup((out / "history/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "No incidents reported." in soup.get_text()
    assert soup.select_one(".pager") is None
