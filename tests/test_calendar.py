"""maintenance.ics: read back with icalendar, stable ids, exact windows, reproducible bytes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import yaml
from conftest import NOW
from icalendar import Calendar, vText

from sitegen.content.loader import load_site
from sitegen.views.calendar import CALENDAR_FILE, plain_text, render_calendar
from sitegen.views.markdown import MarkdownRenders

BASE_URL = "https://status.example.org/team/status/"


def config(base_url: str = BASE_URL) -> str:
    return (
        f'[site]\ntitle = "Acme Status"\nbase_url = "{base_url}"\ntimezone = "Europe/Paris"\n'
        '[[components]]\nid = "api"\nname = "API"\n[[components]]\nid = "db"\nname = "Database"\n'
    )


def maintenance(title: str, start: str, end: str, updates: list[tuple[str, str, str]], **front: object) -> str:
    meta = {
        "title": title, "kind": "maintenance", "components": {"db": "under_maintenance"},
        "scheduled_for": start, "scheduled_until": end, **front,
        "updates": [{"at": at, "status": s, "body": b} for at, s, b in updates],
    }  # fmt: skip
    return f"---\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)}---\n"


UPGRADE = maintenance(
    "Database upgrade, part 1; \\ maybe 2",
    "2026-12-03T08:00:00+02:00",  # 06:00 UTC
    "2026-12-03T10:00:00",  # Paris wall clock: 09:00 UTC
    [
        ("2026-11-25T18:00:00Z", "scheduled", "We will upgrade the database."),
        (
            "2026-11-26T09:30:00Z",
            "scheduled",
            "Reminder: the API is **not** affected. See [the plan](https://acme.example/plan).",
        ),
    ],
)
EARLIER = maintenance(
    "Network work",
    "2026-10-01T06:00:00Z",
    "2026-10-01T07:00:00Z",
    [("2026-09-20T10:00:00Z", "scheduled", "Planned."), ("2026-10-01T06:40:00Z", "completed", "Done early.")],
)
INCIDENT = (
    "---\ntitle: Outage\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    body: Looking.\n---\n"
)


def calendar_of(
    make_site, files: dict[str, str], *, now: datetime = NOW, base_url: str = BASE_URL, name: str = "site"
) -> bytes:
    site_dir = make_site({f"content/incidents/{k}.md": v for k, v in files.items()}, config=config(base_url), name=name)
    files = render_calendar(load_site(site_dir, now=now))
    assert list(files) == [CALENDAR_FILE]
    return files[CALENDAR_FILE]


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_one_event_per_maintenance_with_its_window_in_utc(make_site) -> None:
    data = calendar_of(make_site, {"upgrade": UPGRADE, "network": EARLIER, "outage": INCIDENT})
    found = events(data)
    assert [str(e["summary"]) for e in found] == ["Network work", "Database upgrade, part 1; \\ maybe 2"]
    upgrade = found[1]
    assert upgrade.decoded("dtstart") == datetime(2026, 12, 3, 6, tzinfo=UTC)
    assert upgrade.decoded("dtend") == datetime(2026, 12, 3, 9, tzinfo=UTC)
    assert b"DTSTART:20261203T060000Z\r\n" in data and b"DTEND:20261203T090000Z\r\n" in data
    assert str(upgrade["url"]) == BASE_URL + "incidents/upgrade/"
    assert str(upgrade["uid"]) == "team/status/incidents/upgrade@status.example.org"
    assert str(upgrade["status"]) == "CONFIRMED" and str(upgrade["transp"]) == "TRANSPARENT"
    assert upgrade.decoded("dtstamp") == datetime(2026, 11, 26, 9, 30, tzinfo=UTC)  # latest update
    assert upgrade.decoded("sequence") == 1


def test_completed_maintenance_stays_with_its_announced_window(make_site) -> None:
    [event] = events(calendar_of(make_site, {"network": EARLIER}))
    assert event.decoded("dtend") == datetime(2026, 10, 1, 7, tzinfo=UTC)
    assert str(event["description"]).startswith("Completed: Done early.")


def test_description_is_the_latest_update_as_plain_text(make_site) -> None:
    [event] = events(calendar_of(make_site, {"upgrade": UPGRADE}))
    description = str(event["description"])
    assert description.splitlines()[0] == (
        "Scheduled: Reminder: the API is not affected. See the plan (https://acme.example/plan)."
    )
    assert "Affected: Database" in description
    assert description.endswith(f"Details: {BASE_URL}incidents/upgrade/")


def test_calendar_properties(make_site) -> None:
    calendar = Calendar.from_ical(calendar_of(make_site, {"upgrade": UPGRADE}))
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == "-//sitegen//Scheduled maintenance//EN"
    assert str(calendar["x-wr-calname"]) == "Acme Status: scheduled maintenance"
    assert calendar.decoded("refresh-interval") == timedelta(hours=1)


def test_line_breaks_and_separators_in_text_cannot_add_properties(make_site) -> None:
    title = 'Acme\nSTATUS:CANCELLED; "x", y \\ z'
    site_config = config().replace('title = "Acme Status"', f"title = {json.dumps(title)}")  # a TOML basic string
    body = "Line one\nSTATUS:CANCELLED\n\nLine two"
    upgrade = maintenance(
        title, "2026-12-03T06:00:00Z", "2026-12-03T07:00:00Z", [("2026-11-01T00:00:00Z", "scheduled", body)]
    )
    data = render_calendar(load_site(make_site({"content/incidents/up.md": upgrade}, config=site_config), now=NOW))[
        CALENDAR_FILE
    ]
    assert b"\nSTATUS:CANCELLED" not in data
    calendar = Calendar.from_ical(data)
    # icalendar reads X- properties back raw: compare them as TEXT-escaped.
    assert calendar["x-wr-calname"].to_ical() == vText(f"{title}: scheduled maintenance").to_ical()
    assert b'X-WR-CALNAME:Acme\\nSTATUS:CANCELLED\\; "x"\\, y \\\\ z: scheduled maintenance\r\n' in data
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == title and str(event["status"]) == "CONFIRMED"
    assert str(event["description"]).startswith("Scheduled: Line one STATUS:CANCELLED\n\nLine two")


def test_bytes_do_not_depend_on_the_build_time(make_site) -> None:
    files = {"upgrade": UPGRADE, "network": EARLIER}
    first = calendar_of(make_site, files, name="one")
    again = calendar_of(make_site, files, now=NOW + timedelta(days=40), name="two")
    assert first == again
    changed = calendar_of(make_site, {"upgrade": UPGRADE}, name="three")
    assert changed != first  # the comparison can fail


def test_ids_stay_with_the_slug_and_differ_between_sites_on_one_host(make_site) -> None:
    here = events(calendar_of(make_site, {"upgrade": UPGRADE}, name="a"))[0]["uid"]
    moved = maintenance(
        "Renamed", "2027-01-01T00:00:00Z", "2027-01-01T01:00:00Z", [("2026-11-01T00:00:00Z", "scheduled", "x")]
    )
    same_slug = events(calendar_of(make_site, {"upgrade": moved}, name="b"))[0]["uid"]
    elsewhere = calendar_of(make_site, {"upgrade": UPGRADE}, base_url="https://status.example.org/other/", name="c")
    other_site = events(elsewhere)[0]["uid"]
    assert here == same_slug
    assert other_site != here


def test_lines_are_folded_crlf(make_site) -> None:
    long_body = "word " * 60
    data = calendar_of(make_site, {"upgrade": maintenance("T", "2026-12-03T06:00:00Z", "2026-12-03T07:00:00Z",
                                                          [("2026-11-01T00:00:00Z", "scheduled", long_body)])})  # fmt: skip
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines) and b"\n" not in b"".join(lines)
    assert str(events(data)[0]["description"]).startswith("Scheduled: " + long_body.strip())


def test_site_without_maintenance_has_an_empty_calendar(make_site) -> None:
    data = calendar_of(make_site, {"outage": INCIDENT})
    assert events(data) == []
    assert str(Calendar.from_ical(data)["x-wr-calname"]) == "Acme Status: scheduled maintenance"


def test_plain_text_keeps_words_lists_and_link_targets() -> None:
    text = "We **will** upgrade `db-1`.\nSecond line.\n\n- one\n- two\n\n1. first\n2. [docs](https://x.example/d)\n\n~~old~~"
    assert plain_text(text) == (
        "We will upgrade db-1. Second line.\n\n- one\n- two\n\n1. first\n2. docs (https://x.example/d)\n\n~~old~~"
    )
    assert plain_text("<https://x.example/>") == "https://x.example/"


def test_plain_text_reads_links_as_pages_do_one_they_refuse_stays_as_written() -> None:
    """The same Markdown rules as the pages: a link of a scheme they refuse is the text written, not a link."""
    text = "[files](ftp://x.example/f), [js](javascript:alert(1)) and [ok](https://x.example/)"
    assert "[files](ftp://x.example/f)" in MarkdownRenders().render(text)
    assert plain_text(text) == "[files](ftp://x.example/f), [js](javascript:alert(1)) and ok (https://x.example/)"
