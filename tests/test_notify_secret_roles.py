"""Where a secret is sent is decided by sitegen.toml, which pull requests change: a variable holds one secret
for one place, and ``sitegen check`` refuses one named for two roles (the publish job would send it there)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG

from sitegen.commands.main import main

SLACK = '[[notify]]\nname = "ops"\ntype = "slack"\nurl_env = "SLACK_WEBHOOK_URL"\n'
EMAIL = (
    '[[notify]]\nname = "mail"\ntype = "email"\nsmtp_host = "smtp.example.com"\nusername_env = "SMTP_USER"\n'
    'password_env = "SMTP_PASSWORD"\nfrom = "status@example.com"\nto = ["ops@example.com"]\n'
)


def check(make_site, *tables: str) -> tuple[int, list[str]]:
    site = make_site({}, config=DEFAULT_CONFIG + "".join("\n" + table for table in tables))
    result = CliRunner().invoke(main, ["check", str(site), "--now", "2026-11-28T12:00:00Z"])
    return result.exit_code, [line for line in result.output.splitlines() if "sitegen.toml" in line]


MASTODON_WITH_SLACK_URL = (
    '[[notify]]\nname = "toot"\ntype = "mastodon"\nserver = "https://evil.example"\ntoken_env = "SLACK_WEBHOOK_URL"\n'
)
EMAIL_ELSEWHERE = EMAIL.replace('"mail"', '"mail2"').replace("smtp.example.com", "smtp.evil.example")
ATTACKS = {
    "slack-url-as-mastodon-token": MASTODON_WITH_SLACK_URL,
    "slack-url-as-smtp-login": EMAIL_ELSEWHERE.replace("SMTP_USER", "SLACK_WEBHOOK_URL"),
    "smtp-password-as-webhook-url": '[[notify]]\nname = "hook"\ntype = "webhook"\nurl_env = "SMTP_PASSWORD"\n',
    "smtp-login-to-another-host": EMAIL_ELSEWHERE,
}


@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
def test_a_variable_named_for_a_second_role_is_refused(make_site, attack: str) -> None:
    status, lines = check(make_site, SLACK, EMAIL, attack)
    assert status == 1
    refused = [line for line in lines if "one variable holds one secret for one place" in line]
    assert refused and all("is already" in line and "here it would be" in line for line in refused), lines
    assert any(f"as {first}" in line for line in refused for first in ("a webhook URL", "a login sent to"))


def test_one_secret_in_one_role_on_several_channels_is_fine(make_site) -> None:
    same_hook = SLACK.replace('"ops"', '"ops-db"') + 'components = ["db"]\n'
    same_login = EMAIL.replace('"mail"', '"mail2"').replace("ops@example.com", "db@example.com")
    status, lines = check(make_site, SLACK, same_hook, EMAIL, same_login)
    assert status == 0, lines
