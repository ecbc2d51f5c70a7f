"""Uptime, day by day and as figures, from small sites whose numbers are worked out by hand in each test.

The default site (conftest) is in UTC with components api, db and web, built
at NOW = 2026-11-28 12:00 UTC. So the last 30 days run from Oct 30 00:00 to
now: 29.5 days = 2,548,800 s tracked; the last 90 days from Aug 31 00:00:
89.5 days = 7,732,800 s.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import DEFAULT_CONFIG, NOW, incident

from sitegen.analysis.uptime import BAR_DAYS, SHORT_SPAN_DAYS, DayStatus, UptimeFigure, site_uptime
from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.content.model import Incident, Update
from sitegen.content.statuses import ComponentStatus, Kind, UpdateStatus
from sitegen.errors import ContentError

MAJOR = ComponentStatus.MAJOR_OUTAGE
PARTIAL = ComponentStatus.PARTIAL_OUTAGE
DEGRADED = ComponentStatus.DEGRADED_PERFORMANCE
MAINTENANCE = ComponentStatus.UNDER_MAINTENANCE
HOUR = timedelta(hours=1)
TRACKED_30 = 2_548_800
TRACKED_90 = 7_732_800

PARIS = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "Europe/Paris"')


def outage(start: str, end: str | None, components: str, title: str = "Errors") -> str:
    """An incident file: ``components`` (YAML lines 'id: status') from ``start``, resolved at ``end`` (None: ongoing)."""
    updates = f"  - at: {start}\n    status: investigating\n    body: Looking.\n"
    if end is not None:
        updates += f"  - at: {end}\n    status: resolved\n    body: Fixed.\n"
    lines = "".join(f"  {line.strip()}\n" for line in components.split(","))
    return incident(title, updates=updates, extra=f"components:\n{lines}")


def slugs(day: DayStatus) -> tuple[str, ...]:
    return tuple(incident.slug for incident in day.incidents)


def uptime_of(make_site, incidents: dict[str, str], *, config: str = DEFAULT_CONFIG, now: datetime = NOW):
    files = {f"content/incidents/{slug}.md": text for slug, text in incidents.items()}
    return site_uptime(load_site(make_site(files, config=config), now=now))


def test_an_incident_across_midnight_is_split_between_its_two_days(make_site) -> None:
    # 23:00 to 01:30 UTC: one hour on the 20th, an hour and a half on the 21st.
    api = uptime_of(make_site, {"a": outage("2026-11-20T23:00:00Z", "2026-11-21T01:30:00Z", "api: major_outage")})[
        "api"
    ]
    first, second = api.day(date(2026, 11, 20)), api.day(date(2026, 11, 21))
    assert first.time_in == {MAJOR: HOUR}
    assert second.time_in == {MAJOR: timedelta(hours=1, minutes=30)}
    assert slugs(first) == slugs(second) == ("a",)
    assert first.incidents[0].title == "Errors"  # the incident itself, so pages need not look it up by slug
    assert first.status is MAJOR and first.key == "major_outage"
    # 9,000 s down: 1 - 9000/2548800 = 99.6469 % (30 days); 1 - 9000/7732800 = 99.8836 % (90 days), rounded down.
    assert api.short_span.figure.downtime == timedelta(seconds=9000)
    assert api.short_span.figure.tracked == timedelta(seconds=TRACKED_30)
    assert api.short_span.figure.label == "99.64\u00a0%"
    assert api.long_span.figure.label == "99.88\u00a0%"


def test_days_are_local_and_a_dst_day_is_23_or_25_hours_long(make_site) -> None:
    # Europe/Paris: 2026-03-29 runs from 2026-03-28T23:00Z to 2026-03-29T22:00Z (23 h, clocks go forward),
    # 2026-10-25 from 2026-10-24T22:00Z to 2026-10-25T23:00Z (25 h). Each incident covers its whole local day.
    incidents = {
        "spring": outage("2026-03-29T00:00:00", "2026-03-30T00:00:00", "db: major_outage"),  # site-local times
        "autumn": outage("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", "db: partial_outage"),
    }
    db = uptime_of(make_site, incidents, config=PARIS)["db"]
    assert db.day(date(2026, 3, 28)).time_in == {}
    assert db.day(date(2026, 3, 29)).time_in == {MAJOR: timedelta(hours=23)}
    assert db.day(date(2026, 3, 30)).time_in == {}
    assert db.day(date(2026, 10, 25)).time_in == {PARTIAL: timedelta(hours=25)}
    assert db.day(date(2026, 10, 24)).time_in == {} and db.day(date(2026, 10, 26)).time_in == {}
    # A figure over the short day alone: 23 h tracked, 23 h down: 0 %.
    spring_day = db.figure(date(2026, 3, 29), date(2026, 3, 29))
    assert spring_day.tracked == timedelta(hours=23) and spring_day.percent == 0.0
    # The long day at 30 %: 25 h tracked, 7.5 h counted down: 70 %.
    autumn_day = db.figure(date(2026, 10, 25), date(2026, 10, 25))
    assert autumn_day.tracked == timedelta(hours=25)
    assert autumn_day.downtime == timedelta(hours=7, minutes=30)
    assert autumn_day.label == "70.00\u00a0%"


def test_the_year_in_a_dst_timezone_counts_its_real_hours(make_site) -> None:
    # Built on 2026-03-31 at 10:00Z (12:00 CEST). 2026 so far: 89 whole days (Jan 1 - Mar 30), one of them
    # 23 h long, plus 12 h of Mar 31: 89*24 - 1 + 12 = 2147 h. Down: the 23 h of Mar 29.
    # 1 - 23/2147 = 98.9287 %, shown 98.92 %.
    now = datetime(2026, 3, 31, 10, tzinfo=UTC)
    db = uptime_of(
        make_site,
        {"spring": outage("2026-03-29T00:00:00", "2026-03-30T00:00:00", "db: major_outage")},
        config=PARIS,
        now=now,
    )["db"]
    (year,) = db.yearly
    assert year.year == 2026
    assert year.figure.tracked == timedelta(hours=2147)
    assert year.figure.downtime == timedelta(hours=23)
    assert year.figure.label == "98.92\u00a0%"
    assert [month.month for month, _ in year.months] == [1, 2, 3]
    assert len(year.months[-1][1]) == 31  # March up to today, the 31st


def test_the_spans_of_the_figures_are_stated_once_with_them(make_site) -> None:
    api = uptime_of(make_site, {"a": outage("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", "api: major_outage")})[
        "api"
    ]
    assert (api.long_span.days, api.short_span.days) == (BAR_DAYS, SHORT_SPAN_DAYS) == (90, 30)
    assert len(api.days) == api.long_span.days
    assert api.long_span.figure == api.figure(date(2026, 8, 31), date(2026, 11, 28))
    assert api.short_span.figure == api.figure(date(2026, 10, 30), date(2026, 11, 28))
    assert api.last(7).days == 7 and api.last(7).figure == api.figure(date(2026, 11, 22), date(2026, 11, 28))


def test_overlapping_incidents_count_the_worst_status_at_each_instant_not_the_sum(make_site) -> None:
    # On the 20th: A major 10-12, B partial 11-13, C degraded 9-15 (all UTC).
    # Worst at each instant: degraded 9-10, major 10-12, partial 12-13, degraded 13-15: 6 h in all, the
    # union of the three, where a sum would give 2 + 2 + 6 = 10 h.
    incidents = {
        "a": outage("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", "api: major_outage", "A"),
        "b": outage("2026-11-20T11:00:00Z", "2026-11-20T13:00:00Z", "api: partial_outage", "B"),
        "c": outage("2026-11-20T09:00:00Z", "2026-11-20T15:00:00Z", "api: degraded_performance", "C"),
    }
    api = uptime_of(make_site, incidents)["api"]
    day = api.day(date(2026, 11, 20))
    assert day.time_in == {MAJOR: 2 * HOUR, PARTIAL: HOUR, DEGRADED: 3 * HOUR}
    assert day.statuses == [(MAJOR, 2 * HOUR), (PARTIAL, HOUR), (DEGRADED, 3 * HOUR)]
    assert day.status is MAJOR
    assert slugs(day) == ("c", "a", "b")  # in the order their periods start
    # Counted: 2 h + 0.3 * 1 h + 0 * 3 h = 2 h 18 min = 8,280 s.
    assert day.downtime == timedelta(seconds=8280)
    assert api.short_span.figure.downtime == timedelta(seconds=8280)


def test_an_ongoing_incident_counts_up_to_now_and_no_further(make_site) -> None:
    # Major outage since 09:00 today, still open at NOW (12:00): 3 h. 1 - 10800/2548800 = 99.5763 %.
    api = uptime_of(make_site, {"a": outage("2026-11-28T09:00:00Z", None, "api: major_outage")})["api"]
    today = api.days[-1]
    assert today.day == date(2026, 11, 28)
    assert today.time_in == {MAJOR: 3 * HOUR}
    assert api.short_span.figure.label == "99.57\u00a0%"
    # Built two hours later, the same incident has been down two hours more.
    later = uptime_of(make_site, {"a": outage("2026-11-28T09:00:00Z", None, "api: major_outage")}, now=NOW + 2 * HOUR)[
        "api"
    ]
    assert later.days[-1].time_in == {MAJOR: 5 * HOUR}


def test_a_component_without_incidents_has_100_percent_and_only_operational_days(make_site) -> None:
    uptime = uptime_of(make_site, {"a": outage("2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z", "api: major_outage")})
    db = uptime["db"]
    assert len(db.days) == 90
    assert db.days[0].day == date(2026, 8, 31) and db.days[-1].day == date(2026, 11, 28)
    assert {d.key for d in db.days} == {"operational"}
    assert db.long_span.figure.percent == 100.0 and db.long_span.figure.label == "100\u00a0%"
    assert db.short_span.figure.label == "100\u00a0%"
    # Years from the site's first incident (2024) to now, newest first, every one at 100 %.
    assert [y.year for y in db.yearly] == [2026, 2025, 2024]
    assert {y.figure.label for y in db.yearly} == {"100\u00a0%"}
    assert [y.year for y in uptime["api"].yearly] == [2026, 2025, 2024]
    # 2024 is a leap year with one hour down: 1 - 1/8784 = 99.9886 %.
    assert uptime["api"].yearly[-1].figure.label == "99.98\u00a0%"


def test_partial_outage_weighs_30_percent_by_default_and_as_configured(make_site) -> None:
    files = {
        "p": outage("2026-11-20T00:00:00Z", "2026-11-20T10:00:00Z", "api: partial_outage"),
        "d": outage("2026-11-21T00:00:00Z", "2026-11-21T10:00:00Z", "db: degraded_performance"),
    }
    # 10 h partial at 0.3 = 3 h = 10,800 s: 1 - 10800/2548800 = 99.5763 %. Degraded counts nothing by default.
    default = uptime_of(make_site, files)
    assert default["api"].short_span.figure.downtime == 3 * HOUR
    assert default["api"].short_span.figure.label == "99.57\u00a0%"
    assert default["db"].short_span.figure.label == "100\u00a0%"
    assert default["db"].days[-8].key == "degraded_performance"  # shown, though not counted
    # With partial_outage = 0.5 and degraded_performance = 0.25: 5 h = 18,000 s (99.2938 %) and 2.5 h = 9,000 s (99.6469 %).
    config = DEFAULT_CONFIG + "\n[uptime]\npartial_outage = 0.5\ndegraded_performance = 0.25\n"
    weighted = uptime_of(make_site, files, config=config)
    assert weighted["api"].short_span.figure.downtime == 5 * HOUR
    assert weighted["api"].short_span.figure.label == "99.29\u00a0%"
    assert weighted["db"].short_span.figure.label == "99.64\u00a0%"


def test_maintenance_is_shown_but_is_not_downtime(make_site) -> None:
    maintenance = """\
---
title: Upgrade
kind: maintenance
scheduled_for: 2026-11-20T10:00:00Z
scheduled_until: 2026-11-20T12:00:00Z
components:
  db: under_maintenance
updates:
  - at: 2026-11-10T10:00:00Z
    status: scheduled
    body: Planned.
---
"""
    db = uptime_of(make_site, {"m": maintenance})["db"]
    day = db.day(date(2026, 11, 20))
    assert day.time_in == {MAINTENANCE: 2 * HOUR}
    assert day.key == "under_maintenance" and slugs(day) == ("m",)
    assert day.downtime == timedelta(0)
    assert db.short_span.figure.label == "100\u00a0%"


def test_days_before_since_have_no_data_and_are_not_charged(make_site) -> None:
    # api is tracked from Nov 14: the outage of Nov 10 is before it and ignored; the hour on Nov 20 counts.
    # Tracked: Nov 14 00:00 to Nov 28 12:00 = 14.5 days = 1,252,800 s, for both windows.
    # 1 - 3600/1252800 = 99.7126 %.
    config = DEFAULT_CONFIG.replace('id = "api"\nname = "API"', 'id = "api"\nname = "API"\nsince = 2026-11-14')
    incidents = {
        "old": outage("2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z", "api: major_outage"),
        "new": outage("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", "api: major_outage"),
    }
    uptime = uptime_of(make_site, incidents, config=config)
    api = uptime["api"]
    assert api.component.since == date(2026, 11, 14)
    before, first = api.day(date(2026, 11, 13)), api.day(date(2026, 11, 14))
    assert not before.tracked and before.status is None and before.key == "no_data"
    assert first.tracked and first.key == "operational"
    assert api.day(date(2026, 11, 10)).time_in == {} and api.day(date(2026, 11, 10)).key == "no_data"
    assert sum(d.key == "no_data" for d in api.days) == 75  # Aug 31 to Nov 13
    assert api.short_span.figure.tracked == api.long_span.figure.tracked == timedelta(seconds=1_252_800)
    assert api.short_span.figure.label == api.long_span.figure.label == "99.71\u00a0%"
    assert [y.year for y in api.yearly] == [2026]
    # db has no 'since': the Nov 10 outage of api does not concern it, and its years start at the first incident.
    assert uptime["db"].short_span.figure.label == "100\u00a0%"


def test_a_since_in_the_future_has_no_data_at_all(make_site) -> None:
    config = DEFAULT_CONFIG.replace(
        'id = "db"\nname = "Database"', 'id = "db"\nname = "Database"\nsince = "2027-01-01"'
    )
    db = uptime_of(make_site, {}, config=config)["db"]
    assert {d.key for d in db.days} == {"no_data"}
    assert db.long_span.figure.percent is None and db.long_span.figure.label == "no data"
    assert db.yearly == []


def test_a_label_never_rounds_downtime_up_to_100_percent() -> None:
    def label(down: float, tracked: float = 10_000) -> str:
        return UptimeFigure(tracked=timedelta(seconds=tracked), downtime=timedelta(seconds=down)).label

    assert label(0) == "100\u00a0%"
    assert label(0.001) == "99.99\u00a0%"  # 99.99999 %: rounded down
    assert label(5) == "99.95\u00a0%"  # exactly 99.95: not 99.94 through a float error
    assert label(10_000) == "0.00\u00a0%"
    assert UptimeFigure(tracked=timedelta(0), downtime=timedelta(0)).label == "no data"


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            "[uptime]\npartial_outage = 1.5\n",
            "'partial_outage' must be a number from 0 to 1 (the share of that time counted as downtime), not 1.5",
        ),
        (
            "[uptime]\nmajor_outage = -0.1\n",
            "'major_outage' must be a number from 0 to 1 (the share of that time counted as downtime), not -0.1",
        ),
        (
            '[uptime]\ndegraded_performance = "0.1"\n',
            "'degraded_performance' must be a number from 0 to 1 (the share of that time counted as downtime), not '0.1'",
        ),
        (
            "[uptime]\npartial_outages = 0.5\n",
            "unknown key 'partial_outages' in [uptime]; did you mean 'partial_outage'?",
        ),
        ("[uptime]\nunder_maintenance = 0\n", "unknown key 'under_maintenance' in [uptime]"),
    ],
)
def test_uptime_weights_are_checked_with_their_line(make_site, toml: str, expected: str) -> None:
    config = DEFAULT_CONFIG + "\n" + toml
    site = make_site({}, config=config)
    with pytest.raises(ContentError) as info:
        load_site(site, now=NOW)
    line = DEFAULT_CONFIG.count("\n") + 3  # the blank line, [uptime], then the key
    assert [f"{p.line}: {p.message}" for p in info.value.problems] == [f"{line}: {expected}"]


def test_since_must_be_a_date(make_site) -> None:
    config = DEFAULT_CONFIG.replace('id = "db"\nname = "Database"', 'id = "db"\nname = "Database"\nsince = "last year"')
    with pytest.raises(ContentError) as info:
        load_site(make_site({}, config=config), now=NOW)
    line = config.splitlines().index('since = "last year"') + 1
    assert [f"{p.line}: {p.message}" for p in info.value.problems] == [
        f"{line}: 'since' must be a date such as 2024-01-01 (a day in the site's timezone), not 'last year'"
    ]


def test_thousands_of_overlapping_incidents_add_up(make_site) -> None:
    """3,000 overlapping incidents on one component, made in memory: each instant still counts once."""
    site = load_site(make_site({}), now=NOW)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    incidents = []
    for n in range(3000):  # each an hour long, starting every 30 minutes: every instant is covered twice
        began = start + n * timedelta(minutes=30)
        updates = (
            Update(began, UpdateStatus.INVESTIGATING, "x"),
            Update(began + HOUR, UpdateStatus.RESOLVED, "y"),
        )
        incidents.append(Incident(f"i{n}", "t", Kind.INCIDENT, updates, {"api": MAJOR}, began))
    site = replace(site, incidents=tuple(reversed(incidents)))
    api = site_uptime(site)["api"]
    # Covered: Sep 1 00:00 to 3000 half hours + 30 min later = 1500.5 h, counted once: Sep 1 + 62 days 12.5 h
    # = Nov 2 12:30. Nov 2 has 12.5 h; every day between has 24 h.
    assert api.day(date(2026, 9, 1)).time_in == {MAJOR: 24 * HOUR}
    assert api.day(date(2026, 11, 2)).time_in == {MAJOR: timedelta(hours=12, minutes=30)}
    assert api.figure(date(2026, 9, 1), date(2026, 11, 28)).downtime == timedelta(hours=1500, minutes=30)
    assert len(api.day(date(2026, 10, 1)).incidents) == 49  # 48 starting that day and one from the day before


def build(tmp_path: Path, make_site, files: dict[str, str], config: str = DEFAULT_CONFIG) -> Path:
    out = tmp_path / "public"
    build_site(make_site(files, config=config), out, now=NOW)
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_component_record_is_known_by_what_it_is_read_from(make_site) -> None:
    """Its digest stands for its thousands of days in page keys: it changes with the component's incidents and
    the time, and with nothing else."""
    files = {
        "content/incidents/api.md": incident(extra="components:\n  api: major_outage\n"),
        "content/incidents/db.md": incident(extra="components:\n  db: partial_outage\n"),
    }
    site_dir = make_site(files)

    def digests(now: datetime = NOW) -> dict[str, str]:
        return {cid: record.made_from for cid, record in site_uptime(load_site(site_dir, now=now)).items()}

    first = digests()
    assert all(first.values()) and first == digests()
    assert digests(NOW + timedelta(minutes=1)).keys() == first.keys()
    assert all(a != b for a, b in zip(digests(NOW + timedelta(minutes=1)).values(), first.values()))
    (site_dir / "content/incidents/db.md").write_text(files["content/incidents/db.md"].replace("Fixed.", "Done."))
    after = digests()
    assert after["api"] == first["api"] and after["db"] != first["db"]
