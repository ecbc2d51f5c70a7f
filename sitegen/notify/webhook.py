"""A generic webhook: JSON close to Statuspage's incident webhook, optionally signed.

The payload has Statuspage's ``page`` and ``incident`` objects, the incident
exactly as the published API has it (:class:`~sitegen.views.api.StatusApi`),
except that update bodies are plain text, as Statuspage's are, with the HTML
beside them in ``body_html``. ``meta`` says what happened (``incident.updated``,
``maintenance.started``...) under the event's permanent id, and
``incident_update`` is the update announced, if any. ``message`` carries the
words the chat channels use, for receivers that only forward them.

Headers: ``X-Sitegen-Event`` and ``X-Sitegen-Delivery`` (the event id, the
same on every retry, to deduplicate), and with ``secret_env`` set,
``X-Sitegen-Signature-256: sha256=<hex>``: HMAC-SHA256 of the exact body
bytes under the secret, as GitHub signs its webhooks.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from sitegen.content.notify_config import NotifyChannel
from sitegen.notify.delivery import Context, encode, post_json
from sitegen.notify.markup import PLAIN, convert
from sitegen.notify.message import Message, plain_text
from sitegen.output import urls
from sitegen.views.api import StatusApi
from sitegen.views.markdown import render_markdown

SIGNATURE_HEADER = "X-Sitegen-Signature-256"


def event_name(message: Message) -> str:
    incident = message.event.incident
    noun = "maintenance" if incident is not None and incident.is_maintenance else "incident"
    return f"{noun}.{message.event.kind.value}"


def payload(message: Message, api: StatusApi) -> dict[str, Any]:
    event = message.event
    status = api.status_object
    document: dict[str, Any] = {
        "meta": {"event": event_name(message), "id": event.id},
        "page": {
            "id": api.page_id,
            "name": api.site.config.title,
            "url": api.site.config.base_url,
            "status_indicator": status["indicator"],
            "status_description": status["description"],
        },
        "incident": None,
        "incident_update": None,
    }
    if event.incident is not None:
        incident = api.incident(event.incident)
        for update in incident["incident_updates"]:
            update["body_html"] = str(render_markdown(update["body"]))
            update["body"] = convert(update["body"], PLAIN)
        document["incident"] = incident
        found = (u for u in incident["incident_updates"] if u["id"] == event.update_id)
        document["incident_update"] = next(found, None)
    if event.writeup is not None:
        document["writeup"] = {
            "title": event.writeup.title,
            "url": urls.absolute(api.site.config.base_url, urls.writeup(event.writeup.slug)),
            "published_at": api.time(event.writeup.published),
        }
    document["message"] = {"title": message.title, "text": plain_text(message), "url": message.url}
    return document


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    body = encode(payload(message, context.api))
    headers = {"X-Sitegen-Event": event_name(message), "X-Sitegen-Delivery": message.event.id}
    if channel.secret_env:
        headers[SIGNATURE_HEADER] = signature(context.secrets[channel.secret_env], body)
    post_json(context, context.secrets[channel.url_env], body, headers)
