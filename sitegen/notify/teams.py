"""Microsoft Teams: an Adaptive Card posted to a Workflows webhook ("When a Teams webhook request is received").

Teams renders only a subset of Markdown in a card's text (bold, italics,
lists, links), so the body is converted to that subset; the components go
in a FactSet and the links become buttons. The title's colour follows the
impact, in the card's own colour names.
"""

from __future__ import annotations

from typing import Any

from sitegen.content.notify_config import NotifyChannel
from sitegen.content.statuses import Impact
from sitegen.notify.delivery import Context, encode, post_json
from sitegen.notify.markup import TEAMS, convert
from sitegen.notify.message import Message

CARD_VERSION = "1.4"
COLOURS = {
    Impact.CRITICAL: "Attention",
    Impact.MAJOR: "Attention",
    Impact.MINOR: "Warning",
    Impact.MAINTENANCE: "Accent",
    Impact.NONE: "Default",
}


def card(message: Message) -> dict[str, Any]:
    """The Adaptive Card itself."""
    escape = TEAMS.escape
    meta = f"{escape(message.status)} · {escape(message.when)}"
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": escape(message.title),
            "size": "Large",
            "weight": "Bolder",
            "wrap": True,
            "style": "heading",
            "color": "Good" if message.ended else COLOURS[message.impact],
        },
        {"type": "TextBlock", "text": meta, "isSubtle": True, "spacing": "None", "wrap": True},
    ]
    if message.window:
        body.append({"type": "TextBlock", "text": f"Window: {escape(message.window)}", "wrap": True})
    body.append({"type": "TextBlock", "text": convert(message.body, TEAMS), "wrap": True})
    if message.components:
        facts = [{"title": escape(name), "value": escape(status)} for name, status in message.components]
        body.append({"type": "FactSet", "facts": facts})
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": label, "url": url} for label, url in message.links],
    }


def payload(message: Message) -> dict[str, Any]:
    attachment = {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "contentUrl": None,
        "content": card(message),
    }
    return {"type": "message", "attachments": [attachment]}


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    post_json(context, context.secrets[channel.url_env], encode(payload(message)))
