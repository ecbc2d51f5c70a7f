"""incident.io's widget API, ``api/v1/summary``, beside Statuspage's: for clients written for incident.io pages.

The shape of ``GET <page>/api/v1/summary``: ``page_title``, ``page_url``,
``ongoing_incidents`` (each with its ``status``, ``current_worst_impact``
and latest update), ``in_progress_maintenances`` (with ``started_at`` and
``scheduled_end_at``) and ``scheduled_maintenances`` (with ``starts_at``
and ``ends_at``); every item has its ``id``, ``name``, ``url`` and
``affected_components`` (``id``, ``name``, and ``group_name`` for a
grouped one). Ids are the JSON API's, times are UTC as incident.io writes
them, and ``major_outage`` is incident.io's ``full_outage``.

An incident's worst impact is the worst status its components are in now;
one that names no component states its impact in the same words.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sitegen.content.model import Incident
from sitegen.content.site import Site
from sitegen.content.statuses import ComponentStatus, Impact
from sitegen.output import urls
from sitegen.views.api import Json, component_id, encode, incident_id
from sitegen.views.api_times import api_time

SUMMARY = "api/v1/summary"
IMPACT_OF_STATUS = {
    ComponentStatus.DEGRADED_PERFORMANCE: "degraded_performance",
    ComponentStatus.PARTIAL_OUTAGE: "partial_outage",
    ComponentStatus.MAJOR_OUTAGE: "full_outage",
}
IMPACT_OF_IMPACT = {Impact.MAJOR: "partial_outage", Impact.CRITICAL: "full_outage"}
"""A declared impact with no component to show it, in incident.io's words (anything milder is degraded)."""


def render_incidentio_api(site: Site) -> dict[str, bytes]:
    return {SUMMARY: encode(summary(site))}


def summary(site: Site) -> Json:
    return {
        "page_title": site.config.title,
        "page_url": site.config.base_url,
        "ongoing_incidents": [_ongoing(site, i) for i in site.active_incidents],
        "in_progress_maintenances": [_in_progress(site, i) for i in site.active_maintenances],
        "scheduled_maintenances": [_scheduled(site, i) for i in site.upcoming_maintenances],
    }


def _time(moment: datetime | None) -> str | None:
    return api_time(moment, UTC) if moment is not None else None


def _event(site: Site, incident: Incident) -> Json:
    latest = incident.latest_update
    return {
        "id": incident_id(incident.slug),
        "name": incident.title,
        "url": urls.absolute(site.config.base_url, urls.incident(incident.slug)),
        "last_update_at": _time(latest.at),
        "last_update_message": latest.body.strip(),
        "affected_components": [_component(site, cid) for cid in _in_catalogue_order(site, incident)],
    }


def _ongoing(site: Site, incident: Incident) -> Json:
    return _event(site, incident) | {
        "status": incident.status_at(site.now).value,
        "current_worst_impact": _worst_impact(site, incident),
    }


def _in_progress(site: Site, incident: Incident) -> Json:
    return _event(site, incident) | {
        "status": "maintenance_in_progress",
        "started_at": _time(incident.started),
        "scheduled_end_at": _time(incident.scheduled_until),
    }


def _scheduled(site: Site, incident: Incident) -> Json:
    return _event(site, incident) | {
        "status": "maintenance_scheduled",
        "starts_at": _time(incident.scheduled_for),
        "ends_at": _time(incident.scheduled_until),
    }


def _component(site: Site, cid: str) -> Json:
    component = site.component_by_id[cid]
    item: Json = {"id": component_id(cid), "name": component.name}
    if component.group:
        item["group_name"] = component.group
    return item


def _in_catalogue_order(site: Site, incident: Incident) -> list[str]:
    named = set(incident.affected_component_ids)
    return [c.id for c in site.components if c.id in named]


def _worst_impact(site: Site, incident: Incident) -> str:
    now = [p.status for p in incident.periods if p.covers(site.now) and p.status in IMPACT_OF_STATUS]
    if now:
        return IMPACT_OF_STATUS[max(now, key=lambda s: s.severity)]
    return IMPACT_OF_IMPACT.get(incident.impact, "degraded_performance")
