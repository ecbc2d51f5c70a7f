"""An incident's timeline as readers see it: its updates and the publication of its write-ups, in time order.

The incident page and the feeds both tell this timeline, so the order and
the gaps are decided once, here. A write-up's publication is an entry of
its own ("Write-up published"), usually the newest, as on the status page
this project started from; at equal times it counts as later than the
updates it follows up, and updates keep their file order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sitegen.content.model import Incident, Update, Writeup
from sitegen.output import urls
from sitegen.views.api import update_ids

NOTABLE_GAP = timedelta(minutes=10)
"""Gaps up to this long are the usual pace of updates and go unsaid (that page is silent on 7 and 10 minutes)."""


@dataclass(frozen=True)
class TimelineEntry:
    """One entry: an update or a write-up's publication, with the time since the entry before when notable."""

    at: datetime
    update: Update | None
    writeup: Writeup | None
    gap: timedelta | None
    anchor: str
    """The fragment naming the entry on the incident page, which the updates feeds link to."""


def incident_timeline(incident: Incident, writeups: Sequence[Writeup]) -> list[TimelineEntry]:
    """The incident's updates and the publication of its write-ups (``site.writeups_by_incident``), newest first."""
    items: list[tuple[datetime, int, int, Update | None, Writeup | None, str]] = [
        (update.at, 0, n, update, None, urls.update_anchor(uid))
        for n, (update, uid) in enumerate(zip(incident.updates, update_ids(incident)))
    ]
    items += [(w.published, 1, n, None, w, urls.writeup_anchor(w.slug)) for n, w in enumerate(writeups)]
    items.sort(key=lambda item: item[:3])
    entries = []
    previous: datetime | None = None
    for at, _, _, update, writeup, anchor in items:
        gap = at - previous if previous is not None else None
        notable = gap if gap is not None and gap > NOTABLE_GAP else None
        entries.append(TimelineEntry(at, update, writeup, notable, anchor))
        previous = at
    return entries[::-1]
