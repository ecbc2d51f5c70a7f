"""Alerts from the tools teams use, read from their webhook payloads: one small module per tool.

Each module's ``read`` takes a parsed JSON payload and returns an
:class:`~sitegen.authoring.alerts.alert.Alert` if the payload is its tool's,
else None; :func:`parse_alert` asks each in turn. The formats are the ones
the tools document; docs/cli.md shows how to point each tool at a site.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from sitegen.authoring.alerts import alertmanager, betterstack, grafana, pagerduty, uptime_kuma, uptimerobot
from sitegen.authoring.alerts.alert import Alert, PayloadError

READERS: tuple[Callable[[Mapping[str, object]], Alert | None], ...] = (
    grafana.read,  # before Alertmanager's: Grafana's payload is Alertmanager's with more
    alertmanager.read,
    uptime_kuma.read,
    uptimerobot.read,
    betterstack.read,
    pagerduty.read,
)
TOOLS = "Prometheus Alertmanager, Grafana, Uptime Kuma, UptimeRobot, Better Stack or PagerDuty (v3 webhooks)"
MAX_PAYLOAD = 1024 * 1024


def parse_alert(data: bytes) -> Alert:
    """The alert in a webhook's body; PayloadError saying why when it is none of the known tools'."""
    if len(data) > MAX_PAYLOAD:
        raise PayloadError(f"the payload is larger than {MAX_PAYLOAD // 1024} KiB: not an alert")
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PayloadError(f"the payload is not JSON: {exc}") from None
    if not isinstance(payload, Mapping):
        raise PayloadError("the payload is not a JSON object")
    for read in READERS:
        if (alert := read(payload)) is not None:
            return alert
    raise PayloadError(f"the payload is not an alert of {TOOLS}")


__all__ = ["Alert", "PayloadError", "parse_alert"]
