"""One event said in words, the same for every channel: what each channel's format is built from.

The words are decided here once (the title, the status line, the time in the
site's timezone, the components and their new statuses, the links), so
Slack, Discord, Teams, Mastodon, the webhook and email tell the same story,
each in its own markup. The body stays Markdown; the channels convert it
(:mod:`.markup`). ``plain_text`` is the version without markup, for the dry
run, Mastodon and the text part of emails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sitegen.content.site import Site
from sitegen.content.statuses import Impact
from sitegen.notify.events import Event, EventKind, lead_parts
from sitegen.notify.markup import PLAIN, convert, literal
from sitegen.output import urls
from sitegen.views.formatting import count_label, time_label
from sitegen.views.i18n import Localizer

WORDS = "en"
"""The language of the messages' own words (titles, statuses, sentences); the site's text is as written."""

T = TypeVar("T")

TITLES = {
    EventKind.CREATED: "New {noun}: {title}",
    EventKind.UPDATED: "{status}: {title}",
    EventKind.RESOLVED: "Resolved: {title}",
    EventKind.SCHEDULED: "Maintenance scheduled: {title}",
    EventKind.STARTED: "Maintenance started: {title}",
    EventKind.COMPLETED: "Maintenance completed: {title}",
    EventKind.REMINDER: "Maintenance in {lead}: {title}",
    EventKind.OVERDUE: "Update overdue: {title}",
}
BY_ITSELF = {
    EventKind.STARTED: ("In progress", "The maintenance window has opened: the work has started."),
    EventKind.COMPLETED: ("Completed", "The maintenance window has closed: the work is complete."),
}
"""The status and words of the milestones a maintenance reaches by itself, when no update says so."""


LIST_LIMIT = 10
"""At most this many components are listed in a message; a longer list ends with "and N more" (``listed``)."""


def listed(items: Sequence[T], limit: int = LIST_LIMIT) -> tuple[Sequence[T], str]:
    """Up to ``limit`` items, or ``limit - 1`` of them and "and N more" for the rest (else '')."""
    if len(items) <= limit:
        return items, ""
    return items[: limit - 1], f"and {len(items) - limit + 1} more"


@dataclass(frozen=True)
class Message:
    event: Event
    title: str
    status: str
    """The update's status label ("Identified"), or what happened ("Write-up published")."""
    when: str
    body: str
    """Markdown."""
    components: tuple[tuple[str, str], ...]
    """(component name, its new status label), in catalogue order."""
    window: str
    """A maintenance's window in words; '' for an incident."""
    url: str
    """The incident's page (a write-up's when it covers no incident)."""
    links: tuple[tuple[str, str], ...]
    """(label, absolute URL): the incident's page, then the write-up's if any."""
    site_title: str
    impact: Impact
    language: str
    """The site's language, as a BCP 47 tag."""

    @property
    def ended(self) -> bool:
        """Whether this message says it is over: channels show it in the colour of 'operational'."""
        return self.event.kind in (EventKind.RESOLVED, EventKind.COMPLETED)


def message_for(event: Event, site: Site) -> Message:
    tz, base = site.config.tz, site.config.base_url
    incident = event.incident
    links: list[tuple[str, str]] = []
    if incident is not None:
        links.append(("View maintenance" if incident.is_maintenance else "View incident", _page(base, incident.slug)))
    if event.writeup is not None:
        links.append(("Read the write-up", urls.absolute(base, urls.writeup(event.writeup.slug))))
    status, body = _status_and_body(event, site)
    window = ""
    if incident is not None and incident.scheduled_for is not None and incident.scheduled_until is not None:
        window = f"{time_label(incident.scheduled_for, tz)} to {time_label(incident.scheduled_until, tz)}"
    return Message(
        event=event,
        title=_title(event, status),
        status=status,
        when=time_label(event.at, tz),
        body=body,
        components=_components(event, site),
        window=window,
        url=links[0][1],
        links=tuple(links),
        site_title=site.config.title,
        impact=incident.impact if incident is not None else Impact.NONE,
        language=site.config.language,
    )


def _page(base_url: str, slug: str) -> str:
    return urls.absolute(base_url, urls.incident(slug))


def _title(event: Event, status: str) -> str:
    if event.writeup is not None:
        return event.writeup.title
    assert event.incident is not None
    noun = event.incident.kind.noun
    lead = _lead_words(event.lead) if event.lead is not None else ""
    return TITLES[event.kind].format(noun=noun, status=status, title=event.incident.title, lead=lead)


def _status_and_body(event: Event, site: Site) -> tuple[str, str]:
    if event.kind is EventKind.OVERDUE:
        return "Update overdue", _overdue_words(event, site)
    if event.update is not None:
        return event.update.status.label, event.update.body.strip()
    if event.writeup is not None:
        about = f" of “{literal(event.incident.title)}”" if event.incident is not None else ""
        return "Write-up published", f"A write-up{about} has been published."
    if event.lead is not None:
        return "Reminder", f"This maintenance starts in {_lead_words(event.lead)}."
    return BY_ITSELF[event.kind]


def _overdue_words(event: Event, site: Site) -> str:
    """What on-call owes: the promise, how late it is at this run, and what to do."""
    assert event.incident is not None
    late = Localizer(WORDS, site.config.tz).duration(site.now - event.at)
    return (
        f"The next update was promised by {time_label(event.at, site.config.tz)}, and it is {late} late. "
        f"Post one (`sitegen update {event.incident.slug} --status ...`), even to say there is no news yet."
    )


def _lead_words(lead: timedelta) -> str:
    """'24 hours', '1 hour', '90 minutes': a reminder's lead time as its channel's setting gave it."""
    return count_label(*lead_parts(lead))


def _components(event: Event, site: Site) -> tuple[tuple[str, str], ...]:
    """The new statuses this event brings; for a maintenance just scheduled, the statuses it plans."""
    if event.kind in (EventKind.SCHEDULED, EventKind.REMINDER) and event.incident is not None:
        planned = event.incident.components
        return tuple((c.name, planned[c.id].label) for c in site.components if c.id in planned)
    return tuple((change.component.name, change.new.label) for change in event.changes)


def plain_text(message: Message) -> str:
    """The message without markup: title, status and time, window, body, components, links."""
    lines = [message.title, f"{message.status} · {message.when}"]
    if message.window:
        lines.append(f"Window: {message.window}")
    lines += ["", convert(message.body, PLAIN)]
    if message.components:
        shown, more = listed(message.components)
        lines += ["", *(f"{name}: {status}" for name, status in shown), *([more] if more else [])]
    lines += ["", *(f"{label}: {url}" for label, url in message.links)]
    return "\n".join(lines)
