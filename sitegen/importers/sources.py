"""Which reader an import uses, from what the user gave: a source's name and where to read it.

Addresses starting with http:// or https:// are crawled; anything else is
a saved file or folder. The command line only parses options; every
decision about a source is here, with the errors that say what to give.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.content.config import CONFIG_FILE
from sitegen.content.times import load_timezone
from sitegen.importers.cstate import read_cstate
from sitegen.importers.errors import ImportFailed
from sitegen.importers.fetching import Fetcher, Politeness, Progress
from sitegen.importers.incidentio import crawl_incidentio, read_incidentio
from sitegen.importers.records import SourceHistory
from sitegen.importers.saved_files import read_documents
from sitegen.importers.statuspage import read_statuspage
from sitegen.importers.statuspage_manage import API_URL, POLITENESS, auth_headers, fetch_managed
from sitegen.importers.statuspage_web import crawl_statuspage
from sitegen.importers.upptime import read_upptime

SOURCES = ("statuspage", "incidentio", "cstate", "upptime")


@dataclass(frozen=True)
class Request:
    """What to import: the source, where from, and the options that apply to it."""

    source: str
    place: str | None
    api_key_variable: str | None = None
    api_url: str = API_URL
    timezone: str | None = None
    issues: Sequence[Path] = ()
    politeness: Politeness = field(default_factory=Politeness)


def read_source(request: Request, site_dir: Path, *, progress: Progress | None = None) -> SourceHistory:
    if request.timezone is not None and request.source != "cstate":
        raise ImportFailed(
            f"--timezone is for cstate, whose dates may have no zone: {request.source} times carry their own offset, "
            "which the import keeps"
        )
    if request.source == "statuspage":
        return _statuspage(request, progress)
    if request.source == "incidentio":
        place = _required(request, "the status page's address (https://status.example.com) or saved documents")
        if _is_url(place):
            with Fetcher(request.politeness) as fetcher:
                return crawl_incidentio(place, fetcher)
        return read_incidentio(read_documents(Path(place), suffixes=(".json",)))
    if request.source == "cstate":
        zone = (
            _zone(request.timezone, "--timezone") if request.timezone else _zone(site_timezone(site_dir), CONFIG_FILE)
        )
        return read_cstate(Path(request.place or "."), timezone=zone)
    if request.source == "upptime":
        return read_upptime(Path(request.place or "."), request.issues)
    raise ImportFailed(f"unknown source '{request.source}': choose one of {', '.join(SOURCES)}")


def _statuspage(request: Request, progress: Progress | None) -> SourceHistory:
    if request.api_key_variable:
        page_id = _required(request, "the page id (from the page's API settings) to read with --api-key")
        politeness = Politeness(
            concurrency=1,
            interval=max(POLITENESS.interval, request.politeness.interval),
            retries=request.politeness.retries,
            backoff=request.politeness.backoff,
            timeout=request.politeness.timeout,
        )
        headers = auth_headers(api_key(request.api_key_variable))
        with Fetcher(politeness, headers=headers) as fetcher:
            return fetch_managed(page_id, fetcher, api_url=request.api_url, progress=progress)
    place = _required(request, "the status page's address (https://status.example.com) or saved documents")
    if _is_url(place):
        with Fetcher(request.politeness) as fetcher:
            return crawl_statuspage(place, fetcher, progress=progress)
    return read_statuspage(read_documents(Path(place)))


def api_key(variable: str) -> str:
    """The key from the environment variable named ``variable``: a secret is never given on the command line."""
    value = os.environ.get(variable, "").strip()
    if not value:
        raise ImportFailed(
            f"the environment variable {variable} is not set: put the Statuspage API key in it "
            f"(--api-key takes the variable's name, not the key)"
        )
    return value


def site_timezone(site_dir: Path) -> str:
    """The site's [site] timezone, for dates without an offset; UTC for a new site (or one that cannot be read)."""
    try:
        data = tomllib.loads((site_dir / CONFIG_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "UTC"
    site = data.get("site")
    zone = site.get("timezone") if isinstance(site, dict) else None
    return zone if isinstance(zone, str) and zone else "UTC"


def _zone(name: str, given_by: str) -> str:
    """``name``, if it is a zone; an abbreviation such as CEST names no rules for summer time, so it is not one."""
    try:
        load_timezone(name)
    except ValueError as exc:
        raise ImportFailed(f"{given_by}: {exc}") from None
    return name


def _required(request: Request, what: str) -> str:
    if not request.place:
        raise ImportFailed(f"'sitegen import {request.source}' needs FROM: {what}")
    return request.place


def _is_url(place: str) -> bool:
    return place.startswith(("http://", "https://"))
