"""Atom and RSS feeds of the incident history: the whole site's, and each component's.

feedgen writes the XML; this module only decides what goes into it.

Entries
    One entry per incident (or maintenance), ordered by last activity, newest
    first: the latest of its last update and of the publication of any
    write-up of it. An entry's content is the incident's summary followed by
    its timeline, newest first, each item with its status label and its time
    (in the site's timezone, with the exact instant in ``<time datetime>``).
    ``updated`` is the last activity, so a new update brings the incident back
    to a subscriber's attention; ``published`` is when the entry first had
    something to say, the incident's start or, for a maintenance announced
    ahead, its first update, whichever is earlier.

Language
    A feed speaks the site's language (its ``<language>`` and every label
    and time, from the catalogues and Babel); an entry's ``category`` stays
    the machine's word, ``incident`` or ``maintenance``, as in the API. An
    Atom entry of an incident (or write-up) written in another language
    (``lang:``) says so with its own ``xml:lang``; RSS has no such thing.

Write-ups
    A write-up is folded into the entry of each incident it covers, as a
    "Write-up published" item of the timeline linking to the write-up page,
    and its publication time counts as activity. Subscribers follow
    incidents: a separate write-up entry would say the same incident twice,
    while bumping the incident's ``updated`` shows them the one thing they
    follow again, now with its write-up.

Ids
    An entry's id (and RSS guid, with ``isPermaLink="false"``) is a tag URI
    (RFC 4151) minted from the site's identity and the incident's slug, which
    CONTENT-FORMAT.md makes the incident's permanent id::

        tag:example.github.io,2022:status/incidents/2022-07-23-curie-fine-tuned-errors

    The authority and the leading path are the host (without a port) and
    the path of ``base_url``: two sites on one host (GitHub Pages project sites) must not
    share ids, and the base URL is the only identity a site has. The date is
    the year of the incident's first update, i.e. when the id was first
    published, as RFC 4151 asks. It is deliberately not the start, which for
    a maintenance moves when work begins. Unlike the incident's URL, the id
    does not change with the scheme (http to https) or with the site's URL
    layout; it does change if the site moves to another host, as every feed
    URL then does too. The feed's own id is the absolute URL of the Atom file.

Time
    The output is a function of the content only, so that builds are
    reproducible and feed readers are not told of changes that did not
    happen: nothing reads the clock, and ``site.now`` is used in a single
    case. A feed's ``updated`` (RSS ``lastBuildDate``) is its newest entry's
    last activity; a feed with no entries (a component that never had an
    incident) takes the newest activity of the whole site; only a site with
    no incidents at all falls back to ``site.now``, the one build time there
    is (``--now`` or ``SOURCE_DATE_EPOCH`` make it reproducible).

Safety
    Each field is escaped as its type requires, once for each language it
    is read in. Bodies and summaries go through ``MarkdownRenders.render``, which
    escapes raw HTML; names and titles put into an entry's HTML are escaped
    by markupsafe; feedgen then escapes every field for XML. Titles,
    subtitles and authors are text, in both formats: escaped for XML once
    and no more, so "Facebook, Instagram & WhatsApp" reads back as written
    in every reader, with Slack's and Teams' among them, that shows RSS
    titles as text. RSS cannot say that a title is text, and a reader that
    guesses HTML from a closing tag in it (feedparser does) may show
    ``<b>API</b>`` in bold; escaping for HTML as well would instead show
    ``&amp;`` in every reader that does not guess, which is most of them.

The feeds of updates (one entry per update rather than per incident, for
readers that show an entry once) are made in :mod:`.update_feeds` with the
channels, generator and timeline items of this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import Markup

from sitegen.content.model import Incident, Update, Writeup
from sitegen.content.site import Site
from sitegen.output import urls
from sitegen.views.i18n import Localizer, site_words
from sitegen.views.keyed import Keyed, OutputKeys, made
from sitegen.views.markdown import MarkdownRenders
from sitegen.views.timeline import incident_timeline

if TYPE_CHECKING:  # imported where a feed is made: a rebuild that keeps every feed need not load feedgen
    from feedgen.entry import FeedEntry  # type: ignore[import-untyped]
    from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

__all__ = ["Channel", "channels", "feed_generator", "feed_outputs", "render_feeds", "tag_uri"]

GENERATOR = "sitegen"
MIME_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Channel:
    """One feed, in both formats: a site-wide or a component's."""

    component_id: str | None
    title: str
    subtitle: str
    page: str
    """Site path of the page the feed is the history of."""
    incidents: Sequence[Incident]


def render_feeds(site: Site, words: Localizer | None = None) -> dict[str, bytes]:
    """Every feed file of the site by output path: history and updates, .atom and .rss, site-wide and per component.

    ``words`` is the site's language (its theme's messages included); without it, the shipped catalogues'.
    """
    from sitegen.views.update_feeds import update_feed_outputs  # it builds on this module

    words = words or site_words(site)
    markdown = MarkdownRenders()
    outputs = [
        *feed_outputs(site, words, OutputKeys(), markdown),
        *update_feed_outputs(site, words, OutputKeys(), markdown),
    ]
    return made(outputs)


def feed_outputs(site: Site, words: Localizer, keys: OutputKeys, markdown: MarkdownRenders) -> Iterator[Keyed]:
    """Each feed as an output file made on demand, keyed by what it is made from; ``markdown``: the HTML of texts.

    That is (besides what every output depends on: the renderers, the
    theme and its catalogues, the settings and the component catalogue)
    the channel, its entries' incidents and their write-ups, and its time.
    An edit to an incident that is in no feed's latest entries leaves every
    feed as it was.
    """
    entries = _EntryCache(site, words, markdown)
    for channel in channels(site, words):
        chosen = _newest_first(site, channel.incidents)[: site.config.feed_entries]
        updated = _last_activity(site, chosen[0]) if chosen else _site_updated(site)
        writeups = [site.writeups_by_incident[incident.slug] for incident in chosen]
        about = (channel.title, channel.subtitle, channel.page, chosen, writeups, updated)
        for extension in ("atom", "rss"):
            path = urls.feed(extension, channel.component_id)  # the path says the format and the component
            args = (site, channel, path, extension, updated, chosen, entries, words.tag)
            yield keys.output(path, _feed, args, about)


def _feed(
    site: Site,
    channel: Channel,
    path: str,
    extension: str,
    updated: datetime,
    chosen: list[Incident],
    entries: _EntryCache,
    language: str,
) -> bytes:
    feed_entries = [entries.get(incident) for incident in chosen]
    feed_id = urls.feed("atom", channel.component_id)
    generator = feed_generator(site, channel, (feed_id, path), extension, updated, feed_entries, language)
    write = generator.atom_str if extension == "atom" else generator.rss_str
    result: bytes = write(pretty=True)
    return result


def channels(site: Site, words: Localizer) -> list[Channel]:
    """The site's feed, then one per component in catalogue order."""
    config = site.config
    subtitle = config.description or words.gettext("Incident history of %(site)s", site=config.title)
    found = [Channel(None, config.title, subtitle, urls.home(), site.incidents)]
    for component in site.components:
        found.append(
            Channel(
                component.id,
                f"{config.title} · {component.name}",
                words.gettext(
                    "Incidents and maintenance affecting %(component)s on %(site)s",
                    component=component.name,
                    site=config.title,
                ),
                urls.component(component.id),
                site.incidents_by_component[component.id],
            )
        )
    return found


def _last_activity(site: Site, incident: Incident) -> datetime:
    """The latest of the incident's last update and the publication of its write-ups."""
    return max([incident.last_activity] + [w.published for w in site.writeups_by_incident[incident.slug]])


def _newest_first(site: Site, incidents: Iterable[Incident]) -> list[Incident]:
    """By last activity, newest first; ties by start, then slug, so the order never depends on input order."""
    return sorted(incidents, key=lambda i: (_last_activity(site, i), i.started, i.slug), reverse=True)


def _site_updated(site: Site) -> datetime:
    """A feed's time when it has no entries: the site's newest activity, or ``now`` for a site without any."""
    return max((_last_activity(site, i) for i in site.incidents), default=site.now)


def tag_uri(base_url: str, year: int, tail: str) -> str:
    """A permanent tag URI of the site (see the module docstring for why it is built this way)."""
    parts = urlsplit(base_url)
    return f"tag:{parts.hostname},{year}:{parts.path.lstrip('/')}{tail}"


def _entry_id(base_url: str, incident: Incident) -> str:
    """The incident's permanent tag URI, dated by its first update."""
    return tag_uri(base_url, incident.updates[0].at.year, f"incidents/{incident.slug}")


def feed_generator(
    site: Site,
    channel: Channel,
    paths: tuple[str, str],
    extension: str,
    updated: datetime,
    entries: Sequence[FeedEntry],
    language: str,
) -> FeedGenerator:
    """A feed of ``entries``; ``paths``: its Atom file (whose URL is the feed's id) and the file made now."""
    from feedgen.feed import FeedGenerator

    base_url = site.config.base_url
    atom_path, path = paths
    generator = FeedGenerator()
    generator.id(urls.absolute(base_url, atom_path))
    generator.title(channel.title)
    generator.subtitle(channel.subtitle)
    generator.author({"name": site.config.title})
    # feedgen takes the RSS <link> from the last link added: the alternate page, not the feed itself.
    generator.link(href=urls.absolute(base_url, path), rel="self", type=MIME_TYPES[extension])
    generator.link(href=urls.absolute(base_url, channel.page), rel="alternate", type="text/html")
    generator.language(language)
    generator.generator(GENERATOR)
    generator.updated(updated)  # also RSS lastBuildDate, which feedgen otherwise sets to the clock
    for entry in entries:
        generator.add_entry(entry, order="append")
    return generator


class _EntryCache:
    """Each incident's entry, built once and shared by both formats of the site's feed and its components' feeds."""

    def __init__(self, site: Site, words: Localizer, markdown: MarkdownRenders):
        self.site = site
        self.words = words
        self.markdown = markdown
        self.entries: dict[str, FeedEntry] = {}

    def get(self, incident: Incident) -> FeedEntry:
        if incident.slug not in self.entries:
            content = str(_entry_content(self.site, incident, self.words, self.markdown))
            self.entries[incident.slug] = _incident_entry(self.site, incident, content)
        return self.entries[incident.slug]


def _incident_entry(site: Site, incident: Incident, content: str) -> FeedEntry:
    """The feed entry of one incident (see the module docstring for what it holds)."""
    from feedgen.entry import FeedEntry

    entry = FeedEntry()
    entry.id(_entry_id(site.config.base_url, incident))  # also the RSS guid, isPermaLink="false"
    entry.title(incident.title)
    entry.link(
        href=urls.absolute(site.config.base_url, urls.incident(incident.slug)), rel="alternate", type="text/html"
    )
    entry.content(content, type="html")
    entry.category(term=incident.kind.value)
    mark_language(entry, incident.lang)
    entry.published(min(incident.started, incident.updates[0].at))
    entry.updated(_last_activity(site, incident))
    return entry


def mark_language(entry: FeedEntry, tag: str | None) -> None:
    """Give an Atom entry its own ``xml:lang`` when its text is in another language than the feed's."""
    if tag is not None:
        entry.register_extension("language", _EntryLanguage, rss=False)
        entry.language.tag = tag


class _EntryLanguage:
    """A feedgen entry extension that sets ``xml:lang`` on the Atom entry (feedgen has no field for it)."""

    def __init__(self) -> None:
        self.tag = ""

    def extend_ns(self) -> dict[str, str]:
        return {}

    def extend_atom(self, entry: Any) -> Any:
        entry.set(XML_LANG, self.tag)
        return entry


def _entry_content(site: Site, incident: Incident, words: Localizer, markdown: MarkdownRenders) -> Markup:
    """The entry's HTML: facts, summary, then the timeline newest first."""
    parts = incident_facts(site, incident, words)
    if incident.summary.strip():
        parts.append(markdown.render(incident.summary))
    for entry in incident_timeline(incident, site.writeups_by_incident[incident.slug]):
        if entry.update is not None:
            parts.append(update_item(site, entry.update, words, markdown))
        if entry.writeup is not None:
            parts.append(writeup_item(site, entry.writeup, words))
    return Markup("\n").join(parts)


def incident_facts(site: Site, incident: Incident, words: Localizer) -> list[Markup]:
    """What an entry says first about its incident: a maintenance's window, and the components affected."""
    facts = []
    if incident.is_maintenance and incident.scheduled_for and incident.scheduled_until:
        window = words.gettext(
            "%(start)s to %(end)s",
            start=words.time_element(incident.scheduled_for),
            end=words.time_element(incident.scheduled_until),
        )
        facts.append(fact(words.gettext("Scheduled maintenance:"), window))
    names = [site.component_by_id[cid].name for cid in incident.affected_component_ids]
    if names:
        facts.append(fact(words.gettext("Affected:"), words.join(names)))
    if incident.promised_update is not None:
        facts.append(fact(words.gettext("Next update by:"), words.time_element(incident.promised_update)))
    return facts


def fact(label: str, value: str) -> Markup:
    return Markup("<p><strong>{}</strong> {}</p>").format(label, value)


def update_item(site: Site, update: Update, words: Localizer, markdown: MarkdownRenders) -> Markup:
    """An update in a timeline: its status and time, its text, and the component statuses it sets."""
    html = heading(words.label(update.status), update.at, words) + markdown.render(update.body)
    if update.components:
        pairs = [(site.component_by_id[cid].name, words.label(status)) for cid, status in update.components.items()]
        changes = words.join([words.pair(name, status) for name, status in pairs])
        html += Markup("<p><em>{}</em></p>\n").format(changes)
    return html


def writeup_item(site: Site, writeup: Writeup, words: Localizer) -> Markup:
    """A write-up's publication in a timeline: its time, and a link to it under its title."""
    link = urls.absolute(site.config.base_url, urls.writeup(writeup.slug))
    first = heading(words.gettext("Write-up published"), writeup.published, words)
    return first + Markup('<p><a href="{}">{}</a></p>\n').format(link, writeup.title)


def heading(label: str, moment: datetime, words: Localizer) -> Markup:
    """A timeline item's first line: what happened, and when."""
    return Markup("<p><strong>{}</strong> · {}</p>\n").format(label, words.time_element(moment))
