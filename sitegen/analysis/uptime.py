"""Uptime: how long each component spent in each status, day by day, and its uptime figures.

Everything here is computed once per build from the model's status periods
(``Site.periods_by_component``): each component's periods are swept once into
non-overlapping segments, each segment is cut at the site's local midnights
into a sparse ledger of the days that had anything, and every day or figure a
page shows is read from that ledger. The work is O(P log P) for P periods
(the sort of the sweep) plus O(days shown); no incident is looked at per day.

Rules:

- Days are calendar days in the site's timezone (23 or 25 hours long across a
  DST change). An ongoing incident counts up to ``site.now``; nothing after
  ``now`` counts, and the denominator of a figure ends at ``now`` too.
- Where incidents overlap on one component, each instant counts once, in the
  worst status any of them gives it (a sweep over period boundaries), never
  the sum of them.
- Maintenance (``under_maintenance``) is shown but is never downtime
  (:attr:`ComponentStatus.is_downtime`).
- A component's optional ``since`` date starts its record: days before it are
  "no data", are not charged (not in the denominator), and periods before it
  are ignored.
- The time in a status counts as downtime in proportion to its weight
  (``[uptime]`` in sitegen.toml, :class:`sitegen.content.model.UptimeWeights`).
  The defaults are Statuspage's: its uptime showcase is driven by the minutes
  a component spends in major or partial outage; a major outage counts in
  full (100 %), a partial outage 30 %, and degraded performance not at all
  (Statuspage, "Display historical uptime of components", "How it works":
  https://help.statuspage.io/help/uptime-calendar ; the same weights are
  restated by Sorry's comparison https://www.sorryapp.com/compare/uptime-sorry-vs-statuspage
  and Instatus https://instatus.com/help/status-page/uptime-colors).
  Uptime % = 100 × (1 − weighted downtime / tracked time).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from functools import cached_property

from sitegen.content.model import Component, Incident, StatusPeriod
from sitegen.content.site import Site, UptimeWeights
from sitegen.content.statuses import ComponentStatus
from sitegen.content.times import midnight
from sitegen.fingerprint import Fingerprints

BAR_DAYS = 90
"""Days in the row of bars and in the longer uptime figure (Statuspage's uptime showcase shows 90)."""
SHORT_SPAN_DAYS = 30
"""Days in the shorter uptime figure, and the bars a narrow screen keeps (the stylesheet hides the older ones)."""
STATUSES_BY_SEVERITY = tuple(sorted(ComponentStatus, key=lambda s: s.severity))
_NO_TIME = timedelta(0)


@dataclass(frozen=True)
class UptimeFigure:
    """Uptime over a span of days: the time tracked and the (weighted) downtime in it."""

    tracked: timedelta
    downtime: timedelta

    @property
    def percent(self) -> float | None:
        """The uptime in percent; None when nothing of the span was tracked (all before ``since``, or after now)."""
        if self.tracked <= _NO_TIME:
            return None
        return 100.0 * max(0.0, 1.0 - self.downtime / self.tracked)

    @property
    def shown(self) -> Decimal | None:
        """The figure as pages state it, as a fraction: 0.9995 for 99.95 %, exactly 1 only without downtime.

        Rounded down to hundredths of a percent, so that any downtime at all
        never reads as 100 %; None when nothing was tracked. Views write it in
        the site's language; the rounding is decided here, once.
        """
        percent = self.percent
        if percent is None:
            return None
        if self.downtime <= _NO_TIME:
            return Decimal(1)
        hundredths = math.floor(round(percent * 100, 6))  # round first: 99.95 must not float down to 99.94
        return Decimal(min(hundredths, 9999)).scaleb(-4)

    @property
    def label(self) -> str:
        """'99.95 %' (``shown``), in English, for logs and tests; 'no data' without any."""
        shown = self.shown
        if shown is None:
            return "no data"
        return f"{shown * 100:.0f}\u00a0%" if shown == 1 else f"{shown * 100:.2f}\u00a0%"


@dataclass(frozen=True)
class DayStatus:
    """One calendar day of one component, in the site's timezone."""

    day: date
    tracked: bool
    """False before the component's ``since``: the day has no data and is not charged."""
    time_in: Mapping[ComponentStatus, timedelta]
    """Time in each non-operational status that day (the worst status at each instant); absent: none."""
    incidents: tuple[Incident, ...]
    """The incidents that gave the component a status that day, in order of their periods' starts."""
    weights: UptimeWeights

    @property
    def status(self) -> ComponentStatus | None:
        """The worst status the component was in that day; None for a day with no data."""
        if not self.tracked:
            return None
        return max(self.time_in, key=lambda s: s.severity, default=ComponentStatus.OPERATIONAL)

    @property
    def key(self) -> str:
        """The status's value, or 'no_data': one word for the day's kind, e.g. for a CSS class."""
        status = self.status
        return status.value if status is not None else "no_data"

    @property
    def statuses(self) -> list[tuple[ComponentStatus, timedelta]]:
        """The day's non-operational time by status, worst first."""
        return sorted(self.time_in.items(), key=lambda item: -item[0].severity)

    @property
    def downtime(self) -> timedelta:
        """The time counted against uptime: each status's time times its weight."""
        return sum((span * self.weights.of(status) for status, span in self.time_in.items()), _NO_TIME)


@dataclass(frozen=True)
class SpanUptime:
    """The uptime of the last ``days`` days up to today: pages say the span from here, never a number of their own."""

    days: int
    figure: UptimeFigure


@dataclass(frozen=True)
class YearUptime:
    """One calendar year of a component, up to today: its figure and its days by month."""

    year: int
    figure: UptimeFigure
    months: tuple[tuple[date, tuple[DayStatus, ...]], ...]
    """(first of the month, its days up to today), oldest first."""


@dataclass(frozen=True)
class ComponentUptime:
    """A component's record: its days with anything in them, read into days and figures on demand.

    Its fields are all that its pages read of it, and ``made_from`` stands for them in those pages' keys.
    """

    _ledger: _Ledger
    component: Component
    today: date
    first_day: date
    """The first day of its record: its ``since``, else the day of the site's first incident (or today)."""
    made_from: str = field(default="", compare=False)
    """A digest of all the record is read from (``_made_from``), standing for its fields in its fingerprint:
    the ledger of a long history has thousands of days, and a rebuild fingerprints every component's."""

    @property
    def first_year(self) -> int:
        return self.first_day.year

    def day(self, day: date) -> DayStatus:
        ledger = self._ledger
        return DayStatus(
            day=day,
            tracked=ledger.since is None or day >= ledger.since,
            time_in=ledger.time_in.get(day, {}),
            incidents=tuple(ledger.incidents.get(day, {}).values()),
            weights=ledger.weights,
        )

    def days_between(self, first: date, last: date) -> list[DayStatus]:
        """Every day from ``first`` to ``last`` included, oldest first."""
        return [self.day(first + timedelta(days=n)) for n in range((last - first).days + 1)]

    def figure(self, first: date, last: date) -> UptimeFigure:
        """Uptime from the start of ``first`` to the end of ``last`` (or to now, if sooner)."""
        ledger = self._ledger
        start = midnight(first if ledger.since is None else max(first, ledger.since), ledger.tz)
        end = min(midnight(last + timedelta(days=1), ledger.tz), ledger.now)
        tracked = max(end - start, _NO_TIME)
        downtime = sum((ledger.downtime(day) for day in ledger.days_with_time(first, last)), _NO_TIME)
        return UptimeFigure(tracked=tracked, downtime=min(downtime, tracked))

    def time_in(self, first: date, last: date) -> dict[ComponentStatus, timedelta]:
        """The time in each non-operational status from ``first`` to ``last`` included (as the days' bars count it)."""
        ledger = self._ledger
        totals: dict[ComponentStatus, timedelta] = {}
        for day in ledger.days_with_time(first, last):
            for status, span in ledger.time_in[day].items():
                totals[status] = totals.get(status, _NO_TIME) + span
        return totals

    @cached_property
    def days(self) -> list[DayStatus]:
        """The last BAR_DAYS days, oldest first, today last."""
        return self.days_between(self.today - timedelta(days=BAR_DAYS - 1), self.today)

    def last(self, days: int) -> SpanUptime:
        """The uptime of the last ``days`` days, today included."""
        return SpanUptime(days, self.figure(self.today - timedelta(days=days - 1), self.today))

    @cached_property
    def long_span(self) -> SpanUptime:
        """The uptime over the days of the bars (BAR_DAYS)."""
        return self.last(BAR_DAYS)

    @cached_property
    def short_span(self) -> SpanUptime:
        """The uptime over the last SHORT_SPAN_DAYS days."""
        return self.last(SHORT_SPAN_DAYS)

    @cached_property
    def yearly(self) -> list[YearUptime]:
        """Each calendar year with data, newest first: from ``since`` (else the site's first incident) to today."""
        return [self.year(year) for year in range(self.today.year, self.first_year - 1, -1)]

    def year(self, year: int) -> YearUptime:
        first = date(year, 1, 1)
        last = min(date(year, 12, 31), self.today)
        months = []
        for month in range(1, last.month + 1):
            start = date(year, month, 1)
            end = min(last_of_month(start), last)
            months.append((start, tuple(self.days_between(start, end))))
        return YearUptime(year=year, figure=self.figure(first, last), months=tuple(months))


def site_uptime(site: Site) -> dict[str, ComponentUptime]:
    """Every component's uptime, by component id: each component's periods are read once."""
    tz = site.config.tz
    today = site.now.astimezone(tz).date()
    earliest = min((i.started for i in site.incidents), default=None)
    site_start = min(earliest.astimezone(tz).date(), today) if earliest is not None else today
    uptimes = {}
    for component in site.components:
        ledger = _Ledger.of(
            site.periods_by_component[component.id],
            site.incident_by_slug,
            tz=tz,
            now=site.now,
            since=component.since,
            weights=site.config.uptime_weights,
        )
        first_day = component.since if component.since is not None else site_start
        made_from = _made_from(site, component, today, first_day)
        uptimes[component.id] = ComponentUptime(ledger, component, today, first_day, made_from)
    return uptimes


def _made_from(site: Site, component: Component, today: date, first_day: date) -> str:
    """A digest of all a component's record is read from: the component, the settings, the time, and the
    incidents that gave it a status (their periods are theirs alone)."""
    incidents = [site.incident_by_slug[p.incident_slug] for p in site.periods_by_component[component.id]]
    return made_from((component, site.config.tz, site.now, site.config.uptime_weights, today, first_day), incidents)


def made_from(settings: tuple[object, ...], incidents: Iterable[Incident]) -> str:
    """A digest of ``settings`` and of the ``incidents`` a figure was read with (each by its own ``made_from``);
    empty if one of them was made in code (it has no digest of what it was made from).

    The settings are encoded whole and in a fixed order (sitegen.fingerprint): their ``repr`` lists a set in
    an order that changes from one process to the next, and so did every key made from it.
    """
    digests = [incident.made_from for incident in incidents]
    return Fingerprints().of(settings, digests) if all(digests) else ""


@dataclass
class _Ledger:
    """The sparse record of one component: only days that had a non-operational status are in it."""

    tz: tzinfo
    now: datetime
    since: date | None
    weights: UptimeWeights
    time_in: dict[date, dict[ComponentStatus, timedelta]]
    incidents: dict[date, dict[str, Incident]]
    """Each day's incidents by slug (once each, in order of their periods' starts)."""

    @classmethod
    def of(
        cls,
        periods: Sequence[StatusPeriod],
        incident_by_slug: Mapping[str, Incident],
        *,
        tz: tzinfo,
        now: datetime,
        since: date | None,
        weights: UptimeWeights,
    ) -> _Ledger:
        ledger = cls(tz=tz, now=now, since=since, weights=weights, time_in={}, incidents={})
        floor = midnight(since, tz) if since is not None else None
        clipped = []
        for period in periods:
            start = period.start if floor is None else max(period.start, floor)
            end = now if period.end is None else min(period.end, now)
            if start < end:
                clipped.append((start, end, period))
        for start, end, status in _worst_segments((s, e, p.status) for s, e, p in clipped):
            ledger._add(start, end, status)
        for start, end, period in clipped:
            day, last = ledger._local_day(start), ledger._local_day(end - timedelta(microseconds=1))
            while day <= last:
                ledger.incidents.setdefault(day, {})[period.incident_slug] = incident_by_slug[period.incident_slug]
                day += timedelta(days=1)
        return ledger

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def _add(self, start: datetime, end: datetime, status: ComponentStatus) -> None:
        """Book [start, end) in one status, cut at local midnights."""
        while start < end:
            day = self._local_day(start)
            day_end = midnight(day + timedelta(days=1), self.tz)
            piece_end = min(end, day_end) if day_end > start else end
            book = self.time_in.setdefault(day, {})
            book[status] = book.get(status, _NO_TIME) + (piece_end - start)
            start = piece_end

    def days_with_time(self, first: date, last: date) -> Iterable[date]:
        """The ledger's days from ``first`` to ``last``, whichever is cheaper to scan."""
        if (last - first).days + 1 <= len(self.time_in):
            return (d for n in range((last - first).days + 1) if (d := first + timedelta(days=n)) in self.time_in)
        return (d for d in self.time_in if first <= d <= last)

    def downtime(self, day: date) -> timedelta:
        return sum((span * self.weights.of(s) for s, span in self.time_in[day].items()), _NO_TIME)


def _worst_segments(
    periods: Iterable[tuple[datetime, datetime, ComponentStatus]],
) -> list[tuple[datetime, datetime, ComponentStatus]]:
    """Overlapping periods as non-overlapping segments, each in the worst status active in it.

    A sweep over the periods' boundaries: at each boundary the count of open
    periods per status changes, and the worst status with an open period holds
    until the next boundary. Adjacent segments of one status are merged.
    """
    events: list[tuple[datetime, int, int]] = []
    for start, end, status in periods:
        events.append((start, 1, status.severity))
        events.append((end, -1, status.severity))
    events.sort(key=lambda event: event[0])
    open_counts = [0] * len(STATUSES_BY_SEVERITY)
    segments: list[tuple[datetime, datetime, ComponentStatus]] = []
    previous: datetime | None = None
    for moment, change, severity in events:
        if previous is not None and moment > previous:
            worst = next((s for s in range(len(open_counts) - 1, 0, -1) if open_counts[s]), 0)
            if worst:
                status = STATUSES_BY_SEVERITY[worst]
                if segments and segments[-1][1] == previous and segments[-1][2] is status:
                    segments[-1] = (segments[-1][0], moment, status)
                else:
                    segments.append((previous, moment, status))
        open_counts[severity] += change
        previous = moment
    return segments


def last_of_month(first: date) -> date:
    """The last day of the month that ``first`` is in."""
    following = (
        first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return following - timedelta(days=1)
