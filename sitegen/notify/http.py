"""Sending one HTTP request with manners: a timeout, retries with backoff, and respect for 429.

Chat services rate-limit webhooks and have bad minutes, and a run should
neither give up at the first 502 nor hammer a server that asked it to wait.
A request is retried after a timeout, a connection failure, a 5xx or a 429
(after the ``Retry-After`` the server asked for, when it asks for no more
than ``longest_wait``); any other answer is final. Of the final ones, 400,
413, 414, 415 and 422 say the server refused this message itself (too
large, or malformed): :class:`Refused`, which the run records as dropped so
that the channel's later messages go on. 401, 403, 404 and 410 say the
channel itself is wrong (a revoked webhook, a bad token), and every later
message would fail alike: they wait for the channel to be fixed. A retry after a timeout
may deliver twice if the first request did arrive: receivers that can,
deduplicate with the idempotency headers the channels send.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from sitegen.http import retry_after, user_agent

USER_AGENT = user_agent("status page notifications")
DETAIL_LIMIT = 200


@dataclass(frozen=True)
class Manners:
    """How patient a run is; tests make it quick."""

    timeout: float = 10.0
    """Seconds to wait for each connection and each answer."""
    retries: int = 3
    backoff: float = 2.0
    """Seconds before the first retry; each further retry waits twice as long."""
    longest_wait: float = 120.0
    """A server asking (with 429 and Retry-After) to wait longer than this fails the message for this run."""

    def wait(self, attempt: int) -> float:
        return self.backoff * 2**attempt


REFUSING = frozenset({400, 413, 414, 415, 422})
"""Answers that refuse the message rather than the channel: sending it again would be refused again."""


class DeliveryError(Exception):
    """A message that could not be delivered; the text says why, in one line, and names no secret by itself."""


class Refused(DeliveryError):
    """The server refused this message itself (too large, or malformed), not the channel."""


@dataclass(frozen=True)
class Outgoing:
    method: str
    url: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    follow_redirects: bool = False
    """Only for reading the published site: a webhook that redirects is not one to follow blindly."""


def new_client() -> httpx.Client:
    return httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=False)


def send(client: httpx.Client, request: Outgoing, manners: Manners, *, answers: tuple[int, ...] = ()) -> httpx.Response:
    """The response to ``request``, a success or one of ``answers``; DeliveryError after the last try."""
    host = urlsplit(request.url).hostname or "the server"
    problem, wait = "not sent", 0.0
    for attempt in range(manners.retries + 1):
        if attempt:
            time.sleep(wait)
        try:
            response = client.request(
                request.method,
                request.url,
                content=request.body,
                headers=request.headers,
                timeout=manners.timeout,
                follow_redirects=request.follow_redirects,
            )
        except httpx.TimeoutException:
            problem, wait = f"no answer from {host} within {manners.timeout:g} s", manners.wait(attempt)
            continue
        except httpx.TooManyRedirects:
            raise DeliveryError(f"{host} redirects without end (a loop)") from None
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            problem, wait = f"cannot reach {host} ({type(exc).__name__})", manners.wait(attempt)
            continue
        if response.is_success or response.status_code in answers:
            return response
        problem = f"HTTP {response.status_code} from {host}{_detail(response)}"
        if response.status_code == 429:
            wait = _retry_after(response, default=manners.wait(attempt))
            if wait > manners.longest_wait:
                raise DeliveryError(f"{problem}: rate limited, asked to wait {wait:g} s; retried on the next run")
        elif response.status_code >= 500 or response.status_code == 408:
            wait = manners.wait(attempt)
        else:
            raise (Refused if response.status_code in REFUSING else DeliveryError)(problem)
    tries = manners.retries + 1
    raise DeliveryError(f"{problem} ({tries} {'try' if tries == 1 else 'tries'})")


def _detail(response: httpx.Response) -> str:
    """The start of the server's explanation ('no_service', 'invalid_payload'), on one line."""
    text = " ".join(response.text.split())[:DETAIL_LIMIT]
    return f": {text}" if text and "<" not in text[:1] else ""


def _retry_after(response: httpx.Response, *, default: float) -> float:
    """The seconds Retry-After asks for; ``default`` without a usable one."""
    seconds = retry_after(response.headers.get("Retry-After", ""))
    return default if seconds is None else seconds
