"""Slack: a message to an incoming webhook, in Block Kit with the body in mrkdwn.

The top-level ``text`` is what Slack shows in notifications and where
blocks cannot be shown; the blocks carry the title as a header, the status
and time, the body, the components' new statuses and buttons to the pages.
Block Kit's limits (150 characters for a header, 3000 for a section, 10
fields) are kept by clipping rather than by letting Slack refuse the message.
"""

from __future__ import annotations

from typing import Any

from sitegen.content.notify_config import NotifyChannel
from sitegen.notify.delivery import Context, encode, post_json
from sitegen.notify.markup import SLACK, clip, convert
from sitegen.notify.message import Message

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
FIELDS_LIMIT = 10
BUTTON_LIMIT = 75


def payload(message: Message) -> dict[str, Any]:
    escape = SLACK.escape
    context = f"{escape(message.status)} · {escape(message.when)}"
    if message.window:
        context += f" · Window: {escape(message.window)}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(clip(message.title, HEADER_LIMIT))},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        {"type": "section", "text": {"type": "mrkdwn", "text": clip(convert(message.body, SLACK), SECTION_LIMIT)}},
    ]
    if message.components:
        fields = [
            {"type": "mrkdwn", "text": clip(f"*{escape(name)}*\n{escape(status)}", SECTION_LIMIT // FIELDS_LIMIT)}
            for name, status in message.components[:FIELDS_LIMIT]
        ]
        blocks.append({"type": "section", "fields": fields})
    buttons = [
        {"type": "button", "text": _plain(clip(label, BUTTON_LIMIT)), "url": url} for label, url in message.links
    ]
    blocks.append({"type": "actions", "elements": buttons})
    return {"text": message.title, "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": False}


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    post_json(context, context.secrets[channel.url_env], encode(payload(message)))
