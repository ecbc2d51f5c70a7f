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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any, NamedTuple

from sitegen.analysis.metrics import compute_metrics
from sitegen.analysis.uptime import ComponentUptime, site_uptime
from sitegen.content.model import Component, Incident, Site, Update
from sitegen.content.statuses import UpdateStatus
from sitegen.output import urls
from sitegen.views.charts import metrics_charts
from sitegen.views.formatting import local_date

PAST_INCIDENT_DAYS = 15
"""Days of the front page's "Past incidents" (Statuspage shows 15); the uptime bars' days are in analysis.uptime."""
NOTABLE_GAP = timedelta(minutes=1)


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where it goes, with which template, given what."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


class Current(NamedTuple):
    """An incident or maintenance going on or to come, with its status at ``now`` (its latest update's, or moved on)."""

    incident: Incident
    status: UpdateStatus


def current(incidents: Iterable[Incident], now: datetime) -> list[Current]:
    """The incidents with their status at ``now``, worked out once here rather than in each template."""
    return [Current(incident, incident.status_at(now)) for incident in incidents]


@dataclass(frozen=True)
class TimelineEntry:
    """An update as an incident page lists it, with the time since the update before it."""

    update: Update
    gap: timedelta | None


def site_pages(site: Site) -> Iterator[Page]:
    """Every page of the site."""
    uptime = site_uptime(site)  # once: the front page and every component page read from it
    yield front_page(site, uptime)
    yield from history_pages(site)
    yield metrics_page(site)
    for incident in site.incidents:
        yield incident_page(site, incident)
    for component in site.components:
        yield component_page(site, component, uptime[component.id])
    for writeup in site.writeups:
        incidents = [site.incident_by_slug[slug] for slug in writeup.incidents]
        yield Page(urls.writeup(writeup.slug), "writeup.html", {"writeup": writeup, "incidents": incidents})
    yield Page(urls.NOT_FOUND, "404.html")


def component_page(site: Site, component: Component, uptime: ComponentUptime) -> Page:
    context = {
        "component": component,
        "status": site.component_statuses[component.id],
        "incidents": site.incidents_by_component[component.id],
        "uptime": uptime,
    }
    return Page(urls.component(component.id), "component.html", context)


def front_page(site: Site, uptime: dict[str, ComponentUptime]) -> Page:
    """The current status, with each component's uptime (by component id)."""
    context = {
        "active_incidents": current(site.active_incidents, site.now),
        "active_maintenances": current(site.active_maintenances, site.now),
        "upcoming_maintenances": current(site.upcoming_maintenances, site.now),
        "days": recent_days(site),
        "uptime": uptime,
    }
    return Page(urls.home(), "index.html", context)


def recent_days(site: Site) -> list[tuple[date, list[Incident]]]:
    """The last PAST_INCIDENT_DAYS days in the site's timezone, newest first, each with the incidents begun on it."""
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
    return [(today - timedelta(days=n), by_day[today - timedelta(days=n)]) for n in range(PAST_INCIDENT_DAYS)]


def history_pages(site: Site) -> Iterator[Page]:
    """All incidents newest first, grouped by month, ``history_page_size`` incidents a page."""
    size = site.config.history_page_size
    chunks = [site.incidents[i : i + size] for i in range(0, len(site.incidents), size)] or [()]
    for number, chunk in enumerate(chunks, start=1):
        months = [
            (month, list(items))
            for month, items in groupby(chunk, key=lambda i: local_date(i.started, site.config.tz).replace(day=1))
        ]
        yield Page(
            urls.history(number),
            "history.html",
            {
                "months": months,
                "page_number": number,
                "page_count": len(chunks),
                "newer": urls.history(number - 1) if number > 1 else None,
                "older": urls.history(number + 1) if number < len(chunks) else None,
            },
        )


def metrics_page(site: Site) -> Page:
    """Incident figures over the last 24 months, drawn as charts at build time and listed in tables."""
    metrics = compute_metrics(site)
    return Page(urls.metrics(), "metrics.html", {"metrics": metrics, "charts": metrics_charts(metrics)})


def incident_page(site: Site, incident: Incident) -> Page:
    """An incident's page, with its status at ``now`` and how long it lasted (or has lasted so far)."""
    return Page(
        urls.incident(incident.slug),
        "incident.html",
        {
            "incident": incident,
            "status": incident.status_at(site.now),
            "duration": incident.duration(site.now),
            "upcoming": incident.is_upcoming(site.now),
            "timeline": timeline(incident),
            "components": [site.component_by_id[cid] for cid in incident.affected_component_ids],
            "writeups": site.writeups_by_incident[incident.slug],
        },
    )


def timeline(incident: Incident) -> list[TimelineEntry]:
    """Updates newest first, each with the gap since the previous one when that gap is worth saying."""
    entries = []
    previous: Update | None = None
    for update in incident.updates:
        gap = update.at - previous.at if previous is not None else None
        entries.append(TimelineEntry(update, gap if gap is not None and gap >= NOTABLE_GAP else None))
        previous = update
    return entries[::-1]
