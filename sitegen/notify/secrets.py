"""The channels' secrets, read from the environment, and kept out of everything printed.

A webhook URL is a secret as a whole (whoever has it can post), and so are
tokens and passwords. They are read once, all of them, before anything is
sent: a missing one stops the run with a line per variable, and nothing goes
out half-configured. Every line the command prints and every error passes
through :meth:`Secrets.redact`, which also catches a secret as a server or
library may echo it back: percent-encoded, JSON-escaped, in another case,
only a URL's path, or only its token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import parse_qsl, quote, urlsplit

import httpx

from sitegen.content.notify_config import NotifyChannel
from sitegen.errors import UserError

MASK = "[secret]"
URL_VARIABLES = ("url_env",)
SECRET_PART = 8
"""Characters from which a part of a secret URL with a digit in it is redacted on its own (twice that: any)."""


class MissingSecrets(UserError):
    """A variable a channel needs is not set, or does not hold what it should; nothing was sent."""


@dataclass(frozen=True)
class Secrets:
    """The values of the variables the channels name, by variable name."""

    values: Mapping[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def redact(self, text: str) -> str:
        return self._pattern.sub(MASK, text) if self.values else text

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        """Every secret in every form it may be echoed in, matched in any case, longest first."""
        fragments = sorted({form for value in self.values.values() for form in _echoes(value)}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, fragments)), re.IGNORECASE)


def _echoes(value: str) -> set[str]:
    """The forms a server or a library may echo ``value`` in, whole or in part.

    Whole: as is, percent-encoded (all of it, or all but ':' and '/'), and
    JSON-escaped (``\\/`` for '/'); matching ignores case, which covers an
    upper-cased echo and '%2f'. In part, for a URL: its path and query, and
    alone each part of them that is a secret in itself (a segment or value
    of at least SECRET_PART characters with a digit in it, or twice that),
    as a server that names only the token it refused, and the password.
    """
    whole = {value, quote(value, safe=""), quote(value, safe=":/")}
    found = whole | {form.replace("/", "\\/") for form in whole}
    parts = urlsplit(value)
    if parts.scheme and parts.netloc:
        found |= {parts.path + (f"?{parts.query}" if parts.query else ""), parts.path}
        pieces = [*parts.path.split("/"), *(v for _, v in parse_qsl(parts.query)), parts.password or ""]
        found |= {piece for piece in pieces if _secret_in_itself(piece)}
    return {form for form in found if len(form) > 1}


def _secret_in_itself(piece: str) -> bool:
    """Whether a part of a URL is likely a token: long, or long enough with a digit (not 'services', 'api')."""
    return len(piece) >= 2 * SECRET_PART or (len(piece) >= SECRET_PART and any(c.isdigit() for c in piece))


def read_secrets(channels: Iterable[NotifyChannel], environ: Mapping[str, str]) -> Secrets:
    """Every variable the channels name; MissingSecrets, listing each problem, if any is unset or wrong."""
    values: dict[str, str] = {}
    problems: list[str] = []
    for channel in channels:
        for name in channel.env_names:
            value = environ.get(name, "").strip()
            if not value:
                problems.append(f"{channel.name}: ${name} is not set (or is empty)")
            elif name == channel.url_env and not _is_http_url(value):
                problems.append(
                    f"{channel.name}: ${name} does not hold an http(s) URL (such as https://hooks.example/...)"
                )
            else:
                values[name] = value
    if problems:
        raise MissingSecrets(
            "a [[notify]] channel's secret is missing: nothing was sent",
            hints=[*problems, "Set each in the environment; in GitHub Actions, pass it in from a repository secret."],
        )
    return Secrets(values)


def _is_http_url(value: str) -> bool:
    """Whether ``value`` is an http(s) URL that can be sent to (not 'https://[x', not 'https://host:port')."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port that is not a number raises here)
        httpx.URL(value)
    except (ValueError, httpx.InvalidURL):
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
