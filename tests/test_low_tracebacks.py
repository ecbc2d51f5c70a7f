"""What printed tracebacks, and what printed secrets: each case now one line that says what to do.

Secrets are echoed by a real server on 127.0.0.1 in each form a server may
use; the other cases run the real command line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from conftest import incident
from test_notify_support import Recorder, Reply, Story, recorder

from sitegen.commands.main import main

SLACK = 'type = "slack"\nurl_env = "SLACK_URL"'
TOKEN_PATH = "/services/T0A1B2C3D/B0E1F2G3H/Xy7kQ2mZ9pR4tW8vN1bC5dF6"
TOKEN = TOKEN_PATH.rsplit("/", 1)[1]


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


def echoes(url: str) -> dict[str, str]:
    return {
        "json-escaped": json.dumps({"url": url.replace("/", "\\/")}),
        "%2F-encoded": f"no hook at {quote(TOKEN_PATH, safe='')}",
        "%2f-encoded": f"no hook at {quote(TOKEN_PATH, safe='').lower()}",
        "upper-cased": url.upper(),
        "token alone": f"invalid_token: {TOKEN}",
        "path segments alone": "team T0A1B2C3D, hook B0E1F2G3H",
    }


@pytest.mark.parametrize("form", list(echoes("x")))
@pytest.mark.parametrize(("status", "exit_code"), [(403, 1), (400, 0)], ids=["channel failed", "message dropped"])
def test_a_secret_echoed_by_a_server_in_another_form_is_not_printed(
    tmp_path: Path, server: Recorder, form: str, status: int, exit_code: int
) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    url = server.url(TOKEN_PATH)
    server.script(TOKEN_PATH, Reply(status, echoes(url)[form].encode()))
    result = story.announce({"SLACK_URL": url}, "--retries", "0")
    assert result.exit_code == exit_code and f"HTTP {status} from 127.0.0.1: " in result.output
    assert "[secret]" in result.output
    printed = result.output.lower()
    for part in (TOKEN, "T0A1B2C3D", "B0E1F2G3H"):
        assert part.lower() not in printed, result.output


@pytest.mark.parametrize("url", ["https://[hooks.slack.com/services/x", "https://hooks.slack.com:port/x", "https://"])
def test_a_malformed_webhook_url_in_a_secret_is_one_line(tmp_path: Path, url: str) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    result = story.announce({"SLACK_URL": url})
    assert result.exit_code == 1 and not isinstance(result.exception, ValueError)
    assert "$SLACK_URL does not hold an http(s) URL" in result.output and "Traceback" not in result.output
    assert "hooks.slack.com" not in result.output  # the value itself is a secret


def test_build_with_an_empty_base_url_is_one_error(make_site, tmp_path: Path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    result = CliRunner().invoke(main, ["build", str(site), "-o", str(tmp_path / "out"), "--base-url", ""])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "--base-url is empty: give the absolute URL the site is published at, or leave it out" in result.output
    assert not (tmp_path / "out").exists()


def test_import_cstate_with_a_timezone_that_is_not_a_zone_is_a_usage_error(make_site, tmp_path: Path) -> None:
    site = make_site({})
    (tmp_path / "cstate" / "content" / "issues").mkdir(parents=True)
    command = ["import", "cstate", str(tmp_path / "cstate"), "--site", str(site), "--timezone", "Mars/Olympus"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.exception
    assert "unknown timezone 'Mars/Olympus': use an IANA name such as 'UTC'" in result.output


def test_a_published_site_that_redirects_in_a_loop_is_one_line(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, SLACK)
    story.grow()
    server.script("/site/api/notifications.json", *[Reply(302, b"", {"Location": "/site/api/notifications.json"})] * 30)
    result = story.announce({"SLACK_URL": server.url()}, published=server.url("/site/"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "127.0.0.1 redirects without end (a loop); nothing was sent" in result.output
