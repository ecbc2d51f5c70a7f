"""The full history, machine-readable as Statuspage serves it: so that a sitegen site is a source too.

``api/v2/incidents/<id>.json``
    Every incident and maintenance, each as the ``{page, incident}``
    document Statuspage serves, with every update: the same object as in
    ``incidents.json``. Two keys of Statuspage's own incident pages are
    added, ``postmortem_body`` and ``postmortem_published_at``, from the
    incident's first write-up (null without one), so that a write-up
    survives a move to another system. The page's ``updated_at`` there is
    the page as of the incident's own latest update or write-up: a document
    changes only when its incident does, so an update to one incident does
    not rewrite ten thousand others (and their ETags stay put for clients).

``history.json``
    Statuspage's history index: ``months`` (newest first), each with its
    ``name``, ``year`` and ``incidents`` (``code``, ``name``, ``message``
    (the latest update's text), ``impact``, ``timestamp``). Statuspage
    pages it a quarter at a time with ``?page=N``; a static host ignores the
    query, so this one document holds every month, from the current one
    back to the first incident's, and answers every page. A client that
    pages until it gets an empty page should stop at one that repeats.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, tzinfo

from sitegen.content.model import Incident
from sitegen.content.site import Site
from sitegen.output import urls
from sitegen.views.api import Json, StatusApi, encode, incident_id
from sitegen.views.formatting import MONTHS
from sitegen.views.keyed import Keyed, OutputKeys, made

HISTORY = "history.json"


def render_history_api(site: Site) -> dict[str, bytes]:
    """``history.json`` and one ``api/v2/incidents/<id>.json`` per incident, by output path."""
    api = StatusApi(site)
    files = made(incident_documents(api, OutputKeys()))
    files[HISTORY] = encode(history_document(api))
    return files


def incident_documents(api: StatusApi, keys: OutputKeys) -> Iterator[Keyed]:
    """One ``api/v2/incidents/<id>.json`` per incident, each keyed by what ``incident_document`` reads.

    That is (besides the environment: code, settings, catalogue) the objects of the incident's
    components (with their status now), the incident and its write-ups, and the time, as the moment the
    incident settled (``Incident.settled``): so a past incident's document is made once, and one that
    begins elsewhere remakes only the documents of the components it changed.
    """
    site = api.site
    for incident in site.incidents:
        writeups = site.writeups_by_incident[incident.slug]
        components = api.components_of(incident)
        path = urls.api(f"incidents/{incident_id(incident.slug)}.json")
        about = (components, incident, writeups, incident.settled(site.now))
        yield keys.output(path, _encoded_incident, (api, incident), about)


def _encoded_incident(api: StatusApi, incident: Incident) -> bytes:
    return encode(incident_document(api, incident))


def incident_document(api: StatusApi, incident: Incident) -> Json:
    writeups = sorted(api.site.writeups_by_incident[incident.slug], key=lambda w: (w.published, w.slug))
    first = writeups[0] if writeups else None
    document = api.incident(incident) | {
        "postmortem_body": first.body.strip() if first else None,
        "postmortem_published_at": api.time(first.published) if first else None,
    }
    latest = max([incident.last_activity, *(w.published for w in writeups)])
    return {"page": api.page | {"updated_at": api.time(latest)}, "incident": document}


def history_document(api: StatusApi) -> Json:
    site = api.site
    tz = site.config.tz
    by_month: dict[tuple[int, int], list[Json]] = {}
    for incident in site.incidents:  # newest first
        day = incident.started.astimezone(tz).date()
        by_month.setdefault((day.year, day.month), []).append(_entry(incident, tz))
    return {"page": api.page, "months": [_month(m, by_month.get(m, [])) for m in _months(site, tz)]}


def _months(site: Site, tz: tzinfo) -> list[tuple[int, int]]:
    """Every month from the latest (now, or a maintenance still to come) back to the first incident's."""
    starts = [i.started.astimezone(tz).date() for i in site.incidents]
    latest = max([site.now.astimezone(tz).date(), *starts])
    earliest = min(starts, default=latest)
    months = []
    year, month = latest.year, latest.month
    while (year, month) >= (earliest.year, earliest.month):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _month(key: tuple[int, int], incidents: list[Json]) -> Json:
    return {"name": MONTHS[key[1] - 1], "year": key[0], "incidents": incidents}


def _entry(incident: Incident, tz: tzinfo) -> Json:
    return {
        "code": incident_id(incident.slug),
        "name": incident.title,
        "message": incident.latest_update.body.strip(),
        "impact": incident.impact.value,
        "timestamp": timestamp(incident.started, incident.ends, tz),
    }


def timestamp(start: datetime, end: datetime | None, tz: tzinfo) -> str:
    """Statuspage's span, its day and times marked for its script: 'Jul <var data-var='date'>23</var>, ...'."""
    first = start.astimezone(tz)
    text = f"{_day(first.date())}, {_clock(first)}"
    if end is not None:
        last = end.astimezone(tz)
        text += f" - {_day(last.date()) + ', ' if last.date() != first.date() else ''}{_clock(last)}"
    return f"{text} {(end or start).astimezone(tz).tzname()}"


def _day(day: date) -> str:
    return f"{MONTHS[day.month - 1][:3]} <var data-var='date'>{day.day}</var>"


def _clock(moment: datetime) -> str:
    return f"<var data-var='time'>{moment:%H:%M}</var>"
