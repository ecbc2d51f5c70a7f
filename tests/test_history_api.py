"""The full-history documents (history.json, api/v2/incidents/<id>.json) and incident.io's api/v1/summary."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conftest import incident, write_site

from sitegen.content.loader import load_site
from sitegen.views.api import StatusApi, incident_id
from sitegen.views.history_api import render_history_api, timestamp
from sitegen.views.incidentio_api import render_incidentio_api

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
ONGOING = """\
  - at: 2026-11-28T09:00:00Z
    status: identified
    body: Found it.
    components:
      api: major_outage
"""
MAINTENANCE = """\
---
title: {title}
kind: maintenance
scheduled_for: {start}
scheduled_until: {end}
components:
  db: under_maintenance
updates:
  - at: 2026-11-20T10:00:00Z
    status: scheduled
    body: Planned work.
---
"""
WRITEUP = """\
---
title: What happened
published: 2026-09-03T10:00:00Z
incidents: [2026-09-01-old]
---
The story.
"""


def site(tmp_path: Path) -> Any:
    files = {
        "content/incidents/2026-09-01-old.md": incident(
            "Old outage", extra="components:\n  web: partial_outage\n"
        ).replace("2026-11-20", "2026-09-01"),
        "content/incidents/2026-11-28-now.md": incident("Ongoing", updates=ONGOING),
        "content/incidents/2026-11-28-work.md": MAINTENANCE.format(
            title="Work now", start="2026-11-28T11:00:00Z", end="2026-11-28T13:00:00Z"
        ),
        "content/incidents/2026-12-05-later.md": MAINTENANCE.format(
            title="Work later", start="2026-12-05T06:00:00Z", end="2026-12-05T07:00:00Z"
        ),
        "content/writeups/2026-09-03-story.md": WRITEUP,
    }
    return load_site(write_site(tmp_path, files), now=NOW)


def decoded(files: dict[str, bytes], path: str) -> Any:
    return json.loads(files[path])


def test_every_incident_has_its_document_with_every_update(tmp_path: Path) -> None:
    loaded = site(tmp_path)
    files = render_history_api(loaded)
    api = StatusApi(loaded)
    for item in loaded.incidents:
        document = decoded(files, f"api/v2/incidents/{incident_id(item.slug)}.json")
        assert document["page"] == api.page | {"updated_at": document["page"]["updated_at"]}
        assert {k: v for k, v in document["incident"].items() if not k.startswith("postmortem")} == api.incident(item)
    old_document = decoded(files, f"api/v2/incidents/{incident_id('2026-09-01-old')}.json")
    assert old_document["page"]["updated_at"] == "2026-09-03T10:00:00.000Z"  # its write-up, its latest change
    old = old_document["incident"]
    assert old["postmortem_body"] == "The story."
    assert old["postmortem_published_at"] == "2026-09-03T10:00:00.000Z"
    ongoing = decoded(files, f"api/v2/incidents/{incident_id('2026-11-28-now')}.json")["incident"]
    assert ongoing["postmortem_body"] is None and ongoing["postmortem_published_at"] is None


def test_history_json_has_every_month_newest_first_as_statuspage_pages_it(tmp_path: Path) -> None:
    history = decoded(render_history_api(site(tmp_path)), "history.json")
    assert [(m["name"], m["year"]) for m in history["months"]] == [
        ("December", 2026),
        ("November", 2026),
        ("October", 2026),  # a month without incidents is listed, empty, as Statuspage lists it
        ("September", 2026),
    ]
    november = history["months"][1]["incidents"]
    assert [i["name"] for i in november] == ["Work now", "Ongoing"]
    assert november[1] == {
        "code": incident_id("2026-11-28-now"),
        "name": "Ongoing",
        "message": "Found it.",
        "impact": "critical",
        "timestamp": "Nov <var data-var='date'>28</var>, <var data-var='time'>09:00</var> UTC",
    }
    assert history["months"][3]["incidents"][0]["timestamp"] == (
        "Sep <var data-var='date'>1</var>, <var data-var='time'>10:00</var> - <var data-var='time'>10:30</var> UTC"
    )


def test_a_span_over_midnight_names_both_days() -> None:
    start, end = datetime(2026, 3, 1, 23, 30, tzinfo=UTC), datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert timestamp(start, end, UTC) == (
        "Mar <var data-var='date'>1</var>, <var data-var='time'>23:30</var> - "
        "Mar <var data-var='date'>2</var>, <var data-var='time'>01:00</var> UTC"
    )


def test_incidentio_summary_lists_what_is_going_on_in_its_shape(tmp_path: Path) -> None:
    summary = decoded(render_incidentio_api(site(tmp_path)), "api/v1/summary")
    assert summary["page_title"] == "Test Status" and summary["page_url"] == "https://example.github.io/status/"
    (ongoing,) = summary["ongoing_incidents"]
    assert ongoing == {
        "id": incident_id("2026-11-28-now"),
        "name": "Ongoing",
        "url": "https://example.github.io/status/incidents/2026-11-28-now/",
        "last_update_at": "2026-11-28T09:00:00.000Z",
        "last_update_message": "Found it.",
        "affected_components": [{"id": ongoing["affected_components"][0]["id"], "name": "API", "group_name": "Core"}],
        "status": "identified",
        "current_worst_impact": "full_outage",
    }
    (work,) = summary["in_progress_maintenances"]
    assert (work["name"], work["status"], work["started_at"], work["scheduled_end_at"]) == (
        "Work now",
        "maintenance_in_progress",
        "2026-11-28T11:00:00.000Z",
        "2026-11-28T13:00:00.000Z",
    )
    (later,) = summary["scheduled_maintenances"]
    assert (later["status"], later["starts_at"], later["ends_at"]) == (
        "maintenance_scheduled",
        "2026-12-05T06:00:00.000Z",
        "2026-12-05T07:00:00.000Z",
    )


def test_an_update_to_one_incident_changes_no_other_incidents_document(tmp_path: Path) -> None:
    """Each document is the page as of its incident: static hosts keep the others' bytes and ETags."""
    before = render_history_api(site(tmp_path))
    ongoing = tmp_path / "content/incidents/2026-11-28-now.md"
    ongoing.write_text(
        ongoing.read_text().replace(
            "updates:\n", "updates:\n  - at: 2026-11-28T11:30:00Z\n    status: identified\n    body: Found.\n", 1
        )
    )
    after = render_history_api(load_site(tmp_path, now=NOW))
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {f"api/v2/incidents/{incident_id('2026-11-28-now')}.json", "history.json"}
