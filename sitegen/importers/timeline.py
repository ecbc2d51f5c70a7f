"""From what a source shows at each update to what a sitegen file states.

Sources report the status each component was *shown in* at each update
(see :mod:`sitegen.importers.records`); a sitegen file states the statuses
that *change*, from the incident's start (``components:``) and then with
each update. Every source goes through :func:`settle`, so the rule is the
same for all of them:

- a component is written on an update only when its status differs from
  what the file already says (a run of the same status is one statement);
- the statuses of the update that opens the incident (the first posted at
  or after its start) are the incident's own, from its start, unless the
  source states a start snapshot of its own; a maintenance starts at its
  first ``in_progress`` update, else when its window opens (the format's
  rule), so its statuses during the work are written as a maintenance's
  usually are;
- what an update that ends the incident (and anything after it) says is
  left out: sitegen returns every component to operational at the end;
- a maintenance's operational statuses posted before its window opens are
  left out: they say the work has not begun, not that it will not touch
  the component;
- components the source lists for the incident but no status names are
  named at the start, operational (under maintenance for a maintenance),
  so they stay linked to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sitegen.content.statuses import ENDING_STATUSES, ComponentStatus, Kind, UpdateStatus
from sitegen.importers.records import SourceIncident, SourceUpdate

CLOSING_BODY = {
    Kind.INCIDENT: "This incident has been resolved.",
    Kind.MAINTENANCE: "The scheduled maintenance has been completed.",
}
"""Statuspage's own words, for the update a source implies (it says the incident ended) but did not post."""
Statuses = dict[str, ComponentStatus]


@dataclass(frozen=True)
class Settled:
    """An incident's statuses as a file states them, by source component key."""

    components: Statuses
    updates: tuple[tuple[SourceUpdate, Statuses], ...]
    """In time order, each with the statuses it changes."""


def settle(incident: SourceIncident) -> Settled:
    updates = sorted(incident.updates, key=lambda u: u.at)
    closer = next((n for n, u in enumerate(updates) if u.status in ENDING_STATUSES), len(updates))
    state: Statuses = dict(incident.components)
    changes: list[Statuses] = []
    for n, update in enumerate(updates):
        shown = _meaningful(incident, update) if n < closer else {}
        stated = {key: status for key, status in shown.items() if state.get(key) is not status}
        state.update(stated)
        changes.append(stated)
    initial = dict(incident.components)
    opener = _opener(incident, updates)
    if not initial and opener is not None:
        initial, changes[opener] = changes[opener], {}
    unnamed = ComponentStatus.UNDER_MAINTENANCE if incident.kind is Kind.MAINTENANCE else ComponentStatus.OPERATIONAL
    initial |= {key: unnamed for key in incident.attached if key not in state}
    return Settled(initial, tuple(zip(updates, changes)))


def _opener(incident: SourceIncident, updates: list[SourceUpdate]) -> int | None:
    """The index of the first update posted at or after the incident's start."""
    if not updates:
        return None
    start = incident.started or updates[0].at
    if incident.kind is Kind.MAINTENANCE:
        begun = next((u.at for u in updates if u.status is UpdateStatus.IN_PROGRESS), None)
        start = begun or incident.scheduled_for or start
    return next((n for n, u in enumerate(updates) if u.at >= start), None)


def _meaningful(incident: SourceIncident, update: SourceUpdate) -> Statuses:
    before_window = incident.scheduled_for is not None and update.at < incident.scheduled_for
    if incident.kind is Kind.MAINTENANCE and before_window:
        return {k: s for k, s in update.components.items() if s is not ComponentStatus.OPERATIONAL}
    return dict(update.components)


def with_closing_update(updates: tuple[SourceUpdate, ...], kind: Kind, at: datetime | None) -> tuple[SourceUpdate, ...]:
    """``updates``, plus the update ending them at ``at`` when the source says it ended yet posted none.

    Without it the incident would be ongoing for ever on the new site. It
    is never placed before the last update.
    """
    if at is None or any(u.status in ENDING_STATUSES for u in updates):
        return updates
    when = max([at, *(u.at for u in updates)])
    return (*updates, SourceUpdate(at=when, status=kind.ending_status, body=CLOSING_BODY[kind]))
