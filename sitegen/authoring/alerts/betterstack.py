"""Better Stack Uptime's incident webhook.

Better Stack posts ``{"event": "started" | "acknowledged" | "resolved",
"data": {"type": "incident", "attributes": ...}}``; the incident's id
identifies the problem, so its acknowledgement finds the draft already
made. The monitor's name is the label ``monitor``, its id ``monitor_id``.
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.authoring.alerts.alert import Alert, field, first, mapping, text


def read(payload: Mapping[str, object]) -> Alert | None:
    """The incident's alert, if this is Better Stack's payload (an event about data of type incident)."""
    data = mapping(payload.get("data"))
    if "event" not in payload or data.get("type") != "incident":
        return None
    attributes = mapping(data.get("attributes"))
    name = first(text(attributes.get("name")), "Monitor")
    monitor_id = text(field(data, "relationships", "monitor", "data", "id"))
    return Alert(
        tool="betterstack",
        source="Better Stack",
        ident=first(text(data.get("id")), name),
        firing=text(payload.get("event")) != "resolved",
        name=name,
        summary=f"{name} is down",
        details=text(attributes.get("cause")),
        link=text(attributes.get("url")),
        labels=frozenset({("monitor", name)} | ({("monitor_id", monitor_id)} if monitor_id else set())),
    )
