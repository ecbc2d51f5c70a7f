"""The site as a whole: its settings, and what is worked out from all its records at once.

The records themselves (incidents, updates, components, write-ups) are in
:mod:`sitegen.content.model`; everything here reads several of them
(a component's incidents, the overall status, what is going on now) and
is computed once per site, so no view re-derives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from sitegen.content.model import MADE_IN_CODE, Component, Group, Incident, Source, StatusPeriod, Writeup
from sitegen.content.statuses import ComponentStatus, Impact

if TYPE_CHECKING:  # notify_config reads the channels with the loader's tools, which need the model
    from sitegen.content.notify_config import NotifyChannel


@dataclass(frozen=True)
class UptimeWeights:
    """How much of the time in each status counts as downtime, from 0 (none) to 1 (all of it).

    The defaults (in :mod:`sitegen.content.settings`) are Statuspage's (see
    :mod:`sitegen.analysis.uptime`). Maintenance is never downtime and
    operational time never is, so neither has a weight.
    """

    major_outage: float
    partial_outage: float
    degraded_performance: float

    def of(self, status: ComponentStatus) -> float:
        if not status.is_downtime:
            return 0.0
        return float(getattr(self, status.value))


@dataclass(frozen=True)
class AlertSettings:
    """The [alerts] settings: how ``sitegen new --from-alert`` drafts an incident (see sitegen.content.settings)."""

    template: str
    component_label: str
    component_status: ComponentStatus
    source: Source = MADE_IN_CODE
    """Where the [alerts] table is, so that ``sitegen check`` can point at its 'template'."""


@dataclass(frozen=True)
class SiteConfig:
    """The [site] and [uptime] settings; their defaults and meanings are in :mod:`sitegen.content.settings`."""

    title: str
    base_url: str
    timezone: str
    tz: tzinfo
    language: str
    """The BCP 47 tag the site's words and dates are in, as written canonically ('pt-BR'); see sitegen.views.i18n."""
    description: str
    footer: str
    theme: str
    history_page_size: int
    feed_entries: int
    max_file_kib: int
    """Content files are refused above this size: a mistake, or an attempt to exhaust the build."""
    uptime_weights: UptimeWeights
    alerts: AlertSettings
    stale_after: int = 0
    """Minutes after a build when the front page says it may be out of date (and keeps time with a script); 0: never."""
    notify: tuple[NotifyChannel, ...] = ()
    """The [[notify]] channels that ``sitegen notify`` announces new updates on."""


@dataclass(frozen=True)
class Site:
    """Everything a build knows: settings, components, incidents (newest first), write-ups, and ``now``."""

    config: SiteConfig
    components: tuple[Component, ...]
    incidents: tuple[Incident, ...]
    writeups: tuple[Writeup, ...]
    now: datetime

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        """Components by group, groups in the order they first appear in the catalogue."""
        groups: list[tuple[str | None, list[Component]]] = []
        named: dict[str, list[Component]] = {}
        for component in self.components:
            if component.group is None:
                groups.append((None, [component]))
                continue
            if component.group not in named:
                named[component.group] = []
                groups.append((component.group, named[component.group]))
            named[component.group].append(component)
        return tuple(Group(name, tuple(members)) for name, members in groups)

    @cached_property
    def component_by_id(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}

    @cached_property
    def incident_by_slug(self) -> dict[str, Incident]:
        return {i.slug: i for i in self.incidents}

    @cached_property
    def writeup_by_slug(self) -> dict[str, Writeup]:
        return {w.slug: w for w in self.writeups}

    @cached_property
    def incidents_by_component(self) -> dict[str, tuple[Incident, ...]]:
        """Each component's incidents, newest first (built once: views must not rescan all incidents)."""
        index: dict[str, list[Incident]] = {c.id: [] for c in self.components}
        for incident in self.incidents:
            for component_id in incident.affected_component_ids:
                index[component_id].append(incident)
        return {cid: tuple(found) for cid, found in index.items()}

    @cached_property
    def periods_by_component(self) -> dict[str, tuple[StatusPeriod, ...]]:
        index: dict[str, list[StatusPeriod]] = {c.id: [] for c in self.components}
        for incident in self.incidents:
            for period in incident.periods:
                index[period.component_id].append(period)
        return {cid: tuple(sorted(found, key=lambda p: p.start)) for cid, found in index.items()}

    @cached_property
    def component_statuses(self) -> dict[str, ComponentStatus]:
        """Each component's status now: the worst of the periods that cover ``now``."""
        return {
            cid: max(
                (p.status for p in periods if p.covers(self.now)),
                key=lambda s: s.severity,
                default=ComponentStatus.OPERATIONAL,
            )
            for cid, periods in self.periods_by_component.items()
        }

    @cached_property
    def overall_status(self) -> ComponentStatus:
        return max(self.component_statuses.values(), key=lambda s: s.severity, default=ComponentStatus.OPERATIONAL)

    @cached_property
    def indicator(self) -> Impact:
        """The site-wide status: the worst of the components' statuses and the open incidents' impacts."""
        impacts = [Impact.of_status(self.overall_status)] + [i.impact for i in self.active_incidents]
        impacts += [i.impact for i in self.active_maintenances]
        return max(impacts, key=lambda impact: impact.rank)

    @cached_property
    def active_incidents(self) -> tuple[Incident, ...]:
        """Incidents not yet resolved, newest first (maintenance is listed separately)."""
        return tuple(i for i in self.incidents if not i.is_maintenance and i.ended_at(self.now) is None)

    @cached_property
    def active_maintenances(self) -> tuple[Incident, ...]:
        return tuple(i for i in self.incidents if i.is_maintenance and i.is_active(self.now))

    @cached_property
    def upcoming_maintenances(self) -> tuple[Incident, ...]:
        """Maintenance still to come, soonest first."""
        found = [i for i in self.incidents if i.is_upcoming(self.now)]
        return tuple(sorted(found, key=lambda i: (i.started, i.slug)))

    @cached_property
    def writeups_by_incident(self) -> dict[str, tuple[Writeup, ...]]:
        return {i.slug: tuple(self.writeup_by_slug[s] for s in i.writeups) for i in self.incidents}
