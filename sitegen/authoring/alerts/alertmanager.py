"""Prometheus Alertmanager's webhook (``webhook_config``, payload version 4).

One notification carries a group of alerts that share the route's labels;
Alertmanager sends it again while the group fires (``repeat_interval``) and
once more when it resolves. The group's ``groupKey`` stays the same
throughout, so it is the alert's identity: a repeat finds the incident
already drafted. The labels are those of every alert in the group.
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.authoring.alerts.alert import Alert, field, first, items, label_pairs, mapping, named, text

NAME_LABEL = "alertname"


def read(payload: Mapping[str, object]) -> Alert | None:
    """The alert group, if this is Alertmanager's payload (it has a groupKey and alerts, and no Grafana orgId)."""
    if "orgId" in payload or not _is_group(payload):
        return None
    return group_alert(payload, tool="alertmanager", source="Prometheus Alertmanager")


def _is_group(payload: Mapping[str, object]) -> bool:
    return isinstance(payload.get("alerts"), list) and "groupKey" in payload and "status" in payload


def group_alert(payload: Mapping[str, object], *, tool: str, source: str, link: str = "") -> Alert:
    """An Alertmanager-shaped group (Grafana's is one too) as one alert."""
    alerts = [mapping(a) for a in items(payload.get("alerts"))]
    labels = label_pairs(payload.get("commonLabels"), *(a.get("labels") for a in alerts))
    common = mapping(payload.get("commonAnnotations"))
    annotations = mapping(alerts[0].get("annotations")) if alerts else {}
    name = first(text(field(payload, "commonLabels", NAME_LABEL)), named(labels, NAME_LABEL), "Alert")
    return Alert(
        tool=tool,
        source=source,
        ident=text(payload.get("groupKey")) or ",".join(sorted(text(a.get("fingerprint")) for a in alerts)),
        firing=text(payload.get("status")) == "firing",
        name=name,
        summary=first(text(common.get("summary")), text(annotations.get("summary")), name),
        details=first(text(common.get("description")), text(annotations.get("description"))),
        link=first(link, *(text(a.get("generatorURL")) for a in alerts), text(payload.get("externalURL"))),
        labels=labels,
    )
