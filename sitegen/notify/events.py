"""What a site has to announce: every event its content holds, each under an id that never changes.

An event is one thing subscribers are told: an incident opened, an update
posted, an incident resolved, a write-up published, a maintenance scheduled,
started or completed. Events come from the model alone, never from the
clock of the run, so two runs over the same content find the same events
with the same ids, and the record of what was announced (:mod:`.ledger`)
can say "done" by id.

Ids
    ``update/<update id>`` for an update (the API's id, which depends only
    on the update's time and status), and ``<milestone>/<incident id>`` for
    the milestones: ``created``, ``resolved``, ``started``, ``completed``
    (``scheduled`` is the ``created`` of a maintenance). A milestone keeps
    its id whatever brings it, so that a maintenance that started by itself
    when its window opened is not announced as started again when an
    ``in_progress`` update is added later: that update is then announced as
    a plain update (:meth:`Event.plain_update`). Write-ups are
    ``writeup/<id>``.

A maintenance starts and completes by itself at its window's edges when no
update says so; those milestones exist once ``now`` has passed them, as the
pages show them.

Reminders
    ``reminder/<lead>/<incident id>`` (``reminder/24h/…``) reminds of a
    maintenance ``lead`` before it starts, for each lead time a channel's
    ``reminders`` ask for. It exists from that moment until the start, so a
    run in that time announces it once and a later run never does; and only
    if that moment comes after the maintenance was announced, since a
    reminder on the heels of "Maintenance scheduled" would say nothing new.

Overdue updates
    ``overdue/<update id>`` tells on-call (channels with ``on_call``, never
    subscribers) that the update an incident's latest update promised by
    its ``next_update`` has not come. It exists once ``now`` is past that
    time, while the incident is open and the promising update is still the
    latest: a newer update keeps the promise (or makes a new one, with an id
    of its own), so a promise kept before the run is never reminded of, and
    each promise is reminded of once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from sitegen.content.model import Component, Incident, Update, Writeup
from sitegen.content.site import Site
from sitegen.content.statuses import ENDING_STATUSES, UpdateStatus
from sitegen.views.api import Transition, incident_id, opaque_id, update_ids, update_transitions


class EventKind(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    RESOLVED = "resolved"
    WRITEUP = "writeup"
    SCHEDULED = "scheduled"
    STARTED = "started"
    COMPLETED = "completed"
    REMINDER = "reminder"
    OVERDUE = "overdue"


MILESTONE_IDS = {EventKind.SCHEDULED: EventKind.CREATED.value}
"""A maintenance's 'scheduled' is its 'created': one id whichever status its first update has."""


@dataclass(frozen=True)
class Event:
    """One announcement: what happened, to which incident, with the update (if any) that said so."""

    id: str
    kind: EventKind
    at: datetime
    incident: Incident | None
    """None only for a write-up that covers no incident."""
    component_ids: frozenset[str]
    """The components the incident has reached by this event (a write-up's: its incidents'), for each channel's filter.

    Only those reached so far: a channel for a component the incident reaches
    in a later update hears of it from that update on, whether the deploys
    in between saw each update or all of them at once."""
    update: Update | None = None
    update_id: str | None = None
    """The API id of ``update``."""
    changes: tuple[Transition, ...] = ()
    """The component status changes this event brings, in catalogue order."""
    writeup: Writeup | None = None
    lead: timedelta | None = None
    """How long before the start a reminder comes."""

    @property
    def for_on_call(self) -> bool:
        """Whether only on-call's channels are told of this event (a late update), never subscribers."""
        return self.kind is EventKind.OVERDUE

    @property
    def update_key(self) -> str | None:
        return f"update/{self.update_id}" if self.update_id is not None else None

    @property
    def keys(self) -> tuple[str, ...]:
        """Every id this event settles: its own, and its update's when it is a milestone brought by one."""
        key = self.update_key
        return (self.id,) if key is None or key == self.id else (self.id, key)

    @property
    def story(self) -> str:
        """The id of the event that opened this event's incident (its first); a write-up of none: its own."""
        return self.id if self.incident is None else f"{EventKind.CREATED.value}/{incident_id(self.incident.slug)}"

    def as_news(self) -> Event:
        """The event as the first a channel hears of its incident: an update said as 'New incident'."""
        if self.kind is not EventKind.UPDATED or self.incident is None:
            return self
        return replace(self, kind=EventKind.SCHEDULED if self.incident.is_maintenance else EventKind.CREATED)

    def plain_update(self) -> Event | None:
        """The update of a milestone brought by one, as an ordinary update; None for anything else."""
        key = self.update_key
        if key is None or key == self.id:
            return None
        return replace(self, id=key, kind=EventKind.UPDATED)


def site_events(site: Site) -> tuple[Event, ...]:
    """Every event of the site, oldest first."""
    events: list[Event] = []
    for incident in reversed(site.incidents):
        events += incident_events(incident, site)
    events += [_writeup_event(writeup, site) for writeup in reversed(site.writeups)]
    leads = sorted({lead for channel in site.config.notify for lead in channel.reminders}, reverse=True)
    events += [event for incident in site.upcoming_maintenances for event in reminder_events(incident, site, leads)]
    if any(channel.on_call for channel in site.config.notify):
        events += [event for incident in site.incidents if (event := overdue_event(incident, site)) is not None]
    return tuple(sorted(events, key=lambda event: event.at))


def incident_events(incident: Incident, site: Site) -> list[Event]:
    """An incident's (or maintenance's) events: one per update, and the window's own edges."""
    iid = incident_id(incident.slug)
    affected = frozenset(incident.affected_component_ids)
    milestones = _milestones(incident)
    rows = zip(incident.updates, update_ids(incident), update_transitions(incident, site.component_by_id))
    events = []
    reached = frozenset(incident.components)
    for number, (update, uid, changes) in enumerate(rows):
        reached |= frozenset(update.components)
        kind = milestones.get(number, EventKind.UPDATED)
        key = f"update/{uid}" if kind is EventKind.UPDATED else f"{MILESTONE_IDS.get(kind, kind.value)}/{iid}"
        events.append(Event(key, kind, update.at, incident, reached, update, uid, changes))
    if incident.is_maintenance:
        events += _window_events(incident, site, iid, affected)
    return events


def _milestones(incident: Incident) -> dict[int, EventKind]:
    """Which update brings each milestone, by its index; an update brings one at most, the weightiest."""
    updates = incident.updates
    found: dict[int, EventKind] = {}
    closer = next((n for n, u in enumerate(updates) if u.status in ENDING_STATUSES), None)
    if closer is not None:
        found[closer] = EventKind.COMPLETED if incident.is_maintenance else EventKind.RESOLVED
    start = next((n for n, u in enumerate(updates) if u.status is UpdateStatus.IN_PROGRESS), None)
    if incident.is_maintenance and start is not None:
        found.setdefault(start, EventKind.STARTED)
    scheduled = incident.is_maintenance and updates[0].status is UpdateStatus.SCHEDULED
    found.setdefault(0, EventKind.SCHEDULED if scheduled else EventKind.CREATED)
    return found


def _window_events(incident: Incident, site: Site, iid: str, affected: frozenset[str]) -> list[Event]:
    """A maintenance's start and completion when no update brings them: its window opened or closed by itself."""
    events = []
    for status, at in incident.window_moves(site.now):
        kind = EventKind.STARTED if status is UpdateStatus.IN_PROGRESS else EventKind.COMPLETED
        changes = _changes_at(incident, at, site.component_by_id)
        events.append(Event(f"{kind.value}/{iid}", kind, at, incident, affected, changes=changes))
    return events


def reminder_events(incident: Incident, site: Site, leads: list[timedelta]) -> list[Event]:
    """The reminders of a maintenance to come that are due at ``now`` (see "Reminders" above)."""
    iid, affected = incident_id(incident.slug), frozenset(incident.affected_component_ids)
    events = []
    for lead in leads:
        at = incident.started - lead
        if incident.updates[0].at < at <= site.now < incident.started:
            key = f"{EventKind.REMINDER.value}/{lead_label(lead)}/{iid}"
            events.append(Event(key, EventKind.REMINDER, at, incident, affected, lead=lead))
    return events


def overdue_event(incident: Incident, site: Site) -> Event | None:
    """The reminder that the update the latest one promised is late, at the promised time; None if not due."""
    promise = incident.promised_update
    if promise is None or site.now <= promise:
        return None
    uid = update_ids(incident)[-1]
    affected = frozenset(incident.affected_component_ids)
    return Event(f"{EventKind.OVERDUE.value}/{uid}", EventKind.OVERDUE, promise, incident, affected)


def lead_label(lead: timedelta) -> str:
    """'24h', '90m': a lead time in the ids of its reminders."""
    count, unit = lead_parts(lead)
    return f"{count}{unit[0]}"


def lead_parts(lead: timedelta) -> tuple[int, str]:
    """(24, 'hour'), (90, 'minute'): whole hours in hours, else minutes (a lead time is whole minutes)."""
    minutes = int(lead.total_seconds()) // 60
    return (minutes // 60, "hour") if minutes % 60 == 0 else (minutes, "minute")


def _changes_at(incident: Incident, moment: datetime, catalogue: dict[str, Component]) -> tuple[Transition, ...]:
    """The status changes no update brings at ``moment`` (``Incident.status_changes``), in catalogue order."""
    found = [
        Transition(catalogue[cid], old, new)
        for at, update, cid, old, new in incident.status_changes
        if update is None and at == moment and cid in catalogue
    ]
    return tuple(sorted(found, key=lambda t: t.component.position))


def _writeup_event(writeup: Writeup, site: Site) -> Event:
    incidents = [site.incident_by_slug[slug] for slug in writeup.incidents if slug in site.incident_by_slug]
    affected = frozenset(cid for incident in incidents for cid in incident.affected_component_ids)
    key = f"writeup/{opaque_id(f'writeup:{writeup.slug}')}"
    first = incidents[0] if incidents else None
    return Event(key, EventKind.WRITEUP, writeup.published, first, affected, writeup=writeup)
