"""``maintenance.ics``: the site's scheduled maintenance as an iCalendar feed (RFC 5545).

Subscribers add the file's URL to their calendar application, which then
shows each maintenance window and refreshes the list on its own. The
``icalendar`` library writes the file (escaping, folding, CRLF); this module
only decides what goes into it.

Events
    One VEVENT per maintenance, past ones included, ordered by window and
    slug: DTSTART and DTEND are ``scheduled_for`` and ``scheduled_until`` in
    UTC, SUMMARY its title, DESCRIPTION the latest update as plain text with
    the affected components and a link, URL the absolute incident page. A
    maintenance completed early keeps its announced window. Every event is
    CONFIRMED, since the content format has no cancellation, and
    TRANSPARENT, so a window never shows subscribers as busy.

Ids and changes
    The UID is the incident's path under the site's host and base path,
    ``status/incidents/<slug>@example.github.io``: the slug is the
    permanent id (CONTENT-FORMAT.md) and the base path keeps two project
    sites on one host apart, as feed ids do. SEQUENCE counts the updates
    after the first and LAST-MODIFIED is the latest update, so a new update
    reaches calendars as a revision of the same event.

Time
    Nothing reads the clock or ``site.now``: DTSTAMP is the latest update's
    time too, so the same content gives the same bytes.

Language
    The calendar's name and description and each event's labels speak the
    site's language (the catalogues); the times are UTC values that
    calendar applications show in their reader's own zone and language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markdown_it.token import Token

from sitegen.content.model import Incident
from sitegen.content.site import Site
from sitegen.output import urls
from sitegen.views.i18n import Localizer, site_words
from sitegen.views.keyed import Keyed, OutputKeys, made
from sitegen.views.markdown import parse

if TYPE_CHECKING:
    from icalendar import Event

__all__ = ["CALENDAR_FILE", "calendar_outputs", "render_calendar", "plain_text"]

CALENDAR_FILE = urls.calendar()
PRODID = "-//sitegen//Scheduled maintenance//EN"
REFRESH = timedelta(hours=1)
"""How often calendar applications are asked to fetch the file again."""

_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def render_calendar(site: Site, words: Localizer | None = None) -> dict[str, bytes]:
    """The maintenance calendar, by output path, in the site's language (``words``; the shipped catalogues' if none)."""
    words = words or site_words(site)
    return made(calendar_outputs(site, words, OutputKeys()))


def calendar_outputs(site: Site, words: Localizer, keys: OutputKeys) -> Iterator[Keyed]:
    """The calendar as an output file made on demand, keyed by the maintenances it lists (besides what every
    output depends on: the renderers, the theme and its catalogues, the settings): nothing else goes into it.
    """
    maintenances = [i for i in site.incidents if i.is_maintenance and i.scheduled_for and i.scheduled_until]
    listed = sorted(maintenances, key=lambda i: (i.scheduled_for, i.slug))
    yield keys.output(CALENDAR_FILE, _calendar, (site, listed, words), about=(listed,))


def _calendar(site: Site, maintenances: list[Incident], words: Localizer) -> bytes:
    from icalendar import Calendar, vDuration, vText  # here: a rebuild that keeps the calendar need not load it

    config = site.config
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar escapes only the properties it knows to be TEXT: these are made TEXT explicitly.
    name = vText(_clean(words.gettext("%(site)s: scheduled maintenance", site=config.title)))
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    description = words.gettext("Scheduled maintenance windows announced on %(site)s", site=config.title)
    calendar.add("x-wr-caldesc", vText(_clean(description)))
    calendar.add("url", urls.absolute(config.base_url, urls.home()))
    calendar.add("source", urls.absolute(config.base_url, CALENDAR_FILE))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH).to_ical().decode("ascii"))  # Outlook's name for it
    for maintenance in maintenances:
        calendar.add_component(_event(site, maintenance, words))
    ical: bytes = calendar.to_ical()
    return ical


def event_uid(base_url: str, slug: str) -> str:
    """The event's permanent id (see the module docstring)."""
    parts = urlsplit(base_url)
    return f"{parts.path.lstrip('/')}{urls.incident(slug).rstrip('/')}@{parts.hostname}"


def _event(site: Site, maintenance: Incident, words: Localizer) -> Event:
    from icalendar import Event

    assert maintenance.scheduled_for and maintenance.scheduled_until, "only scheduled maintenance is listed"
    page = urls.absolute(site.config.base_url, urls.incident(maintenance.slug))
    latest = maintenance.latest_update
    event = Event()
    event.add("uid", event_uid(site.config.base_url, maintenance.slug))
    event.add("dtstamp", _utc(latest.at))
    event.add("created", _utc(maintenance.updates[0].at))
    event.add("last-modified", _utc(latest.at))
    event.add("sequence", len(maintenance.updates) - 1)
    event.add("dtstart", _utc(maintenance.scheduled_for))
    event.add("dtend", _utc(maintenance.scheduled_until))
    event.add("summary", _clean(maintenance.title))
    paragraphs = [words.pair(words.label(latest.status), plain_text(latest.body))]
    names = [site.component_by_id[cid].name for cid in maintenance.affected_component_ids]
    if names:
        paragraphs.append(words.gettext("Affected: %(components)s", components=words.join(names)))
    paragraphs.append(words.gettext("Details: %(page)s", page=page))
    event.add("description", _clean("\n\n".join(paragraphs)))
    event.add("url", page)
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _clean(text: str) -> str:
    """Text without the control characters an iCalendar TEXT value cannot hold."""
    return _NOT_TEXT.sub("", text)


def plain_text(markdown: str) -> str:
    """A Markdown text as plain text for places that show no HTML: the words, lists and links kept."""
    out: list[str] = []
    lists: list[int | None] = []  # the next number of each open ordered list; None for a bullet list
    for token in parse(markdown):  # the pages' rules: a link they refuse is no link here either
        kind = token.type
        if kind == "inline":
            out.append(_inline_text(token.children or []))
        elif kind in ("paragraph_close", "heading_close", "blockquote_close", "table_close"):
            out.append("\n" if token.hidden else "\n\n")
        elif kind == "bullet_list_open":
            lists.append(None)
        elif kind == "ordered_list_open":
            lists.append(int(token.attrGet("start") or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            out.append("\n")
        elif kind == "list_item_open":
            number = lists[-1]
            out.append("  " * (len(lists) - 1) + ("- " if number is None else f"{number}. "))
            if number is not None:
                lists[-1] = number + 1
        elif kind in ("fence", "code_block"):
            out.append(token.content + "\n")
        elif kind == "hr":
            out.append("---\n\n")
        elif kind in ("th_open", "td_open") and out and not out[-1].endswith("\n"):
            out.append(" | ")
        elif kind == "tr_close":
            out.append("\n")
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip()


def _inline_text(children: list[Token]) -> str:
    text: list[str] = []
    links: list[tuple[str, int]] = []  # each open link's target and where its text starts
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            text.append(child.content)
        elif kind == "softbreak":
            text.append(" ")
        elif kind == "hardbreak":
            text.append("\n")
        elif kind == "s_open" or kind == "s_close":
            text.append("~~")
        elif kind == "image":
            text.append(child.content)
        elif kind == "link_open":
            links.append((str(child.attrGet("href") or ""), len(text)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            if href and "".join(text[start:]) != href:
                text.append(f" ({href})")
    return "".join(text)
