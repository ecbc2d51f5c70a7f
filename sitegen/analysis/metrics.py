"""Figures about a site's incidents: how often they happen and how fast they are dealt with.

Pure computation over the model, in one pass over the incidents (plus a sort
per group for the medians); the metrics page and its charts lay the result
out. Nothing here knows about HTML or SVG.

What is counted
    Incidents only: scheduled maintenance is announced work, not a failure,
    so it is left out of every figure here, as it is left out of downtime.
    Every figure covers the same period, the last ``months`` calendar months
    in the site's timezone up to and including the month of ``now``, so the
    page describes how the service is run today rather than averaging in
    its whole history. An incident belongs to the period if it started in
    it (and not after ``now``).

Time to resolve
    From the incident's start to its first ``resolved`` (or ``postmortem``)
    update. Incidents still open have no such time yet: they are counted as
    ongoing, never as resolved at ``now``, which would flatter the figures
    while an incident drags on.

Time to identify
    From the incident's first update to its first ``identified`` update:
    how long the team took to say what was wrong once it had said something.
    Incidents without an ``identified`` update are left out (many small
    incidents go straight to ``resolved``), and the page says how many.

By component
    An incident counts for every component it names, with its whole time to
    resolve: that is how long users of that component waited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sitegen.content.model import Incident
from sitegen.content.site import Site
from sitegen.content.statuses import USER_IMPACTS, Impact, UpdateStatus

PERIOD_MONTHS = 24
IMPACT_ORDER = tuple(sorted(USER_IMPACTS, key=lambda impact: impact.rank, reverse=True))
"""Impacts as the metrics list them: worst first."""


@dataclass(frozen=True)
class MonthCount:
    """The incidents that started in one calendar month, by impact."""

    month: date
    """The first day of the month, in the site's timezone."""
    by_impact: Mapping[Impact, int]

    @property
    def total(self) -> int:
        return sum(self.by_impact.values())


@dataclass(frozen=True)
class Durations:
    """Mean and median of some time spans; both None when there are none."""

    count: int
    mean: timedelta | None
    median: timedelta | None

    @classmethod
    def of(cls, spans: Iterable[timedelta]) -> Durations:
        ordered = sorted(spans)
        if not ordered:
            return cls(0, None, None)
        middle = len(ordered) // 2
        median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        return cls(len(ordered), sum(ordered, timedelta()) / len(ordered), median)


@dataclass(frozen=True)
class Breakdown:
    """The durations of one group of incidents: an impact or a component."""

    key: str
    """The impact's value or the component's id."""
    label: str
    durations: Durations


@dataclass(frozen=True)
class SiteMetrics:
    """Every figure of the metrics page (see the module docstring for definitions)."""

    months: tuple[MonthCount, ...]
    """Every month of the period, oldest first, including months without incidents."""
    incident_count: int
    ongoing_count: int
    time_to_resolve: Durations
    resolve_by_impact: tuple[Breakdown, ...]
    """Every user-facing impact, worst first, including those without incidents."""
    resolve_by_component: tuple[Breakdown, ...]
    """Every component, in catalogue order, including those without incidents."""
    time_to_identify: Durations
    identify_by_impact: tuple[Breakdown, ...]

    @property
    def first_month(self) -> date:
        return self.months[0].month

    @property
    def last_month(self) -> date:
        return self.months[-1].month


def compute_metrics(site: Site, *, months: int = PERIOD_MONTHS) -> SiteMetrics:
    """The site's incident figures over the last ``months`` months up to ``site.now``."""
    tz = site.config.tz
    period = _month_starts(_month_of(site.now, tz), months)
    counts: dict[date, dict[Impact, int]] = {month: dict.fromkeys(IMPACT_ORDER, 0) for month in period}
    resolve: dict[Impact, list[timedelta]] = {impact: [] for impact in IMPACT_ORDER}
    resolve_component: dict[str, list[timedelta]] = {c.id: [] for c in site.components}
    identify: dict[Impact, list[timedelta]] = {impact: [] for impact in IMPACT_ORDER}
    ongoing = 0
    for incident in site.incidents:
        month = _month_of(incident.started, tz)
        if incident.is_maintenance or month not in counts or incident.started > site.now:
            continue
        counts[month][incident.impact] += 1
        identified = time_to_identify(incident)
        if identified is not None:
            identify[incident.impact].append(identified)
        resolved = time_to_resolve(incident)
        if resolved is None:
            ongoing += 1
            continue
        resolve[incident.impact].append(resolved)
        for component_id in incident.affected_component_ids:
            resolve_component[component_id].append(resolved)
    return SiteMetrics(
        months=tuple(MonthCount(month, counts[month]) for month in period),
        incident_count=sum(sum(by_impact.values()) for by_impact in counts.values()),
        ongoing_count=ongoing,
        time_to_resolve=Durations.of(span for spans in resolve.values() for span in spans),
        resolve_by_impact=_by_impact(resolve),
        resolve_by_component=tuple(
            Breakdown(c.id, c.name, Durations.of(resolve_component[c.id])) for c in site.components
        ),
        time_to_identify=Durations.of(span for spans in identify.values() for span in spans),
        identify_by_impact=_by_impact(identify),
    )


def time_to_resolve(incident: Incident) -> timedelta | None:
    """From start to the first resolved update; None while open (``Incident.time_to_resolve``, as pages show it)."""
    return incident.time_to_resolve


def time_to_identify(incident: Incident) -> timedelta | None:
    """From the first update to the first ``identified`` one; None if the incident has none."""
    identified = incident.first_update_with(UpdateStatus.IDENTIFIED)
    if identified is None:
        return None
    return max(identified.at - incident.updates[0].at, timedelta(0))


def _by_impact(spans: Mapping[Impact, list[timedelta]]) -> tuple[Breakdown, ...]:
    return tuple(Breakdown(impact.value, impact.label, Durations.of(spans[impact])) for impact in IMPACT_ORDER)


def _month_of(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date().replace(day=1)


def _month_starts(last: date, count: int) -> list[date]:
    """The first days of the ``count`` months ending with ``last``, oldest first."""
    index = last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]
