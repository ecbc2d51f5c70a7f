"""What the front page shows of each component's uptime: its last days and their figures, and nothing older.

A component's record (``ComponentUptime``) is known in keys by a digest of
every incident that ever gave the component a status, as its page shows all
its years. The front page shows only the bars of the last BAR_DAYS days, so
it is given this narrower view, known by the incidents of those days alone:
an edit to an older incident leaves the front page as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sitegen.analysis.uptime import ComponentUptime, DayStatus, SpanUptime, made_from
from sitegen.content.model import Component
from sitegen.content.site import Site


@dataclass(frozen=True)
class RecentUptime:
    """A component's last BAR_DAYS days and their figures, read from its record when the front page is rendered."""

    _record: ComponentUptime
    """Private, so that a theme cannot read the years through it: they are not in ``made_from``."""
    made_from: str = field(default="", compare=False)
    """A digest of the component, the settings, the time, and the incidents of those days (``recent_uptime``)."""

    @property
    def component(self) -> Component:
        return self._record.component

    @property
    def first_day(self) -> date:
        return self._record.first_day

    @property
    def days(self) -> list[DayStatus]:
        return self._record.days

    @property
    def long_span(self) -> SpanUptime:
        return self._record.long_span

    @property
    def short_span(self) -> SpanUptime:
        return self._record.short_span


def recent_uptime(site: Site, record: ComponentUptime) -> RecentUptime:
    """The last days of ``record`` (one of ``site``'s), known by what they are read from; without a digest
    (``made_from`` empty) if the record has none, or if one of those days' incidents was made in code."""
    if not record.made_from:
        return RecentUptime(record)
    incidents = {incident.slug: incident for day in record.days for incident in day.incidents}.values()
    settings = (record.component, site.config.tz, site.now, site.config.uptime_weights, record.today, record.first_day)
    return RecentUptime(record, made_from(settings, incidents))
