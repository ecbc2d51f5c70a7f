"""History must not be replayed to subscribers: an import into a published site, an emptied record, and a
run that would send more than it may; and a channel filtered by component hears of an incident as news.

Each test runs the real command against a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import incident
from test_notify_support import Recorder, Story, ledger, posts, recorder

SLACK = 'name = "slack"\ntype = "slack"\nurl_env = "SLACK_URL"'
DB_ONLY = 'name = "db-team"\ntype = "slack"\nurl_env = "DB_URL"\ncomponents = ["db"]'


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


def env(server: Recorder) -> dict[str, str]:
    return {"SLACK_URL": server.url("/slack"), "DB_URL": server.url("/db")}


def titles(server: Recorder, path: str) -> list[str]:
    return [post["text"] for post in posts(server, path)]


def imported_history(count: int) -> list[tuple[str, str]]:
    """``count`` resolved incidents of 2025, as an import from another status page writes them."""
    return [
        (
            f"content/incidents/2025-03-{n + 1:02d}-old-{n}.md",
            incident(
                f"Old outage {n}",
                updates=f"""\
  - at: 2025-03-{n + 1:02d}T10:00:00Z
    status: investigating
    body: Looking.
    components:
      api: major_outage
  - at: 2025-03-{n + 1:02d}T11:00:00Z
    status: resolved
    body: Fixed.
""",
            ),
        )
        for n in range(count)
    ]


def test_importing_history_into_a_published_site_announces_none_of_it(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow(*imported_history(25))  # the natural migration: init, publish once, import
    result = story.announce(env(server))
    assert result.exit_code == 0, result.output
    assert titles(server, "/slack") == ["Identified: API errors", "Resolved: API errors"]  # only the news
    assert "Recorded 50 events as announced without sending them: history older than the published record" in (
        result.output
    )
    recorded = ledger(story.out)
    assert sum(event.startswith("created/") for event in recorded["events"]) == 1 + 25  # known from now on
    assert recorded["latest"] == "2026-11-20T11:00:00Z"


def test_an_old_update_to_a_known_incident_is_still_news(tmp_path: Path, server: Recorder) -> None:
    """Only incidents the record never heard of can be history: an update posted late to a known one is sent."""
    story = Story(tmp_path, SLACK)
    later = incident("Later", updates="  - at: 2026-11-25T10:00:00Z\n    status: investigating\n    body: Looking.\n")
    story.grow(("content/incidents/2026-11-25-later.md", later), updates="")
    assert story.announce(env(server)).exit_code == 0
    assert titles(server, "/slack") == ["New incident: Later"]
    story.deploy()
    story.grow()  # the first incident's updates, five days older than the record's newest event
    result = story.announce(env(server))
    assert result.exit_code == 0, result.output
    assert titles(server, "/slack") == ["New incident: Later", "Identified: API errors", "Resolved: API errors"]


def test_an_emptied_record_does_not_announce_the_whole_history(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow(*imported_history(3))
    record = story.published / "api" / "notifications.json"
    emptied = {**json.loads(record.read_text()), "events": [], "undelivered": {"slack": []}}
    record.write_text(json.dumps(emptied))
    result = story.announce(env(server))
    assert result.exit_code == 0, result.output
    assert posts(server, "/slack") == []
    assert "An emptied record of announcements at" in result.output and "sent nothing" in result.output
    assert sum(event.startswith("created/") for event in ledger(story.out)["events"]) == 1 + 3


def test_an_emptied_record_without_its_time_is_stopped_by_the_cap(tmp_path: Path, server: Recorder) -> None:
    """A record with no events and no newest time (an old one, or emptied whole) meets the cap."""
    story = Story(tmp_path, SLACK)
    story.grow(*imported_history(15))
    record = story.published / "api" / "notifications.json"
    record.write_text(json.dumps({"version": 1, "events": [], "undelivered": {"slack": []}}))
    result = story.announce(env(server))
    assert result.exit_code == 1
    assert posts(server, "/slack") == []
    lines = result.output.splitlines()
    assert (
        lines[0]
        == "error: 33 messages to send, more than --max-messages 20 allows: nothing was sent, and the record is left as it was"
    )
    assert "If they are news, run again with --max-messages 33." in lines
    assert json.loads((story.out / "api" / "notifications.json").read_text())["events"] == []  # as it was


def test_a_run_that_would_send_more_than_max_messages_sends_nothing_unless_told(
    tmp_path: Path, server: Recorder
) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    refused = story.announce(env(server), "--max-messages", "1")
    assert refused.exit_code == 1 and posts(server, "/slack") == []
    assert refused.output.startswith("error: 2 messages to send, more than --max-messages 1 allows")
    dry = story.announce(env(server), "--max-messages", "1", "--dry-run")
    assert dry.exit_code == 0 and "A real run would send none of them: 2 messages to send" in dry.output
    told = story.announce(env(server), "--max-messages", "2")
    assert told.exit_code == 0, told.output
    assert titles(server, "/slack") == ["Identified: API errors", "Resolved: API errors"]


def test_skip_before_records_history_without_sending_it(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    result = story.announce(env(server), "--skip-before", "2026-11-20T10:45:00Z")
    assert result.exit_code == 0, result.output
    assert titles(server, "/slack") == ["Resolved: API errors"]
    assert "than --skip-before (2026-11-20T10:45:00+00:00)" in result.output
    assert "update/" in json.dumps(ledger(story.out)["events"])
    bad = story.announce(env(server), "--skip-before", "yesterday")
    assert bad.exit_code == 2 and "--skip-before" in bad.output


def test_a_filtered_channel_hears_new_incident_when_the_incident_reaches_its_component_later(
    tmp_path: Path, server: Recorder
) -> None:
    story = Story(tmp_path, SLACK, DB_ONLY)
    reaches_db = """\
  - at: 2026-11-20T10:30:00Z
    status: identified
    body: The database is slow too.
    components:
      db: degraded_performance
  - at: 2026-11-20T11:00:00Z
    status: resolved
    body: Fixed.
"""
    story.grow(updates=reaches_db)
    result = story.announce(env(server))
    assert result.exit_code == 0, result.output
    assert titles(server, "/db") == ["New incident: API errors", "Resolved: API errors"]
    assert titles(server, "/slack") == ["Identified: API errors", "Resolved: API errors"]


def test_a_filtered_channel_hears_the_same_whether_deploys_saw_each_update_or_all_at_once(
    tmp_path: Path, server: Recorder
) -> None:
    """The first run of the story saw the incident open on 'api' only; a run seeing it whole says the same."""
    whole = Story(tmp_path / "whole", DB_ONLY)
    whole.grow(
        updates="""\
  - at: 2026-11-20T10:30:00Z
    status: identified
    body: The database is slow too.
    components:
      db: degraded_performance
"""
    )
    # the same content, with the record started before the incident existed
    (whole.published / "api" / "notifications.json").write_text(
        json.dumps({"version": 1, "events": ["created/unrelated"], "undelivered": {"db-team": []}})
    )
    result = whole.announce(env(server))
    assert result.exit_code == 0, result.output
    assert titles(server, "/db") == ["New incident: API errors"]
