"""Which HTML pages a site has, and what each page's template is given.

Each function here turns the model into the context of one kind of page.
Contexts hold model objects and plain values only; templates lay them out.
What depends on ``now`` (an incident's status, how long it has lasted) is
worked out here, once per page, so templates show values rather than
compute them. Nothing here renders, so pages can be rendered in any order
or in parallel.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby
from typing import Any, NamedTuple

from sitegen.analysis.metrics import compute_metrics
from sitegen.analysis.recent_uptime import recent_uptime
from sitegen.analysis.uptime import ComponentUptime, site_uptime
from sitegen.content.model import Component, Incident, Writeup
from sitegen.content.site import Site
from sitegen.content.statuses import ComponentStatus, UpdateStatus
from sitegen.output import urls
from sitegen.views.cards import PreviewCards
from sitegen.views.charts import metrics_charts
from sitegen.views.formatting import local_date
from sitegen.views.i18n import Localizer, site_words
from sitegen.views.strips import incident_strips, notable_days, worst_days, year_svg
from sitegen.views.timeline import incident_timeline

PAST_INCIDENT_DAYS = 15
"""Days of the front page's "Past incidents" (Statuspage shows 15); the uptime bars' days are in analysis.uptime."""
PAST_INCIDENT_LIMIT = 25
"""At most this many incidents in "Past incidents": a bad fortnight must not make the front page heavy."""
ONGOING_LIMIT = 5
"""At most this many ongoing incidents on the front page, the latest begun first; the rest are counted, not listed,
so that the components stay near the top of a phone's screen on a site with a hundred going on."""
RECENT_COMPONENT_INCIDENTS = 10
"""Incidents on a component's own page; the older ones follow on its further pages, ``history_page_size`` each."""
SHOWN_UPDATES = 10
"""Timeline entries an incident page shows at first when it has over FOLD_OVER: the earlier ones are folded."""
FOLD_OVER = 12


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where it goes, with which template, and its context as ``make(*inputs)``.

    ``make`` is a pure function of ``inputs`` (of the model's values, not of the
    site as a whole), so a page made from equal inputs has the same context:
    a rebuild that already has it (see sitegen.views.render) neither works
    out its context nor renders it. Most pages are given their context made
    (``Page.of``); a page whose context costs more is made only if rendered.
    """

    path: str
    template: str
    inputs: tuple[Any, ...] = ()
    make: Callable[..., dict[str, Any]] = dict

    @classmethod
    def of(cls, path: str, template: str, **context: Any) -> Page:
        """A page whose context is given as it is."""
        return cls(path, template, (tuple(context.items()),))

    @property
    def context(self) -> dict[str, Any]:
        return self.make(*self.inputs)


class Current(NamedTuple):
    """An incident or maintenance going on or to come, with its status at ``now`` (its latest update's, or moved on)."""

    incident: Incident
    status: UpdateStatus


def current(incidents: Iterable[Incident], now: datetime) -> list[Current]:
    """The incidents with their status at ``now``, worked out once here rather than in each template."""
    return [Current(incident, incident.status_at(now)) for incident in incidents]


@dataclass(frozen=True)
class RecentDay:
    """A day of "Past incidents": the incidents begun on it, less those the page lists above it."""

    day: date
    incidents: list[Incident]
    listed_above: int
    """Incidents begun this day that are still going on, and so are listed in the sections above."""


def site_pages(
    site: Site,
    words: Localizer | None = None,
    uptime: Mapping[str, ComponentUptime] | None = None,
    previews: PreviewCards | None = None,
) -> Iterator[Page]:
    """Every page of the site but the reports; ``words``: the site's language, for what is drawn here (charts,
    calendars); ``uptime``: every component's, if worked out already (``site_uptime``); ``previews``: which
    incidents have a card, as the build draws them.
    """
    words = words or site_words(site)
    uptime = uptime or site_uptime(site)  # once: the front page and every component page read from it
    previews = previews or PreviewCards(site)
    yield front_page(site, uptime)
    yield from history_pages(site)
    yield metrics_page(site, words)
    for incident in site.incidents:
        yield incident_page(site, incident, previews)
    for component in site.components:
        yield component_page(site, component, uptime[component.id], words)
        yield from component_incident_pages(site, component)
    for writeup in site.writeups:
        incidents = [site.incident_by_slug[slug] for slug in writeup.incidents]
        yield Page.of(urls.writeup(writeup.slug), "writeup.html", writeup=writeup, incidents=incidents)
    yield subscribe_page(site)
    yield Page.of(urls.NOT_FOUND, "404.html")


def subscribe_page(site: Site) -> Page:
    """Every way to follow the site; of its [[notify]] channels, only where anyone may follow them (``follow_url``).

    Templates never see the channels themselves, which name the variables holding their secrets.
    """
    public = tuple((channel.type.value, channel.follow_url) for channel in site.config.notify if channel.follow_url)
    return Page.of(urls.subscribe(), "subscribe.html", public_channels=public)


def component_page(site: Site, component: Component, uptime: ComponentUptime, words: Localizer | None = None) -> Page:
    """A component: its status and recent incidents first, then its last days and its years.

    Its context is made only if the page is rendered: the years' figures are most of a rebuild's work otherwise.
    """
    incidents = site.incidents_by_component[component.id]
    older = component_path(component.id, 2) if _component_page_count(site, component) > 1 else None
    recent = tuple(incidents[:RECENT_COMPONENT_INCIDENTS])
    words = words or site_words(site)
    inputs = (component, site.component_statuses[component.id], recent, len(incidents), older, uptime, words)
    return Page(urls.component(component.id), "component.html", inputs, component_context)


def component_context(
    component: Component,
    status: ComponentStatus,
    incidents: tuple[Incident, ...],
    incident_count: int,
    older: str | None,
    uptime: ComponentUptime,
    words: Localizer,
) -> dict[str, Any]:
    """A component page's context: its figures by day and by year, worked out from its uptime record, and
    each year drawn in the site's language (``words``)."""
    yearly = uptime.yearly
    return {
        "component": component,
        "status": status,
        "incidents": incidents,
        "incident_count": incident_count,
        "older": older,
        "uptime": uptime,
        "notable_days": notable_days(uptime.days),
        "years": [(year, year_svg(component, year, words)) for year in yearly],
        "worst_days": {year.year: worst_days(year) for year in yearly},
    }


def component_incident_pages(site: Site, component: Component) -> Iterator[Page]:
    """The component's incidents after its own page's, ``history_page_size`` a page, newest first."""
    incidents = site.incidents_by_component[component.id]
    size = site.config.history_page_size
    count = _component_page_count(site, component)
    for number in range(2, count + 1):
        first = RECENT_COMPONENT_INCIDENTS + (number - 2) * size
        context = {
            "component": component,
            "incidents": incidents[first : first + size],
            "page_number": number,
            "page_count": count,
            "newer": component_path(component.id, number - 1),
            "older": component_path(component.id, number + 1) if number < count else None,
        }
        yield Page.of(component_path(component.id, number), "component-incidents.html", **context)


def _component_page_count(site: Site, component: Component) -> int:
    older = len(site.incidents_by_component[component.id]) - RECENT_COMPONENT_INCIDENTS
    return 1 + max(0, -(-older // site.config.history_page_size))


def component_path(component_id: str, page: int = 1) -> str:
    """A component's page, or one of its further pages of incidents, laid out as the history's pages are."""
    return urls.component(component_id) if page == 1 else f"{urls.component(component_id)}page/{page}/"


def front_page(site: Site, uptime: Mapping[str, ComponentUptime]) -> Page:
    """The current status, with each component's last days (by component id: ``recent_uptime``)."""
    active_incidents = current(site.active_incidents, site.now)
    active_maintenances = current(site.active_maintenances, site.now)
    above = {c.incident.slug for c in active_incidents + active_maintenances}
    days, unlisted = recent_days(site, above)
    context = {
        "active_incidents": active_incidents[:ONGOING_LIMIT],
        "more_ongoing": len(active_incidents[ONGOING_LIMIT:]),
        "active_maintenances": active_maintenances,
        "upcoming_maintenances": current(site.upcoming_maintenances, site.now),
        "days": days,
        "unlisted": unlisted,
        "uptime": {component_id: recent_uptime(site, record) for component_id, record in uptime.items()},
    }
    return Page.of(urls.home(), "index.html", **context)


def recent_days(site: Site, above: set[str]) -> tuple[list[RecentDay], int]:
    """The last PAST_INCIDENT_DAYS days, newest first, with the incidents begun on each; and how many were left out.

    Incidents in ``above`` (slugs the page lists in its sections for what is
    going on) are counted, not listed again. Once PAST_INCIDENT_LIMIT
    incidents are listed, the days stop: the rest is in the history.
    """
    tz = site.config.tz
    today = local_date(site.now, tz)
    first = today - timedelta(days=PAST_INCIDENT_DAYS - 1)
    by_day: dict[date, list[Incident]] = defaultdict(list)
    for incident in site.incidents:
        day = local_date(incident.started, tz)
        if day < first:
            break  # incidents are newest first
        if day <= today:
            by_day[day].append(incident)
    days: list[RecentDay] = []
    room = PAST_INCIDENT_LIMIT
    unlisted = 0
    for n in range(PAST_INCIDENT_DAYS):
        day = today - timedelta(days=n)
        begun = [i for i in by_day[day] if i.slug not in above]
        if room <= 0:
            unlisted += len(begun)
            continue
        days.append(RecentDay(day, begun[:room], len(by_day[day]) - len(begun)))
        unlisted += len(begun[room:])
        room -= len(begun)
    return days, unlisted


def history_pages(site: Site) -> Iterator[Page]:
    """All incidents newest first, grouped by month, a page at a time (``history_chunks``), with an index of months."""
    tz = site.config.tz
    chunks = history_chunks(site.incidents, site.config.history_page_size)
    index = history_index(chunks, tz)
    for number, chunk in enumerate(chunks, start=1):
        newer = urls.history(number - 1) if number > 1 else None
        older = urls.history(number + 1) if number < len(chunks) else None
        inputs = (tuple(chunk), tz, number, len(chunks), newer, older, index)
        yield Page(urls.history(number), "history.html", inputs, history_context)


def history_chunks(incidents: Sequence[Incident], size: int) -> list[Sequence[Incident]]:
    """The incidents (newest first) of each history page: ``size`` on each older page, counted from the oldest, and
    on the first the newest ``size`` with those too few to fill an older page (fewer than twice ``size`` in all).

    So an incident keeps its page as newer ones come, until ``size`` more have come: opening an incident
    changes the first page alone, where numbering pages from the newest moved every incident of every page.
    """
    older_pages = max(0, len(incidents) // size - 1)
    first = len(incidents) - older_pages * size
    return [incidents[:first], *(incidents[start : start + size] for start in range(first, len(incidents), size))]


HistoryIndex = tuple[tuple[int, tuple[tuple[date, str], ...]], ...]
"""Years newest first, each with its months newest first and the history page where each month begins."""


def history_index(chunks: Iterable[Iterable[Incident]], tz: tzinfo) -> HistoryIndex:
    """Each month with incidents, by year, with the path of the history page its list begins on."""
    starts: dict[date, str] = {}
    for number, chunk in enumerate(chunks, start=1):
        for incident in chunk:
            starts.setdefault(_month_of(incident, tz), urls.history(number))
    return tuple((year, tuple(months)) for year, months in groupby(starts.items(), key=lambda item: item[0].year))


def history_context(
    incidents: tuple[Incident, ...],
    tz: tzinfo,
    number: int,
    count: int,
    newer: str | None,
    older: str | None,
    index: HistoryIndex,
) -> dict[str, Any]:
    """A history page's incidents grouped by the month they began in, in the site's timezone, and the days it covers."""
    months = [(month, list(items)) for month, items in groupby(incidents, key=lambda i: _month_of(i, tz))]
    covers = (local_date(incidents[-1].started, tz), local_date(incidents[0].started, tz)) if incidents else None
    return {
        "months": months,
        "covers": covers,
        "index": index if count > 1 else (),
        "page_number": number,
        "page_count": count,
        "newer": newer,
        "older": older,
    }


def _month_of(incident: Incident, tz: tzinfo) -> date:
    return local_date(incident.started, tz).replace(day=1)


def metrics_page(site: Site, words: Localizer | None = None) -> Page:
    """Incident figures over the last 24 months, drawn as charts at build time and listed in tables."""
    metrics = compute_metrics(site)
    charts = metrics_charts(metrics, words or site_words(site))
    return Page.of(urls.metrics(), "metrics.html", metrics=metrics, charts=charts)


def incident_page(site: Site, incident: Incident, previews: PreviewCards) -> Page:
    """An incident's page, made from the incident, its write-ups, the components, the time it settled and its
    link-preview card (its own or the neutral one: that changes as newer incidents come, and is in the page's key).
    """
    writeups = site.writeups_by_incident[incident.slug]
    inputs = (incident, writeups, site.component_by_id, incident.settled(site.now), previews.of(incident))
    return Page(urls.incident(incident.slug), "incident.html", inputs, incident_context)


def incident_context(
    incident: Incident,
    writeups: tuple[Writeup, ...],
    components: Mapping[str, Component],
    now: datetime,
    card: str,
) -> dict[str, Any]:
    """An incident page's context: its status at ``now`` and how long it lasted (or has lasted so far)."""
    timeline = incident_timeline(incident, writeups)
    shown = len(timeline) if len(timeline) <= FOLD_OVER else SHOWN_UPDATES
    return {
        "incident": incident,
        "preview_card": card,
        "status": incident.status_at(now),
        "duration": incident.duration(now),
        "ended": incident.ended_at(now),
        "upcoming": incident.is_upcoming(now),
        "timeline": timeline[:shown],
        "earlier": timeline[shown:],
        "strips": incident_strips(incident, components, now),
        "writeups": writeups,
    }
