"""Microsoft Teams: an Adaptive Card posted to a Workflows webhook ("When a Teams webhook request is received").

Teams renders only a subset of Markdown in a card's text (bold, italics,
lists, links), so the body is converted to that subset; the components go
in a FactSet (ten at most, then "and N more") and the links become buttons.
The title's colour follows the impact, in the card's own colour names.

The card declares version 1.5, the version of the newest property it uses
(a TextBlock's ``style: heading``), which Teams supports on every client.
Teams refuses a message over 28 KB: the whole payload, as encoded, is kept
under ``PAYLOAD_LIMIT`` by cutting the body, which then ends with "…" and a
link to the page.
"""

from __future__ import annotations

from typing import Any

from sitegen.content.notify_config import NotifyChannel
from sitegen.content.statuses import Impact
from sitegen.notify.delivery import Context, encode, post_json
from sitegen.notify.markup import TEAMS, clip, fit
from sitegen.notify.message import Message, listed

CARD_VERSION = "1.5"
PAYLOAD_LIMIT = 27 * 1024
"""Bytes of the encoded payload: under Microsoft's 28 KB, whichever kilobyte it means."""
TITLE_LIMIT = 500
COLOURS = {
    Impact.CRITICAL: "Attention",
    Impact.MAJOR: "Attention",
    Impact.MINOR: "Warning",
    Impact.MAINTENANCE: "Accent",
    Impact.NONE: "Default",
}


def card(message: Message, text: str) -> dict[str, Any]:
    """The Adaptive Card itself, with ``text``: the body as Teams' Markdown."""
    escape = TEAMS.escape
    meta = f"{escape(message.status)} · {escape(message.when)}"
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": escape(clip(message.title, TITLE_LIMIT)),
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
    body.append({"type": "TextBlock", "text": text, "wrap": True})
    if message.components:
        shown, more = listed(message.components)
        facts = [{"title": escape(clip(name, TITLE_LIMIT)), "value": escape(status)} for name, status in shown]
        body.append({"type": "FactSet", "facts": facts})
        if more:
            body.append({"type": "TextBlock", "text": more, "isSubtle": True, "spacing": "None", "wrap": True})
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": label, "url": url} for label, url in message.links],
    }


def payload(message: Message) -> dict[str, Any]:
    """The message, its body cut to keep the encoded payload under ``PAYLOAD_LIMIT``."""
    more = f"\n\n{TEAMS.link('Read the full update', message.url)}"
    room = PAYLOAD_LIMIT - len(encode(_wrapped(card(message, more))))
    text, cut = fit(message.body, TEAMS, room, _encoded_size)
    return _wrapped(card(message, text + more if cut else text))


def _encoded_size(text: str) -> int:
    """The bytes ``text`` takes in the payload, as a JSON string's content."""
    return len(encode({"": text})) - len(encode({"": ""}))


def _wrapped(content: dict[str, Any]) -> dict[str, Any]:
    attachment = {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": content}
    return {"type": "message", "attachments": [attachment]}


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    post_json(context, context.secrets[channel.url_env], encode(payload(message)))
