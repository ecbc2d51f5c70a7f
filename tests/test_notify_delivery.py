"""Manners and failures against a real loopback server: retries after a 500 or a timeout, 429 and
Retry-After, a failing channel beside a working one, missing secrets, and secrets kept out of the output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_notify_support import Recorder, Reply, Story, ledger, posts, recorder

SLACK = 'type = "slack"\nurl_env = "SLACK_URL"'
DISCORD = 'type = "discord"\nurl_env = "DISCORD_URL"'


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


@pytest.fixture
def story(tmp_path: Path) -> Story:
    story = Story(tmp_path, SLACK)
    story.grow()
    return story


def test_a_500_is_retried_and_the_message_then_goes_out_once(story: Story, server: Recorder) -> None:
    server.script("/hook", Reply(500, b"oops"), Reply(503, b"busy"))
    result = story.announce({"SLACK_URL": server.url()})
    assert result.exit_code == 0, result.output
    assert [p["text"] for p in posts(server)] == ["Identified: API errors"] * 3 + ["Resolved: API errors"]


def test_a_server_that_does_not_answer_in_time_is_retried(story: Story, server: Recorder) -> None:
    server.script("/hook", Reply(stall=1.0))  # longer than the 0.4 s timeout of the tests
    result = story.announce({"SLACK_URL": server.url()})
    assert result.exit_code == 0, result.output
    assert len(server.at("/hook")) == 3  # the stalled try, its retry, the second message
    assert ledger(story.out)["undelivered"] == {"slack": []}


def test_429_waits_for_retry_after_before_trying_again(story: Story, server: Recorder) -> None:
    server.script("/hook", Reply(429, b"rate_limited", {"Retry-After": "1"}))
    result = story.announce({"SLACK_URL": server.url()})
    assert result.exit_code == 0, result.output
    first, retry, _ = server.at("/hook")
    assert retry.at - first.at >= 0.95  # the server's 1 s, not the 0.05 s backoff
    assert retry.json() == first.json()


def test_429_asking_for_too_long_a_wait_fails_the_channel_for_this_run(story: Story, server: Recorder) -> None:
    server.script("/hook", Reply(429, b"", {"Retry-After": "3600"}))
    result = story.announce({"SLACK_URL": server.url()})
    assert result.exit_code == 1
    assert len(server.at("/hook")) == 1  # no waiting an hour, no hammering either
    assert "slack: “Identified: API errors” not sent: HTTP 429 from 127.0.0.1: rate limited, asked to wait 3600 s" in (
        result.output
    )
    assert len(ledger(story.out)["undelivered"]["slack"]) == 2  # the later message waits in order


def test_a_final_error_is_not_retried(story: Story, server: Recorder) -> None:
    server.script("/hook", Reply(404, b"no_service"))
    result = story.announce({"SLACK_URL": server.url()})
    assert result.exit_code == 1
    assert len(server.at("/hook")) == 1
    assert "HTTP 404 from 127.0.0.1: no_service (1 later message waits too)" in result.output


def test_a_failing_channel_does_not_stop_the_others_and_fails_the_command_with_one_line(
    tmp_path: Path, server: Recorder
) -> None:
    story = Story(tmp_path, SLACK, DISCORD)
    story.grow()
    server.script("/slack", *[Reply(500, b"down")] * 3)
    result = story.announce({"SLACK_URL": server.url("/slack"), "DISCORD_URL": server.url("/discord")})
    assert result.exit_code == 1
    assert len(posts(server, "/discord")) == 2
    errors = result.output.split("error: ", 1)[1].splitlines()
    assert errors[0] == "1 channel could not send; the record keeps what they owe for the next run"
    assert errors[1].startswith("slack: “Identified: API errors” not sent: HTTP 500 from 127.0.0.1: down (3 tries)")
    assert len(errors) == 2
    owed = ledger(story.out)["undelivered"]
    assert len(owed["slack"]) == 2 and owed["discord"] == []


def test_a_missing_secret_stops_everything_before_anything_is_sent(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK, DISCORD)
    story.grow()
    result = story.announce({"DISCORD_URL": server.url("/discord")})
    assert result.exit_code == 1
    assert server.requests == []
    assert "error: a [[notify]] channel's secret is missing: nothing was sent" in result.output
    assert "slack: $SLACK_URL is not set (or is empty)" in result.output
    owed = ledger(story.out)["undelivered"]  # the deploy publishes a record that still owes everything
    assert len(owed["slack"]) == 2 and len(owed["discord"]) == 2


def test_a_secret_that_is_not_a_url_is_refused_without_being_shown(story: Story, server: Recorder) -> None:
    result = story.announce({"SLACK_URL": "xoxb-not-a-url-s3cr3t"})
    assert result.exit_code == 1
    assert "slack: $SLACK_URL does not hold an http(s) URL" in result.output
    assert "s3cr3t" not in result.output


def test_secrets_never_appear_in_the_output_or_the_record(tmp_path: Path, server: Recorder) -> None:
    story = Story(
        tmp_path,
        SLACK,
        'type = "webhook"\nurl_env = "HOOK_URL"',
        f'type = "mastodon"\nserver = "{server.url("")}"\ntoken_env = "MASTODON_TOKEN"',
    )
    story.grow()
    token_path = "/services/T0/B0/s3cr3tT0k3n"
    server.script(token_path, Reply(404, f"no_service for {token_path}".encode()))  # a server echoing the URL
    server.script("/api/v1/statuses", Reply(401, b'{"error":"bad token m4st0d0nT0k3n"}'))
    unreachable = "http://127.0.0.1:9/hooks/an0th3rT0k3n"
    result = story.announce(
        {"SLACK_URL": server.url(token_path), "HOOK_URL": unreachable, "MASTODON_TOKEN": "m4st0d0nT0k3n"},
        "--retries",
        "0",
    )
    assert result.exit_code == 1
    assert result.output.count(" not sent: ") == 3, result.output
    assert "cannot reach 127.0.0.1 (ConnectError)" in result.output
    for secret in ("s3cr3tT0k3n", "an0th3rT0k3n", "m4st0d0nT0k3n", "/T0/B0/"):
        assert secret not in result.output
        assert secret not in (story.out / "api" / "notifications.json").read_text()
    assert "[secret]" in result.output


def test_deferred_before_the_deploy_then_sent_once_the_pages_are_live(story: Story, server: Recorder) -> None:
    """The publish workflow's order: record what is owed, deploy, send from the deployed record, publish it."""
    env = {"SLACK_URL": server.url()}
    deferred = story.announce({}, "--defer")  # no secrets needed: nothing is sent
    assert deferred.exit_code == 0, deferred.output
    assert "Recorded 2 messages owed; sent nothing (--defer)." in deferred.output
    assert posts(server) == []
    assert len(ledger(story.out)["undelivered"]["slack"]) == 2
    story.deploy()  # the site is live, owing both messages
    sent = story.announce(env, published=story.out)
    assert sent.exit_code == 0, sent.output
    assert [p["text"] for p in posts(server)] == ["Identified: API errors", "Resolved: API errors"]
    assert ledger(story.out)["undelivered"] == {"slack": []}
    story.deploy()  # the record of what was sent
    again = story.announce(env, "--defer")
    assert again.exit_code == 0 and ledger(story.out)["undelivered"] == {"slack": []}
    assert story.announce(env, published=story.out).exit_code == 0
    assert len(posts(server)) == 2  # each message once


def test_defer_and_dry_run_cannot_be_combined(story: Story) -> None:
    result = story.announce({}, "--defer", "--dry-run")
    assert result.exit_code == 2 and "--dry-run and --defer cannot be combined" in result.output
