"""The on-call commands at 3 a.m.: maintenance windows, what is open, matching open incidents, text from a pipe,
dry runs, one way to name the site, shell completion, and two people updating one incident at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import NOW, incident

from sitegen.commands.main import main
from sitegen.content.loader import load_site
from sitegen.content.statuses import Kind, UpdateStatus

STAMP = "2026-11-28T12:00:00Z"
OPEN = "  - at: 2026-11-28T10:00:00Z\n    status: identified\n    body: Looking.\n"
UPCOMING = """\
---
title: Database upgrade
kind: maintenance
scheduled_for: 2026-11-30T08:00:00Z
scheduled_until: 2026-11-30T10:00:00Z
updates:
  - at: 2026-11-25T09:00:00Z
    status: scheduled
    body: We will upgrade the database.
---
"""
PAST = UPCOMING.replace("2026-11-30", "2026-11-20").replace("Database upgrade", "Old upgrade")


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def incident_path(site: Path, slug: str) -> Path:
    return site / "content" / "incidents" / f"{slug}.md"


def loaded(site: Path, slug: str):
    return load_site(site, now=NOW).incident_by_slug[slug]


# --- a scheduled maintenance ---------------------------------------------------------------------


def test_new_maintenance_writes_a_scheduled_window_named_for_its_day(make_site) -> None:
    site = make_site({})
    result = run(
        "new", "Database upgrade", str(site), "--kind", "maintenance",
        "--for", "2026-12-01T08:00", "--until", "2026-12-01T10:00:00Z", "-c", "db=under_maintenance", "--now", STAMP,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = loaded(site, "2026-12-01-database-upgrade")
    assert found.kind is Kind.MAINTENANCE
    assert found.scheduled_for.isoformat() == "2026-12-01T08:00:00+00:00"
    assert found.scheduled_until.isoformat() == "2026-12-01T10:00:00+00:00"
    assert [u.status for u in found.updates] == [UpdateStatus.SCHEDULED]
    assert found.updates[0].body == "The scheduled maintenance is planned."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "maintenance"], "a maintenance needs its window: give --for START and --until END"),
        (["--kind", "maintenance", "--for", "2026-12-01T10:00Z", "--until", "2026-12-01T08:00Z"], "must be after"),
        (["--kind", "maintenance", "--for", "soon", "--until", "2026-12-01T08:00Z"], "--for: 'soon' is not"),
        (["--for", "2026-12-01T10:00Z"], "--for and --until give a maintenance's window: add --kind maintenance"),
        (["--kind", "maintenance", "--for", "2026-12-01T08:00Z", "--until", "2026-12-01T09:00Z", "-s", "identified"],
         "'identified' is not a status of a maintenance"),
    ],
)  # fmt: skip
def test_a_maintenance_window_is_checked_before_anything_is_written(make_site, args, message) -> None:
    site = make_site({})
    result = run("new", "Upgrade", "--site", str(site), *args, "--now", STAMP)
    assert result.exit_code == 1
    assert message in result.stderr
    assert not (site / "content" / "incidents").exists()


# --- sitegen list ------------------------------------------------------------------------------


def test_list_shows_open_incidents_and_upcoming_maintenance_with_status_and_age(make_site) -> None:
    site = make_site(
        {
            "content/incidents/2026-11-28-api-errors.md": incident("API errors", updates=OPEN),
            "content/incidents/2026-11-20-resolved.md": incident("Old and done"),
            "content/incidents/2026-11-30-database-upgrade.md": UPCOMING,
            "content/incidents/2026-11-20-old-upgrade.md": PAST,
            "content/incidents/2026-11-27-broken.md": "---\ntitle: [unclosed\n---\n",
        }
    )
    result = run("list", str(site), "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Open incidents: 2",
        "  2026-11-28-api-errors        API errors         identified  started 2h 00m ago",
        "  2026-11-27-broken            2026-11-27-broken  ?           ?",
        "Upcoming or active maintenance: 1",
        "  2026-11-30-database-upgrade  Database upgrade   scheduled   starts in 1d 20h",
    ]


def test_list_says_when_all_is_quiet(make_site) -> None:
    site = make_site({"content/incidents/2026-11-20-resolved.md": incident()})
    result = run("list", "--site", str(site), "--now", STAMP)
    assert result.stdout == "No open incidents, and no upcoming or active maintenance.\n"


# --- matching open incidents ---------------------------------------------------------------------


def test_a_prefix_that_also_matches_a_resolved_incident_finds_the_open_one(make_site) -> None:
    site = make_site(
        {
            "content/incidents/2026-10-02-api-errors.md": incident("API errors"),  # resolved last month
            "content/incidents/2026-11-28-api-errors.md": incident("API errors", updates=OPEN),
        }
    )
    result = run("update", "api-errors", str(site), "-s", "monitoring", "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert loaded(site, "2026-11-28-api-errors").updates[-1].status is UpdateStatus.MONITORING
    resolved = run("resolve", "api", "--site", str(site), "--now", STAMP)
    assert resolved.exit_code == 0, resolved.output
    assert loaded(site, "2026-11-28-api-errors").resolved_at is not None


def test_only_resolved_matches_say_how_to_reach_them_and_all_does(make_site) -> None:
    site = make_site({"content/incidents/2026-10-02-api-errors.md": incident("API errors")})
    refused = run("update", "api", str(site), "-s", "postmortem", "--now", STAMP)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "error: 'api' matches only incidents that are resolved or completed; "
        "give the full name, or add --all to match those too:",
        "  2026-10-02-api-errors",
    ]
    assert run("update", "api", str(site), "-s", "postmortem", "--all", "--now", STAMP).exit_code == 0
    assert run("update", "2026-10-02-api-errors", str(site), "-s", "postmortem", "--now", STAMP).exit_code == 0


# --- the text from a pipe, and dry runs -------------------------------------------------------------


def test_body_dash_reads_the_text_from_standard_input(make_site) -> None:
    site = make_site({"content/incidents/2026-11-28-api-errors.md": incident(updates=OPEN)})
    created = run("new", "Slow checkout", str(site), "-m", "-", "--now", STAMP, stdin="Checkout is slow.\n\nWe look.\n")
    assert created.exit_code == 0, created.output
    assert loaded(site, "2026-11-28-slow-checkout").updates[0].body == "Checkout is slow.\n\nWe look."
    updated = run("update", "api", str(site), "-s", "monitoring", "-m", "-", "--now", STAMP, stdin="Fixed: watching.")
    assert updated.exit_code == 0, updated.output
    assert loaded(site, "2026-11-28-api-errors").updates[-1].body == "Fixed: watching."
    both = run("new", "X", str(site), "-m", "-", "--edit", "--now", STAMP, stdin="x")
    assert both.exit_code == 1 and "not both" in both.stderr


def test_dry_run_prints_the_file_and_writes_nothing(make_site) -> None:
    site = make_site({"content/incidents/2026-11-28-api-errors.md": incident(updates=OPEN)})
    before = incident_path(site, "2026-11-28-api-errors").read_bytes()
    new = run("new", "Sign-in fails", str(site), "-c", "web=major_outage", "--dry-run", "--now", STAMP)
    assert new.exit_code == 0, new.output
    lines = new.stdout.splitlines()
    assert lines[0].endswith(
        "2026-11-28-sign-in-fails.md (investigating at 2026-11-28T12:00:00Z); nothing was written:"
    )
    assert lines[2:5] == ["---", "title: Sign-in fails", "components:"]
    assert not incident_path(site, "2026-11-28-sign-in-fails").exists()
    update = run("update", "api", str(site), "-s", "monitoring", "-m", "Watching.", "-n", "--now", STAMP)
    assert update.exit_code == 0, update.output
    assert "    status: monitoring" in update.stdout.splitlines() and "      Watching." in update.stdout.splitlines()
    assert incident_path(site, "2026-11-28-api-errors").read_bytes() == before


# --- one way to name the site ----------------------------------------------------------------------


SITE_FORMS = {
    "build": (["build"], ["-o", "{tmp}/out"]),
    "check": (["check"], []),
    "list": (["list"], []),
    "new": (["new", "API errors"], []),
    "update": (["update", "api"], ["-s", "monitoring"]),
    "resolve": (["resolve", "api"], []),
    "notify": (["notify"], ["--published", "{tmp}/nothing", "--dry-run"]),
}


@pytest.mark.parametrize("form", ["positional", "option"])
@pytest.mark.parametrize("command", SITE_FORMS)
def test_every_command_takes_the_site_as_an_argument_or_with_site(make_site, tmp_path, command, form) -> None:
    site = make_site({"content/incidents/2026-11-28-api-errors.md": incident(updates=OPEN)})
    head, tail = SITE_FORMS[command]
    named = [str(site)] if form == "positional" else ["--site", str(site)]
    args = [*head, *named, *(arg.format(tmp=tmp_path) for arg in tail), "--now", STAMP]
    result = CliRunner().invoke(main, args)
    assert "there is no folder" not in result.output and result.exit_code != 2, result.output
    other = make_site({}, name="other")
    both = CliRunner().invoke(main, [*head, str(site), "--site", str(other), *tail, "--now", STAMP])
    assert both.exit_code == 2 and "the site is given twice" in both.output


def test_an_unquoted_title_is_caught_by_its_second_word(make_site, monkeypatch) -> None:
    site = make_site({})
    monkeypatch.chdir(site)
    result = run("new", "Elevated", "errors", "--now", STAMP)
    assert result.exit_code == 2
    assert "there is no folder errors (if it is part of a title, put the title in quotes)" in result.output


# --- shell completion ------------------------------------------------------------------------------


def complete(site: Path, words: str, monkeypatch) -> list[str]:
    """What bash completion offers for the last word of ``words`` (click's protocol: 'type,value' lines)."""
    monkeypatch.chdir(site)
    parts = words.split(" ")
    env = {"_SITEGEN_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    result = CliRunner().invoke(main, [], env=env, prog_name="sitegen")
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_completion_offers_open_slugs_component_ids_and_statuses(make_site, monkeypatch) -> None:
    site = make_site(
        {
            "content/incidents/2026-11-28-api-errors.md": incident(updates=OPEN),
            "content/incidents/2026-10-02-api-slow.md": incident(),
            "content/incidents/2026-11-30-database-upgrade.md": UPCOMING,
        }
    )
    assert complete(site, "sitegen update 2026", monkeypatch) == [
        "2026-11-28-api-errors",
        "2026-11-30-database-upgrade",
    ]
    assert complete(site, "sitegen update --all api", monkeypatch) == ["2026-10-02-api-slow", "2026-11-28-api-errors"]
    assert complete(site, "sitegen new x -c ", monkeypatch) == ["api=", "db=", "web="]
    assert complete(site, "sitegen new x -c api=p", monkeypatch) == ["api=partial_outage"]
    assert complete(site, "sitegen update 2026-11-30-database-upgrade -s ", monkeypatch) == [
        "scheduled", "in_progress", "verifying", "completed",
    ]  # fmt: skip
    assert complete(site, "sitegen new x --kind incident -s i", monkeypatch) == ["investigating", "identified"]


# --- two people, one incident ----------------------------------------------------------------------

WRITERS = 16


def test_concurrent_updates_to_one_file_all_land(make_site) -> None:
    site = make_site({"content/incidents/2026-11-28-api-errors.md": incident(updates=OPEN)})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    commands = [
        [sys.executable, "-m", "sitegen", "update", "api-errors", str(site), "-s", "monitoring",
         "-m", f"Update number {n}.", "--now", f"2026-11-28T12:{n:02d}:00Z"]
        for n in range(WRITERS)
    ]  # fmt: skip
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for c in commands]
    outcomes = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in processes]
    assert [code for code, _ in outcomes] == [0] * WRITERS, outcomes
    bodies = [u.body for u in loaded(site, "2026-11-28-api-errors").updates]
    assert sorted(bodies[1:]) == sorted(f"Update number {n}." for n in range(WRITERS))
    leftovers = [p.name for p in (site / "content" / "incidents").iterdir() if p.name.startswith(".")]
    assert leftovers == []
