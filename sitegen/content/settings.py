"""Every setting of ``sitegen.toml``, declared once: its table, key, type, default and meaning.

The loader (:mod:`sitegen.content.config`) takes the keys it accepts and the
defaults it fills in from here, and the tests hold the JSON Schema in
``sitegen/schemas/``, the ``sitegen.toml`` that ``sitegen init`` writes and
``docs/configuration.md`` against this table, so a setting cannot be added in
one place and forgotten in another.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Type(str, Enum):
    """What a setting's value is; the JSON Schema's type for each is in ``json_type``."""

    TEXT = "text"
    URL = "url"
    TIMEZONE = "timezone"
    LANGUAGE = "language tag"
    WHOLE_NUMBER = "whole number"
    SHARE = "number from 0 to 1"
    DATE = "date"
    ENV_NAME = "environment variable name"
    TEXT_LIST = "list of text"
    FLAG = "true or false"

    @property
    def json_type(self) -> str:
        types = {Type.WHOLE_NUMBER: "integer", Type.SHARE: "number", Type.TEXT_LIST: "array", Type.FLAG: "boolean"}
        return types.get(self, "string")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()
"""The default of a setting that has none: the site must give it."""


@dataclass(frozen=True)
class Setting:
    key: str
    type: Type
    default: object
    """REQUIRED, None (optional, no value), or the value used when the key is left out."""
    help: str

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


DEFAULT_MAX_FILE_KIB = 1024
"""Named because the loader needs it before the settings have loaded (to read content files anyway)."""

SITE = (
    Setting("title", Type.TEXT, REQUIRED, "The site's name, in every page title and feed."),
    Setting("base_url", Type.URL, REQUIRED, "The absolute URL the site is published at."),
    Setting("timezone", Type.TIMEZONE, "UTC", "The IANA timezone times are shown in and zone-less times are read in."),
    Setting("language", Type.LANGUAGE, "en", "The BCP 47 tag of the language pages, feeds and the calendar speak."),
    Setting("description", Type.TEXT, "", "A sentence about the site, for the front page and feeds."),
    Setting("footer", Type.TEXT, "", "Markdown shown at the foot of every page."),
    Setting("theme", Type.TEXT, "default", "The folder under themes/ whose files replace the default theme's."),
    Setting(
        "history_page_size",
        Type.WHOLE_NUMBER,
        50,
        "Incidents per older history page; the first lists the newest, up to twice as many.",
    ),
    Setting("feed_entries", Type.WHOLE_NUMBER, 50, "Entries per feed."),
    Setting(
        "max_file_kib", Type.WHOLE_NUMBER, DEFAULT_MAX_FILE_KIB, "Content files larger than this (in KiB) are refused."
    ),
    Setting(
        "stale_after",
        Type.WHOLE_NUMBER,
        None,
        "Minutes after a build when the front page warns it may be out of date; with it, a small script keeps "
        "the page's time between builds.",
    ),
)
COMPONENT = (
    Setting("id", Type.TEXT, REQUIRED, "The component's permanent id, in its URL: lower-case letters, digits, dashes."),
    Setting("name", Type.TEXT, REQUIRED, "The component's name as pages show it."),
    Setting("group", Type.TEXT, None, "The group it is shown in; components of one group are listed together."),
    Setting("description", Type.TEXT, "", "A sentence about the component."),
    Setting("since", Type.DATE, None, "The first day it is tracked; uptime has no data before it."),
    Setting("alert_labels", Type.TEXT_LIST, None, "Alert labels (name=value) that mark an alert as being about it."),
)
UPTIME = (
    Setting("major_outage", Type.SHARE, 1.0, "The share of time in a major outage counted as downtime."),
    Setting("partial_outage", Type.SHARE, 0.3, "The share of time in a partial outage counted as downtime."),
    Setting("degraded_performance", Type.SHARE, 0.0, "The share of degraded time counted as downtime."),
)
ALERTS = (
    Setting("template", Type.TEXT, "outage", "The template in content/templates/ an alert's incident is drafted from."),
    Setting("component_label", Type.TEXT, "component", "The alert label whose value is a component's id."),
    Setting("component_status", Type.TEXT, "major_outage", "The status a drafted incident gives its components."),
)
"""[alerts]: how ``sitegen new --from-alert`` drafts an incident (sitegen.authoring.alerts)."""
NOTIFY = (
    Setting("type", Type.TEXT, REQUIRED, "Where to announce: slack, discord, teams, webhook, mastodon or email."),
    Setting("name", Type.TEXT, None, "The channel's name in the record of what was announced; default: its type."),
    Setting("components", Type.TEXT_LIST, None, "Announce only incidents that affect one of these component ids."),
    Setting("follow_url", Type.URL, None, "A public address to follow this channel at, for the Subscribe page."),
    Setting("reminders", Type.TEXT_LIST, None, 'Remind this long before a maintenance starts, such as ["24h", "1h"].'),
    Setting("on_call", Type.FLAG, None, "On-call's channel: also reminded when a promised update is late."),
    Setting("url_env", Type.ENV_NAME, None, "slack, discord, teams, webhook: the variable that holds the webhook URL."),
    Setting("secret_env", Type.ENV_NAME, None, "webhook: the variable that holds the key signing each request."),
    Setting("server", Type.URL, None, "mastodon: the server's URL, such as https://mastodon.social."),
    Setting("token_env", Type.ENV_NAME, None, "mastodon: the variable that holds the access token."),
    Setting("visibility", Type.TEXT, "public", "mastodon: who sees the posts: public, unlisted or private."),
    Setting("smtp_host", Type.TEXT, None, "email: the SMTP server, reached with STARTTLS."),
    Setting("smtp_port", Type.WHOLE_NUMBER, 587, "email: the SMTP server's port."),
    Setting("username_env", Type.ENV_NAME, None, "email: the variable that holds the SMTP user name."),
    Setting("password_env", Type.ENV_NAME, None, "email: the variable that holds the SMTP password."),
    Setting("from", Type.TEXT, None, "email: the sender's address."),
    Setting("to", Type.TEXT_LIST, None, "email: the addresses to send to."),
)
"""A [[notify]] channel: secrets are only ever named by their environment variable (sitegen.content.notify_config)."""
TABLES: dict[str, tuple[Setting, ...]] = {
    "site": SITE,
    "components": COMPONENT,
    "uptime": UPTIME,
    "alerts": ALERTS,
    "notify": NOTIFY,
}
ARRAY_TABLES = frozenset({"components", "notify"})
"""The tables written [[like this]], once per entry."""
"""The tables of sitegen.toml: [site], [[components]] (one per component), [uptime], [alerts] and [[notify]]."""


def keys(table: tuple[Setting, ...]) -> tuple[str, ...]:
    return tuple(setting.key for setting in table)
