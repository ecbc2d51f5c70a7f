"""The JSON API: Statuspage's public status API v2, written as static files.

Clients of ``<page>.statuspage.io/api/v2/`` (widgets, chat bots, monitoring
dashboards, client libraries) work unchanged against a sitegen site. The
shapes follow Statuspage's documented responses field for field; every
document is built as plain dicts from the model and serialised with
orjson, never through a template.

What sitegen has to decide, because Statuspage keeps it in a database:

Ids
    Twelve hex digits of SHA-256 over a namespaced key: ``page:<host><path>``
    of the base URL, ``component:<id>``, ``group:<name>``, ``incident:<slug>``
    and ``update:<slug>:<time>:<status>`` (``#2``, ``#3``... appended for a
    repeated time and status, in file order). They depend only on the
    content, never on the build or its ``now``; appending an update leaves
    every existing id alone. Renaming a file or a component id changes its
    id, as it changes its URL.

Times, ``created_at`` and ``updated_at``
    In Statuspage's format, and derived from the content only: see
    :mod:`sitegen.views.api_times`.

Component changes of an update
    Each update's ``affected_components`` are the net changes it brought,
    read from ``Incident.status_changes``: the same derivation as the
    status periods the pages and uptime show, so the API never reports a
    change the pages do not show.

Which incidents go where (Statuspage's documentation)
    ``incidents.json``: the 50 most recent incidents, resolved or not;
    scheduled maintenances are not incidents there, and have their own
    endpoints. ``incidents/unresolved.json``: incidents not yet resolved.
    ``scheduled-maintenances.json``: the 50 most recent maintenances;
    ``/upcoming.json`` those still scheduled, ``/active.json`` those in
    progress or verifying at ``now``. ``summary.json``: the unresolved
    incidents and the active and upcoming maintenances.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, cached_property
from typing import Any
from urllib.parse import urlsplit

import orjson

from sitegen.content.model import Component, Group, Incident, Update
from sitegen.content.site import Site
from sitegen.content.statuses import ComponentStatus, UpdateStatus
from sitegen.output import urls
from sitegen.views.api_times import ContentTimes, api_time

LIST_LIMIT = 50
"""Statuspage's incidents.json and scheduled-maintenances.json list the 50 most recent."""

ID_LENGTH = 12

Json = dict[str, Any]


def render_api(site: Site) -> dict[str, bytes]:
    """Every API document of the site, by output path (``api/v2/...``)."""
    api = StatusApi(site)
    documents = {
        "summary.json": api.summary(),
        "status.json": api.status(),
        "components.json": api.components(),
        "incidents.json": api.incidents(),
        "incidents/unresolved.json": api.unresolved_incidents(),
        "scheduled-maintenances.json": api.scheduled_maintenances(),
        "scheduled-maintenances/upcoming.json": api.upcoming_maintenances(),
        "scheduled-maintenances/active.json": api.active_maintenances(),
    }
    return {urls.api(name): encode(document) for name, document in documents.items()}


def encode(document: Json) -> bytes:
    """Readable, byte-for-byte reproducible JSON: keys in the order built, UTF-8, final newline.

    The bytes are those of ``json.dumps(document, indent=2, ensure_ascii=False)``;
    orjson makes them about ten times faster than the standard library, whose
    C encoder does not indent: a large site's per-incident documents and
    ``history.json`` had taken a tenth of a cold build.
    """
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def opaque_id(key: str) -> str:
    """A short, stable id in place of a Statuspage database id."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_LENGTH]


def page_id(base_url: str) -> str:
    parts = urlsplit(base_url)
    return opaque_id(f"page:{parts.netloc}{parts.path}")


def component_id(cid: str) -> str:
    return opaque_id(f"component:{cid}")


def group_id(name: str) -> str:
    return opaque_id(f"group:{name}")


@cache  # every incident's id is wanted by its document, its page's API entries and history.json
def incident_id(slug: str) -> str:
    return opaque_id(f"incident:{slug}")


def update_ids(incident: Incident) -> tuple[str, ...]:
    """The ids of an incident's updates, in time order; each depends only on the update's own time and status."""
    seen: dict[str, int] = {}
    ids = []
    for update in incident.updates:
        key = f"update:{incident.slug}:{update.at.astimezone(UTC).isoformat()}:{update.status.value}"
        seen[key] = seen.get(key, 0) + 1
        ids.append(opaque_id(key if seen[key] == 1 else f"{key}#{seen[key]}"))
    return tuple(ids)


@dataclass(frozen=True)
class Transition:
    """One component's status change, as an update reports it."""

    component: Component
    old: ComponentStatus
    new: ComponentStatus


def update_transitions(incident: Incident, catalogue: Mapping[str, Component]) -> tuple[tuple[Transition, ...], ...]:
    """For each update (in time order), the net component status changes it brought, in catalogue order.

    Read from ``Incident.status_changes`` (which says which update brings
    each change), so the API and the status periods share one derivation.
    An update bringing several changes to one component reports one, from
    the first old status to the last new one, and none if they cancel out.
    """
    net: list[dict[str, tuple[ComponentStatus, ComponentStatus]]] = [{} for _ in incident.updates]
    for _, update, cid, old, new in incident.status_changes:
        if update is not None:
            net[update][cid] = (net[update].get(cid, (old, new))[0], new)
    return tuple(
        tuple(
            sorted(
                (Transition(catalogue[cid], old, new) for cid, (old, new) in changes.items() if new is not old),
                key=lambda t: t.component.position,
            )
        )
        for changes in net
    )


class StatusApi:
    """Builds the API's documents for one site; shared objects are built once."""

    def __init__(self, site: Site):
        self.site = site
        self.tz = site.config.tz
        self.page_id = page_id(site.config.base_url)
        self.times = ContentTimes(site)

    def time(self, moment: datetime) -> str:
        return api_time(moment, self.tz)

    # The documents -------------------------------------------------------

    def summary(self) -> Json:
        maintenances = self.site.active_maintenances + self.site.upcoming_maintenances
        return {
            "page": self.page,
            "status": self.status_object,
            "components": self.component_list,
            "incidents": [self.incident(i) for i in self.site.active_incidents],
            "scheduled_maintenances": [self.incident(i) for i in maintenances],
        }

    def status(self) -> Json:
        return {"page": self.page, "status": self.status_object}

    def components(self) -> Json:
        return {"page": self.page, "components": self.component_list}

    def incidents(self) -> Json:
        recent = [i for i in self.site.incidents if not i.is_maintenance][:LIST_LIMIT]
        return {"page": self.page, "incidents": [self.incident(i) for i in recent]}

    def unresolved_incidents(self) -> Json:
        return {"page": self.page, "incidents": [self.incident(i) for i in self.site.active_incidents]}

    def scheduled_maintenances(self) -> Json:
        recent = [i for i in self.site.incidents if i.is_maintenance][:LIST_LIMIT]
        return self._maintenances(recent)

    def upcoming_maintenances(self) -> Json:
        return self._maintenances(self.site.upcoming_maintenances)

    def active_maintenances(self) -> Json:
        return self._maintenances(self.site.active_maintenances)

    def _maintenances(self, maintenances: Iterable[Incident]) -> Json:
        return {"page": self.page, "scheduled_maintenances": [self.incident(i) for i in maintenances]}

    # The page and its status ---------------------------------------------

    @cached_property
    def page(self) -> Json:
        config = self.site.config
        return {
            "id": self.page_id,
            "name": config.title,
            "url": config.base_url,
            "time_zone": config.timezone,
            "updated_at": self.time(self.times.page_updated_at),
        }

    @cached_property
    def status_object(self) -> Json:
        indicator = self.site.indicator
        return {"indicator": indicator.value, "description": indicator.description}

    # Components ----------------------------------------------------------

    @cached_property
    def component_list(self) -> list[Json]:
        """Groups and components in display order, each group followed by its members."""
        items: list[Json] = []
        for position, group in enumerate(self.site.groups, start=1):
            if group.name is None:
                items += [self.component_object(c, position=position, group=None) for c in group.components]
                continue
            items.append(self.group_object(group, position=position))
            items += [
                self.component_object(c, position=member_position, group=group.name)
                for member_position, c in enumerate(group.components, start=1)
            ]
        return items

    @cached_property
    def component_by_id(self) -> dict[str, Json]:
        return {item["id"]: item for item in self.component_list}

    def component_object(self, component: Component, *, position: int, group: str | None) -> Json:
        return {
            "id": component_id(component.id),
            "name": component.name,
            "status": self.site.component_statuses[component.id].value,
            "created_at": self.time(self.times.created_at),
            "updated_at": self.time(self.times.component_updated_at[component.id]),
            "position": position,
            "description": component.description or None,
            "showcase": True,
            "start_date": component.since.isoformat() if component.since else None,
            "group_id": group_id(group) if group is not None else None,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": False,
        }

    def group_object(self, group: Group, *, position: int) -> Json:
        assert group.name is not None
        members = group.components
        statuses = [self.site.component_statuses[c.id] for c in members]
        return {
            "id": group_id(group.name),
            "name": group.name,
            "status": max(statuses, key=lambda s: s.severity).value,
            "created_at": self.time(self.times.created_at),
            "updated_at": self.time(max(self.times.component_updated_at[c.id] for c in members)),
            "position": position,
            "description": None,
            "showcase": False,
            "start_date": None,
            "group_id": None,
            "page_id": self.page_id,
            "group": True,
            "only_show_if_degraded": False,
            "components": [component_id(c.id) for c in members],
        }

    # Incidents and maintenances -----------------------------------------

    def incident(self, incident: Incident) -> Json:
        """An incident or maintenance; maintenances carry their window and scheduling flags."""
        iid = incident_id(incident.slug)
        created = incident.updates[0].at
        # Statuspage's monitoring_at is a maintenance's 'verifying' update.
        monitoring = incident.first_update_with(
            UpdateStatus.VERIFYING if incident.is_maintenance else UpdateStatus.MONITORING
        )
        status = incident.status_at(self.site.now)
        resolved = incident.ended_at(self.site.now)
        document: Json = {
            "id": iid,
            "name": incident.title,
            "status": status.value,
            "created_at": self.time(created),
            "updated_at": self.time(incident.last_activity),
            "monitoring_at": self.time(monitoring.at) if monitoring else None,
            "resolved_at": self.time(resolved) if resolved else None,
            "impact": incident.impact.value,
            "shortlink": urls.absolute(self.site.config.base_url, urls.incident(incident.slug)),
            # Statuspage gives a maintenance's creation as its started_at; its window is scheduled_for/until.
            "started_at": self.time(created if incident.is_maintenance else incident.started),
            "page_id": self.page_id,
            "incident_updates": self.updates(incident, iid),
            "components": self.components_of(incident),
            # Not Statuspage's: the incident's summary (Markdown), so that a site read back loses nothing.
            "summary": incident.summary.strip() or None,
        }
        if incident.is_maintenance:
            document |= self.schedule(incident)
        return document

    def schedule(self, incident: Incident) -> Json:
        assert incident.scheduled_for is not None and incident.scheduled_until is not None
        return {
            "scheduled_for": self.time(incident.scheduled_for),
            "scheduled_until": self.time(incident.scheduled_until),
            "scheduled_remind_prior": False,
            "scheduled_reminded_at": None,
            # sitegen moves a scheduled maintenance to in progress and completed by itself (status_at).
            "scheduled_auto_in_progress": True,
            "scheduled_auto_completed": True,
        }

    def components_of(self, incident: Incident) -> list[Json]:
        """The component objects of the incident's components, in catalogue order, with their status now."""
        return [self.component_by_id[component_id(c)] for c in self.affected_in_order(incident)]

    def affected_in_order(self, incident: Incident) -> list[str]:
        """The incident's components in catalogue order."""
        named = set(incident.affected_component_ids)
        return [c.id for c in self.site.components if c.id in named]

    def updates(self, incident: Incident, iid: str) -> list[Json]:
        """The incident's updates, newest first."""
        rows = zip(incident.updates, update_ids(incident), update_transitions(incident, self.site.component_by_id))
        return [self.update(update, uid, iid, transitions) for update, uid, transitions in reversed(list(rows))]

    def update(self, update: Update, uid: str, iid: str, transitions: tuple[Transition, ...]) -> Json:
        when = self.time(update.at)
        return {
            "id": uid,
            "status": update.status.value,
            "body": update.body.strip(),
            "incident_id": iid,
            "created_at": when,
            "updated_at": when,
            "display_at": when,
            "affected_components": [self.affected(t) for t in transitions] or None,
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def affected(self, transition: Transition) -> Json:
        component = transition.component
        # Statuspage names a grouped component "<group> - <component>" here.
        name = f"{component.group} - {component.name}" if component.group else component.name
        return {
            "code": component_id(component.id),
            "name": name,
            "old_status": transition.old.value,
            "new_status": transition.new.value,
        }
