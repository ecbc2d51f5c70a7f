"""Uptime Kuma's webhook notification.

Kuma posts ``{"heartbeat": ..., "monitor": ..., "msg": ...}``: the heartbeat's
``status`` is 0 when the monitor went down and 1 when it came back up. The
monitor's id identifies the problem. Kuma has no labels; the monitor's name
is the label ``monitor`` and each of its tags is a label of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.authoring.alerts.alert import Alert, PayloadError, field, first, items, mapping, text

DOWN, UP = 0, 1


def read(payload: Mapping[str, object]) -> Alert | None:
    """The monitor's alert, if this is Kuma's payload (a heartbeat and a monitor)."""
    if "heartbeat" not in payload or "monitor" not in payload:
        return None
    monitor, heartbeat = mapping(payload.get("monitor")), mapping(payload.get("heartbeat"))
    status = heartbeat.get("status")
    if status not in (DOWN, UP) or isinstance(status, bool):
        raise PayloadError("Uptime Kuma's heartbeat is neither down (0) nor up (1): there is nothing to draft")
    name = first(text(monitor.get("name")), "Monitor")
    tags = [mapping(tag) for tag in items(monitor.get("tags"))]
    return Alert(
        tool="uptime-kuma",
        source="Uptime Kuma",
        ident=first(text(monitor.get("id")), text(heartbeat.get("monitorID")), name),
        firing=status == DOWN,
        name=name,
        summary=f"{name} is down",
        details=first(text(heartbeat.get("msg")), text(payload.get("msg"))),
        link=text(field(monitor, "url")),
        labels=frozenset({("monitor", name)} | {(text(t.get("name")), text(t.get("value"))) for t in tags}),
    )
