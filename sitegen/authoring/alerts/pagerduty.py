"""PagerDuty's v3 webhooks, for incident events.

PagerDuty posts ``{"event": {"event_type": "incident.triggered", "data":
{...the incident...}}}``, one event per request. Every ``incident.*`` event
but ``incident.resolved`` finds the problem still open; the incident's id
identifies it. Its service is the label ``service`` (by name) and
``service_id``.
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.authoring.alerts.alert import Alert, field, first, mapping, text

RESOLVED = "incident.resolved"


def read(payload: Mapping[str, object]) -> Alert | None:
    """The incident's alert, if this is a PagerDuty v3 incident event."""
    event = mapping(payload.get("event"))
    kind = text(event.get("event_type"))
    data = mapping(event.get("data"))
    if not kind.startswith("incident.") or data.get("type") != "incident":
        return None
    title = first(text(data.get("title")), "PagerDuty incident")
    service = mapping(data.get("service"))
    labels = {("service", text(service.get("summary"))), ("service_id", text(service.get("id")))}
    return Alert(
        tool="pagerduty",
        source="PagerDuty",
        ident=first(text(data.get("id")), text(field(data, "incident_key")), title),
        firing=kind != RESOLVED and text(data.get("status")) != "resolved",
        name=title,
        summary=title,
        details=text(field(data, "priority", "summary")),
        link=text(data.get("html_url")),
        labels=frozenset(pair for pair in labels if pair[1]),
    )
