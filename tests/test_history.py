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
    """Older pages hold ``history_page_size`` each, counted from the oldest; the first, the rest (here 3 of 7)."""
    days = ["2026-09-20", "2026-09-30", "2026-10-01", "2026-10-15", "2026-11-02", "2026-11-10", "2026-11-20"]
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nhistory_page_size = 2')
    site = make_site({f"content/incidents/{d}-x.md": dated(d) for d in days}, config=config)
    out = tmp_path / "out"
    build_site(site, out, now=NOW)

    pages = [out / "history/index.html", out / "history/page/2/index.html", out / "history/page/3/index.html"]
    soups = [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in pages]
    titles = [[a.get_text() for a in s.select(".incident-item__title a")] for s in soups]
    assert titles == [
        ["Incident of 2026-11-20", "Incident of 2026-11-10", "Incident of 2026-11-02"],
        ["Incident of 2026-10-15", "Incident of 2026-10-01"],
        ["Incident of 2026-09-30", "Incident of 2026-09-20"],
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


def test_each_history_page_says_what_it_covers_and_indexes_every_month(make_site, tmp_path) -> None:
    """Paging through a long history is no way to reach a year: every page links each month where it begins."""
    days = ["2025-12-30", "2026-01-05", "2026-10-01", "2026-10-15", "2026-10-20", "2026-11-10", "2026-11-20"]
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nhistory_page_size = 2')
    site = make_site({f"content/incidents/{d}-x.md": dated(d) for d in days}, config=config)
    out = tmp_path / "out"
    build_site(site, out, now=NOW)

    soups = [
        BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")
        for path in ("history/index.html", "history/page/2/index.html", "history/page/3/index.html")
    ]
    covers = [s.select_one("h1 + p.muted").get_text(" ", strip=True) for s in soups]
    assert covers == [
        "Incidents begun from Oct 20, 2026 to Nov 20, 2026 (page 1 of 3).",
        "Incidents begun from Oct 1, 2026 to Oct 15, 2026 (page 2 of 3).",
        "Incidents begun from Dec 30, 2025 to Jan 5, 2026 (page 3 of 3).",
    ]
    pages = ("history/index.html", "history/page/2/index.html", "history/page/3/index.html")
    for path, soup in zip(pages, soups, strict=True):
        index = soup.select_one(".history-index nav")
        assert [li.strong.get_text() for li in index.select(".history-index__years > li")] == ["2026", "2025"]
        targets = []
        for a in index.find_all("a"):
            target, _, anchor = a["href"].partition("#")
            file = (out / path).parent / target
            assert soupy(file).find(id=anchor), (path, a["href"])  # the month's heading is on the page linked
            targets.append((a.get_text(), file.resolve().relative_to(out.resolve()).as_posix()))
        # October begins on page 1 (Oct 20) and goes on on page 2: its link leads where it begins
        assert targets == [("Nov", pages[0]), ("Oct", pages[0]), ("Jan", pages[2]), ("Dec", pages[2])]


def soupy(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_an_incident_keeps_its_history_page_until_a_pages_worth_of_newer_ones_have_come(make_site, tmp_path) -> None:
    """Opening an incident changes the first page alone, so a rebuild remakes one page, not every page of a long
    history; the older pages move on by one only once every ``history_page_size`` incidents."""
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nhistory_page_size = 2')
    site = make_site(
        {f"content/incidents/2026-11-0{n}-x.md": dated(f"2026-11-0{n}") for n in range(1, 7)}, config=config
    )
    out = tmp_path / "out"
    older = ("history/page/2/index.html", "history/page/3/index.html")

    def built(day: str | None = None) -> dict[str, bytes]:
        if day is not None:
            (site / f"content/incidents/{day}-x.md").write_text(dated(day))
        build_site(site, out, now=NOW)
        return {path: (out / path).read_bytes() for path in ("history/index.html", *older)}

    six = built()
    seven = built("2026-11-07")
    assert [seven[path] == six[path] for path in ("history/index.html", *older)] == [False, True, True]
    eight = built("2026-11-08")  # a page's worth more: every page moves on by one
    assert "Incident of 2026-11-06" in eight["history/page/2/index.html"].decode()  # it was on the first page
    assert all(eight[path] != seven[path] for path in older)
