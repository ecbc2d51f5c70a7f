"""What the live site has published: read from its JSON API, to warn when a change would break a subscriber's link.

A pull request that renames or deletes an incident file changes that
incident's URL and feed id. ``sitegen check --published`` compares the
site with a record of what is published: the previous build's folder (as
``sitegen build`` does, :mod:`sitegen.content.warnings`), or the live site's
``api/v2/incidents.json`` and ``api/v2/scheduled-maintenances.json``, by
URL or as saved files. Each incident there names its page in
``shortlink`` (``<base_url>incidents/<slug>/``), which gives its slug.

The API lists the 50 most recent incidents and maintenances, as
Statuspage's does, so older ones are not compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from sitegen import __version__
from sitegen.content.names import SLUG
from sitegen.errors import UserError, display_path
from sitegen.http import parse_json

DOCUMENTS = ("api/v2/incidents.json", "api/v2/scheduled-maintenances.json")
LISTS = ("incidents", "scheduled_maintenances")
MAX_BYTES = 32 * 1024 * 1024
TIMEOUT_SECONDS = 15.0
USER_AGENT = f"sitegen/{__version__} (check --published)"


class PublishedError(UserError):
    """The record of what is published was given but cannot be read: a file that is not the API's JSON."""


@dataclass(frozen=True)
class Published:
    """The slugs a published site lists, and what could not be read of it (said, but not an error)."""

    slugs: frozenset[str]
    notes: tuple[str, ...] = ()


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def read_published(source: str, *, timeout: float = TIMEOUT_SECONDS) -> Published:
    """The slugs of the site at ``source``: a base URL, a URL of one of the API's JSON documents, or a saved file.

    A site that cannot be reached, or has no API there yet (the first pull
    request, before the first deploy), gives no slugs and a note saying so:
    a check must not fail because the live site is slow. A file that is not
    the API's JSON is an error, as the user named it on purpose.
    """
    if not is_url(source):
        return Published(frozenset(slugs_of(_json_file(Path(source)), Path(source).name)))
    urls = [source] if urlsplit(source).path.endswith(".json") else [urljoin(_folder(source), d) for d in DOCUMENTS]
    slugs: set[str] = set()
    notes = []
    with httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}) as client:
        for url in urls:
            try:
                slugs |= slugs_of(_fetch(client, url), url)
            except _Unreadable as exc:
                notes.append(f"note: {url}: {exc}; incidents it would list are not compared")
    return Published(frozenset(slugs), tuple(notes))


def slugs_of(document: object, where: str) -> set[str]:
    """The slugs of the incidents (or maintenances) an API document lists, read from each one's ``shortlink``."""
    if not isinstance(document, dict) or not any(isinstance(document.get(key), list) for key in LISTS):
        raise PublishedError(f"{where} is not a Statuspage-style incidents.json: it has no 'incidents' list")
    found = set()
    for key in LISTS:
        for item in document.get(key) or []:
            link = item.get("shortlink") if isinstance(item, dict) else None
            slug = _slug_of_link(link) if isinstance(link, str) else None
            if slug is not None:
                found.add(slug)
    return found


class _Unreadable(Exception):
    """The live site did not give a document: why, in a few words."""


def _fetch(client: httpx.Client, url: str) -> object:
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise _Unreadable(f"HTTP {response.status_code}")
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_BYTES:
                    raise _Unreadable(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
    except httpx.HTTPError as exc:
        raise _Unreadable(str(exc) or type(exc).__name__) from None
    try:
        return parse_json(bytes(data))
    except ValueError:
        raise _Unreadable("not JSON") from None


def _json_file(path: Path) -> object:
    try:
        return parse_json(path.read_bytes())
    except ValueError:
        raise PublishedError(f"{display_path(path)} is not JSON: give the site's api/v2/incidents.json") from None


def _folder(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _slug_of_link(link: str) -> str | None:
    """``<base>incidents/<slug>/`` gives ``<slug>``; anything else, None."""
    parts = [part for part in urlsplit(link).path.split("/") if part]
    if len(parts) >= 2 and parts[-2] == "incidents" and SLUG.match(parts[-1]):
        return parts[-1]
    return None
