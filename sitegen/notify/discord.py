"""Discord: an embed posted to a channel webhook, coloured by the incident's impact.

The colours are those status pages use: red for a critical incident, orange
for a major one, yellow for a minor one, blue for maintenance, and green for
a message that says it is over. ``allowed_mentions`` is empty, so no text
from the content can ping ``@everyone`` or a role. ``?wait=true`` makes
Discord answer only once the message is posted, so a success is a delivery.
Discord's embed limits are kept: 256 characters for the title, 4096 for the
description, 1024 for a field, and 6000 for all of them together, which the
description gives way to; a longer list of components ends with "and N more".
"""

from __future__ import annotations

from typing import Any

import httpx

from sitegen.content.notify_config import NotifyChannel
from sitegen.content.statuses import Impact
from sitegen.notify.delivery import Context, encode, post_json
from sitegen.notify.markup import DISCORD, clip, fit
from sitegen.notify.message import LIST_LIMIT, Message, listed
from sitegen.views.formatting import iso

COLOURS = {
    Impact.CRITICAL: 0xE74C3C,
    Impact.MAJOR: 0xE67E22,
    Impact.MINOR: 0xF1C40F,
    Impact.MAINTENANCE: 0x3498DB,
    Impact.NONE: 0x95A5A6,
}
OVER = 0x2ECC71
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_LIMIT = 6000


def colour(message: Message) -> int:
    return OVER if message.ended else COLOURS[message.impact]


def payload(message: Message) -> dict[str, Any]:
    escape = DISCORD.escape
    fields = []
    if message.window:
        fields.append({"name": "Window", "value": clip(escape(message.window), FIELD_LIMIT)})
    if message.components:
        fields.append({"name": "Components", "value": _components(message)})
    if len(message.links) > 1:
        links = " · ".join(DISCORD.link(escape(label), url) for label, url in message.links)
        fields.append({"name": "Links", "value": clip(links, FIELD_LIMIT)})
    title = clip(message.title, TITLE_LIMIT)
    footer = clip(f"{message.site_title} · {message.status}", FOOTER_LIMIT)
    used = len(title) + len(footer) + sum(len(field["name"]) + len(field["value"]) for field in fields)
    embed = {
        "title": title,
        "url": message.url,
        "description": fit(message.body, DISCORD, min(DESCRIPTION_LIMIT, EMBED_LIMIT - used))[0],
        "color": colour(message),
        "fields": fields,
        "timestamp": iso(message.event.at),
        "footer": {"text": footer},
    }
    return {"allowed_mentions": {"parse": []}, "embeds": [embed]}


def _components(message: Message) -> str:
    """One line per component and its new status, as many whole lines as a field holds, then "and N more"."""
    escape = DISCORD.escape
    lines = [f"{escape(name)}: {escape(status)}" for name, status in message.components]
    for count in range(min(len(lines), LIST_LIMIT), 0, -1):
        shown, more = listed(lines, count)
        value = "\n".join([*shown, more] if more else shown)
        if len(value) <= FIELD_LIMIT:
            return value
    return clip(lines[0], FIELD_LIMIT)


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    url = httpx.URL(context.secrets[channel.url_env]).copy_merge_params({"wait": "true"})
    post_json(context, str(url), encode(payload(message)))
