"""Statuspage's documents as records: the public API v2 and the management API v1 share one shape.

Read here: ``summary.json`` (page, catalogue, unresolved incidents and
maintenances), ``components.json``, ``incidents.json``,
``scheduled-maintenances.json``, single-incident documents (``{page,
incident}``) and the management API's lists of incidents, components and
component groups. Whatever mix of them is given, each incident is kept once
(the copy with the most updates).

What is kept, and how:

- every update, with ``display_at`` (the time the page shows, which may be
  backdated) as its time, and the offset it was written with;
- per update, ``affected_components`` as a snapshot of each component's
  ``new_status``; entries without a ``code`` (Statuspage's placeholder "No
  components were affected by this update.") are not components;
- ``started_at`` as the start, ``impact_override`` over ``impact``,
  ``scheduled_for``/``scheduled_until`` for maintenance, and a postmortem
  (``postmortem_body``) as a write-up;
- the catalogue in display order, groups and members, ``start_date`` as
  ``since``. Without a catalogue, a component's group is read from the name
  updates give it ("Group - Component").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sitegen.content.statuses import STATUSES_OF_KIND, ComponentStatus, Impact, Kind, UpdateStatus
from sitegen.importers.errors import BadInput, ImportFailed
from sitegen.importers.html_bodies import markdown_body
from sitegen.importers.reading import Node
from sitegen.importers.records import (
    SourceComponent,
    SourceHistory,
    SourceIncident,
    SourcePage,
    SourceUpdate,
    SourceWriteup,
)
from sitegen.importers.timeline import with_closing_update

SOURCE = "statuspage"
COMPONENT_STATUSES = {s.value: s for s in ComponentStatus}
IMPACTS = {i.value: i for i in Impact}
MAINTENANCE_VALUES = {s.value for s in STATUSES_OF_KIND[Kind.MAINTENANCE]}
ENDED = {"resolved", "postmortem", "completed"}
GROUP_SEPARATOR = " - "
"""Statuspage names a grouped component "<group> - <component>" in an update's affected_components."""
INDEX_ONLY = (
    "lists incident codes only: import from the page's address, or from a folder of the incidents "
    "themselves (a sitegen site's api/v2/incidents/)"
)
SITEGEN_PAGE = re.compile(r"/incidents/(\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)/(?:index\.html)?$")
"""A sitegen incident page: '<date>-<words>', nothing a file name could misuse."""
MAX_SLUG = 120
FROM_CATALOGUE, FROM_INCIDENT, FROM_UPDATE = 3, 2, 1
"""How much a component's name and group can be trusted, by where they were read."""


@dataclass
class _Seen:
    component: SourceComponent
    trust: int
    group_id: str | None = None
    position: tuple[int, int] = (0, 0)


@dataclass
class Book:
    """What the documents said so far: the page, components, incidents (each kept once)."""

    page: SourcePage | None = None
    components: dict[str, _Seen] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    """Group id -> group name."""
    prefixes: dict[str, str] = field(default_factory=dict)
    """Component key -> the group part of the name an update gave it."""
    incidents: dict[str, SourceIncident] = field(default_factory=dict)
    issues: list[BadInput] = field(default_factory=list)
    """Documents that cannot be read: nothing is imported."""
    unread: list[BadInput] = field(default_factory=list)
    """Incidents that cannot be read: skipped, when others can be."""
    indexes: list[str] = field(default_factory=list)
    """Documents that list incident codes only (history.json), for the hint when nothing else was given."""

    def history(self) -> SourceHistory:
        if self.issues or (self.unread and not self.incidents):
            raise ImportFailed.listing([*self.issues, *self.unread])
        ordered = sorted(self.components.values(), key=lambda seen: seen.position)
        components, incidents = tuple(self._grouped(s) for s in ordered), tuple(self.incidents.values())
        return SourceHistory(SOURCE, self.page, components, incidents, skipped=tuple(map(str, self.unread)))

    def _grouped(self, seen: _Seen) -> SourceComponent:
        if seen.trust == FROM_UPDATE or seen.component.group is not None or seen.group_id is None:
            return seen.component
        return replace(seen.component, group=self.groups.get(seen.group_id) or self.prefixes.get(seen.component.key))

    def see(self, seen: _Seen) -> None:
        """Record a sighting; a better-trusted one replaces the name, and only the catalogue moves it."""
        known = self.components.get(seen.component.key)
        if known is not None and known.trust >= seen.trust:
            return
        if known is not None and seen.trust < FROM_CATALOGUE:
            seen.position = known.position
        self.components[seen.component.key] = seen

    def keep(self, incident: SourceIncident) -> None:
        known = self.incidents.get(incident.source_id)
        if known is None or len(incident.updates) >= len(known.updates):
            self.incidents[incident.source_id] = incident


def read_statuspage(documents: Iterable[tuple[str, Any]]) -> SourceHistory:
    """The history in ``documents`` ((name, parsed JSON) pairs); ImportFailed listing every bad field."""
    book = Book()
    for name, value in documents:
        try:
            read_document(book, Node(name, value))
        except BadInput as exc:
            book.issues.append(exc)
    history = book.history()
    if not history.incidents and not history.components:
        hint = f": {', '.join(book.indexes)} {INDEX_ONLY}" if book.indexes else ""
        raise ImportFailed(f"the documents hold no Statuspage incidents or components to import{hint}")
    return history


def read_document(book: Book, root: Node) -> None:
    if isinstance(root.value, list):
        _read_list(book, root)
        return
    if not isinstance(root.value, dict):
        raise root.bad("is not a Statuspage document (an object or a list of incidents)")
    found = root.has("page")
    if "months" in root.value:
        book.indexes.append(root.document)
    if found:
        book.page = _page(root.child("page"))
    if root.has("incident"):
        _add_incident(book, root.child("incident"))
        found = True
    for key in ("incidents", "scheduled_maintenances"):
        for node in root.items(key, required=False):
            _add_incident(book, node)
        found |= key in root.value
    if root.has("components"):
        _catalogue(book, root.items("components"))
        found = True
    if not found:
        hint = f" ({root.document} {INDEX_ONLY})" if "months" in root.value else ""
        raise root.bad(f"is not a Statuspage document: it has no 'incident', 'incidents' or 'components'{hint}")


def _read_list(book: Book, root: Node) -> None:
    """A management API list: of incidents, or of components and component groups."""
    nodes = [Node(root.document, item, f"[{n}]") for n, item in enumerate(root.value)]
    for node in nodes:
        if not isinstance(node.value, dict):
            raise node.bad("expected an object")
    for node in nodes:
        if "incident_updates" in node.value:
            _add_incident(book, node)
    catalogue = [n for n in nodes if "incident_updates" not in n.value]
    if catalogue:
        _catalogue(book, catalogue)


def _page(node: Node) -> SourcePage:
    return SourcePage(title=node.optional_text("name"), url=node.optional_text("url"), timezone=node.get("time_zone"))


def _catalogue(book: Book, nodes: list[Node]) -> None:
    """Components in display order: top-level entries by position, each group followed by its members."""
    for node in nodes:
        if _is_group(node):
            book.groups[node.key_text("id")] = node.text("name")
    top = [n for n in nodes if n.get("group_id") is None]
    rank = {n.key_text("id"): (_position(n), index) for index, n in enumerate(top)}
    for index, node in enumerate(nodes):
        if _is_group(node):
            continue
        key = node.key_text("id")
        group_id = node.get("group_id")
        outer = rank.get(str(group_id), (1 << 30, 0)) if group_id else rank[key]
        component = SourceComponent(
            key=key,
            name=node.text("name"),
            group=book.groups.get(str(group_id)) if group_id else None,
            description=node.optional_text("description"),
            since=node.optional_date("start_date"),
        )
        position = (outer[0] * 10_000 + outer[1], _position(node) * 10_000 + index)
        book.see(_Seen(component, FROM_CATALOGUE, str(group_id) if group_id else None, position))


def _position(node: Node) -> int:
    value = node.get("position")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _is_group(node: Node) -> bool:
    """A group: flagged so in the public API, or an entry of the management API's component groups."""
    return node.get("group") is True or isinstance(node.get("components"), list)


def _add_incident(book: Book, node: Node) -> None:
    try:
        book.keep(_incident(book, node))
    except BadInput as exc:
        book.unread.append(exc)


def _incident(book: Book, node: Node) -> SourceIncident:
    title = node.text("name")
    items = node.items("incident_updates")
    if not items:
        raise node.bad("is empty: an incident needs at least one update", "incident_updates")
    maintenance = node.has("scheduled_for") or any(item.get("status") in MAINTENANCE_VALUES for item in items)
    kind = Kind.MAINTENANCE if maintenance else Kind.INCIDENT
    statuses = {s.value: s for s in STATUSES_OF_KIND[kind]}
    for position, item in enumerate(node.items("components", required=False)):
        _attached_component(book, item, position)
    updates = _in_source_order(items, [_update(book, item, statuses) for item in items])
    window = _window(node) if maintenance else (None, None)
    ended = node.get("status") in ENDED
    resolved = node.optional_time("resolved_at") if ended else None
    if ended and resolved is None:  # a maintenance completed with its window, else with its last word
        resolved = window[1] or max(u.at for u in updates)
    impact_key = "impact_override" if node.has("impact_override") else "impact"
    return SourceIncident(
        source_id=node.key_text("id"),
        title=title,
        kind=kind,
        updates=with_closing_update(updates, kind, resolved),
        attached=tuple(item.key_text("id") for item in node.items("components", required=False)),
        started=node.optional_time("started_at") if kind is Kind.INCIDENT else None,
        impact=node.choice(impact_key, IMPACTS) if node.has(impact_key) else None,
        scheduled_for=window[0],
        scheduled_until=window[1],
        writeup=_postmortem(node, title, resolved or max(u.at for u in updates)),
        slug=_page_slug(node.optional_text("shortlink")),
        summary=node.optional_text("summary"),
    )


def _page_slug(shortlink: str) -> str | None:
    """The slug of a sitegen site's incident (its shortlink is the page, ``.../incidents/<slug>/``), else None.

    Statuspage's own shortlinks (``https://stspg.io/...``) name no page; a
    site moving from one sitegen site to another keeps its incidents' URLs.
    """
    found = SITEGEN_PAGE.search(shortlink)
    return found.group(1) if found and len(found.group(1)) <= MAX_SLUG else None


def _in_source_order(items: list[Node], updates: list[SourceUpdate]) -> tuple[SourceUpdate, ...]:
    """By time, then by when each was posted (``created_at``), then by place: Statuspage lists newest first.

    Updates shown at one instant are common (a 'monitoring' and a 'resolved'
    posted together); sorted by time alone, the one a page shows last could
    come first and set the incident's status.
    """

    def key(n: int) -> tuple[datetime, datetime, int]:
        return updates[n].at, items[n].optional_time("created_at") or updates[n].at, -n

    return tuple(updates[n] for n in sorted(range(len(updates)), key=key))


def _window(node: Node) -> tuple[datetime, datetime]:
    start, end = node.time("scheduled_for"), node.time("scheduled_until")
    if end <= start:
        raise node.bad("must be after scheduled_for", "scheduled_until")
    return start, end


def _update(book: Book, node: Node, statuses: dict[str, UpdateStatus]) -> SourceUpdate:
    snapshot: dict[str, ComponentStatus] = {}
    for entry in node.items("affected_components", required=False):
        if not entry.has("code"):  # the placeholder: a name saying nothing was affected
            continue
        key = entry.key_text("code")
        snapshot[key] = entry.choice("new_status", COMPONENT_STATUSES)
        _named_component(book, key, entry.optional_text("name"))
    return SourceUpdate(
        at=node.time("display_at") if node.has("display_at") else node.time("created_at"),
        status=node.choice("status", statuses),
        body=markdown_body(node.optional_text("body")),
        components=snapshot,
    )


def _attached_component(book: Book, node: Node, position: int) -> None:
    component = SourceComponent(
        node.key_text("id"),
        node.text("name"),
        description=node.optional_text("description"),
        since=node.optional_date("start_date"),
    )
    group_id = node.get("group_id")
    book.see(_Seen(component, FROM_INCIDENT, str(group_id) if group_id else None, (1 << 40, position)))


def _named_component(book: Book, key: str, name: str) -> None:
    group, _, member = name.partition(GROUP_SEPARATOR) if GROUP_SEPARATOR in name else ("", "", name)
    if group:
        book.prefixes[key] = group
    order = (1 << 41, len(book.components))
    book.see(_Seen(SourceComponent(key, member or key, group or None), FROM_UPDATE, None, order))


def _postmortem(node: Node, title: str, fallback: datetime) -> SourceWriteup | None:
    body = node.optional_text("postmortem_body").strip()
    if not body:
        return None
    published = node.optional_time("postmortem_published_at") or node.optional_time("postmortem_body_last_updated_at")
    return SourceWriteup(title=f"Postmortem: {title}", published=published or fallback, body=body)
