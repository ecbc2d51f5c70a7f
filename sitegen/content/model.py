"""The content model's records: what a status site knows, with no idea of how it is shown.

Pages, feeds and the JSON API are all views of these objects. Everything
derived from one record (when an incident resolved, how its components'
statuses changed over time) is computed here once, so no view re-derives
it; what needs all of them (what is going on now) is the whole site's, in
:mod:`sitegen.content.site`. All times are UTC; views convert them to the
site's timezone for display.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path

from sitegen.content.statuses import ENDING_STATUSES, ComponentStatus, Impact, Kind, UpdateStatus


@dataclass(frozen=True)
class Source:
    """Where a record was written: its file, its first line, and the line of each of its keys.

    Records keep it so that warnings and render errors can name the place
    to fix without reading the file again.
    """

    path: Path
    line: int
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, key: str) -> int:
        """The line of ``key``; where the record starts when the key is not written."""
        return self.key_lines.get(key, self.line)


MADE_IN_CODE = Source(Path("<made in code>"), 1)
"""The source of records built by code rather than read from a file (in tests, for instance)."""


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    position: int
    group: str | None = None
    description: str = ""
    since: date | None = None
    """The first day (in the site's timezone) the component is tracked; days before it have no data."""
    alert_labels: frozenset[tuple[str, str]] = frozenset()
    """The (name, value) labels that mark an alert as being about this component."""
    source: Source = MADE_IN_CODE


@dataclass(frozen=True)
class Group:
    """Components shown together; a component without a group is a group of one with no name."""

    name: str | None
    components: tuple[Component, ...]


@dataclass(frozen=True)
class Update:
    at: datetime
    status: UpdateStatus
    body: str
    components: Mapping[str, ComponentStatus] = field(default_factory=dict)
    """Component statuses that change from this update on."""
    next_update: datetime | None = None
    """When this update promised the next one by ('next_update:'); None: no promise."""
    source: Source = MADE_IN_CODE


@dataclass(frozen=True)
class StatusPeriod:
    """A component held one status during [start, end); ``end`` is None while it lasts."""

    component_id: str
    status: ComponentStatus
    start: datetime
    end: datetime | None
    incident_slug: str

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


@dataclass(frozen=True)
class Incident:
    """An incident or a maintenance window, with its timeline of updates in time order."""

    slug: str
    title: str
    kind: Kind
    updates: tuple[Update, ...]
    components: Mapping[str, ComponentStatus]
    started: datetime
    summary: str = ""
    declared_impact: Impact | None = None
    writeups: tuple[str, ...] = ()
    scheduled_for: datetime | None = None
    scheduled_until: datetime | None = None
    extra: Mapping[str, object] = field(default_factory=dict)
    source: Source = MADE_IN_CODE
    lang: str | None = None
    """The language of its title, summary and updates (a BCP 47 tag) when not the site's; None: the site's."""
    made_from: str = field(default="", compare=False)
    """The loader's digest of all it made the record from (later builds compare it); empty if made in code."""

    @property
    def is_maintenance(self) -> bool:
        return self.kind is Kind.MAINTENANCE

    @cached_property
    def resolved_at(self) -> datetime | None:
        """When the first resolved (or completed) update was posted; None while ongoing."""
        return next((u.at for u in self.updates if u.status in ENDING_STATUSES), None)

    @property
    def ends(self) -> datetime | None:
        """When the component statuses stop applying: resolution, or a maintenance's scheduled end."""
        return self.resolved_at or self.scheduled_until

    def ended_at(self, now: datetime) -> datetime | None:
        """When it ended, as seen at ``now``; None while it goes on. The one rule every view asks.

        An incident ends with its first resolving update. A maintenance ends
        with its completing update, else when its window closes: the
        component statuses stop there (``ends``), so its status, its
        duration, the API and uptime all say it is over from then on.
        """
        if self.resolved_at is not None:
            return self.resolved_at
        if self.scheduled_until is not None and now >= self.scheduled_until:
            return self.scheduled_until
        return None

    @property
    def latest_update(self) -> Update:
        return self.updates[-1]

    @cached_property
    def misplaced_updates(self) -> tuple[Update, ...]:
        """Updates posted after the end that do not belong there (``Kind.after_ending``); a warning names them."""
        end = self.resolved_at
        return tuple(u for u in self.updates if end and u.at > end and u.status not in self.kind.after_ending)

    @property
    def standing_update(self) -> Update:
        """The update the status comes from: the latest but the misplaced ones, as the incident stays resolved."""
        return next(u for u in reversed(self.updates) if u not in self.misplaced_updates)

    @property
    def promised_update(self) -> datetime | None:
        """When the next update is promised by, while the incident is open: its latest update's promise."""
        return self.latest_update.next_update if self.resolved_at is None else None

    @property
    def last_activity(self) -> datetime:
        return self.updates[-1].at

    def is_active(self, now: datetime) -> bool:
        """Started and not yet over at ``now`` (an incident, or a maintenance under way)."""
        return self.started <= now and (self.ends is None or now < self.ends)

    def is_upcoming(self, now: datetime) -> bool:
        return self.is_maintenance and self.ended_at(now) is None and now < self.started

    def settled(self, now: datetime) -> datetime:
        """``now``, or an earlier moment that answers every question asked with a time the same way.

        Once an incident is resolved (and a maintenance's window has passed),
        its status, duration and activity are fixed. Views are given this
        moment instead of ``now``, so what they made for it stays valid.
        """
        end = self.ended_at(now)
        if end is None:
            return now
        final = max(self.started, end, self.scheduled_until or self.started)
        return final if now >= final else now

    def duration(self, now: datetime) -> timedelta:
        end = self.ended_at(now) or now
        return max(end - self.started, timedelta(0))

    @property
    def time_to_resolve(self) -> timedelta | None:
        """From start to resolution; None while ongoing (a fact of the content, unlike ``duration(now)``)."""
        return None if self.resolved_at is None else self.duration(self.resolved_at)

    @cached_property
    def status_changes(self) -> tuple[tuple[datetime, int | None, str, ComponentStatus, ComponentStatus], ...]:
        """Every component status change, in time order: (when, index of the update bringing it, id, old, new).

        Worked out once here, so that ``periods`` (pages, uptime) and the API's per-update changes agree.
        The incident's own ``components:``, and those of updates posted before the start, take effect at
        the start and come with the first update posted from then on; an update's ``components:`` take
        effect with it; at ``ends`` every component returns to operational, with the resolving update.
        Changes no update brings (a maintenance's window opening or closing by itself) have index None.
        """
        end, op = self.ends, ComponentStatus.OPERATIONAL
        closer = next((n for n, u in enumerate(self.updates) if u.status in ENDING_STATUSES), None)
        limit = len(self.updates) if closer is None else closer + 1
        walked = [n for n, u in enumerate(self.updates[:limit]) if end is None or u.at <= end]
        first = next((n for n in walked if self.updates[n].at >= self.started), None)
        steps = [(self.started, first, self.components)]
        for n in walked:
            at, statuses = self.updates[n].at, self.updates[n].components
            if n != closer and statuses:
                steps.append((max(at, self.started), n if at >= self.started else first, statuses))
        state: dict[str, ComponentStatus] = {}  # in the order first named, as affected_component_ids
        changes = []
        for moment, update, statuses in steps:
            if end is not None and moment > end:
                break
            for cid, new in statuses.items():
                old = state.setdefault(cid, op)
                state[cid] = new
                if new is not old:
                    changes.append((moment, update, cid, old, new))
        if end is not None:
            changes += [(end, closer, cid, old, op) for cid, old in state.items() if old is not op]
        return tuple(changes)

    @cached_property
    def periods(self) -> tuple[StatusPeriod, ...]:
        """Each affected component's statuses over the incident, from start to resolution (``status_changes``)."""
        end = self.ends
        current: dict[str, tuple[ComponentStatus, datetime]] = {}
        periods: list[StatusPeriod] = []
        for moment, _, cid, _, new in self.status_changes:
            if end is not None and moment >= end:
                break
            if cid in current:
                periods.append(self._period(cid, current[cid], moment))
            current[cid] = (new, moment)
        periods += [self._period(cid, current[cid], end) for cid in self.affected_component_ids if cid in current]
        return tuple(p for p in periods if p.status is not ComponentStatus.OPERATIONAL and p.start != p.end)

    def _period(self, component_id: str, state: tuple[ComponentStatus, datetime], end: datetime | None) -> StatusPeriod:
        return StatusPeriod(component_id, state[0], state[1], end, self.slug)

    @cached_property
    def affected_component_ids(self) -> tuple[str, ...]:
        """Every component the incident names, in the order first named."""
        ids = dict.fromkeys(self.components)
        for update in self.updates:
            ids.update(dict.fromkeys(update.components))
        return tuple(ids)

    @cached_property
    def impact(self) -> Impact:
        """The declared impact, else the worst status any component reached, in Statuspage's scale.

        Only a maintenance has the impact 'maintenance': an incident that puts
        a component under maintenance and nothing worse had no impact.
        """
        if self.is_maintenance:
            return Impact.MAINTENANCE
        if self.declared_impact is not None:
            return self.declared_impact
        statuses = list(self.components.values()) + [s for u in self.updates for s in u.components.values()]
        worst = Impact.of_status(max(statuses, key=lambda s: s.severity, default=ComponentStatus.OPERATIONAL))
        return Impact.NONE if worst is Impact.MAINTENANCE else worst

    def status_at(self, now: datetime) -> UpdateStatus:
        """The standing update's status; a maintenance moves on by itself as its window opens and closes."""
        status = self.standing_update.status
        if self.resolved_at is None and self.ended_at(now) is not None:
            return self.kind.ending_status
        if self.is_maintenance and status is UpdateStatus.SCHEDULED and now >= self.started:
            return UpdateStatus.IN_PROGRESS
        return status

    def first_update_with(self, status: UpdateStatus) -> Update | None:
        return next((u for u in self.updates if u.status is status), None)

    def window_moves(self, now: datetime) -> tuple[tuple[UpdateStatus, datetime], ...]:
        """A maintenance's moves that no update brings and ``now`` has passed: its window opening or closing.

        Each is (the status it moves to, when): ``in_progress`` at the start
        when no update says work began (and it did not end first), and
        ``completed`` at the scheduled end when no update closed it. The pages
        show these moves (``status_at``); notifications and the updates
        feeds announce them.
        """
        if not self.is_maintenance:
            return ()
        moves = []
        ended_early = self.resolved_at is not None and self.resolved_at <= self.started
        if self.first_update_with(UpdateStatus.IN_PROGRESS) is None and self.started <= now and not ended_early:
            moves.append((UpdateStatus.IN_PROGRESS, self.started))
        if self.resolved_at is None and self.status_at(now) is UpdateStatus.COMPLETED:
            moves.append((UpdateStatus.COMPLETED, self.scheduled_until or now))
        return tuple(moves)


@dataclass(frozen=True)
class Writeup:
    """A post-incident review, linked to the incidents it covers."""

    slug: str
    title: str
    published: datetime
    body: str
    incidents: tuple[str, ...]
    extra: Mapping[str, object] = field(default_factory=dict)
    source: Source = MADE_IN_CODE
    lang: str | None = None
    """The language of its title and body (a BCP 47 tag) when not the site's; None: the site's."""
    made_from: str = field(default="", compare=False)
    """The loader's digest of all it made the record from (later builds compare it); empty if made in code."""
