"""Hostile and very long updates, as each platform receives them from the real command on a loopback server.

One update carries a megabyte of text, 31 components, ``<!channel>``,
``@everyone``, ``@@alice``, Markdown links whose targets are Slack control
sequences and a code block holding a fence. Every payload must stay within
its platform's documented limits, measured on what is sent, and mention no
one. A message a server refuses as such is dropped with a warning and holds
no later message back; ``--skip`` moves a channel past one by hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import write_site
from test_notify_support import Recorder, Reply, build, ledger, posts, recorder, run_notify

from sitegen.notify.mastodon import STATUS_LIMIT, length
from sitegen.notify.teams import PAYLOAD_LIMIT

COMPONENTS = [f"c{n:02}" for n in range(31)]
HOSTILE = (
    "Rolled back <!channel> & @everyone, @@alice and <@U123>. "
    "See [here](!here), [him](@U0123ABC), [there](#C0123ABC), [ok](https://example.com/a?b=1&c=<2>).\n\n"
    "````\ncode with a fence:\n```\nstill code\n````\n\n"
)
BODY = HOSTILE + "A very long explanation. " * 42_000  # over a megabyte
SLACK = 'type = "slack"\nurl_env = "SLACK_URL"'
DISCORD = 'type = "discord"\nurl_env = "DISCORD_URL"'
TEAMS = 'type = "teams"\nurl_env = "TEAMS_URL"'


def site_config(*channels: str) -> str:
    components = "".join(f'\n[[components]]\nid = "{cid}"\nname = "Component <!here> {cid}"\n' for cid in COMPONENTS)
    head = '[site]\ntitle = "Status <!channel>"\nbase_url = "https://example.github.io/status/"\ntimezone = "UTC"\nmax_file_kib = 2048\n'
    return head + components + "".join(f"\n[[notify]]\n{channel}\n" for channel in channels)


def incident(*updates: str) -> str:
    affected = "".join(f"  {cid}: major_outage\n" for cid in COMPONENTS)
    first = "  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    body: Errors.\n"
    return f"---\ntitle: '<!channel> @everyone down & out'\ncomponents:\n{affected}updates:\n{first}{''.join(updates)}---\n"


def hostile_update() -> str:
    changes = "".join(f"      {cid}: degraded_performance\n" for cid in COMPONENTS)
    return (
        f"  - at: 2026-11-20T10:30:00Z\n    status: identified\n    body: {json.dumps(BODY)}\n"
        f"    components:\n{changes}"
    )


def later_update() -> str:
    return "  - at: 2026-11-20T11:00:00Z\n    status: resolved\n    body: Fixed.\n"


class Site:
    """A site published with the first update (the record started), then grown by ``updates`` and built."""

    def __init__(self, root: Path, channels: list[str], *updates: str) -> None:
        self.site = write_site(
            root / "site", {"content/incidents/2026-11-20-api-errors.md": incident()}, config=site_config(*channels)
        )
        self.published, self.out = root / "published", root / "public"
        build(self.site, self.published)
        (root / "nothing").mkdir()
        assert run_notify(self.site, self.published, str(root / "nothing")).exit_code == 0
        (self.site / "content/incidents/2026-11-20-api-errors.md").write_text(incident(*updates), encoding="utf-8")
        build(self.site, self.out)

    def announce(self, env: dict[str, str], *extra: str) -> Any:
        return run_notify(self.site, self.out, str(self.published), *extra, env=env)


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The hostile update as Slack, Discord, Teams and Mastodon receive it: (request bodies, parsed payload)."""
    with Recorder() as server:
        mastodon = f'type = "mastodon"\nserver = "{server.url("")}"\ntoken_env = "TOKEN"'
        site = Site(tmp_path_factory.mktemp("hostile"), [SLACK, DISCORD, TEAMS, mastodon], hostile_update())
        env = {
            "SLACK_URL": server.url("/slack"),
            "DISCORD_URL": server.url("/discord"),
            "TEAMS_URL": server.url("/teams"),
        }
        result = site.announce({**env, "TOKEN": "t0ken"})
        assert result.exit_code == 0, result.output
        return {path: server.at(path)[0] for path in ("/slack", "/discord", "/teams", "/api/v1/statuses")}


def texts(value: Any) -> Iterator[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def test_slack_keeps_block_kit_limits_and_no_text_can_mention(captured: dict[str, Any]) -> None:
    payload = captured["/slack"].json()
    blocks = payload["blocks"]
    assert len(blocks) <= 50
    header, _, body, components, _ = blocks
    assert len(header["text"]["text"]) <= 150
    assert len(body["text"]["text"]) <= 3000 and body["text"]["text"].endswith("…")
    assert len(components["fields"]) == 10 and components["fields"][-1]["text"] == "and 22 more"
    mrkdwn = [payload["text"], *(t for b in blocks[1:4] for t in texts(b) if t not in ("mrkdwn", "section"))]
    for text in mrkdwn:  # Slack reads <!…>, <@…> and <#…> in every mrkdwn field and in the fallback text
        assert not re.search(r"<[!@#]", text), text
    assert payload["text"] == "Identified: &lt;!channel&gt; @everyone down &amp; out"
    assert "here <https://example.com/a?b=1&c=%3C2%3E|ok>" not in body["text"]["text"]
    assert "See here, him, there, <https://example.com/a?b=1&c=%3C2%3E|ok>." in body["text"]["text"]
    code = body["text"]["text"].split("```")
    assert len(code) == 3 and "ˋˋˋ\nstill code" in code[1]  # one block, whole: the fence inside is not one


def test_discord_keeps_embed_limits_and_mentions_nobody(captured: dict[str, Any]) -> None:
    payload = captured["/discord"].json()
    assert payload["allowed_mentions"] == {"parse": []}
    [embed] = payload["embeds"]
    assert len(embed["title"]) <= 256 and len(embed["description"]) <= 4096
    assert all(len(field["value"]) <= 1024 and len(field["name"]) <= 256 for field in embed["fields"])
    total = len(embed["title"]) + len(embed["description"]) + len(embed["footer"]["text"])
    total += sum(len(field["name"]) + len(field["value"]) for field in embed["fields"])
    assert total <= 6000
    [components] = [field for field in embed["fields"] if field["name"] == "Components"]
    assert components["value"].count("\n") == 9 and components["value"].endswith("and 22 more")
    assert "\\@everyone" in embed["description"] and not re.search(r"(?<!\\)@everyone", embed["description"])


def test_teams_card_is_under_the_size_limit_and_ends_with_a_link(captured: dict[str, Any]) -> None:
    request = captured["/teams"]
    assert len(request.body) <= PAYLOAD_LIMIT < 28_000
    card = request.json()["attachments"][0]["content"]
    body = card["body"][2]["text"]
    assert body.endswith(
        "…\n\n[Read the full update](https://example.github.io/status/incidents/2026-11-20-api-errors/)"
    )
    [facts] = [block for block in card["body"] if block["type"] == "FactSet"]
    assert len(facts["facts"]) == 9 and card["body"][-1]["text"] == "and 22 more"


def test_mastodon_status_fits_500_with_urls_as_23_says_its_language_and_mentions_nobody(
    captured: dict[str, Any],
) -> None:
    status = captured["/api/v1/statuses"].json()
    assert status["language"] == "en"
    assert length(status["status"]) <= STATUS_LIMIT
    assert status["status"].endswith("https://example.github.io/status/incidents/2026-11-20-api-errors/")
    mention = re.compile(r"(?:^|[^/\w])@(\w+)")  # Mastodon's own rule: an @ not after a letter, digit or slash
    assert mention.findall(status["status"]) == [], status["status"]
    assert "@\u200b@\u200balice" in status["status"] and "@\u200beveryone" in status["status"]  # there, and broken


def test_a_refused_teams_message_is_dropped_and_does_not_hold_later_ones(tmp_path: Path, server: Recorder) -> None:
    site = Site(tmp_path, [TEAMS], hostile_update(), later_update())
    server.script("/teams", Reply(413, b"RequestEntityTooLarge"))
    result = site.announce({"TEAMS_URL": server.url("/teams")})
    assert result.exit_code == 0, result.output
    assert "Warning: teams: “Identified: <!channel> @everyone down & out” (" in result.output
    assert "dropped, as refused: HTTP 413 from 127.0.0.1: RequestEntityTooLarge" in result.output
    assert len(server.at("/teams")) == 2  # the refused one once (no retry), then the later one
    assert ledger(site.out)["undelivered"] == {"teams": []}
    assert "Resolved" in json.dumps(posts(server, "/teams")[1])


def test_skip_moves_a_channel_past_a_message_by_hand(tmp_path: Path, server: Recorder) -> None:
    site = Site(tmp_path, [SLACK], later_update())
    server.script("/slack", Reply(404, b"no_service"))  # the channel's fault: the message waits, and names its id
    failed = site.announce({"SLACK_URL": server.url("/slack")})
    assert failed.exit_code == 1
    [event_id] = re.findall(r"--skip (\S+)", failed.output)
    assert ledger(site.out)["undelivered"]["slack"] != []
    skipped = site.announce({"SLACK_URL": server.url("/slack")}, "--skip", event_id, "--skip", "update/nothing")
    assert skipped.exit_code == 0, skipped.output
    assert f"slack: skipped “Resolved: <!channel> @everyone down & out” ({event_id}), as asked" in skipped.output
    assert "Warning: no message due has the id update/nothing" in skipped.output
    assert len(server.at("/slack")) == 1 and ledger(site.out)["undelivered"] == {"slack": []}
