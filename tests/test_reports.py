"""Monthly uptime reports: the month's slice of the record the uptime bars are drawn from, as a page, CSV and JSON.

The default site (conftest) is in UTC, built at NOW = 2026-11-28 12:00 UTC,
so November is reported from Nov 1 00:00 to now: 27.5 days = 39,600 minutes.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import DEFAULT_CONFIG, NOW, incident
from test_uptime import outage

from sitegen.analysis.reports import REPORTED_STATUSES, monthly_reports
from sitegen.analysis.uptime import site_uptime
from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus
from sitegen.views.reports import CSV_COLUMNS

SINCE_NOVEMBER = DEFAULT_CONFIG.replace('id = "api"\nname = "API"', 'id = "api"\nname = "API"\nsince = 2026-11-01')
INCIDENTS = {
    # api: major 2 h on Oct 31 .. Nov 1 across midnight, partial 3 h on Nov 10, degraded 1 h on Nov 20.
    "a": outage("2026-10-31T23:00:00Z", "2026-11-01T01:00:00Z", "api: major_outage, db: major_outage", "Midnight"),
    "b": outage("2026-11-10T09:00:00Z", "2026-11-10T12:00:00Z", "api: partial_outage", "Slow"),
    "c": outage("2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "api: degraded_performance", "Sluggish"),
    "d": outage("2026-10-05T10:00:00Z", "2026-10-05T11:00:00Z", "db: major_outage", "October"),
    "m": incident(
        "Upgrade",
        updates=(
            "  - at: 2026-11-15T02:00:00Z\n    status: in_progress\n    body: Upgrading.\n"
            "  - at: 2026-11-15T04:00:00Z\n    status: completed\n    body: Done.\n"
        ),
        extra=(
            "kind: maintenance\nscheduled_for: 2026-11-15T02:00:00Z\nscheduled_until: 2026-11-15T04:00:00Z\n"
            "components:\n  db: under_maintenance\n"
        ),
    ),
}


def files_of(incidents: dict[str, str]) -> dict[str, str | bytes]:
    return {f"content/incidents/{slug}.md": text for slug, text in incidents.items()}


def reports_of(make_site, config: str = SINCE_NOVEMBER):
    site = load_site(make_site(files_of(INCIDENTS), config=config), now=NOW)
    uptime = site_uptime(site)
    return {report.key: report for report in monthly_reports(site, uptime)}, uptime


def test_a_month_has_the_figures_of_its_days_bars(make_site) -> None:
    reports, uptime = reports_of(make_site)
    november = {row.component.id: row for row in reports["2026-11"].components}
    for component_id, record in uptime.items():
        days = [d for d in record.days if d.day.month == 11]
        for status in REPORTED_STATUSES:
            in_bars = sum((d.time_in.get(status, timedelta(0)) for d in days), timedelta(0))
            assert november[component_id].time_in[status] == in_bars
        assert november[component_id].figure == record.figure(date(2026, 11, 1), date(2026, 11, 28))
    api = november["api"].time_in
    assert api[ComponentStatus.MAJOR_OUTAGE] == timedelta(hours=1)  # the hour after midnight: Oct 31 is not November
    assert api[ComponentStatus.PARTIAL_OUTAGE] == timedelta(hours=3)
    assert api[ComponentStatus.DEGRADED_PERFORMANCE] == timedelta(hours=1)
    assert november["db"].time_in[ComponentStatus.UNDER_MAINTENANCE] == timedelta(hours=2)
    # Weighted: 60 + 0.3 * 180 = 114 minutes of 39,600: 99.7121 %, stated as 99.71 %.
    assert november["api"].figure.downtime == timedelta(minutes=114)
    assert november["api"].figure.label == "99.71\u00a0%"


def test_months_run_from_the_first_record_to_now_newest_first_and_only_the_last_is_open(make_site) -> None:
    reports, _ = reports_of(make_site)
    assert list(reports) == ["2026-11", "2026-10"]  # db has no 'since': its record starts with the first incident
    assert not reports["2026-11"].complete and reports["2026-11"].last_day == date(2026, 11, 28)
    assert reports["2026-10"].complete and reports["2026-10"].last_day == date(2026, 10, 31)
    october = {row.component.id: row.figure for row in reports["2026-10"].components}
    assert october["api"].percent is None  # before api's 'since': no data, not 100 %
    # db has no 'since': all of October is charged, as its year's figure charges all of 2026; 1 h + 1 h of outage.
    assert october["db"].tracked == timedelta(days=31) and october["db"].downtime == timedelta(hours=2)


def test_an_incident_belongs_to_each_month_it_overlaps_and_maintenance_is_apart(make_site) -> None:
    reports, _ = reports_of(make_site)
    assert [i.slug for i in reports["2026-10"].incidents] == ["d", "a"]
    assert [i.slug for i in reports["2026-11"].incidents] == ["a", "b", "c"]
    assert [i.slug for i in reports["2026-11"].maintenances] == ["m"]
    assert reports["2026-10"].maintenances == ()


def test_an_incident_ending_at_midnight_is_not_in_the_next_month(make_site) -> None:
    incidents = {"e": outage("2026-10-31T22:00:00Z", "2026-11-01T00:00:00Z", "db: major_outage")}
    site = load_site(make_site(files_of(incidents)), now=NOW)
    reports = {r.key: r for r in monthly_reports(site, site_uptime(site))}
    assert [i.slug for i in reports["2026-10"].incidents] == ["e"]
    assert reports["2026-11"].incidents == ()


def test_a_months_report_is_known_by_what_it_is_read_from_and_works_out_its_figures_when_read(make_site) -> None:
    """An edit in November, or a later ``now``, changes November's ``made_from``; October's stays, so its files are
    kept. The figures are worked out only when a report is read: a rebuild keys every month, and reads few."""
    before, _ = reports_of(make_site)
    assert all(report.made_from and "components" not in vars(report) for report in before.values())
    edited = dict(INCIDENTS, c=outage("2026-11-20T08:00:00Z", "2026-11-20T10:00:00Z", "api: degraded_performance"))
    site = load_site(make_site(files_of(edited), config=SINCE_NOVEMBER), now=NOW + timedelta(minutes=1))
    after = {report.key: report for report in monthly_reports(site, site_uptime(site))}
    assert after["2026-10"].made_from == before["2026-10"].made_from
    assert after["2026-11"].made_from != before["2026-11"].made_from
    later = load_site(make_site(files_of(INCIDENTS), config=SINCE_NOVEMBER), now=NOW + timedelta(minutes=1))
    moved = {report.key: report for report in monthly_reports(later, site_uptime(later))}
    assert moved["2026-10"].made_from == before["2026-10"].made_from  # a closed month does not move with now
    assert moved["2026-11"].made_from != before["2026-11"].made_from  # the open one does


def build(make_site, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    build_site(make_site(files_of(INCIDENTS), config=SINCE_NOVEMBER), out, now=NOW)
    return out


def test_the_report_page_csv_and_json_state_the_component_pages_figures(make_site, tmp_path: Path) -> None:
    out = build(make_site, tmp_path)
    # api's record starts Nov 1, so its page's year 2026 is exactly the days of the November report.
    component = BeautifulSoup((out / "components/api/index.html").read_text(), "html.parser")
    year_figure = component.select_one("#year-2026 .year__figure strong").get_text()
    page = BeautifulSoup((out / "reports/2026-11/index.html").read_text(), "html.parser")
    row = next(tr for tr in page.select("table.report tbody tr") if tr.th.get_text(strip=True) == "API")
    assert row.td.get_text() == year_figure == "99.71%"
    with (out / "reports/2026-11.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    api = next(r for r in rows if r["component_id"] == "api")
    assert api["uptime_percent"] == "99.71"
    assert api["downtime_minutes"] == "114.00" and api["partial_outage_minutes"] == "180.00"
    assert api["tracked_minutes"] == "39600.00"
    document = json.loads((out / "reports/2026-11.json").read_text())
    assert document["components"][0]["uptime_percent"] == 99.71
    text_columns = ("month", "component_id", "component_name")
    assert [{k: v if k in text_columns else float(v) for k, v in r.items()} for r in rows] == document["components"]
    assert [i["id"] for i in document["incidents"]] == ["a", "b", "c"]
    assert document["maintenances"][0]["shortlink"] == "https://example.github.io/status/incidents/m/"
    assert (document["from"], document["to"], document["complete"]) == ("2026-11-01", "2026-11-28", False)


def test_a_month_without_data_is_empty_in_the_files_not_a_hundred_percent(make_site, tmp_path: Path) -> None:
    out = build(make_site, tmp_path)
    rows = list(csv.DictReader(io.StringIO((out / "reports/2026-10.csv").read_text(encoding="utf-8"))))
    assert next(r for r in rows if r["component_id"] == "api")["uptime_percent"] == ""
    document = json.loads((out / "reports/2026-10.json").read_text())
    assert document["components"][0]["uptime_percent"] is None


def test_reports_are_linked_from_component_and_metrics_pages_and_list_every_month(make_site, tmp_path: Path) -> None:
    out = build(make_site, tmp_path)
    for page, link in (
        ("components/api/index.html", "../../reports/index.html"),
        ("metrics/index.html", "../reports/index.html"),
    ):
        soup = BeautifulSoup((out / page).read_text(), "html.parser")
        assert soup.find("a", href=link), page
    listing = BeautifulSoup((out / "reports/index.html").read_text(), "html.parser")
    hrefs = [a["href"].removeprefix("../reports/") for a in listing.select(".report-list a")]
    assert hrefs == [
        "2026-11/index.html", "2026-11.csv", "2026-11.json", "2026-10/index.html", "2026-10.csv", "2026-10.json"
    ]  # fmt: skip
    october = BeautifulSoup((out / "reports/2026-10/index.html").read_text(), "html.parser")
    assert october.find("a", rel="prev")["href"] == "../../reports/2026-11/index.html"


def test_a_component_name_is_never_a_spreadsheet_formula(make_site, tmp_path: Path) -> None:
    config = DEFAULT_CONFIG.replace('name = "API"', 'name = "=HYPERLINK(\\"http://x\\")"')
    out = tmp_path / "public"
    build_site(make_site(files_of({"b": INCIDENTS["b"]}), config=config), out, now=NOW)
    rows = list(csv.reader((out / "reports/2026-11.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
