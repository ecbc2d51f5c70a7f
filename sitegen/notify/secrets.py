"""The channels' secrets, read from the environment, and kept out of everything printed.

A webhook URL is a secret as a whole (whoever has it can post), and so are
tokens and passwords. They are read once, all of them, before anything is
sent: a missing one stops the run with a line per variable, and nothing goes
out half-configured. Every line the command prints and every error passes
through :meth:`Secrets.redact`, which also catches a secret as a server or
library may echo it back: percent-encoded, or only a URL's path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from sitegen.content.notify_config import NotifyChannel
from sitegen.errors import UserError

MASK = "[secret]"
URL_VARIABLES = ("url_env",)


class MissingSecrets(UserError):
    """A variable a channel needs is not set, or does not hold what it should; nothing was sent."""


@dataclass(frozen=True)
class Secrets:
    """The values of the variables the channels name, by variable name."""

    values: Mapping[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def redact(self, text: str) -> str:
        for fragment in self._fragments:
            text = text.replace(fragment, MASK)
        return text

    @property
    def _fragments(self) -> list[str]:
        """Each secret in the forms it may be echoed in, longest first so a part never spoils a whole."""
        found: set[str] = set()
        for value in self.values.values():
            found |= {value, quote(value, safe=""), quote(value, safe=":/")}
            parts = urlsplit(value)
            if parts.scheme and parts.netloc:
                found |= {parts.path + (f"?{parts.query}" if parts.query else ""), parts.path}
        return sorted((f for f in found if len(f) > 1), key=len, reverse=True)


def read_secrets(channels: Iterable[NotifyChannel], environ: Mapping[str, str]) -> Secrets:
    """Every variable the channels name; MissingSecrets, listing each problem, if any is unset or wrong."""
    values: dict[str, str] = {}
    problems: list[str] = []
    for channel in channels:
        for name in channel.env_names:
            value = environ.get(name, "").strip()
            if not value:
                problems.append(f"{channel.name}: ${name} is not set (or is empty)")
            elif name == channel.url_env and urlsplit(value).scheme not in ("http", "https"):
                problems.append(f"{channel.name}: ${name} does not hold an http(s) URL")
            else:
                values[name] = value
    if problems:
        raise MissingSecrets(
            "a [[notify]] channel's secret is missing: nothing was sent",
            hints=[*problems, "Set each in the environment; in GitHub Actions, pass it in from a repository secret."],
        )
    return Secrets(values)
