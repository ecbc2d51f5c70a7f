"""A Statuspage page through its management API v1, which a page's owner can read with an API key.

It is the only source of postmortems (``postmortem_body``, which become
write-ups) and of ``impact_override``; its incidents have the public
shape otherwise. Statuspage allows one request a second and 100 incidents
a page, so a long history takes a while, and the crawl keeps to both.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sitegen.importers.fetching import Fetcher, Politeness, Progress
from sitegen.importers.records import SourceHistory
from sitegen.importers.statuspage import read_statuspage

API_URL = "https://api.statuspage.io/v1/"
PER_PAGE = 100
POLITENESS = Politeness(concurrency=1, interval=1.0)
"""Statuspage's documented rate limit for the management API."""


def auth_headers(api_key: str) -> dict[str, str]:
    return {"Authorization": f"OAuth {api_key}"}


def fetch_managed(
    page_id: str, fetcher: Fetcher, *, api_url: str = API_URL, progress: Progress | None = None
) -> SourceHistory:
    """Every incident of the page, with its catalogue; ``fetcher`` carries the key (see ``auth_headers``)."""
    base = f"{api_url.rstrip('/')}/pages/{quote(page_id, safe='')}"
    page_url = base
    documents: list[tuple[str, Any]] = [(page_url, {"page": _page(fetcher.json(page_url))})]
    for name in ("components", "component-groups"):
        documents += _pages(fetcher, f"{base}/{name}", progress=None)
    documents += _pages(fetcher, f"{base}/incidents", progress=progress)
    return read_statuspage(documents)


def _pages(fetcher: Fetcher, url: str, *, progress: Progress | None) -> list[tuple[str, Any]]:
    """Each page of a list, until one comes back short."""
    documents: list[tuple[str, Any]] = []
    held = 0
    for number in range(1, 10_000):
        page_url = f"{url}?page={number}&per_page={PER_PAGE}"
        items = fetcher.json(page_url)
        documents.append((page_url, items))
        held += len(items) if isinstance(items, list) else 0
        if progress is not None:
            progress("incidents", held, 0)
        if not isinstance(items, list) or len(items) < PER_PAGE:
            break
    return documents


def _page(page: Any) -> Any:
    """The management API's page, as the public API names it: its public URL is its domain."""
    if not isinstance(page, dict):
        return page
    domain = page.get("domain") or (f"{page['subdomain']}.statuspage.io" if page.get("subdomain") else "")
    return {**page, "url": page.get("url") or (f"https://{domain}" if domain else "")}
