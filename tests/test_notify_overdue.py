"""A late update: on-call's channels are reminded once when a promised update has not come; subscribers never are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_notify_config import channels, errors
from test_notify_support import Recorder, Story, ledger, posts, recorder

ON_CALL = 'type = "slack"\nname = "on-call"\nurl_env = "ON_CALL_URL"\non_call = true'
SUBSCRIBERS = 'type = "slack"\nname = "subscribers"\nurl_env = "SUBSCRIBERS_URL"'
PROMISED = """\
  - at: 2026-11-28T11:00:00Z
    status: identified
    body: A bad deploy; rolling back.
    next_update: 30m
"""
"""An update promising the next by 11:30; the tests run at 12:00 (conftest's NOW): half an hour late."""
KEPT = """\
  - at: 2026-11-28T11:25:00Z
    status: monitoring
    body: Rolled back; watching.
"""


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


def env(server: Recorder) -> dict[str, str]:
    return {"ON_CALL_URL": server.url("/on-call"), "SUBSCRIBERS_URL": server.url("/subscribers")}


def titles(server: Recorder, path: str) -> list[str]:
    return [post["text"] for post in posts(server, path)]


def test_a_passed_promise_reminds_on_call_once_and_never_subscribers(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, ON_CALL, SUBSCRIBERS)
    story.grow(updates=PROMISED)
    result = story.announce(env(server))
    assert result.exit_code == 0, result.output
    assert titles(server, "/on-call") == ["Identified: API errors", "Update overdue: API errors"]
    assert titles(server, "/subscribers") == ["Identified: API errors"]
    blocks = posts(server, "/on-call")[1]["blocks"]
    text = " ".join(str(block) for block in blocks)
    assert "The next update was promised by Sat, Nov 28, 2026, 11:30 AM UTC, and it is 30 minutes late." in text
    assert "`sitegen update 2026-11-20-api-errors --status ...`" in text
    assert "https://example.github.io/status/incidents/2026-11-20-api-errors/" in text
    assert any(key.startswith("overdue/") for key in ledger(story.out)["events"])
    story.deploy()
    again = story.announce(env(server))
    assert again.exit_code == 0, again.output
    assert "Nothing new to announce." in again.output
    assert len(posts(server, "/on-call")) == 2  # the promise is reminded of once


@pytest.mark.parametrize(
    ("updates", "why"),
    [(PROMISED + KEPT, "a newer update kept the promise"), (PROMISED.replace("30m", "2h"), "not late yet")],
)
def test_no_reminder_when_the_promise_is_kept_or_not_yet_due(
    tmp_path: Path, server: Recorder, updates: str, why: str
) -> None:
    story = Story(tmp_path, ON_CALL)
    story.grow(updates=updates)
    result = story.announce(env(server))
    assert result.exit_code == 0, result.output
    assert not [title for title in titles(server, "/on-call") if title.startswith("Update overdue")], why


def test_on_call_is_read_and_checked(tmp_path: Path) -> None:
    [channel] = channels(tmp_path / "good", f"[[notify]]\n{ON_CALL}\n")
    assert channel.on_call
    [plain] = channels(tmp_path / "plain", f"[[notify]]\n{SUBSCRIBERS}\n")
    assert not plain.on_call
    table = '[[notify]]\ntype = "slack"\nurl_env = "A"\non_call = "yes"\n'
    assert errors(tmp_path / "bad", table) == ["22: 'on_call' must be true or false (without quotes), not str 'yes'"]


@pytest.mark.parametrize(
    ("table", "path"),
    [
        ('type = "discord"\nurl_env = "HOOK_URL"', "/hook"),
        ('type = "teams"\nurl_env = "HOOK_URL"', "/hook"),
        ('type = "webhook"\nurl_env = "HOOK_URL"', "/hook"),
        ('type = "mastodon"\nserver = "{server}"\ntoken_env = "TOKEN"', "/api/v1/statuses"),
    ],
)
def test_every_channel_format_says_the_promise_how_late_and_where(
    tmp_path: Path, server: Recorder, table: str, path: str
) -> None:
    story = Story(tmp_path, table.format(server=server.url("")) + "\non_call = true")
    story.grow(updates=PROMISED)
    result = story.announce({"HOOK_URL": server.url("/hook"), "TOKEN": "t"})
    assert result.exit_code == 0, result.output
    sent = [request.body.decode() for request in server.at(path) if request.method == "POST"]
    assert len(sent) == 2, result.output  # the update, then the reminder
    for words in ("Update overdue: API errors", "11:30 AM UTC", "30 minutes late", "2026-11-20-api-errors/"):
        assert words in sent[1], words
    if "webhook" in table:
        assert posts(server, "/hook")[1]["meta"]["event"] == "incident.overdue"
