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


def metrics() -> str:
    return "metrics/"


def badge(component_id: str | None = None) -> str:
    """'badge.svg', site-wide or under a component's folder."""
    prefix = component(component_id) if component_id else ""
    return f"{prefix}badge.svg"


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
