"""Each channel's payload, as a loopback server receives it from the real command: shape, markup, escaping."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NOW, write_site
from test_notify_support import FIRST, Recorder, Reply, Story, posts, recorder

from sitegen.content.loader import load_site
from sitegen.notify.events import site_events
from sitegen.notify.mastodon import STATUS_LIMIT, length, status_text
from sitegen.notify.message import message_for

INCIDENT_URL = "https://example.github.io/status/incidents/2026-11-20-api-errors/"


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


def test_slack_gets_block_kit_with_the_body_in_mrkdwn_and_control_characters_escaped(
    tmp_path: Path, server: Recorder
) -> None:
    story = Story(tmp_path, 'type = "slack"\nurl_env = "SLACK_URL"')
    story.grow()
    result = story.announce({"SLACK_URL": server.url("/services/T1/B2/xyz")})
    assert result.exit_code == 0, result.output
    assert "Sent 2 messages on 1 channel." in result.output
    identified, resolved = posts(server, "/services/T1/B2/xyz")
    assert identified["text"] == "Identified: API errors" and resolved["text"] == "Resolved: API errors"
    header, context, body, components, actions = identified["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Identified: API errors", "emoji": False},
    }
    assert context["elements"][0] == {"type": "mrkdwn", "text": "Identified · Fri, Nov 20, 2026, 10:30 AM UTC"}
    assert body["text"] == {"type": "mrkdwn", "text": "A *bad* deploy. Rolled back &lt;!channel&gt; &amp; @everyone."}
    assert components["fields"] == [{"type": "mrkdwn", "text": "*API*\nDegraded performance"}]
    assert actions["elements"][0]["url"] == INCIDENT_URL
    assert resolved["blocks"][3]["fields"] == [{"type": "mrkdwn", "text": "*API*\nOperational"}]


def test_discord_gets_an_embed_coloured_by_impact_with_mentions_disabled(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, 'type = "discord"\nurl_env = "DISCORD_URL"')
    story.grow()
    result = story.announce({"DISCORD_URL": server.url("/api/webhooks/1/tok?thread_id=7")})
    assert result.exit_code == 0, result.output
    requests = server.at("/api/webhooks/1/tok")
    assert all("wait=true" in r.path and "thread_id=7" in r.path for r in requests)
    identified, resolved = (r.json() for r in requests)
    assert identified["allowed_mentions"] == {"parse": []}
    (embed,) = identified["embeds"]
    assert embed["title"] == "Identified: API errors" and embed["url"] == INCIDENT_URL
    assert embed["description"] == r"A **bad** deploy. Rolled back \<!channel\> & \@everyone."
    assert embed["color"] == 0xE74C3C  # a major outage makes a critical incident: red
    assert embed["fields"] == [{"name": "Components", "value": "API: Degraded performance"}]
    assert embed["timestamp"] == "2026-11-20T10:30:00Z"
    assert resolved["embeds"][0]["color"] == 0x2ECC71  # over: green


def test_teams_gets_an_adaptive_card_with_facts_and_a_button(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, 'type = "teams"\nurl_env = "TEAMS_URL"')
    story.grow()
    server.script("/workflows/run", Reply(202, b""), Reply(202, b""))  # Workflows answer 202 Accepted
    result = story.announce({"TEAMS_URL": server.url("/workflows/run")})
    assert result.exit_code == 0, result.output
    identified = posts(server, "/workflows/run")[0]
    assert identified["type"] == "message"
    (attachment,) = identified["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"  # style: heading came with 1.5
    title, meta, body, facts = card["body"]
    assert title["text"] == "Identified: API errors" and title["color"] == "Attention"
    assert body["text"] == r"A **bad** deploy. Rolled back \<!channel\> \& @everyone."
    assert facts == {"type": "FactSet", "facts": [{"title": "API", "value": "Degraded performance"}]}
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "View incident", "url": INCIDENT_URL}]


def test_webhook_gets_statuspage_shaped_json_signed_with_hmac_sha256(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, 'type = "webhook"\nurl_env = "HOOK_URL"\nsecret_env = "HOOK_SECRET"')
    story.grow()
    result = story.announce({"HOOK_URL": server.url("/in"), "HOOK_SECRET": "k3y"})
    assert result.exit_code == 0, result.output
    first, second = server.at("/in")
    expected = "sha256=" + hmac.new(b"k3y", first.body, hashlib.sha256).hexdigest()
    assert first.headers["x-sitegen-signature-256"] == expected
    assert first.headers["x-sitegen-event"] == "incident.updated"
    assert first.headers["x-sitegen-delivery"].startswith("update/")
    document = first.json()
    assert document["meta"] == {"event": "incident.updated", "id": first.headers["x-sitegen-delivery"]}
    assert set(document["page"]) == {"id", "name", "url", "status_indicator", "status_description"}
    incident = document["incident"]
    assert incident["name"] == "API errors" and incident["shortlink"] == INCIDENT_URL
    assert {"id", "status", "impact", "created_at", "incident_updates", "components"} <= set(incident)
    update = document["incident_update"]
    assert update["status"] == "identified"
    assert update["body"] == "A bad deploy. Rolled back <!channel> & @everyone."  # plain text, as Statuspage's
    assert "<strong>bad</strong>" in update["body_html"] and "&lt;!channel&gt;" in update["body_html"]
    assert update["affected_components"][0]["new_status"] == "degraded_performance"
    assert second.json()["meta"]["event"] == "incident.resolved"


def test_webhook_without_a_secret_is_not_signed(tmp_path: Path, server: Recorder) -> None:
    story = Story(tmp_path, 'type = "webhook"\nurl_env = "HOOK_URL"')
    story.grow()
    assert story.announce({"HOOK_URL": server.url("/in")}).exit_code == 0
    assert all("x-sitegen-signature-256" not in r.headers for r in server.at("/in"))


def test_mastodon_gets_a_plain_text_status_with_mentions_broken(tmp_path: Path, server: Recorder) -> None:
    channel = f'type = "mastodon"\nserver = "{server.url("")}"\ntoken_env = "MASTODON_TOKEN"\nvisibility = "unlisted"'
    story = Story(tmp_path, channel)
    story.grow()
    result = story.announce({"MASTODON_TOKEN": "t0ken"})
    assert result.exit_code == 0, result.output
    first, second = server.at("/api/v1/statuses")
    assert first.headers["authorization"] == "Bearer t0ken"
    assert first.headers["idempotency-key"] != second.headers["idempotency-key"]
    status = first.json()
    assert status["visibility"] == "unlisted"
    assert status["status"] == (
        "Identified: API errors\nIdentified · Fri, Nov 20, 2026, 10:30 AM UTC\n\n"
        "A bad deploy. Rolled back <!channel> & @\u200beveryone.\n\nAPI: Degraded performance\n\n" + INCIDENT_URL
    )


def test_a_long_mastodon_status_is_shortened_in_its_body_and_keeps_its_link(tmp_path: Path) -> None:
    long = FIRST.replace("We are looking into **errors** on the API.", "word " * 300)
    site = load_site(write_site(tmp_path, {"content/incidents/2026-11-20-api-errors.md": long}), now=NOW)
    text = status_text(message_for(site_events(site)[0], site))
    assert length(text) <= STATUS_LIMIT and text.startswith("New incident: API errors")
    assert text.endswith(INCIDENT_URL) and "word word…\n" in text
