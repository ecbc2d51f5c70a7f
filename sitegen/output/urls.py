"""The one place that decides where every page and file lives, and how pages link to each other.

A *site path* is relative to ``base_url``: '' is the front page,
'incidents/<slug>/' an incident. Pages link to each other with relative
links to the file itself (``../x/index.html``), so a site works at any
sub-path, on any static host and straight from disk. The 404 page is the
exception: a host serves it at whatever path was missed, so its links are
rooted at the base URL's path.
"""

from __future__ import annotations

from urllib.parse import urlsplit

INDEX = "index.html"
ASSETS = "assets/"


def home() -> str:
    return ""


def history(page: int = 1) -> str:
    return "history/" if page == 1 else f"history/page/{page}/"


def incident(slug: str) -> str:
    return f"incidents/{slug}/"


def component(component_id: str) -> str:
    return f"components/{component_id}/"


def writeup(slug: str) -> str:
    return f"writeups/{slug}/"


def feed(extension: str, component_id: str | None = None) -> str:
    """'history.atom' / 'history.rss', site-wide or under a component's folder."""
    prefix = component(component_id) if component_id else ""
    return f"{prefix}history.{extension}"


def updates_feed(extension: str, component_id: str | None = None) -> str:
    """'updates.atom' / 'updates.rss': one entry per update, site-wide or under a component's folder."""
    prefix = component(component_id) if component_id else ""
    return f"{prefix}updates.{extension}"


def update_anchor(update_id: str) -> str:
    """The fragment naming one update on its incident's page (its API id: it never changes)."""
    return f"update-{update_id}"


def writeup_anchor(slug: str) -> str:
    """The fragment naming a write-up's publication on the page of an incident it covers."""
    return f"writeup-{slug}"


def subscribe() -> str:
    return "subscribe/"


def metrics() -> str:
    return "metrics/"


def report(month: str | None = None) -> str:
    """'reports/', the list of monthly uptime reports, or one month's: 'reports/2026-11/'."""
    return "reports/" if month is None else f"reports/{month}/"


def report_data(month: str, extension: str) -> str:
    """One month's report as data: 'reports/2026-11.csv' or 'reports/2026-11.json'."""
    return f"reports/{month}.{extension}"


def badge(component_id: str | None = None) -> str:
    """'badge.svg', site-wide or under a component's folder."""
    prefix = component(component_id) if component_id else ""
    return f"{prefix}badge.svg"


def card(slug: str | None = None) -> str:
    """A link-preview image: 'card.png', the front page's, or an incident's (only some incidents have one)."""
    prefix = incident(slug) if slug else ""
    return f"{prefix}card.png"


def neutral_card() -> str:
    """The link-preview image of every page without a card of its own: the site's name, no status."""
    return "site-card.png"


def embed_script() -> str:
    """The status widget other sites include."""
    return "embed.js"


def embed_page() -> str:
    """The status for an iframe on other sites, without script."""
    return "embed/"


def openapi() -> str:
    """The OpenAPI description of the site's JSON."""
    return "openapi.json"


def llms() -> str:
    """The site's index for language models (llmstxt.org)."""
    return "llms.txt"


def calendar() -> str:
    return "maintenance.ics"


def asset(name: str) -> str:
    return ASSETS + name


def favicon() -> str:
    """The favicon of the overall status, at one path whatever the status: a page links it without reading it."""
    return "favicon.svg"


def api(name: str) -> str:
    return f"api/v2/{name}"


NOT_FOUND = "404.html"


def output_file(path: str) -> str:
    """The file a site path is written to: folders get their index.html."""
    return path + INDEX if path == "" or path.endswith("/") else path


def absolute(base_url: str, path: str) -> str:
    """The public URL of a site path (for feeds, the API and canonical links)."""
    return base_url + path


def webcal(url: str) -> str:
    """An http(s) URL with the webcal scheme, which calendar apps open as a subscription rather than a download."""
    return "webcal://" + url.split("://", 1)[1]


class Linker:
    """Makes links from one page to any site path.

    A link climbs to the site's root and descends to the target
    (``../../incidents/x/index.html``): site paths never contain '..', and a
    prefix computed once per page keeps linking cheap on pages with
    thousands of links.
    """

    def __init__(self, page_path: str, *, rooted_at: str | None = None):
        self.prefix = rooted_at if rooted_at is not None else "../" * output_file(page_path).count("/")
        self.pretty = rooted_at is not None

    @classmethod
    def for_not_found(cls, base_url: str) -> Linker:
        """Links for the 404 page, which hosts serve at any depth: from the base URL's path, as directories."""
        return cls(NOT_FOUND, rooted_at=urlsplit(base_url).path or "/")

    def __call__(self, target: str) -> str:
        return self.prefix + (target if self.pretty else output_file(target))
