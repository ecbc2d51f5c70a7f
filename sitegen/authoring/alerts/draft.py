"""An alert made into a draft: a new incident when it fires, a suggested 'resolved' update when it clears.

The incident file keeps the alert's key in its front matter (``alert_key``),
which is how a repeat of the alert finds it: while an incident with that key
is open, the same alert firing again writes nothing, so one problem never
becomes two incidents (nor, in the alert workflow, two pull requests). The
words come from a template (``[alerts] template``); the components from the
alert's labels, by the settings of sitegen.toml. A person still reads and
merges every word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from sitegen.authoring.alerts.alert import Alert
from sitegen.authoring.finding import open_incidents
from sitegen.authoring.incidents import NewIncident, Written, add_update, create_incident, site_config
from sitegen.authoring.templates import apply_template
from sitegen.content.model import Component
from sitegen.content.site import AlertSettings


@dataclass(frozen=True)
class Drafted:
    """What an alert led to: the file written (None: nothing was), and a note for the person reading."""

    written: Written | None
    note: str


def draft_from_alert(
    site_dir: Path, alert: Alert, *, now: datetime, template: str | None = None, dry_run: bool = False
) -> Drafted:
    """Write what ``alert`` calls for in the site: a new incident, a 'resolved' update, or nothing (a repeat)."""
    config, catalogue = site_config(site_dir)
    open_path = open_incident_of(site_dir, alert.key, config.tz)
    if alert.firing:
        if open_path is not None:
            return Drafted(None, f"{open_path.stem} is already open for this alert ({alert.key}): nothing was written")
        components = alert_components(alert, config.alerts, catalogue)
        request = NewIncident(
            title="",
            components=[f"{cid}={config.alerts.component_status.value}" for cid in components],
            alert_key=alert.key,
        )
        request = apply_template(site_dir, template or config.alerts.template, request, alert.values())
        written = create_incident(site_dir, request, now=now, dry_run=dry_run)
        about = f"about {', '.join(components)}" if components else "about no component: add them in review"
        return Drafted(written, f"Drafted from {alert.source}'s alert '{alert.name}' ({alert.key}), {about}.")
    if open_path is None:
        return Drafted(None, f"no open incident has this alert's key ({alert.key}): there is nothing to resolve")
    written = add_update(site_dir, open_path.stem, status=None, body=None, now=now, resolving=True, dry_run=dry_run)
    return Drafted(written, f"{alert.source} says '{alert.name}' has cleared: check before merging that it is over.")


def alert_components(alert: Alert, settings: AlertSettings, catalogue: dict[str, Component]) -> list[str]:
    """The ids of the components the alert is about, in catalogue order.

    A component is named by the label ``component_label`` (its id as the
    value), or has one of its ``alert_labels`` among the alert's labels.
    """
    named = {value for name, value in alert.labels if name == settings.component_label}
    return [cid for cid, c in catalogue.items() if cid in named or c.alert_labels & alert.labels]


def open_incident_of(site_dir: Path, key: str, tz: tzinfo) -> Path | None:
    """The open incident file whose ``alert_key`` is ``key``, if any."""
    return next((i.path for i in open_incidents(site_dir, tz) if i.alert_key == key), None)
