"""Events from the content model: what is announced, under which ids, and maintenance windows by themselves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from conftest import NOW, incident

from sitegen.content.loader import load_site
from sitegen.content.notify_config import ChannelType, NotifyChannel
from sitegen.notify.events import EventKind, site_events
from sitegen.notify.ledger import Ledger, all_keys
from sitegen.notify.message import message_for, plain_text

MAINTENANCE = """\
---
title: Database upgrade
kind: maintenance
scheduled_for: 2026-12-05T06:00:00Z
scheduled_until: 2026-12-05T08:00:00Z
components:
  db: under_maintenance
updates:
  - at: 2026-11-28T10:00:00Z
    status: scheduled
    body: We will upgrade the database.
{more}---
"""
WRITEUP = """\
---
title: "Write-up: API errors"
published: 2026-11-22T10:00:00Z
incidents: [2026-11-20-api-errors]
---
What happened.
"""
SLACK = NotifyChannel(ChannelType.SLACK, "slack", url_env="X")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def kinds(site_dir: Path, now: datetime = NOW) -> list[tuple[str, str]]:
    return [(e.kind.value, e.id.split("/")[0]) for e in site_events(load_site(site_dir, now=now))]


def test_an_incident_has_created_updated_resolved_and_write_up_events_in_time_order(make_site) -> None:
    updates = """\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Looking.
  - at: 2026-11-20T10:20:00Z
    status: identified
    body: Found it.
  - at: 2026-11-20T10:30:00Z
    status: resolved
    body: Fixed.
"""
    files = {
        "content/incidents/2026-11-20-api-errors.md": incident(
            updates=updates, extra="components:\n  api: major_outage\n"
        ),
        "content/writeups/w.md": WRITEUP,
    }
    site = load_site(make_site(files), now=NOW)
    events = site_events(site)
    assert [(e.kind, e.id.split("/")[0]) for e in events] == [
        (EventKind.CREATED, "created"),
        (EventKind.UPDATED, "update"),
        (EventKind.RESOLVED, "resolved"),
        (EventKind.WRITEUP, "writeup"),
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert all(e.component_ids == frozenset({"api"}) for e in events)
    texts = [plain_text(message_for(e, site)) for e in events]
    assert texts[0].startswith("New incident: API errors\nInvestigating · Fri, Nov 20, 2026, 10:00 AM UTC")
    assert "API: Major outage" in texts[0] and "API: Operational" in texts[2]
    assert texts[3].startswith("Write-up: API errors\nWrite-up published")
    assert "Read the write-up: https://example.github.io/status/writeups/w/" in texts[3]
    assert "View incident: https://example.github.io/status/incidents/2026-11-20-api-errors/" in texts[3]


def test_ids_depend_on_the_content_only(make_site) -> None:
    site_dir = make_site({"content/incidents/2026-11-20-api-errors.md": incident()})
    early, late = (site_events(load_site(site_dir, now=now)) for now in (NOW, at("2030-01-01T00:00:00")))
    assert [e.id for e in early] == [e.id for e in late]


def test_a_maintenance_is_scheduled_then_starts_and_completes_by_itself(make_site) -> None:
    site_dir = make_site({"content/incidents/2026-12-05-db.md": MAINTENANCE.format(more="")})
    assert kinds(site_dir) == [("scheduled", "created")]
    assert kinds(site_dir, at("2026-12-05T07:00:00")) == [("scheduled", "created"), ("started", "started")]
    assert kinds(site_dir, at("2026-12-05T09:00:00"))[1:] == [("started", "started"), ("completed", "completed")]
    site = load_site(site_dir, now=at("2026-12-05T07:00:00"))
    started = plain_text(message_for(site_events(site)[1], site))
    assert started.startswith("Maintenance started: Database upgrade\nIn progress · Sat, Dec 5, 2026, 06:00 AM UTC")
    assert "Window: Sat, Dec 5, 2026, 06:00 AM UTC to Sat, Dec 5, 2026, 08:00 AM UTC" in started
    assert "Database: Under maintenance" in started


def test_a_maintenance_started_by_itself_is_not_started_again_by_a_later_update(make_site) -> None:
    site_dir = make_site({"content/incidents/2026-12-05-db.md": MAINTENANCE.format(more="")})
    before = site_events(load_site(site_dir, now=at("2026-12-05T07:00:00")))
    record = Ledger(all_keys(before))
    later = "  - at: 2026-12-05T06:10:00Z\n    status: in_progress\n    body: Work under way.\n"
    site_dir = make_site({"content/incidents/2026-12-05-db.md": MAINTENANCE.format(more=later)})
    after = site_events(load_site(site_dir, now=at("2026-12-05T07:00:00")))
    assert [e.kind for e in after] == [EventKind.SCHEDULED, EventKind.STARTED]  # now brought by the update
    (due,) = record.due(SLACK, after)
    assert due.kind is EventKind.UPDATED and due.id.startswith("update/")  # said as an update, once
    assert due.update is not None and due.update.body == "Work under way."


def test_a_maintenance_that_said_it_started_and_completed_has_those_milestones_from_its_updates(make_site) -> None:
    more = (
        "  - at: 2026-12-05T06:00:00Z\n    status: in_progress\n    body: Started.\n"
        "  - at: 2026-12-05T07:00:00Z\n    status: completed\n    body: Done.\n"
    )
    site_dir = make_site({"content/incidents/2026-12-05-db.md": MAINTENANCE.format(more=more)})
    events = site_events(load_site(site_dir, now=at("2026-12-06T00:00:00")))
    assert [(e.kind, e.update.body if e.update else None) for e in events] == [
        (EventKind.SCHEDULED, "We will upgrade the database."),
        (EventKind.STARTED, "Started."),
        (EventKind.COMPLETED, "Done."),
    ]


def test_a_single_resolved_update_is_announced_as_the_resolution(make_site) -> None:
    updates = "  - at: 2026-11-20T10:00:00Z\n    status: resolved\n    body: Was broken, fixed.\n"
    site = load_site(make_site({"content/incidents/2026-11-20-x.md": incident(updates=updates)}), now=NOW)
    assert [e.kind for e in site_events(site)] == [EventKind.RESOLVED]
