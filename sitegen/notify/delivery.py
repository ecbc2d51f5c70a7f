"""What every channel needs to deliver a message: the HTTP client, the manners, the secrets, the site's API.

Built once per run and handed to each channel's ``send``, so that channels
share one connection pool and one set of manners, and the webhook can build
its incident objects with the same :class:`~sitegen.views.api.StatusApi` as
the published API.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from sitegen.notify.http import Manners, Outgoing, send
from sitegen.notify.secrets import Secrets
from sitegen.views.api import StatusApi


@dataclass(frozen=True)
class Context:
    client: httpx.Client
    manners: Manners
    secrets: Secrets
    api: StatusApi


def encode(document: dict[str, Any]) -> bytes:
    """A payload as the bytes sent (and signed): compact UTF-8 JSON."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def post_json(context: Context, url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    request = Outgoing("POST", url, body, {"Content-Type": "application/json", **(headers or {})})
    return send(context.client, request, context.manners)
