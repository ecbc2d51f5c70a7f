"""Upptime repositories as records: the monitored sites, and the incident issues exported as JSON.

Upptime opens a GitHub issue when a site goes down ("🛑 Wikipedia is down",
labelled ``status`` and with the site's slug) and closes it when the site is
back, commenting along the way. One issue is one incident: it opens
(``created_at``) with the issue's text, each comment is an update (one
saying "Resolved" resolves it), and closing the issue (``closed_at``)
resolves it if no comment did. Issues that are not Upptime's (no
``status`` label, no site's slug, no Upptime title) are left out.

The sites come from ``.upptimerc.yml`` (else ``history/summary.json``);
the first check in ``history/<slug>.yml`` (``startTime``, which Upptime
writes in JavaScript's ``Date.toString()`` form) becomes the component's
``since``. ``dailyMinutesDown`` only totals downtime per day, with no times
to place it at, so it is not imported.

Issues may be exported with ``gh issue list --json
number,title,body,labels,createdAt,closedAt,comments`` or from the REST API
(``/issues?state=all``, with comments from ``/issues/comments`` in a
second file).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from slugify import slugify

from sitegen.content.frontmatter import FrontMatterError, parse_yaml
from sitegen.content.statuses import ComponentStatus, Kind, UpdateStatus
from sitegen.importers.errors import BadInput, ImportFailed, document_name
from sitegen.importers.html_bodies import markdown_body
from sitegen.importers.reading import Node
from sitegen.importers.records import SourceComponent, SourceHistory, SourceIncident, SourcePage, SourceUpdate
from sitegen.importers.saved_files import read_json
from sitegen.importers.timeline import with_closing_update

SOURCE = "upptime"
CONFIG = ".upptimerc.yml"
TITLE = re.compile(
    r"^\W*(?P<name>.+?) (?:is|has) (?P<what>down|degraded performance|experiencing degraded performance)"
)
JS_DATE = re.compile(r"^\w{3} (?P<month>\w{3}) (?P<day>\d{1,2}) (?P<year>\d{4}) ")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
RESOLVED = re.compile(r"^\W*resolved\b", re.IGNORECASE)


def read_upptime(repo: Path, issue_files: Sequence[Path]) -> SourceHistory:
    if not repo.is_dir():
        raise ImportFailed(f"{document_name(repo)} is not a folder: give the Upptime repository's folder")
    if not issue_files:
        raise ImportFailed("give the repository's issues exported as JSON with --issues FILE")
    components = _sites(repo)
    issues, comments = _exported(issue_files)
    by_slug = {c.key: c for c in components}
    by_name = {c.name.lower(): c for c in components}
    found: list[BadInput] = []
    incidents = []
    for node in issues:
        try:
            incident = _incident(node, by_slug, by_name, comments)
        except BadInput as exc:
            found.append(exc)
            continue
        if incident is not None:
            incidents.append(incident)
    if found and not incidents:
        raise ImportFailed.listing(found)
    return SourceHistory(SOURCE, _page(repo), components, tuple(incidents), skipped=tuple(map(str, found)))


def _config(repo: Path) -> dict[str, Any]:
    path = repo / CONFIG
    if not path.is_file():
        return {}
    try:
        data = parse_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{document_name(path)} cannot be read: {exc}") from None
    except FrontMatterError as exc:
        raise ImportFailed(f"{document_name(path)}:{exc.line}: {exc.message}") from None
    return data if isinstance(data, dict) else {}


def upptime_slug(name: str) -> str:
    """The slug Upptime gives a site: its name with camel case split, as @sindresorhus/slugify does.

    ``BookStack`` is ``book-stack`` and ``InfluxDB`` ``influx-db``: the names
    of its ``history/`` files and of the labels on its issues.
    """
    spaced = re.sub(r"([a-z\d])([A-Z])", r"\1 \2", name)
    return str(slugify(re.sub(r"([A-Z]+)([A-Z][a-z\d]+)", r"\1 \2", spaced)))


def _sites(repo: Path) -> tuple[SourceComponent, ...]:
    listed = _config(repo).get("sites")
    if not isinstance(listed, list):
        summary = repo / "history" / "summary.json"
        listed = read_json(summary) if summary.is_file() else []
    sites = []
    for site in listed if isinstance(listed, list) else []:
        name = site.get("name") if isinstance(site, dict) else None
        if isinstance(name, str) and name.strip():
            slug = str(site.get("slug") or upptime_slug(name))
            sites.append(SourceComponent(slug, name.strip(), since=_first_check(repo / "history" / f"{slug}.yml")))
    return tuple(sites)


def _first_check(path: Path) -> date | None:
    """The day of a site's first check: ``startTime`` as JavaScript writes a Date, or ISO 8601."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8-sig")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return None
    value = str(data.get("startTime", "")) if isinstance(data, dict) else ""
    if found := JS_DATE.match(value):
        month = found.group("month").lower()
        if month in MONTHS:
            return date(int(found.group("year")), MONTHS.index(month) + 1, int(found.group("day")))
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _page(repo: Path) -> SourcePage:
    config = _config(repo)
    found = config.get("status-website")
    website: dict[str, Any] = found if isinstance(found, dict) else {}
    owner, name = config.get("owner"), config.get("repo")
    cname = website.get("cname")
    url = f"https://{cname}/" if cname else f"https://{owner}.github.io/{name}/" if owner and name else ""
    return SourcePage(title=str(website.get("name") or name or "Status"), url=url)


def _exported(files: Sequence[Path]) -> tuple[list[Node], dict[str, list[Node]]]:
    """The issues, and the comments by issue number, from every file given."""
    issues: list[Node] = []
    comments: dict[str, list[Node]] = {}
    for path in files:
        root = Node(document_name(path), read_json(path))
        items = root.value if isinstance(root.value, list) else None
        if items is None:
            raise ImportFailed(f"{root.document}: expected a list of issues (or of comments)")
        for n, item in enumerate(items):
            node = Node(root.document, item, f"[{n}]")
            if not isinstance(item, dict):
                raise ImportFailed.listing([node.bad("expected an object")])
            if "issue_url" in item:
                comments.setdefault(str(item["issue_url"]).rstrip("/").rsplit("/", 1)[-1], []).append(node)
            elif "pull_request" not in item:
                issues.append(node)
    return issues, comments


def _incident(
    node: Node,
    by_slug: dict[str, SourceComponent],
    by_name: dict[str, SourceComponent],
    comments: dict[str, list[Node]],
) -> SourceIncident | None:
    title = node.text("title")
    labels = {str(label.get("name")) for label in node.items("labels", required=False)}
    shape = TITLE.match(title)
    site = next((by_slug[label] for label in sorted(labels) if label in by_slug), None)
    if site is None and shape is not None:
        site = by_name.get(shape.group("name").lower())
    if site is None and shape is None and "status" not in labels:
        return None  # not an issue Upptime opened
    key = site.key if site is not None else upptime_slug(shape.group("name")) if shape else ""
    status = ComponentStatus.DEGRADED_PERFORMANCE if "degraded" in title.lower() else ComponentStatus.MAJOR_OUTAGE
    number = node.key_text("number")
    opened = SourceUpdate(
        _time(node, "created"), UpdateStatus.INVESTIGATING, markdown_body(node.optional_text("body")) or title
    )
    said = node.get("comments")
    notes = (
        [Node(node.document, c, f"{node.path}.comments[{n}]") for n, c in enumerate(said)]
        if isinstance(said, list)
        else []
    )
    updates = (opened, *(_comment(c) for c in [*notes, *comments.get(number, [])]))
    closed = _time(node, "closed") if node.has("closedAt") or node.has("closed_at") else None
    return SourceIncident(
        source_id=number,
        title=title,
        kind=Kind.INCIDENT,
        updates=with_closing_update(updates, Kind.INCIDENT, closed),
        components={key: status} if key else {},
    )


def _comment(node: Node) -> SourceUpdate:
    body = node.optional_text("body")
    status = UpdateStatus.RESOLVED if RESOLVED.match(body) else UpdateStatus.INVESTIGATING
    return SourceUpdate(_time(node, "created"), status, markdown_body(body))


def _time(node: Node, what: str) -> datetime:
    """``createdAt`` (the gh command's name) or ``created_at`` (the REST API's)."""
    camel = f"{what}At"
    return node.time(camel) if node.has(camel) else node.time(f"{what}_at")
