"""An incident's timeline as readers see it: its updates and the publication of its write-ups, in time order.

The incident page and the feeds both tell this timeline, so the order and
the gaps are decided once, here. A write-up's publication is an entry of
its own ("Write-up published"), usually the newest; at equal times it counts
as later than the updates it follows up, and updates keep their file order.
A write-up published at the very moment of an update (the summary posted
with it, as on the status page this project started from) is told by that
update: one entry, the update's, which links the write-up.

An entry notes the time to the entry after it when that is notable, on the
older entry, as that page does: "Posted 06:42 (16 minutes earlier)". Each
entry has an anchor on the incident page, which the updates feeds link to.
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
    """An update, a write-up's publication, or both at one moment; with the time until the next entry when notable."""

    at: datetime
    update: Update | None
    writeup: Writeup | None
    gap: timedelta | None
    """How much earlier this entry came than the one after it (shown above it, newest first); None: not notable."""
    anchor: str
    """The fragment naming the entry on the incident page, which the updates feeds link to."""


def incident_timeline(incident: Incident, writeups: Sequence[Writeup]) -> list[TimelineEntry]:
    """The incident's updates and the publication of its write-ups (``site.writeups_by_incident``), newest first."""
    told = {update.at for update in incident.updates}
    announced = {w.published: w for w in writeups if w.published in told}
    items: list[tuple[datetime, int, int, Update | None, Writeup | None, str]] = [
        (update.at, 0, n, update, None, urls.update_anchor(uid))
        for n, (update, uid) in enumerate(zip(incident.updates, update_ids(incident)))
    ]
    items += [
        (w.published, 1, n, None, w, urls.writeup_anchor(w.slug))
        for n, w in enumerate(writeups)
        if w.published not in told
    ]
    items.sort(key=lambda item: item[:3])
    last_at = {at: n for n, (at, *_) in enumerate(items)}  # the last update of a moment links its write-up
    entries = []
    for n, (at, _, _, update, writeup, anchor) in enumerate(items):
        following = items[n + 1][0] if n + 1 < len(items) else None
        gap = following - at if following is not None else None
        linked = writeup or (announced.get(at) if last_at[at] == n else None)
        notable = gap if gap is not None and gap > NOTABLE_GAP else None
        entries.append(TimelineEntry(at, update, linked, notable, anchor))
    return entries[::-1]
