"""The record of what was announced: the first run, exactly once over reruns and deploys, retrying only
what failed, reading it from a URL or a folder, and each channel's component filter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_notify_support import DB_INCIDENT, Recorder, Reply, Story, config, ledger, posts, recorder

SLACK = 'type = "slack"\nurl_env = "SLACK_URL"'
DISCORD = 'type = "discord"\nurl_env = "DISCORD_URL"'


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


def env(server: Recorder) -> dict[str, str]:
    return {"SLACK_URL": server.url("/slack"), "DISCORD_URL": server.url("/discord")}


def titles(server: Recorder, path: str) -> list[str]:
    return [post.get("text") or post["embeds"][0]["title"] for post in posts(server, path)]


def test_the_first_run_sends_nothing_and_only_starts_the_record(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)  # its first act is a run against a site with no record
    assert server.requests == []
    record = ledger(story.published)
    assert record["version"] == 1
    assert record["events"] == sorted(record["events"]) and len(record["events"]) == 2  # created/… and its update
    assert record["undelivered"] == {"slack": []}
    assert not any("http" in key or "SLACK" in key for key in record["events"])


def test_the_first_run_says_why_it_sent_nothing(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    result = story.announce(env(server), published=tmp_path / "nothing-published")
    assert result.exit_code == 0, result.output
    assert "No record of earlier announcements at" in result.output and "sent nothing" in result.output
    assert server.requests == []


def test_each_event_is_sent_once_over_reruns_and_deploys(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    first = story.announce(env(server))
    assert first.exit_code == 0, first.output
    assert titles(server, "/slack") == ["Identified: API errors", "Resolved: API errors"]
    story.deploy()
    build_again = story.out  # the next scheduled run: the same content, built again
    again = story.announce(env(server), published=story.published)
    assert again.exit_code == 0 and "Nothing new to announce." in again.output
    rerun = story.announce(env(server), published=build_again)  # a rerun against the record it wrote
    assert rerun.exit_code == 0 and len(posts(server, "/slack")) == 2


def test_a_failed_channel_is_retried_on_the_next_run_and_the_others_are_not_repeated(
    tmp_path: Path, server: Recorder
) -> None:
    story = Story(tmp_path, SLACK, DISCORD)
    story.grow()
    server.script("/slack", Reply(200), *[Reply(500)] * 3)  # the first message goes, the second fails
    assert story.announce(env(server)).exit_code == 1
    assert titles(server, "/slack") == ["Identified: API errors"] + ["Resolved: API errors"] * 3
    assert len(posts(server, "/discord")) == 2
    story.deploy()  # the workflow deploys anyway: the record must go out
    retry = story.announce(env(server))
    assert retry.exit_code == 0, retry.output
    assert titles(server, "/slack")[-1] == "Resolved: API errors" and len(posts(server, "/slack")) == 5
    assert len(posts(server, "/discord")) == 2
    assert ledger(story.out)["undelivered"] == {"discord": [], "slack": []}


def test_a_channel_added_later_owes_nothing_from_before(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    (story.site / "sitegen.toml").write_text(config(SLACK, DISCORD))
    story.grow()
    assert story.announce(env(server)).exit_code == 0
    assert len(posts(server, "/slack")) == 2 and len(posts(server, "/discord")) == 2  # new since: for both


def test_the_record_is_read_from_the_published_url_past_caches(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    server.files["/status/api/notifications.json"] = (story.published / "api" / "notifications.json").read_bytes()
    story.grow()
    result = story.announce(env(server), published=server.url("/status"))
    assert result.exit_code == 0, result.output
    assert len(posts(server, "/slack")) == 2
    (fetch,) = [r for r in server.requests if r.method == "GET"]
    assert fetch.path.startswith("/status/api/notifications.json?fresh=")
    assert fetch.headers["cache-control"] == "no-cache"


def test_no_record_at_the_published_url_is_a_first_run(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    result = story.announce(env(server), published=server.url("/status/"))
    assert result.exit_code == 0, result.output
    assert "No record of earlier announcements at http://127.0.0.1" in result.output
    assert posts(server, "/slack") == [] and ledger(story.out)["undelivered"] == {"slack": []}


def test_a_published_site_that_cannot_be_read_stops_the_run_without_a_record(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    server.script("/status/api/notifications.json", *[Reply(502, b"bad gateway")] * 3)
    result = story.announce(env(server), published=server.url("/status/"))
    assert result.exit_code == 1
    assert "error: cannot read what was announced before from http://127.0.0.1" in result.output
    assert posts(server, "/slack") == []
    assert not (story.out / "api" / "notifications.json").exists()  # so the workflow does not deploy without one


def test_a_record_sitegen_did_not_write_is_refused(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    (story.published / "api" / "notifications.json").write_text(json.dumps({"sent": ["x"]}))
    result = story.announce(env(server))
    assert result.exit_code == 1 and "is not a record that sitegen notify (record version 1) wrote" in result.output
    assert server.requests == []


def test_a_published_folder_that_does_not_exist_is_an_error(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    result = story.announce(env(server), published=tmp_path / "typo")
    assert result.exit_code == 1 and "--published: there is no folder" in result.output


def test_each_channel_announces_only_the_components_it_follows(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK + '\ncomponents = ["db"]', DISCORD)
    story.grow(("content/incidents/2026-11-21-db-slow.md", DB_INCIDENT))
    assert story.announce(env(server)).exit_code == 0
    assert titles(server, "/slack") == ["New incident: Database slow"]
    assert titles(server, "/discord") == [
        "Identified: API errors",
        "Resolved: API errors",
        "New incident: Database slow",
    ]
    assert ledger(story.out)["undelivered"] == {"discord": [], "slack": []}


def test_the_built_site_must_be_one_sitegen_built(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    result = story.announce(env(server), published=story.published)  # story.out was never built
    assert result.exit_code == 1 and "is not a site written by sitegen build" in result.output
