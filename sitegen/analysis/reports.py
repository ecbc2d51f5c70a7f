"""Monthly uptime reports: each component's figures for one calendar month, and what happened in it.

A report is the month's slice of the record the uptime bars are drawn from
(:mod:`sitegen.analysis.uptime`): its figure is ``ComponentUptime.figure``
over the month's days and its time in each status is the sum of those
days' bars, so a report can never disagree with a component's page. The
month of ``now`` is reported up to ``now``, as the bars are.

Months are calendar months in the site's timezone, from the month of the
first day any component has a record for (its ``since``, else the site's
first incident) to the month of ``now``. An incident or maintenance
belongs to every month its time overlaps, from its start to its end (or to
``now`` while it goes on); one announced for later belongs to none yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property

from sitegen.analysis.uptime import STATUSES_BY_SEVERITY, ComponentUptime, UptimeFigure, last_of_month, made_from
from sitegen.content.model import Component, Incident
from sitegen.content.site import Site
from sitegen.content.statuses import ComponentStatus
from sitegen.fingerprint import Fingerprints

REPORTED_STATUSES = tuple(s for s in reversed(STATUSES_BY_SEVERITY) if s is not ComponentStatus.OPERATIONAL)
"""The statuses whose time a report states, worst first (maintenance last: shown, never downtime)."""
_INSTANT = timedelta(microseconds=1)
"""An incident ending at a month's first midnight did not happen in that month."""


@dataclass(frozen=True)
class ComponentMonth:
    """One component's month: its uptime figure and its time in each status."""

    component: Component
    figure: UptimeFigure
    time_in: Mapping[ComponentStatus, timedelta]
    """The time in each of REPORTED_STATUSES, worst first; zero where there was none."""


@dataclass(frozen=True)
class MonthReport:
    """One calendar month of the site, up to ``last_day`` (the month's last day, or today in the current month).

    Its components' figures are worked out when first read: a rebuild keeps most months' outputs by
    ``made_from`` alone, and working out every month's figures was a tenth of it.
    """

    month: date
    """The first day of the month."""
    last_day: date
    complete: bool
    """False for the month of ``now``: its figures will still change."""
    incidents: tuple[Incident, ...]
    """The incidents whose time overlaps the month, in order of their starts."""
    maintenances: tuple[Incident, ...]
    _uptime: tuple[ComponentUptime, ...]
    """The records of the site's components, in the catalogue's order, that the figures are read from: private,
    so that a theme cannot read through them what is not in ``made_from`` (other months, the last 90 days)."""
    made_from: str = field(default="", compare=False)
    """A digest of all the report is read from, standing for its fields in its fingerprint: the month, the settings
    and components, ``now`` while the month goes on, and the incidents whose time overlaps the month (their
    periods are theirs alone, and lie within their time)."""

    @property
    def key(self) -> str:
        """'2026-11': the month as its file names and the API say it."""
        return f"{self.month:%Y-%m}"

    @cached_property
    def components(self) -> tuple[ComponentMonth, ...]:
        """Each component's figures for the month, in the catalogue's order."""
        return tuple(_component_month(record, self.month, self.last_day) for record in self._uptime)


def monthly_reports(site: Site, uptime: Mapping[str, ComponentUptime]) -> list[MonthReport]:
    """Every month with a record, newest first, from the components' uptime (by id, as ``site_uptime`` gives it)."""
    tz = site.config.tz
    today = site.now.astimezone(tz).date()
    first_days = [record.first_day for record in uptime.values()]
    start = min(first_days, default=today).replace(day=1)
    months = _months(start, today.replace(day=1))
    by_month = _incidents_by_month(site.incidents, tz, site.now, start)
    records = tuple(uptime[c.id] for c in site.components)
    settings = Fingerprints().of(tz, site.config.uptime_weights, site.components)  # once: every month reads them
    reports = []
    for month in reversed(months):
        last_day = min(last_of_month(month), today)
        happened = by_month.get(month, [])
        complete = last_day < today
        reports.append(
            MonthReport(
                month=month,
                last_day=last_day,
                complete=complete,
                incidents=tuple(i for i in happened if not i.is_maintenance),
                maintenances=tuple(i for i in happened if i.is_maintenance),
                _uptime=records,
                made_from=made_from((settings, month, last_day, None if complete else site.now), happened),
            )
        )
    return reports


def _component_month(uptime: ComponentUptime, first: date, last: date) -> ComponentMonth:
    time_in = uptime.time_in(first, last)
    return ComponentMonth(
        component=uptime.component,
        figure=uptime.figure(first, last),
        time_in={status: time_in.get(status, timedelta(0)) for status in REPORTED_STATUSES},
    )


def _incidents_by_month(
    incidents: Sequence[Incident], tz: tzinfo, now: datetime, start: date
) -> dict[date, list[Incident]]:
    """Each month's incidents, in order of their starts: each incident is put in the months it overlaps."""
    by_month: dict[date, list[Incident]] = {}
    for incident in sorted(incidents, key=lambda i: (i.started, i.slug)):
        if incident.started > now:
            continue
        end = min(incident.ends or now, now)
        first = max(incident.started.astimezone(tz).date().replace(day=1), start)
        last = max(end - _INSTANT, incident.started).astimezone(tz).date().replace(day=1)
        for month in _months(first, last):
            by_month.setdefault(month, []).append(incident)
    return by_month


def _months(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s to ``last``'s, oldest first."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = last_of_month(month) + timedelta(days=1)
    return months
