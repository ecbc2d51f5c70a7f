"""The content model's derived facts, from small sites written inline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import NOW, incident

from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus, Impact, UpdateStatus
from sitegen.content.warnings import find_warnings


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def load(make_site, files, now=NOW):
    return load_site(make_site(files), now=now)


def test_updates_are_sorted_and_resolution_is_first_resolved_update(make_site) -> None:
    updates = """\
  - at: 2026-11-20T11:00:00Z
    status: postmortem
    body: Write-up to follow.
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Looking.
  - at: 2026-11-20T10:40:00Z
    status: resolved
    body: Fixed.
"""
    site = load(make_site, {"content/incidents/a.md": incident(updates=updates)})
    (found,) = site.incidents
    assert [u.status for u in found.updates] == [
        UpdateStatus.INVESTIGATING,
        UpdateStatus.RESOLVED,
        UpdateStatus.POSTMORTEM,
    ]
    assert found.resolved_at == utc(2026, 11, 20, 10, 40)
    assert found.duration(NOW) == timedelta(minutes=40)


def test_component_periods_follow_update_changes_and_end_at_resolution(make_site) -> None:
    updates = """\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Down.
  - at: 2026-11-20T10:20:00Z
    status: identified
    body: Better.
    components:
      api: degraded_performance
      db: partial_outage
  - at: 2026-11-20T11:00:00Z
    status: resolved
    body: Fixed.
"""
    site = load(
        make_site,
        {"content/incidents/a.md": incident(updates=updates, extra="components:\n  api: major_outage\n")},
    )
    periods = [(p.component_id, p.status, p.start, p.end) for p in site.incidents[0].periods]
    assert periods == [
        ("api", ComponentStatus.MAJOR_OUTAGE, utc(2026, 11, 20, 10), utc(2026, 11, 20, 10, 20)),
        ("api", ComponentStatus.DEGRADED_PERFORMANCE, utc(2026, 11, 20, 10, 20), utc(2026, 11, 20, 11)),
        ("db", ComponentStatus.PARTIAL_OUTAGE, utc(2026, 11, 20, 10, 20), utc(2026, 11, 20, 11)),
    ]
    assert site.incidents[0].impact is Impact.CRITICAL  # derived from the worst status reached
    assert site.component_statuses["api"] is ComponentStatus.OPERATIONAL  # resolved before now


def test_ongoing_incident_sets_current_status_and_indicator(make_site) -> None:
    updates = """\
  - at: 2026-11-28T11:00:00Z
    status: investigating
    body: Slow.
"""
    site = load(
        make_site,
        {"content/incidents/a.md": incident(updates=updates, extra="components:\n  db: degraded_performance\n")},
    )
    assert site.active_incidents == site.incidents
    assert site.component_statuses["db"] is ComponentStatus.DEGRADED_PERFORMANCE
    assert site.indicator is Impact.MINOR
    assert site.indicator.description == "Minor Service Outage"


def test_quiet_site_is_all_operational(make_site) -> None:
    site = load(make_site, {"content/incidents/a.md": incident()})
    assert site.indicator is Impact.NONE
    assert site.indicator.description == "All Systems Operational"
    assert set(site.component_statuses.values()) == {ComponentStatus.OPERATIONAL}


def test_declared_impact_wins_over_derived(make_site) -> None:
    extra = "impact: minor\ncomponents:\n  api: major_outage\n"
    site = load(make_site, {"content/incidents/a.md": incident(extra=extra)})
    assert site.incidents[0].impact is Impact.MINOR


MAINTENANCE = """\
---
title: Database upgrade
kind: maintenance
components:
  db: under_maintenance
scheduled_for: 2026-12-01T06:00:00Z
scheduled_until: 2026-12-01T08:00:00Z
updates:
  - at: 2026-11-25T10:00:00Z
    status: scheduled
    body: Planned.
---
"""


def test_maintenance_is_upcoming_then_in_progress_then_over(make_site) -> None:
    site_dir = make_site({"content/incidents/m.md": MAINTENANCE})
    before = load_site(site_dir, now=utc(2026, 11, 30))
    during = load_site(site_dir, now=utc(2026, 12, 1, 7))
    after = load_site(site_dir, now=utc(2026, 12, 1, 9))
    assert [i.slug for i in before.upcoming_maintenances] == ["m"] and not before.active_maintenances
    assert [i.slug for i in during.active_maintenances] == ["m"] and not during.upcoming_maintenances
    assert during.component_statuses["db"] is ComponentStatus.UNDER_MAINTENANCE
    assert during.indicator is Impact.MAINTENANCE
    assert during.incidents[0].status_at(during.now) is UpdateStatus.IN_PROGRESS
    assert not after.active_maintenances and not after.upcoming_maintenances
    assert after.component_statuses["db"] is ComponentStatus.OPERATIONAL
    assert after.incidents[0].status_at(after.now) is UpdateStatus.COMPLETED
    assert not ComponentStatus.UNDER_MAINTENANCE.is_downtime


def test_naive_times_are_read_in_the_site_timezone(make_site) -> None:
    config = '[site]\ntitle = "T"\nbase_url = "https://x.example/"\ntimezone = "America/Los_Angeles"\n'
    updates = """\
  - at: 2022-07-22T23:10:00
    status: investigating
    body: Looking.
"""
    site = load_site(make_site({"content/incidents/a.md": incident(updates=updates)}, config=config), now=NOW)
    assert site.incidents[0].started == utc(2022, 7, 23, 6, 10)


def test_writeups_link_both_ways_whichever_side_names_the_other(make_site) -> None:
    files = {
        "content/incidents/a.md": incident(extra="writeup: w1\n"),
        "content/incidents/b.md": incident("B"),
        "content/writeups/w1.md": "---\ntitle: W1\npublished: 2026-11-21T00:00:00Z\n---\nText",
        "content/writeups/w2.md": "---\ntitle: W2\npublished: 2026-11-22T00:00:00Z\nincidents: [b, a]\n---\nText",
    }
    site = load(make_site, files)
    assert site.incident_by_slug["a"].writeups == ("w1", "w2")
    assert site.incident_by_slug["b"].writeups == ("w2",)
    assert site.writeup_by_slug["w1"].incidents == ("a",)
    assert site.writeup_by_slug["w2"].incidents == ("b", "a")


def test_groups_keep_catalogue_order(make_site) -> None:
    site = load(make_site, {})
    assert [(g.name, [c.id for c in g.components]) for g in site.groups] == [("Core", ["api", "db"]), (None, ["web"])]


def test_records_know_the_file_and_line_they_came_from(make_site) -> None:
    writeup = "---\ntitle: Review\npublished: 2026-11-22T10:00:00Z\nincidents: a\n---\nText.\n"
    root = make_site({"content/incidents/a.md": incident(), "content/writeups/review.md": writeup})
    site = load_site(root, now=NOW)
    (found,) = site.incidents
    assert found.source.path == root / "content/incidents/a.md"
    assert (found.source.line, found.source.line_of("title"), found.source.line_of("updates")) == (2, 2, 3)
    assert [u.source.line for u in found.updates] == [4, 7]
    assert site.writeups[0].source.path == root / "content/writeups/review.md"
    assert site.writeups[0].source.line_of("published") == 3
    assert [(c.id, c.source.line, c.source.line_of("name")) for c in site.components] == [
        ("api", 6, 8),
        ("db", 11, 13),
        ("web", 16, 18),
    ]


def test_warnings_name_lines_from_the_model_without_reading_files_again(make_site) -> None:
    updates = """\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Looking.
  - at: 2026-11-20T10:30:00Z
    status: resolved
    body: Fixed.
  - at: 2026-11-20T10:40:00Z
    status: monitoring
    body: Still watching.
"""
    text = incident(updates=updates, extra="components:\n  api: major_outage\n")
    root = make_site({"content/incidents/a.md": text})
    site = load_site(root, now=NOW)
    (root / "content/incidents/a.md").unlink()  # what the warnings say must come from the loaded records
    warnings = find_warnings(site, root)
    assert [(w.path.name, w.line) for w in warnings] == [("a.md", 12)]
    assert "comes after the incident was resolved" in warnings[0].message


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("monitoring", UpdateStatus.RESOLVED),  # warned about, and passed over: the incident stays resolved
        ("postmortem", UpdateStatus.POSTMORTEM),  # belongs there
        ("resolved", UpdateStatus.RESOLVED),  # the summary posted days later, as status pages do: belongs there
    ],
)
def test_an_update_after_the_resolution_sets_the_status_only_if_it_belongs_there(
    make_site, after: str, expected: UpdateStatus
) -> None:
    updates = f"""\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Looking.
  - at: 2026-11-20T10:30:00Z
    status: resolved
    body: Fixed.
  - at: 2026-11-20T10:40:00Z
    status: {after}
    body: Later.
"""
    site = load(make_site, {"content/incidents/a.md": incident(updates=updates)})
    assert site.incidents[0].status_at(site.now) is expected


def test_an_update_after_a_maintenance_completed_never_sets_its_status(make_site) -> None:
    updates = """\
  - at: 2026-11-20T10:00:00Z
    status: completed
    body: Done.
  - at: 2026-11-20T10:40:00Z
    status: in_progress
    body: Posted late.
"""
    text = incident(
        updates=updates,
        extra="kind: maintenance\nscheduled_for: 2026-11-20T09:00:00Z\nscheduled_until: 2026-11-20T11:00:00Z\n",
    )
    site = load(make_site, {"content/incidents/a.md": text})
    assert site.incidents[0].status_at(site.now) is UpdateStatus.COMPLETED


def test_an_incident_that_only_puts_a_component_under_maintenance_has_no_impact(make_site) -> None:
    text = incident(extra="components:\n  api: under_maintenance\n")
    site = load(make_site, {"content/incidents/a.md": text})
    assert site.incidents[0].impact is Impact.NONE


def test_such_an_incident_builds_with_its_metrics(make_site, tmp_path) -> None:
    from sitegen.build import build_site

    site_dir = make_site({"content/incidents/a.md": incident(extra="components:\n  api: under_maintenance\n")})
    build_site(site_dir, tmp_path / "out", now=NOW)
    assert (tmp_path / "out" / "metrics" / "index.html").is_file()


def test_a_later_resolved_summary_is_no_warning(make_site) -> None:
    """The status page this project started from posts its summary as a second 'resolved', three days on."""
    updates = """\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Looking.
  - at: 2026-11-20T10:30:00Z
    status: resolved
    body: Fixed.
  - at: 2026-11-23T16:00:00Z
    status: resolved
    body: Summary of what happened.
"""
    root = make_site({"content/incidents/a.md": incident(updates=updates, extra="components:\n  api: major_outage\n")})
    site = load_site(root, now=NOW)
    [only] = site.incidents
    assert find_warnings(site, root) == []
    assert only.resolved_at == datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    assert only.standing_update.body == "Summary of what happened."
