"""UptimeRobot's webhook alert contact, sent as JSON with its alert variables.

UptimeRobot fills ``*variable*`` placeholders in the body it is given; the
body sitegen reads is the one docs/cli.md shows, one key per variable
(``monitorID``, ``monitorFriendlyName``, ``alertType``...). ``alertType`` is
1 when the monitor went down and 2 when it came back up. The monitor's id
identifies the problem; its name is the label ``monitor``.
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.authoring.alerts.alert import Alert, PayloadError, first, text

DOWN, UP = "1", "2"


def read(payload: Mapping[str, object]) -> Alert | None:
    """The monitor's alert, if this is UptimeRobot's body (a monitorID and an alertType)."""
    if "monitorID" not in payload or "alertType" not in payload:
        return None
    kind = text(payload.get("alertType"))
    if kind not in (DOWN, UP):
        shown = text(payload.get("alertTypeFriendlyName")) or kind
        raise PayloadError(f"UptimeRobot's alert type {shown!r} is neither down (1) nor up (2): nothing to draft")
    name = first(text(payload.get("monitorFriendlyName")), "Monitor")
    return Alert(
        tool="uptimerobot",
        source="UptimeRobot",
        ident=first(text(payload.get("monitorID")), name),
        firing=kind == DOWN,
        name=name,
        summary=f"{name} is down",
        details=text(payload.get("alertDetails")),
        link=text(payload.get("monitorURL")),
        labels=frozenset({("monitor", name)}),
    )
