"""Reminders of a maintenance before it starts: at each lead time a channel asks for, once each, through the record."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DEFAULT_CONFIG, write_site
from test_notify_config import channels, errors
from test_notify_support import QUICK, Recorder, build, ledger, posts, recorder

from sitegen.commands.notify import notify

MAINTENANCE = """\
---
title: Database upgrade
kind: maintenance
scheduled_for: 2026-12-10T10:00:00Z
scheduled_until: 2026-12-10T12:00:00Z
components:
  db: under_maintenance
updates:
  - at: {announced}
    status: scheduled
    body: We will upgrade the database.
---
"""
SLACK = 'type = "slack"\nurl_env = "SLACK_URL"\nreminders = ["24h", "72h", "1h"]'
PAGER = 'type = "slack"\nname = "pager"\nurl_env = "PAGER_URL"\nreminders = ["60m"]'
QUIET = 'type = "slack"\nname = "quiet"\nurl_env = "QUIET_URL"'


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


class Calendar:
    """A site with one maintenance (announced at ``announced``), and notify run, then deployed, at chosen times."""

    def __init__(self, root: Path, announced: str, *tables: str) -> None:
        config = DEFAULT_CONFIG + "".join(f"\n[[notify]]\n{table}\n" for table in tables)
        files = {"content/incidents/2026-12-10-database-upgrade.md": MAINTENANCE.format(announced=announced)}
        self.site = write_site(root / "site", files, config=config)
        self.published, self.out = root / "published", root / "public"
        build(self.site, self.published)
        (root / "nothing").mkdir()
        assert self.notify("2026-12-01T00:00:00Z", {}, root / "nothing").exit_code == 0  # the record starts

    def notify(self, now: str, env: dict[str, str], published: Path | None = None) -> Result:
        """``sitegen notify --now NOW`` against the published site; what it wrote is then deployed."""
        build(self.site, self.out)
        args = [str(self.site), "-o", str(self.out), "--published", str(published or self.published), "--now", now]
        result = CliRunner().invoke(notify, [*args, *QUICK], env=env)
        assert result.exit_code == 0, result.output
        shutil.rmtree(self.published)
        shutil.copytree(self.out, self.published)
        return result


def titles(server: Recorder, path: str) -> list[str]:
    return [post["text"] for post in posts(server, path)]


def test_each_lead_time_reminds_once_on_the_channels_that_ask_for_it(tmp_path: Path, server: Recorder) -> None:
    calendar = Calendar(tmp_path, "2026-11-30T09:00:00Z", SLACK, PAGER, QUIET)
    env = {"SLACK_URL": server.url("/slack"), "PAGER_URL": server.url("/pager"), "QUIET_URL": server.url("/quiet")}
    calendar.notify("2026-12-07T09:59:00Z", env)  # a minute before the 72 h reminder: nothing yet
    assert server.requests == []
    for now in ("2026-12-07T10:30:00Z", "2026-12-07T11:00:00Z", "2026-12-09T10:05:00Z", "2026-12-10T09:10:00Z"):
        calendar.notify(now, env)
    assert titles(server, "/slack") == [
        "Maintenance in 72 hours: Database upgrade",
        "Maintenance in 24 hours: Database upgrade",
        "Maintenance in 1 hour: Database upgrade",
    ]  # each once, though notify ran twice after the 72 h one
    assert titles(server, "/pager") == ["Maintenance in 1 hour: Database upgrade"]
    assert titles(server, "/quiet") == []
    reminder = posts(server, "/pager")[0]
    assert "This maintenance starts in 1 hour." in reminder["blocks"][2]["text"]["text"]
    assert reminder["blocks"][3]["fields"] == [{"type": "mrkdwn", "text": "*Database*\nUnder maintenance"}]
    assert "reminder/1h/" in " ".join(ledger(calendar.published)["events"])
    calendar.notify("2026-12-10T10:30:00Z", env)  # once the window has opened: it started, and no reminder comes late
    assert titles(server, "/quiet") == ["Maintenance started: Database upgrade"]
    assert titles(server, "/slack")[3:] == ["Maintenance started: Database upgrade"]


def test_a_reminder_due_before_the_announcement_is_not_sent(tmp_path: Path, server: Recorder) -> None:
    """Announced 30 hours ahead: the 72 h reminder would come on the heels of the announcement, saying nothing new."""
    calendar = Calendar(tmp_path, "2026-12-09T04:00:00Z", SLACK)
    env = {"SLACK_URL": server.url("/slack")}
    calendar.notify("2026-12-09T05:00:00Z", env)
    calendar.notify("2026-12-09T11:00:00Z", env)
    assert titles(server, "/slack") == ["Maintenance in 24 hours: Database upgrade"]


def test_lead_times_are_read_and_checked(tmp_path: Path) -> None:
    [channel] = channels(
        tmp_path / "good", '[[notify]]\ntype = "slack"\nurl_env = "A"\nreminders = ["1d", "90m", "24h"]\n'
    )
    assert [lead.total_seconds() / 3600 for lead in channel.reminders] == [24, 1.5]  # longest first, each once
    for wrong in ("1 hour", "0h"):
        table = f'[[notify]]\ntype = "slack"\nurl_env = "A"\nreminders = ["{wrong}"]\n'
        assert errors(tmp_path / wrong, table) == [
            f'22: \'reminders\': \'{wrong}\' is not a lead time such as "72h", "30m" or "2d" (minutes, hours, days)'
        ]
