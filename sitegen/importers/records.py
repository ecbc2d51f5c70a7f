"""The neutral records every reader produces, whatever the source.

They say what the source says, in the model's vocabulary (its enums for
statuses, kinds and impacts), and nothing sitegen has to decide: component
ids, slugs and file layout come later, in one place for every source.

Times keep the offset the source wrote them with: an update written at
``10:39:58-07:00`` is written to its file that way, so an imported file
reads like the page it came from.

Component statuses of an update are a *snapshot*: the status each component
was shown in when the update was posted (Statuspage's ``affected_components``
mostly repeat an unchanged status, and their ``old_status`` often disagrees
with the previous update, because statuses change between updates).
:mod:`sitegen.importers.timeline` turns snapshots into the changes a
sitegen file states.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sitegen.content.statuses import ComponentStatus, Impact, Kind, UpdateStatus


@dataclass(frozen=True)
class SourcePage:
    """The page being imported: its name, its public URL and the zone it shows times in (if it says)."""

    title: str
    url: str = ""
    timezone: str | None = None


@dataclass(frozen=True)
class SourceComponent:
    key: str
    """The source's own id for the component; updates name components by it."""
    name: str
    group: str | None = None
    description: str = ""
    since: date | None = None


@dataclass(frozen=True)
class SourceUpdate:
    at: datetime
    status: UpdateStatus
    body: str
    components: Mapping[str, ComponentStatus] = field(default_factory=dict)
    """Snapshot: the status of each named component (by source key) as this update showed it."""


@dataclass(frozen=True)
class SourceWriteup:
    """A postmortem, which becomes a write-up naming its incident."""

    title: str
    published: datetime
    body: str


@dataclass(frozen=True)
class SourceIncident:
    source_id: str
    title: str
    kind: Kind
    updates: tuple[SourceUpdate, ...]
    """In the order the source posted them; sorted by time when written, same-instant ones keeping this order."""
    components: Mapping[str, ComponentStatus] = field(default_factory=dict)
    """Snapshot at the start of the incident, when the source states one apart from its updates."""
    attached: tuple[str, ...] = ()
    """Components the source lists for the incident, whether or not any update changed their status."""
    started: datetime | None = None
    impact: Impact | None = None
    scheduled_for: datetime | None = None
    scheduled_until: datetime | None = None
    summary: str = ""
    writeup: SourceWriteup | None = None
    slug: str | None = None
    """The name the source's own page gives the incident (a sitegen site's), kept so that links to it still work."""


@dataclass(frozen=True)
class SourceHistory:
    """Everything one import read: the page, its component catalogue in display order, its incidents."""

    source: str
    """The source's name ('statuspage', 'incidentio', 'cstate', 'upptime'): it names the ids kept in ``extra``."""
    page: SourcePage | None
    components: tuple[SourceComponent, ...]
    incidents: tuple[SourceIncident, ...]
    warnings: tuple[str, ...] = ()
    """What was read in a way the source did not quite say (``path:line: what was made of it``), to be printed."""
    skipped: tuple[str, ...] = ()
    """Files or incidents that could not be read, each with its place and reason; the rest is imported."""
