"""Slack: a message to an incoming webhook, in Block Kit with the body in mrkdwn.

The top-level ``text`` is what Slack shows in notifications and where
blocks cannot be shown; the blocks carry the title as a header, the status
and time, the body, the components' new statuses and buttons to the pages.
Every mrkdwn field is escaped, the fallback ``text`` too: Slack reads
``<!channel>`` there as in any other. Block Kit's limits (150 characters
for a header, 3000 for a section, 10 fields, 50 blocks) are kept by fitting
the text rather than by letting Slack refuse the message; a longer list of
components ends with "and N more".
"""

from __future__ import annotations

from typing import Any

from sitegen.content.notify_config import NotifyChannel
from sitegen.notify.delivery import Context, encode, post_json
from sitegen.notify.markup import SLACK, clip, fit
from sitegen.notify.message import Message, listed

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
FIELDS_LIMIT = 10
NAME_LIMIT = 300
"""Of a component's name in its field (2000 characters at most, escaped)."""
BUTTON_LIMIT = 75
TEXT_LIMIT = 3000
"""Of the fallback ``text``: Slack truncates it beyond 40,000, and a notification shows far less."""


def payload(message: Message) -> dict[str, Any]:
    escape = SLACK.escape
    context = f"{escape(message.status)} · {escape(message.when)}"
    if message.window:
        context += f" · Window: {escape(message.window)}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(clip(message.title, HEADER_LIMIT))},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        {"type": "section", "text": {"type": "mrkdwn", "text": fit(message.body, SLACK, SECTION_LIMIT)[0] or " "}},
    ]
    if message.components:
        shown, more = listed(message.components, FIELDS_LIMIT)
        texts = [f"*{escape(clip(name, NAME_LIMIT))}*\n{escape(status)}" for name, status in shown]
        blocks.append({"type": "section", "fields": [{"type": "mrkdwn", "text": t} for t in texts + [more] if t]})
    buttons = [
        {"type": "button", "text": _plain(clip(label, BUTTON_LIMIT)), "url": url} for label, url in message.links
    ]
    blocks.append({"type": "actions", "elements": buttons})
    return {
        "text": escape(clip(message.title, TEXT_LIMIT)),
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": False}


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    post_json(context, context.secrets[channel.url_env], encode(payload(message)))
