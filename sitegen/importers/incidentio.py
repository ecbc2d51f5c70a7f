"""incident.io status pages as records: the documents their public pages load.

A page at ``https://status.example.com`` loads ``proxy/status.example.com``
(the page's name, components and how they are grouped, under ``summary``)
and ``proxy/status.example.com/incidents`` (its incidents and maintenances,
with every update). Either may be given as a saved file instead.

How they map:

- ``updates[]``: ``published_at``, ``message_string``, ``to_status``
  (``maintenance_scheduled``, ``_in_progress``, ``_complete`` for
  maintenance) become updates;
- component statuses come from ``component_impacts`` (intervals with
  ``start_at`` and ``end_at``), not from the updates: each update shows
  the statuses in force when it was posted, and an impact that began before
  the first update moves the incident's start back to it. Without impacts,
  the updates' own ``component_statuses`` are used;
- a maintenance's window is the span of its impacts (else of its
  ``status_summaries``), with its components under maintenance in it;
- ``full_outage`` is sitegen's ``major_outage``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sitegen.content.statuses import STATUSES_OF_KIND, ComponentStatus, Kind, UpdateStatus
from sitegen.importers.errors import BadInput, ImportFailed
from sitegen.importers.fetching import Fetcher
from sitegen.importers.html_bodies import markdown_body
from sitegen.importers.reading import Node
from sitegen.importers.records import SourceComponent, SourceHistory, SourceIncident, SourcePage, SourceUpdate
from sitegen.importers.statuspage_web import page_root
from sitegen.importers.timeline import with_closing_update

SOURCE = "incidentio"
UPDATE_STATUSES = {
    "investigating": UpdateStatus.INVESTIGATING,
    "identified": UpdateStatus.IDENTIFIED,
    "monitoring": UpdateStatus.MONITORING,
    "resolved": UpdateStatus.RESOLVED,
    "maintenance_scheduled": UpdateStatus.SCHEDULED,
    "maintenance_in_progress": UpdateStatus.IN_PROGRESS,
    "maintenance_complete": UpdateStatus.COMPLETED,
}
COMPONENT_STATUSES = {
    "operational": ComponentStatus.OPERATIONAL,
    "degraded_performance": ComponentStatus.DEGRADED_PERFORMANCE,
    "partial_outage": ComponentStatus.PARTIAL_OUTAGE,
    "full_outage": ComponentStatus.MAJOR_OUTAGE,
    "under_maintenance": ComponentStatus.UNDER_MAINTENANCE,
}
KINDS = {"incident": Kind.INCIDENT, "maintenance": Kind.MAINTENANCE}
ENDED = {"resolved", "maintenance_complete"}


@dataclass(frozen=True)
class Impact:
    """One component's status over [start, end); ``end`` None while it lasts."""

    component: str
    status: ComponentStatus
    start: datetime
    end: datetime | None

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


def crawl_incidentio(url: str, fetcher: Fetcher) -> SourceHistory:
    root = page_root(url)
    host = urlsplit(root).hostname or ""
    urls = [f"{root}proxy/{host}", f"{root}proxy/{host}/incidents"]
    return read_incidentio(zip(urls, fetcher.json_many(urls, what="documents")))


def read_incidentio(documents: Iterable[tuple[str, Any]]) -> SourceHistory:
    page: SourcePage | None = None
    components: dict[str, SourceComponent] = {}
    named: dict[str, SourceComponent] = {}
    """Components named by the incidents themselves: the page's own list, when given, comes first."""
    incidents: dict[str, SourceIncident] = {}
    issues: list[BadInput] = []
    unread: list[BadInput] = []
    """Incidents that cannot be read: skipped, when others can be."""
    for name, value in documents:
        root = Node(name, value)
        try:
            if root.has("summary"):
                page, found = _summary(root.child("summary"))
                components |= found
            elif root.has("incidents"):
                for node in root.items("incidents"):
                    try:
                        incident = _incident(node)
                        named |= _named_components(node)
                        incidents[incident.source_id] = incident
                    except BadInput as exc:
                        unread.append(exc)
            else:
                raise root.bad("is not an incident.io page document: it has no 'summary' or 'incidents'")
        except BadInput as exc:
            issues.append(exc)
    if issues or (unread and not incidents):
        raise ImportFailed.listing([*issues, *unread])
    if not incidents and not components:
        raise ImportFailed("the documents hold no incident.io incidents or components to import")
    catalogue = [*components.values(), *(c for key, c in named.items() if key not in components)]
    return SourceHistory(SOURCE, page, tuple(catalogue), tuple(incidents.values()), skipped=tuple(map(str, unread)))


def _named_components(incident: Node) -> dict[str, SourceComponent]:
    """The components an incident names with their names (``affected_components[].name``), by id.

    Saved without the page's summary, a history would otherwise name its
    components by incident.io's internal ids (``01JEV56RY027PA4NYX5H2RNAMC``).
    """
    named = {}
    for entry in incident.items("affected_components", required=False):
        if isinstance(entry.value, dict) and entry.optional_text("name").strip():
            key = entry.key_text("component_id")
            named[key] = SourceComponent(key, entry.optional_text("name").strip())
    return named


def _summary(node: Node) -> tuple[SourcePage, dict[str, SourceComponent]]:
    """The page, and its components in the order of its structure, each group's members under it."""
    described = {c.key_text("id"): c for c in node.items("components", required=False)}
    ordered: dict[str, SourceComponent] = {}
    structure = node.child("structure") if node.has("structure") else None
    for item in structure.items("items", required=False) if structure else []:
        if item.has("group"):
            group = item.child("group")
            for member in group.items("components", required=False):
                key = member.key_text("component_id")
                ordered[key] = _component(key, member, described, group.text("name"))
        elif item.has("component"):
            key = item.child("component").key_text("component_id")
            ordered[key] = _component(key, item.child("component"), described, None)
    for key, entry in described.items():
        ordered.setdefault(key, _component(key, entry, described, None))
    page = SourcePage(title=node.optional_text("name"), url=node.optional_text("public_url"))
    return page, ordered


def _component(key: str, node: Node, described: dict[str, Node], group: str | None) -> SourceComponent:
    full = described.get(key, node)
    return SourceComponent(
        key, full.optional_text("name") or node.text("name"), group, full.optional_text("description")
    )


def _incident(node: Node) -> SourceIncident:
    kind = node.choice("type", KINDS) if node.has("type") else Kind.INCIDENT
    allowed = set(STATUSES_OF_KIND[kind])
    statuses = {name: status for name, status in UPDATE_STATUSES.items() if status in allowed}
    updates = tuple(_update(item, statuses) for item in node.items("updates"))
    if not updates:
        raise node.bad("is empty: an incident needs at least one update", "updates")
    impacts = [_impact(item) for item in node.items("component_impacts", required=False)]
    attached = tuple(item.key_text("component_id") for item in node.items("affected_components", required=False))
    base = SourceIncident(node.key_text("id"), node.text("name"), kind, updates, attached=attached)
    if kind is Kind.MAINTENANCE:
        start, end = _window(node, impacts)
        worst = {
            i.component: max((j.status for j in impacts if j.component == i.component), key=_rank) for i in impacts
        }
        plain = tuple(SourceUpdate(u.at, u.status, u.body) for u in updates)
        closed = end if node.get("status") in ENDED else None
        return replace(
            base,
            updates=with_closing_update(plain, kind, closed),
            components=worst,
            scheduled_for=start,
            scheduled_until=end,
        )
    ended = _end(node, impacts, updates) if node.get("status") in ENDED else None
    if not impacts:
        return replace(base, updates=with_closing_update(updates, kind, ended))
    sampled = tuple(SourceUpdate(u.at, u.status, u.body, _at(impacts, u.at)) for u in updates)
    first_impact = min(i.start for i in impacts)
    early = first_impact < min(u.at for u in updates)
    return replace(
        base,
        updates=with_closing_update(sampled, kind, ended),
        components=_at(impacts, first_impact) if early else {},
        started=first_impact if early else None,
    )


def _update(node: Node, statuses: dict[str, UpdateStatus]) -> SourceUpdate:
    snapshot = {
        entry.key_text("component_id"): entry.choice("status", COMPONENT_STATUSES)
        for entry in node.items("component_statuses", required=False)
    }
    return SourceUpdate(
        at=node.time("published_at"),
        status=node.choice("to_status", statuses),
        body=markdown_body(node.optional_text("message_string")),
        components=snapshot,
    )


def _impact(node: Node) -> Impact:
    return Impact(
        component=node.key_text("component_id"),
        status=node.choice("status", COMPONENT_STATUSES),
        start=node.time("start_at"),
        end=node.optional_time("end_at"),
    )


def _rank(status: ComponentStatus) -> int:
    return status.severity


def _at(impacts: list[Impact], moment: datetime) -> dict[str, ComponentStatus]:
    """Each impacted component's status at ``moment``: the worst impact covering it, else operational."""
    found: dict[str, ComponentStatus] = {}
    for impact in impacts:
        status = impact.status if impact.covers(moment) else ComponentStatus.OPERATIONAL
        found[impact.component] = max(found.get(impact.component, status), status, key=_rank)
    return found


def _window(node: Node, impacts: list[Impact]) -> tuple[datetime, datetime]:
    spans = [(i.start, i.end) for i in impacts]
    spans = spans or [
        (s.time("start_at"), s.optional_time("end_at")) for s in node.items("status_summaries", required=False)
    ]
    ends = [end for _, end in spans if end is not None]
    if not spans or not ends or max(ends) <= min(start for start, _ in spans):
        raise node.bad("a maintenance needs the start_at and end_at of its window here", "component_impacts")
    return min(start for start, _ in spans), max(ends)


def _end(node: Node, impacts: list[Impact], updates: tuple[SourceUpdate, ...]) -> datetime:
    """When a resolved incident ended: the last end of its impacts and status summaries, else its last update."""
    summaries = [s.optional_time("end_at") for s in node.items("status_summaries", required=False)]
    ends = [i.end for i in impacts if i.end is not None] + [e for e in summaries if e is not None]
    return max(ends) if ends else max(u.at for u in updates)
