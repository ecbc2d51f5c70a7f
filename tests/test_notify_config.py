"""``[[notify]]`` in sitegen.toml: every channel type loads, and every mistake is reported with its line,
never repeating what may be a secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEFAULT_CONFIG, NOW, write_site

from sitegen.content.loader import load_site
from sitegen.content.notify_config import ChannelType, NotifyChannel, Visibility
from sitegen.errors import ContentError

ALL_TYPES = """
[[notify]]
type = "slack"
url_env = "SLACK_WEBHOOK_URL"
components = ["api", "web"]

[[notify]]
type = "discord"
url_env = "DISCORD_WEBHOOK_URL"

[[notify]]
type = "teams"
url_env = "TEAMS_WEBHOOK_URL"

[[notify]]
type = "webhook"
name = "pager"
url_env = "HOOK_URL"
secret_env = "HOOK_SECRET"

[[notify]]
type = "mastodon"
server = "https://mastodon.social/"
token_env = "MASTODON_TOKEN"
visibility = "unlisted"

[[notify]]
type = "email"
smtp_host = "smtp.example.com"
smtp_port = 2525
username_env = "SMTP_USER"
password_env = "SMTP_PASSWORD"
from = "status@example.com"
to = ["ops@example.com", "cto@example.com"]
"""


def channels(tmp_path: Path, tables: str) -> tuple[NotifyChannel, ...]:
    site = write_site(tmp_path / "site", {}, config=DEFAULT_CONFIG + tables)
    return load_site(site, now=NOW).config.notify


def errors(tmp_path: Path, tables: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        channels(tmp_path, tables)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def test_every_channel_type_loads(tmp_path: Path) -> None:
    slack, discord, teams, webhook, mastodon, email = channels(tmp_path, ALL_TYPES)
    assert [c.type for c in (slack, discord, teams, webhook, mastodon, email)] == list(ChannelType)
    assert [c.name for c in (slack, discord, teams, webhook, mastodon, email)] == [
        "slack", "discord", "teams", "pager", "mastodon", "email"
    ]  # fmt: skip
    assert slack.components == ("api", "web") and slack.env_names == ("SLACK_WEBHOOK_URL",)
    assert webhook.env_names == ("HOOK_URL", "HOOK_SECRET")
    assert mastodon.server == "https://mastodon.social" and mastodon.visibility is Visibility.UNLISTED
    assert email.smtp_port == 2525 and email.sender == "status@example.com"
    assert email.recipients == ("ops@example.com", "cto@example.com")
    assert email.env_names == ("SMTP_USER", "SMTP_PASSWORD")
    assert discord.components == () and discord.concerns(frozenset({"db"}))
    assert slack.concerns(frozenset({"web", "db"})) and not slack.concerns(frozenset({"db"}))


def test_no_notify_tables_means_no_channels(tmp_path: Path) -> None:
    assert channels(tmp_path, "") == ()


def test_a_secret_written_in_place_of_its_variable_is_refused_and_not_repeated(tmp_path: Path) -> None:
    secret = "https://hooks.slack.com/services/T0/B0/s3cr3t"
    (message,) = errors(tmp_path, f'[[notify]]\ntype = "slack"\nurl_env = "{secret}"\n')
    assert message.startswith("21: 'url_env' must be the name of an environment variable")
    assert "revoke it" in message and "s3cr3t" not in message


def test_an_unknown_key_gets_a_suggestion(tmp_path: Path) -> None:
    (message,) = errors(tmp_path, '[[notify]]\ntype = "slack"\nurl_env = "A"\nurl = "https://x"\n')
    assert message == "22: unknown key 'url' in [[notify]]; did you mean 'url_env'?"


def test_keys_of_another_type_and_missing_keys_are_errors(tmp_path: Path) -> None:
    found = errors(tmp_path, '[[notify]]\ntype = "mastodon"\nurl_env = "A"\n')
    assert found == [
        "19: a mastodon channel needs 'server': the server's URL",
        "19: a mastodon channel needs 'token_env': the variable that holds the access token",
        "21: 'url_env' does not apply to a mastodon channel (it is for slack, discord, teams, webhook)",
    ]


def test_an_unknown_type_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    (message,) = errors(tmp_path, '[[notify]]\ntype = "slak"\nurl_env = "A"\n')
    assert message.startswith("20: 'type' is 'slak', not one of slack, discord,") and "did you mean 'slack'" in message


def test_two_channels_need_two_names(tmp_path: Path) -> None:
    table = '[[notify]]\ntype = "slack"\nurl_env = "A"\n'
    (message,) = errors(tmp_path, table + table)
    assert message == "22: the [[notify]] table on line 19 is already named 'slack': give each channel its own 'name'"
    assert len(channels(tmp_path / "named", table + table.replace('"A"', '"B"\nname = "ops"'))) == 2


def test_components_must_be_known_and_addresses_real(tmp_path: Path) -> None:
    found = errors(
        tmp_path,
        '[[notify]]\ntype = "slack"\nurl_env = "A"\ncomponents = ["apii"]\n\n'
        '[[notify]]\ntype = "email"\nsmtp_host = "h"\nfrom = "me"\nto = "ops@example.com"\nsmtp_port = 70000\n',
    )
    assert found == [
        "22: unknown component 'apii' in 'components'; did you mean 'api'?",
        "27: 'from': 'me' is not an email address such as status@example.com",
        '28: \'to\' must be a list of text in brackets, such as ["a", "b"]',
        "29: 'smtp_port' must be a port number from 1 to 65535, not 70000",
    ]


def test_a_mastodon_server_must_be_a_url_and_email_login_needs_both_halves(tmp_path: Path) -> None:
    found = errors(
        tmp_path,
        '[[notify]]\ntype = "mastodon"\nserver = "mastodon.social"\ntoken_env = "T"\n\n'
        '[[notify]]\ntype = "email"\nsmtp_host = "h"\nfrom = "a@b.c"\nto = ["d@e.f"]\nusername_env = "U"\n',
    )
    assert found == [
        "21: 'server' must be the server's https URL, such as https://mastodon.social, not 'mastodon.social'",
        "24: an email channel that logs in needs both 'username_env' and 'password_env'",
    ]


def test_notify_must_be_tables(tmp_path: Path) -> None:
    (message,) = errors(tmp_path, '[notify]\ntype = "slack"\n')
    assert "notify must be written as [[notify]] tables" in message


def test_a_mastodon_token_never_travels_in_clear_over_a_network(tmp_path: Path) -> None:
    (message,) = errors(tmp_path, '[[notify]]\ntype = "mastodon"\nserver = "http://mastodon.social"\ntoken_env = "T"\n')
    assert message == (
        "21: 'server' must be the server's https URL, such as https://mastodon.social, not 'http://mastodon.social'"
    )
    for loopback in (
        "http://127.0.0.1:3000",
        "http://localhost",
        "http://[::1]:8080",
    ):  # the token stays on the machine
        table = f'[[notify]]\ntype = "mastodon"\nserver = "{loopback}"\ntoken_env = "T"\n'
        assert channels(tmp_path / loopback.replace(":", "_").replace("/", "_"), table)[0].server == loopback
