"""'Next update by': an update's promise of the next one, written as a wait or a time, shown by the incident's page
and its feed entry while it is open, and flagged by `sitegen list` and `sitegen check` once it has passed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from conftest import NOW, incident

from sitegen.commands.main import main
from sitegen.content.loader import load_site
from sitegen.views.feeds import render_feeds

OPEN = """\
  - at: 2026-11-28T10:00:00Z
    status: investigating
    body: Looking.
    next_update: 30m
"""
FILE = "content/incidents/2026-11-28-api-errors.md"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_wait_or_a_time_is_the_promise_of_the_next_update(make_site) -> None:
    by_time = OPEN.replace("next_update: 30m", "next_update: 2026-11-28T11:15:00+01:00")
    site = make_site({FILE: incident(updates=OPEN), "content/incidents/2026-11-28-b.md": incident(updates=by_time)})
    loaded = load_site(site, now=NOW)
    assert loaded.incident_by_slug["2026-11-28-api-errors"].promised_update == datetime(
        2026, 11, 28, 10, 30, tzinfo=UTC
    )
    assert loaded.incident_by_slug["2026-11-28-b"].promised_update == datetime(2026, 11, 28, 10, 15, tzinfo=UTC)


def test_a_promise_that_reads_as_neither_or_is_not_ahead_is_an_error_at_its_line(make_site) -> None:
    soon = OPEN.replace("30m", "soon")
    past = OPEN.replace("30m", "2026-11-28T09:00:00Z")
    site = make_site({FILE: incident(updates=soon), "content/incidents/2026-11-28-b.md": incident(updates=past)})
    result = run("check", str(site), "--now", "2026-11-28T12:00:00Z")
    assert result.exit_code == 1
    assert (
        "2026-11-28-api-errors.md:7: 'next_update': 'soon' is neither a wait such as 30m, 1h or 1h30m nor a time "
        "such as 2022-07-23T06:42:00Z" in result.output
    )
    assert "2026-11-28-b.md:7: 'next_update': '2026-11-28T09:00:00Z' is not after the update itself" in result.output


def test_update_and_new_write_the_promise_as_given(make_site) -> None:
    site = make_site({FILE: incident(updates=OPEN)})
    result = run(
        "update", "api-errors", "--site", str(site), "-s", "identified", "--next-update", "1h30m",
        "--now", "2026-11-28T10:20:00Z",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "    next_update: 1h30m\n" in (site / FILE).read_text()
    promised = load_site(site, now=NOW).incident_by_slug["2026-11-28-api-errors"].promised_update
    assert promised == datetime(2026, 11, 28, 11, 50, tzinfo=UTC)
    made = run(
        "new", "DB slow", "--site", str(site), "--next-update", "2026-11-28T12:45:00Z", "--now", "2026-11-28T12:00:00Z"
    )
    assert made.exit_code == 0, made.output
    assert load_site(site, now=NOW).incident_by_slug["2026-11-28-db-slow"].promised_update == datetime(
        2026, 11, 28, 12, 45, tzinfo=UTC
    )


def test_a_promise_the_command_line_cannot_read_changes_nothing(make_site) -> None:
    site = make_site({FILE: incident(updates=OPEN)})
    before = (site / FILE).read_bytes()
    result = run("update", "api-errors", "--site", str(site), "-s", "identified", "--next-update", "later")
    assert result.exit_code == 1
    assert "--next-update: 'later' is neither a wait" in result.output
    assert (site / FILE).read_bytes() == before


def test_the_page_and_the_feed_show_the_promise_while_the_incident_is_open(make_site, tmp_path: Path) -> None:
    resolved = OPEN + "  - at: 2026-11-28T10:20:00Z\n    status: resolved\n    body: Fixed.\n    next_update: 1h\n"
    site = make_site({FILE: incident(updates=OPEN), "content/incidents/2026-11-28-done.md": incident(updates=resolved)})
    out = tmp_path / "out"
    assert run("build", str(site), "-o", str(out), "--now", "2026-11-28T10:05:00Z").exit_code == 0
    page = (out / "incidents" / "2026-11-28-api-errors" / "index.html").read_text()
    assert page.count("Next update by") == 1
    assert 'datetime="2026-11-28T10:30:00Z"' in page.split("Next update by")[1].split("</p>")[0]
    assert "Next update by" not in (out / "incidents" / "2026-11-28-done" / "index.html").read_text()
    feed = render_feeds(load_site(site, now=NOW))["history.atom"].decode()
    assert feed.count("Next update by:") == 1


def test_list_and_check_flag_a_promise_that_has_passed(make_site) -> None:
    site = make_site({FILE: incident(updates=OPEN)})
    before = run("list", str(site), "--now", "2026-11-28T10:25:00Z")
    assert "overdue" not in before.output
    after = run("list", str(site), "--now", "2026-11-28T10:42:00Z")
    assert "started 42m ago; next update overdue by 12m (promised by 10:30 UTC)" in after.output
    assert run("check", str(site), "--now", "2026-11-28T10:25:00Z", "--strict").exit_code == 0
    checked = run("check", str(site), "--now", "2026-11-28T10:42:00Z")
    assert checked.exit_code == 0
    assert (
        "2026-11-28-api-errors.md:7: warning: the next update was promised by 2026-11-28 10:30 UTC, and it is "
        "2026-11-28 10:42 UTC: post one (sitegen update 2026-11-28-api-errors --status ...)" in checked.output
    )
