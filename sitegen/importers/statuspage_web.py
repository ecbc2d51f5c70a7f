"""The full history of a public Statuspage page (or of a sitegen site, which serves the same documents).

``api/v2/incidents.json`` holds only the 50 most recent incidents. The
page's ``history.json?page=N`` lists every incident by code, a quarter per
page, and ``api/v2/incidents/<code>.json`` gives each one with every
update. The crawl reads ``api/v2/summary.json`` (the page, its catalogue,
what is open now), then the history pages, then each incident.

The history ends at a page without months, or after ``quiet_pages`` pages
in a row without an incident (a quiet quarter in the middle of the history
does not end it), or at a page that lists only codes already seen: a
static host (a sitegen site) ignores ``?page=N`` and answers every page
with the whole history.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sitegen.importers.errors import FetchFailed
from sitegen.importers.fetching import Fetcher, Progress
from sitegen.importers.reading import Node
from sitegen.importers.records import SourceHistory
from sitegen.importers.statuspage import read_statuspage

QUIET_PAGES = 4
"""A year without incidents ends the history."""
MAX_PAGES = 400
"""A hundred years of quarters: a page that never stops answering is not a status page."""
MAX_CODES_PER_PAGE = 1_000
"""Incidents one history page (a quarter) may list: ten a day for three months; more is not a status page."""
CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
API_SUFFIX = re.compile(r"(api/v2/[^/]*(\.json)?|history\.json|history/?|index\.html)$")


def page_root(url: str) -> str:
    """The page's root URL, ending in '/', from its address or the address of one of its documents."""
    problem = f"'{url}' is not an http(s) address of a status page, such as https://status.example.com/"
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed '[' of an IPv6 address
        raise FetchFailed(problem) from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchFailed(problem)
    path = API_SUFFIX.sub("", parts.path)
    path = path if path.endswith("/") else path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def crawl_statuspage(
    url: str, fetcher: Fetcher, *, progress: Progress | None = None, quiet_pages: int = QUIET_PAGES
) -> SourceHistory:
    root = page_root(url)
    summary_url = root + "api/v2/summary.json"
    summary = fetcher.json(summary_url)
    codes = _history_codes(root, fetcher, quiet_pages, progress)
    held = {str(i.get("id")) for key in ("incidents", "scheduled_maintenances") for i in _objects(summary, key)}
    codes = list(dict.fromkeys([*codes, *sorted(held)]))
    urls = [f"{root}api/v2/incidents/{code}.json" for code in codes]
    documents = fetcher.json_many(urls, what="incidents", progress=progress)
    return read_statuspage([(summary_url, _catalogue_only(summary)), *zip(urls, documents)])


def _history_codes(root: str, fetcher: Fetcher, quiet_pages: int, progress: Progress | None) -> list[str]:
    codes: dict[str, None] = {}
    quiet = 0
    for number in range(1, MAX_PAGES + 1):
        url = f"{root}history.json?page={number}"
        months = Node(url, fetcher.json(url)).items("months", required=False)
        listed = [_code(item) for month in months for item in month.items("incidents", required=False)]
        if len(listed) > MAX_CODES_PER_PAGE:
            raise FetchFailed(
                f"{url} lists {len(listed)} incidents in one quarter, more than {MAX_CODES_PER_PAGE}: "
                "it does not answer as a status page does"
            )
        if progress is not None:
            progress("history pages", number, number)
        new = [code for code in listed if code not in codes]
        codes.update(dict.fromkeys(new))
        quiet = quiet + 1 if not listed else 0
        if not months or (listed and not new) or quiet >= quiet_pages:
            break
    return list(codes)


def _code(item: Node) -> str:
    code = item.key_text("code")
    if not CODE.match(code):
        raise item.bad(f"'{code}' is not an incident code (letters, digits, '-' and '_')", "code")
    return code


def _objects(document: Any, key: str) -> list[dict[str, Any]]:
    items = document.get(key) if isinstance(document, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _catalogue_only(summary: Any) -> Any:
    """The summary without its incidents: each is read from its own, complete document."""
    if not isinstance(summary, dict):
        return summary
    return {k: v for k, v in summary.items() if k not in ("incidents", "scheduled_maintenances")}
