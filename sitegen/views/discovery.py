"""What lets programs find a site's data: ``openapi.json`` and ``llms.txt``.

``openapi.json`` is the OpenAPI 3.1 description of every JSON document the
site publishes, written once in ``openapi.yaml`` beside this module (the
shapes are Statuspage's API v2, see ``sitegen.views.api``); a build adds
the site's title and URL. ``llms.txt`` (https://llmstxt.org) is a short
Markdown index for language models and other readers: what the site is,
and links to the description, the API, the feeds and the reports.

Both hold only the settings' title and description besides fixed text: in
``llms.txt`` they are escaped, so that a renderer of its Markdown shows
them as written and never as markup.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from pathlib import Path

import yaml

from sitegen.content.frontmatter import YamlLoader
from sitegen.content.site import SiteConfig
from sitegen.output import urls
from sitegen.views.api import Json, encode
from sitegen.views.history_api import HISTORY

DESCRIPTION = Path(__file__).with_name("openapi.yaml")
_MARKDOWN = re.compile(r"([\\`*_\[\]()#!|])")


def discovery_files(config: SiteConfig) -> dict[str, bytes]:
    """``openapi.json`` and ``llms.txt`` for the site, by output path."""
    return {urls.openapi(): encode(openapi_document(config)), urls.llms(): llms_text(config).encode("utf-8")}


def openapi_document(config: SiteConfig) -> Json:
    """The description with the site's title, and its URL as the server (paths start with '/')."""
    document = _description()
    return {
        **document,
        "info": {**document["info"], "title": config.title},
        "servers": [{"url": config.base_url.rstrip("/"), "description": config.title}],
    }


@cache
def _description() -> Json:
    document: Json = yaml.load(DESCRIPTION.read_text(encoding="utf-8"), Loader=YamlLoader)  # libyaml: 20x faster
    return document


def llms_text(config: SiteConfig) -> str:
    """The site's index for language models, with absolute links."""

    def link(name: str, path: str, note: str) -> str:
        return f"- [{name}]({urls.absolute(config.base_url, path)}): {note}"

    title = _text(config.title)
    about = _text(config.description) if config.description else f"The service status of {title}."
    lines = [
        f"# {title}",
        "",
        f"> {about}",
        "",
        "A static status page: its pages, feeds and JSON are as current as its last build. "
        "The JSON follows Statuspage's public status API v2.",
        "",
        "## API",
        "",
        link("OpenAPI description", urls.openapi(), "every JSON document of this site, with its shape"),
        link("Summary", urls.api("summary.json"), "the overall status, components, and what is going on"),
        link("Incidents", urls.api("incidents.json"), "the 50 most recent incidents with their updates"),
        link("History", HISTORY, "every incident and maintenance, by month"),
        link("Monthly uptime reports", urls.report(), "each month's uptime per component, as CSV and JSON"),
        "",
        "## Feeds",
        "",
        link("Atom feed", urls.feed("atom"), "the incidents, newest first"),
        link("RSS feed", urls.feed("rss"), "the same as RSS"),
        link("Maintenance calendar", urls.calendar(), "scheduled maintenance as iCalendar"),
        "",
        "## Optional",
        "",
        link("Status page", urls.home(), "the current status for people"),
        link("Incident history", urls.history(), "every incident, by month"),
        link("Metrics", urls.metrics(), "how often incidents happen and how fast they are resolved"),
    ]
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    """Setting text as Markdown shows it: on one line, its markup characters escaped."""
    return _MARKDOWN.sub(r"\\\1", escape(" ".join(value.split()), quote=False))
