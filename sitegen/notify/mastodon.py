"""Mastodon: a status posted through the server's API with an access token.

Mastodon shows statuses as plain text, so the message is the plain version,
fitted into the server's 500 characters by shortening the body and never the
title or the link. A ``@name`` in the content would notify that account, so
each mention is broken with a zero-width space. The ``Idempotency-Key``
header, the same on every retry of one event, lets the server drop a
repeated post.
"""

from __future__ import annotations

import hashlib
import re

from sitegen.content.notify_config import NotifyChannel
from sitegen.notify.delivery import Context, encode, post_json
from sitegen.notify.markup import PLAIN, clip, convert
from sitegen.notify.message import Message

STATUS_LIMIT = 500
MENTION = re.compile(r"(?<![\w@])@(?=\w)")
ZERO_WIDTH_SPACE = "\u200b"


def unmention(text: str) -> str:
    return MENTION.sub("@" + ZERO_WIDTH_SPACE, text)


def status_text(message: Message) -> str:
    """The status: title, status and time, the body as room allows, the components, the link."""
    head = unmention(f"{message.title}\n{message.status} · {message.when}")
    if message.window:
        head += f"\nWindow: {message.window}"
    tail = unmention("\n".join(f"{name}: {status}" for name, status in message.components))
    tail = f"{tail}\n\n{message.url}" if tail else message.url
    room = STATUS_LIMIT - len(head) - len(tail) - 4
    body = clip(unmention(convert(message.body, PLAIN)), room) if room > 1 else ""
    return clip("\n\n".join(part for part in (head, body, tail) if part), STATUS_LIMIT)


def payload(channel: NotifyChannel, message: Message) -> dict[str, str]:
    return {"status": status_text(message), "visibility": channel.visibility.value}


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    key = hashlib.sha256(f"{channel.name}:{message.event.id}".encode()).hexdigest()
    headers = {"Authorization": f"Bearer {context.secrets[channel.token_env]}", "Idempotency-Key": key}
    post_json(context, f"{channel.server}/api/v1/statuses", encode(payload(channel, message)), headers)
