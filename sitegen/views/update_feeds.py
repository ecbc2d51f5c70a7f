"""Atom and RSS feeds of updates: one entry for each thing a subscriber is told, site-wide and per component.

Why a second kind of feed
    The incident feeds (:mod:`.feeds`) hold one entry per incident and move
    its ``updated`` when an update is posted. Many readers show an entry once
    and never again when it changes (Slack's RSS app, Teams' RSS connector,
    most readers that go by guid), so their subscribers would see
    "Investigating" and never "Resolved". Here every update is an entry of
    its own, under an id no later edit of the incident changes, so a reader
    that only shows new ids shows every update.

Entries
    Each status update; each move of a maintenance's window that no update
    brings (work began or ended at the scheduled time,
    ``Incident.window_moves``); and each write-up's publication. Newest
    first, ``[site] feed_entries`` of them. The title says the status and
    the incident ("Resolved: Errors on the API"); the content repeats the
    incident's facts (window, affected components), then the update's text
    and the component statuses it sets. The link goes to the update on the
    incident page (``#update-<id>``), or to the write-up.

Ids
    Tag URIs in the incident feeds' scheme (:func:`.feeds.tag_uri`), dated
    as the incident's id is, by its first update, or by the write-up's
    publication: ``…:status/incidents/<slug>/updates/<update id>`` (the API's
    update id: the update's time and status), ``…/incidents/<slug>/in_progress``
    and ``…/completed`` for the window's own moves, ``…:status/writeups/<slug>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup

from sitegen.content.model import Incident, Update, Writeup
from sitegen.content.site import Site
from sitegen.content.source_files import digest
from sitegen.content.statuses import UpdateStatus
from sitegen.output import urls
from sitegen.views.api import update_ids
from sitegen.views.feeds import (
    Channel,
    channels,
    feed_generator,
    heading,
    incident_facts,
    mark_language,
    tag_uri,
    update_item,
    writeup_item,
)
from sitegen.views.i18n import Localizer
from sitegen.views.keyed import Keyed, OutputKeys
from sitegen.views.markdown import MarkdownRenders

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry  # type: ignore[import-untyped]

__all__ = ["FeedItem", "Newest", "update_feed_outputs"]


@dataclass(frozen=True)
class FeedItem:
    """One entry of an updates feed: an update, a window's own move, or a write-up's publication."""

    tail: str
    """The end of its id and of nothing else: permanent (see the module docstring)."""
    at: datetime
    incident: Incident | None
    """None for a write-up's publication."""
    status: UpdateStatus | None = None
    update: Update | None = None
    anchor: str = ""
    """The fragment of the update on the incident page; empty where there is none."""
    writeup: Writeup | None = None

    @property
    def order(self) -> tuple[datetime, str]:
        return self.at, self.tail

    @property
    def made_from(self) -> str:
        """Its record's digest, with what picks the entry out of the record (empty if the record was made in code).

        It stands for the item in a feed's key: the update is the incident's, and encoding every update's text
        for every feed's key cost more than the feeds a rebuild makes.
        """
        record = self.writeup if self.writeup is not None else self.incident
        if record is None or not record.made_from:
            return ""
        return digest(record.made_from, self.tail, repr(self.at), repr(self.status), self.anchor)


def incident_items(incident: Incident, now: datetime) -> list[FeedItem]:
    """An incident's updates, and the moves of a maintenance's window no update brings."""
    base = f"incidents/{incident.slug}"
    items = [
        FeedItem(f"{base}/updates/{uid}", update.at, incident, update.status, update, urls.update_anchor(uid))
        for update, uid in zip(incident.updates, update_ids(incident))
    ]
    items += [FeedItem(f"{base}/{status.value}", at, incident, status) for status, at in incident.window_moves(now)]
    return items


def writeup_item_of(writeup: Writeup) -> FeedItem:
    return FeedItem(f"writeups/{writeup.slug}", writeup.published, None, writeup=writeup)


class Newest:
    """The newest items about any set of the site's incidents, each incident's worked out only if it may be among them.

    An update's id is a digest of it, and a large site has tens of thousands
    of updates, while a feed shows ``feed_entries``: incidents are taken by
    their latest item, newest first, until the next one's latest item is
    older than every item already chosen.
    """

    def __init__(self, site: Site):
        self.site = site
        self.items: dict[str, list[FeedItem]] = {}
        self.latest = {incident.slug: _latest(incident, site.now) for incident in site.incidents}
        self.order = sorted(site.incidents, key=lambda i: (self.latest[i.slug], i.slug), reverse=True)

    def about(self, incidents: Sequence[Incident], limit: int) -> list[FeedItem]:
        """The ``limit`` newest items of ``incidents`` and of the write-ups covering any of them, newest first."""
        slugs = {incident.slug for incident in incidents}
        chosen = [writeup_item_of(w) for w in self.site.writeups if not slugs.isdisjoint(w.incidents)]
        chosen = _newest(chosen, limit)
        for incident in self.order:
            if incident.slug not in slugs:
                continue
            if len(chosen) >= limit and self.latest[incident.slug] < chosen[-1].at:
                break  # this incident's items, and every later one's, are older than all those chosen
            if incident.slug not in self.items:
                self.items[incident.slug] = incident_items(incident, self.site.now)
            chosen = _newest(chosen + self.items[incident.slug], limit)
        return chosen


def _latest(incident: Incident, now: datetime) -> datetime:
    """The time of the incident's newest item: its last update, or a move of its window since."""
    return max([incident.last_activity, *(at for _, at in incident.window_moves(now))])


def _newest(items: list[FeedItem], limit: int) -> list[FeedItem]:
    return sorted(items, key=lambda item: item.order, reverse=True)[:limit]


def update_feed_outputs(site: Site, words: Localizer, keys: OutputKeys, markdown: MarkdownRenders) -> Iterator[Keyed]:
    """Each updates feed as an output made on demand, keyed by its channel's words, its items and time;
    ``markdown``: the HTML of the site's texts.

    Only the items a feed shows are in its key, so an edit to an incident
    that none of its newest items is about leaves the feed as it was.
    """
    entries = _Entries(site, words, markdown)
    newest = Newest(site)
    limit = site.config.feed_entries
    site_wide = newest.about(site.incidents, limit)
    empty = site_wide[0].at if site_wide else site.now  # the time of a feed without entries: see .feeds
    for channel in _update_channels(site, words):
        chosen = site_wide if channel.component_id is None else newest.about(channel.incidents, limit)
        updated = chosen[0].at if chosen else empty
        about = (channel.component_id, channel.title, channel.subtitle, channel.page, chosen, updated)
        for extension in ("atom", "rss"):
            path = urls.updates_feed(extension, channel.component_id)
            yield keys.output(path, _feed, (site, channel, extension, updated, chosen, entries, words.tag), about)


def _update_channels(site: Site, words: Localizer) -> list[Channel]:
    """The incident feeds' channels, named as feeds of updates."""
    found = []
    for channel in channels(site, words):
        if channel.component_id is None:
            subtitle = words.gettext(
                "Every update of every incident and maintenance on %(site)s", site=site.config.title
            )
        else:
            component = site.component_by_id[channel.component_id].name
            subtitle = words.gettext(
                "Every update of the incidents and maintenance affecting %(component)s on %(site)s",
                component=component,
                site=site.config.title,
            )
        title = words.gettext("%(feed)s: updates", feed=channel.title)
        found.append(replace(channel, title=title, subtitle=subtitle))
    return found


def _feed(
    site: Site,
    channel: Channel,
    extension: str,
    updated: datetime,
    chosen: list[FeedItem],
    entries: _Entries,
    language: str,
) -> bytes:
    paths = (urls.updates_feed("atom", channel.component_id), urls.updates_feed(extension, channel.component_id))
    feed_entries = [entries.get(item) for item in chosen]
    generator = feed_generator(site, channel, paths, extension, updated, feed_entries, language)
    write = generator.atom_str if extension == "atom" else generator.rss_str
    result: bytes = write(pretty=True)
    return result


class _Entries:
    """Each item's entry, built once and shared by both formats of the site's feed and its components' feeds."""

    def __init__(self, site: Site, words: Localizer, markdown: MarkdownRenders):
        self.site = site
        self.words = words
        self.markdown = markdown
        self.entries: dict[str, FeedEntry] = {}

    def get(self, item: FeedItem) -> FeedEntry:
        if item.tail not in self.entries:
            self.entries[item.tail] = _entry(self.site, item, self.words, self.markdown)
        return self.entries[item.tail]


def _entry(site: Site, item: FeedItem, words: Localizer, markdown: MarkdownRenders) -> FeedEntry:
    from feedgen.entry import FeedEntry

    base_url = site.config.base_url
    entry = FeedEntry()
    if item.writeup is not None:
        year, label, title = item.writeup.published.year, words.gettext("Write-up published"), item.writeup.title
        link, category, content = urls.writeup(item.writeup.slug), "writeup", writeup_item(site, item.writeup, words)
        language = item.writeup.lang
    else:
        assert item.incident is not None and item.status is not None  # every other item is about an incident
        incident = item.incident
        year, label, title = incident.updates[0].at.year, words.label(item.status), incident.title
        link, category = urls.incident(incident.slug), incident.kind.value
        content = Markup("\n").join([*incident_facts(site, incident, words), _moved(site, item, words, markdown)])
        language = incident.lang
    entry.id(tag_uri(base_url, year, item.tail))  # also the RSS guid, isPermaLink="false"
    entry.title(words.gettext("%(status)s: %(title)s", status=label, title=title))
    fragment = f"#{item.anchor}" if item.anchor else ""
    entry.link(href=urls.absolute(base_url, link) + fragment, rel="alternate", type="text/html")
    entry.content(str(content), type="html")
    entry.category(term=category)
    mark_language(entry, language)
    entry.published(item.at)
    entry.updated(item.at)
    return entry


def _moved(site: Site, item: FeedItem, words: Localizer, markdown: MarkdownRenders) -> Markup:
    """An update as the incident page tells it; a window's own move as its status and time."""
    if item.update is not None:
        return update_item(site, item.update, words, markdown)
    assert item.status is not None
    return heading(words.label(item.status), item.at, words)
