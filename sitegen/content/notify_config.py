"""The ``[[notify]]`` tables of ``sitegen.toml``: where ``sitegen notify`` announces new updates.

The file is committed to a repository, so it must never hold a secret: every
webhook URL, token and password is named by the environment variable that
holds it (``url_env = "SLACK_WEBHOOK_URL"``), and a value that cannot be
such a name is refused without being repeated in the message, since it may
be the secret itself. Each channel type has its own keys; a key of another
type is an error rather than ignored, as everywhere in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import Enum
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.content.fields import Fields, suggestion
from sitegen.content.frontmatter import LineList, LineMap
from sitegen.content.model import MADE_IN_CODE, Component, Source
from sitegen.content.names import ID, ID_HINT
from sitegen.content.settings import NOTIFY
from sitegen.content.site import SiteConfig
from sitegen.errors import Problems

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
MAX_PORT = 65535


class ChannelType(str, Enum):
    """Where a channel posts, each in its own native format (see :mod:`sitegen.notify`)."""

    SLACK = "slack"
    DISCORD = "discord"
    TEAMS = "teams"
    WEBHOOK = "webhook"
    MASTODON = "mastodon"
    EMAIL = "email"


class Visibility(str, Enum):
    """Who sees a Mastodon post, in Mastodon's words."""

    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"


COMMON_KEYS = ("type", "name", "components", "reminders", "on_call", "follow_url")
KEYS_OF_TYPE: dict[ChannelType, tuple[str, ...]] = {
    ChannelType.SLACK: ("url_env",),
    ChannelType.DISCORD: ("url_env",),
    ChannelType.TEAMS: ("url_env",),
    ChannelType.WEBHOOK: ("url_env", "secret_env"),
    ChannelType.MASTODON: ("server", "token_env", "visibility"),
    ChannelType.EMAIL: ("smtp_host", "smtp_port", "username_env", "password_env", "from", "to"),
}
REQUIRED_OF_TYPE: dict[ChannelType, dict[str, str]] = {
    **{kind: {"url_env": "the variable that holds its webhook URL"} for kind in KEYS_OF_TYPE},
    ChannelType.MASTODON: {"server": "the server's URL", "token_env": "the variable that holds the access token"},
    ChannelType.EMAIL: {
        "smtp_host": "the SMTP server",
        "from": "the sender's address",
        "to": "the list of addresses to send to",
    },
}


@dataclass(frozen=True)
class NotifyChannel:
    """One ``[[notify]]`` table; the ``*_env`` fields are names of environment variables, never secrets.

    ``name`` is the channel's key in the published record of what was
    announced, so that renaming a channel's variable does not announce
    everything again.
    """

    type: ChannelType
    name: str
    components: tuple[str, ...] = ()
    """Announce only incidents affecting one of these; empty: every incident."""
    reminders: tuple[timedelta, ...] = ()
    """How long before a maintenance starts to remind of it, longest first; empty: no reminders."""
    on_call: bool = False
    """The channel is on-call's: besides what its other settings ask, it is told when a promised update is late.

    Subscribers are never told: a late update is the team's to post, not news."""
    follow_url: str = ""
    """Where anyone may follow what the channel announces (a public community's invite, an account), listed on
    the Subscribe page; empty: the channel is private."""
    url_env: str = ""
    secret_env: str = ""
    server: str = ""
    token_env: str = ""
    visibility: Visibility = Visibility.PUBLIC
    smtp_host: str = ""
    smtp_port: int = 587
    username_env: str = ""
    password_env: str = ""
    sender: str = ""
    recipients: tuple[str, ...] = ()
    source: Source = MADE_IN_CODE

    @property
    def env_names(self) -> tuple[str, ...]:
        """The environment variables this channel needs, in the order the file names them."""
        names = (self.url_env, self.secret_env, self.token_env, self.username_env, self.password_env)
        return tuple(name for name in names if name)

    def concerns(self, component_ids: frozenset[str]) -> bool:
        """Whether an incident affecting these components is announced here (the ``components`` filter)."""
        return not self.components or not component_ids.isdisjoint(self.components)


def add_channels(
    config: SiteConfig | None, problems: Problems, path: Path, root: LineMap, components: tuple[Component, ...] | None
) -> SiteConfig | None:
    """The settings with their ``[[notify]]`` channels; None when either has errors (reported)."""
    channels = notify_channels(problems, path, root, components)
    return replace(config, notify=channels) if config is not None and channels is not None else None


def notify_channels(
    problems: Problems, path: Path, root: LineMap, components: tuple[Component, ...] | None
) -> tuple[NotifyChannel, ...] | None:
    """Every ``[[notify]]`` table, checked; None when any has an error.

    ``components`` is the catalogue, or None when it has errors (then the
    component filters are not checked, as the loader does for incidents).
    """
    entries = root.get("notify", LineList())
    if not isinstance(entries, LineList):
        problems.error(path, root.line_of("notify"), "notify must be written as [[notify]] tables, one per channel")
        return None
    catalogue = {c.id for c in components} if components is not None else None
    channels: list[NotifyChannel] = []
    named: dict[str, int] = {}
    roles: dict[str, tuple[str, str]] = {}
    passed = True
    for entry in entries:
        fields = Fields(problems, path, entry, what="[[notify]]", settings=NOTIFY)
        channel = _channel(fields, catalogue)
        if channel is not None and channel.name in named:
            fields.error("name" if "name" in entry else None, _duplicate(channel.name, named[channel.name]))
        if channel is not None:
            _check_roles(fields, channel, roles)
        passed &= fields.passed
        if channel is not None and fields.passed:
            named[channel.name] = entry.line
            channels.append(channel)
    return tuple(channels) if passed else None


def secret_roles(channel: NotifyChannel) -> list[tuple[str, str, str]]:
    """(variable, key, role) for each secret of ``channel``: the role says what the secret is and where it goes.

    A webhook URL is its own destination; a token goes to the Mastodon
    server, a login to the SMTP server; a signing key goes nowhere.
    """
    login = f"a login sent to {channel.smtp_host}:{channel.smtp_port}"
    found = [
        (channel.url_env, "url_env", "a webhook URL"),
        (channel.secret_env, "secret_env", "a signing key"),
        (channel.token_env, "token_env", f"a token sent to {channel.server}"),
        (channel.username_env, "username_env", login),
        (channel.password_env, "password_env", login),
    ]
    return [(variable, key, role) for variable, key, role in found if variable]


def _check_roles(fields: Fields, channel: NotifyChannel, roles: dict[str, tuple[str, str]]) -> None:
    """Refuse a variable used in two roles: the settings would send one secret where another belongs.

    A pull request that names the Slack webhook's variable as a Mastodon
    channel's ``token_env`` would have the publish job send the Slack URL as
    a bearer token to any server it names; the same for an SMTP password
    sent to another host. Each variable holds one secret for one place.
    """
    for variable, key, role in secret_roles(channel):
        first = roles.setdefault(variable, (role, f"{key} of '{channel.name}'"))
        if first[0] != role:
            fields.error(
                key,
                f"${variable} is already {first[1]}, as {first[0]}; here it would be {role}: one variable holds "
                "one secret for one place, so give each its own variable",
            )


def _duplicate(name: str, line: int) -> str:
    return f"the [[notify]] table on line {line} is already named '{name}': give each channel its own 'name'"


def _channel(fields: Fields, catalogue: set[str] | None) -> NotifyChannel | None:
    kind = fields.choice("type", ChannelType, required=True)
    if kind is None:
        return None
    _check_keys(fields, kind)
    entry = fields.mapping
    return NotifyChannel(
        type=kind,
        name=_name(fields, kind),
        components=_components(fields, catalogue),
        reminders=_reminders(fields),
        on_call=fields.flag("on_call"),
        follow_url=_follow_url(fields),
        url_env=_env_name(fields, "url_env"),
        secret_env=_env_name(fields, "secret_env"),
        server=_server(fields),
        token_env=_env_name(fields, "token_env"),
        visibility=fields.choice("visibility", Visibility) or Visibility.PUBLIC,
        smtp_host=fields.text("smtp_host"),
        smtp_port=_port(fields),
        username_env=_env_name(fields, "username_env"),
        password_env=_env_name(fields, "password_env"),
        sender=_address(fields, "from", fields.text("from")),
        recipients=tuple(_address(fields, "to", item) for item in fields.text_list("to")),
        source=Source(fields.path, entry.line, entry.key_lines),
    )


def _check_keys(fields: Fields, kind: ChannelType) -> None:
    """Refuse the keys of other channel types, and ask for the keys this one needs."""
    own = (*COMMON_KEYS, *KEYS_OF_TYPE[kind])
    for key in fields.mapping:
        owners = [other.value for other, keys in KEYS_OF_TYPE.items() if key in keys]
        if key not in own and owners:
            fields.error(key, f"'{key}' does not apply to a {kind.value} channel (it is for {', '.join(owners)})")
    for key, meaning in REQUIRED_OF_TYPE[kind].items():
        if key not in fields.mapping:
            fields.error(None, f"a {kind.value} channel needs '{key}': {meaning}")
    if kind is ChannelType.EMAIL and ("username_env" in fields.mapping) != ("password_env" in fields.mapping):
        fields.error(None, "an email channel that logs in needs both 'username_env' and 'password_env'")


def _name(fields: Fields, kind: ChannelType) -> str:
    name = fields.text("name") or kind.value
    if not ID.match(name):
        fields.error("name", f"channel name {name!r} must be a slug: {ID_HINT}")
    return name


def _env_name(fields: Fields, key: str) -> str:
    """The name of a variable; a value that is not a name may be the secret itself, so it is never shown."""
    value = fields.text(key)
    if value and not ENV_NAME.match(value):
        fields.error(
            key,
            f"'{key}' must be the name of an environment variable (letters, digits and '_', such as "
            "SLACK_WEBHOOK_URL), never the secret itself; if a secret was written here, revoke it",
        )
        return ""
    return value


LOOPBACK = ("localhost", "127.0.0.1", "::1")
"""Hosts a token may be sent to over plain http: it never leaves the machine."""


def _server(fields: Fields) -> str:
    """The server's https URL: the access token travels in each request, so never in clear over a network."""
    value = fields.text("server")
    parts = urlsplit(value)
    scheme_ok = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if value and (not scheme_ok or not parts.netloc or parts.query or parts.fragment):
        fields.error(
            "server", f"'server' must be the server's https URL, such as https://mastodon.social, not {value!r}"
        )
    return value.rstrip("/")


def _follow_url(fields: Fields) -> str:
    """A public http(s) address, put as a link on the Subscribe page."""
    value = fields.text("follow_url")
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc):
        fields.error("follow_url", f"'follow_url' must be a web address such as https://discord.gg/acme, not {value!r}")
        return ""
    return value


def _port(fields: Fields) -> int:
    port = fields.integer("smtp_port")
    if port > MAX_PORT:
        fields.error("smtp_port", f"'smtp_port' must be a port number from 1 to {MAX_PORT}, not {port}")
    return port


def _address(fields: Fields, key: str, value: str) -> str:
    if value and not ADDRESS.match(value):
        fields.error(key, f"'{key}': {value!r} is not an email address such as status@example.com")
    return value


def _components(fields: Fields, catalogue: set[str] | None) -> tuple[str, ...]:
    ids = fields.text_list("components")
    for cid in ids:
        if catalogue is not None and cid not in catalogue:
            fields.error("components", f"unknown component '{cid}' in 'components'{suggestion(cid, catalogue)}")
    return ids


LEAD_TIME = re.compile(r"^([1-9][0-9]{0,4})([mhd])$")
LEAD_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}


def _reminders(fields: Fields) -> tuple[timedelta, ...]:
    """Lead times such as "72h", "30m" or "2d", longest first, each once."""
    leads = set()
    for item in fields.text_list("reminders"):
        found = LEAD_TIME.match(item)
        if found is None:
            fields.error(
                "reminders",
                f'\'reminders\': {item!r} is not a lead time such as "72h", "30m" or "2d" (minutes, hours, days)',
            )
            continue
        leads.add(int(found[1]) * LEAD_UNITS[found[2]])
    return tuple(sorted(leads, reverse=True))
