"""When things happened, as the JSON API states it (see :mod:`sitegen.views.api`).

Kept apart from the documents because these are the API's only decisions
about time, and they must stay reproducible: nothing here reads the clock.

Times
    Like Statuspage: ISO 8601 in the page's time zone with milliseconds,
    ``2022-07-22T23:42:00.000-07:00`` (``Z`` when the offset is zero).

``updated_at`` of the page and of components
    Derived from the content so that rebuilding unchanged content gives
    the same bytes. A component was last updated at its latest status
    change up to ``now`` (the start or end of one of its status periods);
    the page at the newest update, write-up or component status change. A
    component's ``created_at`` is the site's first moment of content.
    A site with no content at all has no such moment, so the build's
    ``now`` stands in.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cached_property

from sitegen.content.site import Site


def api_time(moment: datetime, tz: tzinfo) -> str:
    """Statuspage's time format: the page's local time with milliseconds and offset."""
    text = moment.astimezone(tz).isoformat(timespec="milliseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class ContentTimes:
    """The created and updated times of one site's page and components, each worked out once."""

    def __init__(self, site: Site):
        self.site = site

    @cached_property
    def content_times(self) -> list[datetime]:
        """When each update and write-up was posted."""
        times = [update.at for incident in self.site.incidents for update in incident.updates]
        return times + [writeup.published for writeup in self.site.writeups]

    @cached_property
    def created_at(self) -> datetime:
        """The site's first moment of content, standing in for when its components were created."""
        starts = [incident.started for incident in self.site.incidents]
        return min(self.content_times + starts, default=self.site.now)

    @cached_property
    def page_updated_at(self) -> datetime:
        return max(self.content_times + list(self.component_updated_at.values()), default=self.site.now)

    @cached_property
    def component_updated_at(self) -> dict[str, datetime]:
        """Each component's latest status change up to ``now``."""
        now = self.site.now
        changes: dict[str, datetime] = {}
        for cid, periods in self.site.periods_by_component.items():
            moments = [p.start for p in periods] + [p.end for p in periods if p.end is not None]
            changes[cid] = max([m for m in moments if m <= now] + [self.created_at])
        return changes
