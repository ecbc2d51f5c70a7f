"""One rule for when an incident or maintenance ended: header, facts, API, uptime and check agree."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from click.testing import CliRunner
from conftest import incident

from sitegen.build import build_site
from sitegen.commands.check import check
from sitegen.content.loader import load_site
from sitegen.content.statuses import UpdateStatus

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CONFIG = (
    '[site]\ntitle = "T"\nbase_url = "https://status.example.com/"\ntimezone = "UTC"\n\n'
    '[[components]]\nid = "db"\nname = "Database"\n'
)
# A window announced with one 'scheduled' update and never closed, as on a two-file site and in imports.
WINDOW = "kind: maintenance\nscheduled_for: 2025-12-01T06:00:00Z\nscheduled_until: 2025-12-01T08:00:00Z\n"
ANNOUNCED = """\
  - at: 2025-11-25T10:00:00Z
    status: scheduled
    body: We will upgrade the database.
    components:
      db: under_maintenance
"""
IN_PROGRESS = (
    ANNOUNCED
    + """\
  - at: 2025-12-01T06:00:00Z
    status: in_progress
    body: Started.
"""
)


def _site(make_site, updates: str):
    return make_site(
        {"content/incidents/2025-12-01-upgrade.md": incident("Upgrade", extra=WINDOW, updates=updates)}, config=CONFIG
    )


def test_a_maintenance_whose_window_passed_ended_with_it(make_site) -> None:
    for updates in (ANNOUNCED, IN_PROGRESS):
        maintenance = load_site(_site(make_site, updates), now=NOW).incidents[0]
        end = datetime(2025, 12, 1, 8, tzinfo=UTC)
        assert maintenance.ended_at(NOW) == end
        assert maintenance.status_at(NOW) is UpdateStatus.COMPLETED
        assert maintenance.duration(NOW).total_seconds() == 2 * 3600
        assert maintenance.ended_at(datetime(2025, 12, 1, 7, tzinfo=UTC)) is None
        assert maintenance.settled(NOW) == end


def test_the_page_and_the_api_say_completed_never_ongoing(make_site, tmp_path) -> None:
    site_dir = _site(make_site, ANNOUNCED)
    out = tmp_path / "public"
    build_site(site_dir, out, now=NOW)
    page = (out / "incidents" / "2025-12-01-upgrade" / "index.html").read_text(encoding="utf-8")
    assert "Ongoing" not in page and "ongoing" not in page
    assert "Completed" in page and "2 hours" in page
    (document,) = json.loads((out / "api" / "v2" / "scheduled-maintenances.json").read_text(encoding="utf-8"))[
        "scheduled_maintenances"
    ]
    assert document["status"] == "completed"
    assert document["resolved_at"].startswith("2025-12-01T08:00:00")


def test_check_warns_about_a_window_passed_without_a_closing_update(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _site(make_site, ANNOUNCED)
    result = CliRunner().invoke(check, ["site", "--now", "2026-11-28T12:00:00Z"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "site/content/incidents/2025-12-01-upgrade.md:5: warning: the maintenance window closed at"
        " 2025-12-01 08:00 UTC but no 'completed' update says how it went: it shows as completed then;"
        " add a 'completed' update (sitegen resolve) to tell readers"
    )
    early = CliRunner().invoke(check, ["site", "--now", "2025-12-01T07:00:00Z"], catch_exceptions=False)
    assert "window closed" not in early.output
