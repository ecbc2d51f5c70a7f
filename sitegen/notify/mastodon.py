"""Mastodon: a status posted through the server's API with an access token.

Mastodon shows statuses as plain text, so the message is the plain version,
fitted into the server's 500 characters by shortening the body and never the
title or the link. Mastodon counts every URL as 23 characters whatever its
length, and so does ``length`` here. A ``@name`` in the content would notify
that account, ``@@name`` too, so each mention is broken with a zero-width
space. The status says the site's language, so that readers filter and
translate it right. The ``Idempotency-Key`` header, the same on every retry
of one event, lets the server drop a repeated post.
"""

from __future__ import annotations

import hashlib
import re

from sitegen.content.notify_config import NotifyChannel
from sitegen.notify.delivery import Context, encode, post_json
from sitegen.notify.markup import PLAIN, clip, fit
from sitegen.notify.message import Message, listed

STATUS_LIMIT = 500
URL_LENGTH = 23
"""What Mastodon counts for any URL in a status."""
MENTION = re.compile(r"(?<!\w)@(?=[\w@])")
URL = re.compile(r"https?://\S+", re.IGNORECASE)
ZERO_WIDTH_SPACE = "\u200b"


def unmention(text: str) -> str:
    return MENTION.sub("@" + ZERO_WIDTH_SPACE, text)


def length(text: str) -> int:
    """The length Mastodon counts: each URL as ``URL_LENGTH`` characters."""
    return len(URL.sub("x" * URL_LENGTH, text))


def status_text(message: Message) -> str:
    """The status: title, status and time, the body as room allows, the components, the link."""
    head = unmention(f"{clip(message.title, STATUS_LIMIT // 2)}\n{message.status} · {message.when}")
    if message.window:
        head += f"\nWindow: {message.window}"
    shown, more = listed(message.components)
    components = unmention("\n".join([f"{name}: {status}" for name, status in shown] + ([more] if more else [])))
    tail = f"{components}\n\n{message.url}" if components else message.url
    if length(head) + length(tail) + 4 > STATUS_LIMIT:  # components with very long names: the link comes first
        tail = message.url
    room = STATUS_LIMIT - length(head) - length(tail) - 4
    body = fit(message.body, PLAIN, room, lambda text: length(unmention(text)))[0] if room > 1 else ""
    return "\n\n".join(part for part in (head, unmention(body), tail) if part)


def language(message: Message) -> str:
    """The ISO 639 code Mastodon takes: the primary subtag of the site's BCP 47 tag."""
    return message.language.split("-")[0].lower()


def payload(channel: NotifyChannel, message: Message) -> dict[str, str]:
    return {"status": status_text(message), "visibility": channel.visibility.value, "language": language(message)}


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    key = hashlib.sha256(f"{channel.name}:{message.event.id}".encode()).hexdigest()
    headers = {"Authorization": f"Bearer {context.secrets[channel.token_env]}", "Idempotency-Key": key}
    post_json(context, f"{channel.server}/api/v1/statuses", encode(payload(channel, message)), headers)
