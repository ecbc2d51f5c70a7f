"""The metrics page: its figures (sitegen.analysis.metrics), its charts (sitegen.views.charts) and its template."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import NOW

from sitegen.analysis.metrics import Durations, compute_metrics, time_to_resolve
from sitegen.content.loader import load_site
from sitegen.content.site import Site
from sitegen.content.statuses import Impact
from sitegen.views.charts import BarGroup, Column, Series, bar_chart, column_chart, metrics_charts, svg_text, text_width
from sitegen.views.formatting import count_label, plural
from sitegen.views.i18n import english
from sitegen.views.pages import Page
from sitegen.views.render import PageRenderer
from sitegen.views.theme import Theme

SVG = "{http://www.w3.org/2000/svg}"
CONFIG = """\
[site]
title = "Test Status"
base_url = "https://example.github.io/status/"
timezone = "America/Los_Angeles"

[[components]]
id = "api"
name = "API"

[[components]]
id = "db"
name = "Database"

[[components]]
id = "web"
name = "Website"
"""


def incident(updates: list[tuple[str, str]], *, title: str = "Errors", **front: object) -> str:
    """An incident file: ``updates`` are (at, status); other fields go to the front matter as given."""
    meta = {"title": title, **front, "updates": [{"at": at, "status": s, "body": "Text."} for at, s in updates]}
    return f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n"


def maintenance(start: str, end: str, updates: list[tuple[str, str]]) -> str:
    return incident(updates, title="Upgrade", kind="maintenance", scheduled_for=start, scheduled_until=end,
                    components={"db": "under_maintenance"})  # fmt: skip


def site_of(make_site, incidents: dict[str, str], *, config: str = CONFIG) -> Site:
    files = {f"content/incidents/{slug}.md": text for slug, text in incidents.items()}
    return load_site(make_site(files, config=config), now=NOW)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


# Figures ---------------------------------------------------------------------


def test_durations_mean_and_median() -> None:
    assert Durations.of([minutes(10), minutes(40), minutes(1)]) == Durations(3, minutes(17), minutes(10))
    assert Durations.of([minutes(10), minutes(40), minutes(20), minutes(90)]) == Durations(4, minutes(40), minutes(30))
    assert Durations.of([]) == Durations(0, None, None)


def test_months_are_the_last_24_in_the_site_timezone(make_site) -> None:
    site = site_of(
        make_site,
        {
            # 03:00 UTC on November 1 is still October 31 in Los Angeles.
            "oct": incident([("2026-11-01T03:00:00Z", "investigating"), ("2026-11-01T04:00:00Z", "resolved")]),
            "nov": incident([("2026-11-02T10:00:00Z", "investigating")], impact="critical"),
            "first": incident([("2024-12-01T09:00:00Z", "investigating"), ("2024-12-01T10:00:00Z", "resolved")]),
            "too-old": incident([("2024-11-30T09:00:00Z", "investigating"), ("2024-11-30T10:00:00Z", "resolved")]),
            "upgrade": maintenance(
                "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z", [("2026-11-01T10:00:00Z", "scheduled")]
            ),
        },
    )
    metrics = compute_metrics(site)
    assert len(metrics.months) == 24
    assert (metrics.first_month, metrics.last_month) == (date(2024, 12, 1), date(2026, 11, 1))
    totals = {m.month: m.total for m in metrics.months if m.total}
    assert totals == {date(2024, 12, 1): 1, date(2026, 10, 1): 1, date(2026, 11, 1): 1}
    assert metrics.months[-1].by_impact[Impact.CRITICAL] == 1
    assert metrics.incident_count == 3  # neither the maintenance nor the incident before the period
    assert metrics.ongoing_count == 1


def test_time_to_resolve_by_impact_and_component_leaves_out_ongoing_and_maintenance(make_site) -> None:
    site = site_of(
        make_site,
        {
            "a": incident([("2026-11-02T10:00:00Z", "investigating"), ("2026-11-02T10:30:00Z", "resolved")],
                          components={"api": "major_outage", "db": "major_outage"}),
            "b": incident([("2026-11-03T10:00:00Z", "investigating"), ("2026-11-03T11:30:00Z", "resolved")],
                          components={"api": "major_outage"}, started="2026-11-03T09:00:00Z"),
            "c": incident([("2026-11-04T10:00:00Z", "investigating"), ("2026-11-04T10:10:00Z", "resolved")],
                          components={"web": "degraded_performance"}),
            "open": incident([("2026-11-05T10:00:00Z", "investigating")], components={"api": "major_outage"}),
            "upgrade": maintenance("2026-11-10T10:00:00Z", "2026-11-10T18:00:00Z",
                                   [("2026-11-01T10:00:00Z", "scheduled"), ("2026-11-10T18:00:00Z", "completed")]),
        },
    )  # fmt: skip
    metrics = compute_metrics(site)
    by_impact = {row.key: row.durations for row in metrics.resolve_by_impact}
    assert list(by_impact) == ["critical", "major", "minor", "none"]
    assert by_impact["critical"] == Durations(2, minutes(90), minutes(90))  # 30 min, and 2 h 30 from `started`
    assert by_impact["minor"] == Durations(1, minutes(10), minutes(10))
    assert by_impact["none"].count == 0
    by_component = {row.key: row.durations for row in metrics.resolve_by_component}
    assert by_component["api"] == Durations(2, minutes(90), minutes(90))
    assert by_component["db"] == Durations(1, minutes(30), minutes(30))  # not the 8 h maintenance
    assert [row.label for row in metrics.resolve_by_component] == ["API", "Database", "Website"]
    assert metrics.time_to_resolve == Durations(3, minutes(190 / 3), minutes(30))
    assert metrics.ongoing_count == 1


def test_time_to_resolve_is_the_model_s_fact_shared_by_metrics_and_pages(make_site) -> None:
    site = site_of(
        make_site,
        {
            "late": incident([("2026-11-03T10:00:00Z", "investigating"), ("2026-11-03T11:30:00Z", "resolved")],
                             started="2026-11-03T09:00:00Z"),
            "open": incident([("2026-11-05T10:00:00Z", "investigating")]),
        },
    )  # fmt: skip
    late, still_open = site.incident_by_slug["late"], site.incident_by_slug["open"]
    assert late.time_to_resolve == minutes(150) == time_to_resolve(late) == late.duration(NOW)
    assert still_open.time_to_resolve is None is time_to_resolve(still_open)


def test_counts_are_said_with_one_plural_rule() -> None:
    assert [count_label(n, "incident") for n in (0, 1, 2)] == ["0 incidents", "1 incident", "2 incidents"]
    assert [plural(n, "is", "are") for n in (1, 3)] == ["is", "are"]
    assert count_label(1, "ongoing incident") == "1 ongoing incident"
    assert english().duration(timedelta(days=1, hours=1)) == "1 day 1 hour"
    assert english().duration(timedelta(hours=2, minutes=5)) == "2 hours 5 minutes"


def test_time_to_identify_from_first_update_to_first_identified(make_site) -> None:
    site = site_of(
        make_site,
        {
            "a": incident([("2026-11-02T10:00:00Z", "investigating"), ("2026-11-02T10:20:00Z", "identified"),
                           ("2026-11-02T10:50:00Z", "identified"), ("2026-11-02T11:00:00Z", "resolved")],
                          started="2026-11-02T09:00:00Z", impact="major"),
            "b": incident([("2026-11-03T10:00:00Z", "investigating"), ("2026-11-03T10:40:00Z", "identified")],
                          impact="major"),
            "quick": incident([("2026-11-04T10:00:00Z", "investigating"), ("2026-11-04T10:05:00Z", "resolved")]),
        },
    )  # fmt: skip
    metrics = compute_metrics(site)
    assert metrics.time_to_identify == Durations(2, minutes(30), minutes(30))
    by_impact = {row.key: row.durations for row in metrics.identify_by_impact}
    assert by_impact["major"] == Durations(2, minutes(30), minutes(30))
    assert by_impact["none"].count == 0


# Charts ----------------------------------------------------------------------


def test_column_chart_is_labelled_svg_with_proportional_columns() -> None:
    columns = [Column("Jan", 2, "January: 2"), Column("Feb", 0, "February: 0"), Column("Mar", 4, "March: 4", "2026")]
    svg = ET.fromstring(str(column_chart(columns, chart_id="c1", title="Per month", description="Two, none, four.")))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").get("id") == "c1-title" and svg.find(f"{SVG}title").text == "Per month"
    assert svg.find(f"{SVG}desc").text == "Two, none, four."
    bars = svg.findall(f".//{SVG}rect[@class='chart__bar']")
    assert [b.find(f"{SVG}title").text for b in bars] == ["January: 2", "March: 4"]
    assert float(bars[1].get("height")) == pytest.approx(2 * float(bars[0].get("height")))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "2026" in texts and "Feb" in texts


def test_bar_chart_escapes_text_and_scales_bars() -> None:
    name = 'A <script>alert(1)</script> & "b"'
    groups = [
        BarGroup(name, (30.0, 15.0), ("30 minutes", "15 minutes"), ("t1", "t2")),
        BarGroup("B", (60.0, 0.0), ("1 hour", "0 minutes"), ("t3", "t4")),
    ]
    series = [Series("Mean", "mean"), Series("Median", "median")]
    markup = bar_chart(groups, series, chart_id="c2", title=name, description=name)
    assert "<script>" not in markup
    svg = ET.fromstring(str(markup))
    assert svg.find(f"{SVG}title").text == name
    assert not list(svg.iter("script")) and not list(svg.iter(f"{SVG}script"))
    widths = [float(r.get("width")) for r in svg.findall(f".//{SVG}rect[@class='chart__bar chart__bar--mean']")][1:]
    assert widths[1] == pytest.approx(2 * widths[0])  # after the legend's swatch: 30 and 60 minutes
    assert [g.find(f"{SVG}title").text for g in svg.findall(f"{SVG}g") if g.find(f"{SVG}title") is not None] == [
        name,
        "B",
    ]


def test_svg_text_drops_characters_xml_cannot_hold() -> None:
    assert svg_text("a\x01b<") == "ab&lt;"
    assert ET.fromstring("<t>" + str(svg_text("x\x0b\x1fy")) + "</t>").text == "xy"
    assert text_width("WWW") > text_width("iii") > 0


# The page ----------------------------------------------------------------------


def render_metrics(site: Site, site_dir: Path) -> BeautifulSoup:
    metrics = compute_metrics(site)
    page = Page.of("metrics/", "metrics.html", metrics=metrics, charts=metrics_charts(metrics))
    html = PageRenderer(site, Theme.for_site(site_dir, "default")).render(page)
    return BeautifulSoup(html.decode("utf-8"), "html.parser")


def test_page_shows_charts_and_tables_with_links(make_site) -> None:
    files = {
        "content/incidents/a.md": incident(
            [
                ("2026-11-02T10:00:00Z", "investigating"),
                ("2026-11-02T10:20:00Z", "identified"),
                ("2026-11-02T11:05:00Z", "resolved"),
            ],
            components={"api": "partial_outage"},
        ),
    }
    site_dir = make_site(files, config=CONFIG)
    soup = render_metrics(load_site(site_dir, now=NOW), site_dir)
    assert soup.h1.get_text() == "Metrics"
    charts = soup.select("figure.chart > svg")
    assert [svg.title.get_text() for svg in charts] == [
        "Incidents per month", "Time to resolve by impact", "Time to resolve by component", "Time to identify by impact",
    ]  # fmt: skip
    for svg in charts:
        assert svg["role"] == "img"
        assert all(soup.find(id=ref) for ref in svg["aria-labelledby"].split())
    row = next(tr for tr in soup.select("table tr") if tr.th and tr.th.get_text() == "API")
    assert [td.get_text() for td in row.find_all("td")] == ["1", "1 hour 5 minutes", "1 hour 5 minutes"]
    assert row.th.a["href"] == "../components/api/index.html"
    months = soup.select("details table tbody tr")
    assert len(months) == 24 and months[-1].th.get_text() == "November 2026"
    assert "1 of 1 incidents" in soup.find(id="identify").parent.get_text()


def test_page_without_incidents_says_so(make_site) -> None:
    site_dir = make_site({}, config=CONFIG)
    soup = render_metrics(load_site(site_dir, now=NOW), site_dir)
    assert len(soup.select("figure.chart > svg")) == 1  # only the months, all empty
    assert "No incident was resolved in this period." in soup.get_text()
    assert "no incidents" in soup.select_one("svg desc").get_text()


def test_component_name_cannot_inject_markup(make_site) -> None:
    payload = '<script>alert(1)</script><svg onload="alert(1)">&'
    config = CONFIG.replace('name = "API"', "name = '''" + payload + "'''")
    updates = [("2026-11-02T10:00:00Z", "investigating"), ("2026-11-02T10:30:00Z", "resolved")]
    files = {"content/incidents/a.md": incident(updates, components={"api": "major_outage"})}
    site_dir = make_site(files, config=config)
    soup = render_metrics(load_site(site_dir, now=NOW), site_dir)
    assert not soup.find_all("script")
    assert all(svg.get("class") == ["chart__svg"] for svg in soup.find_all("svg"))
    assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
    assert payload in soup.select_one("#chart-resolve-component-desc").get_text()
