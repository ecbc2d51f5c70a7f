"""Grafana alerting's webhook contact point.

Its payload is Alertmanager's (Grafana's alerting is built on it) plus
``orgId``, a ``title`` and a ``message``, and each alert may link to its
dashboard and panel. The group key identifies the problem, as for
Alertmanager.
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.authoring.alerts.alert import Alert, first, items, mapping, text
from sitegen.authoring.alerts.alertmanager import group_alert


def read(payload: Mapping[str, object]) -> Alert | None:
    """The alert group, if this is Grafana's payload (Alertmanager's shape with an orgId)."""
    if "orgId" not in payload or not isinstance(payload.get("alerts"), list):
        return None
    alerts = [mapping(a) for a in items(payload.get("alerts"))]
    link = first(*(first(text(a.get("panelURL")), text(a.get("dashboardURL"))) for a in alerts))
    return group_alert(payload, tool="grafana", source="Grafana", link=link)
