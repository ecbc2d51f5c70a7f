"""Warnings: content that builds, but is probably not what its author meant.

Errors stop a build; these do not. Each is a :class:`~sitegen.errors.Problem`
with ``warning=True``, pointing at the line to look at: ``sitegen check``
prints them (and fails on them with ``--strict``).

The model does not keep where an incident came from, so this module finds the
file again by its slug and re-reads the front matter of only the files it
warns about, to point at the update's own line rather than line 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from sitegen.content.frontmatter import Document, FrontMatterError, LineMap, parse_document
from sitegen.content.loader import INCIDENTS_DIR, MARKDOWN_SUFFIXES
from sitegen.content.model import Incident, Site, Update, UpdateStatus
from sitegen.content.times import parse_time
from sitegen.errors import Problem

DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


def find_warnings(site: Site, site_dir: Path, *, published: Path | None = None) -> list[Problem]:
    """Every warning about a loaded site, sorted by file and line.

    ``published`` is the previous output folder: incidents published there
    whose file is gone are reported as probably renamed.
    """
    sources = _Sources(site_dir, site.config.tz)
    warnings: list[Problem] = []
    for incident in site.incidents:
        warnings += _incident_warnings(incident, site, sources)
    if published is not None:
        warnings += _unpublished_slugs(site, site_dir, published)
    return sorted(warnings)


def _incident_warnings(incident: Incident, site: Site, sources: _Sources) -> list[Problem]:
    tz = site.config.tz
    found = []
    for update in incident.updates:
        if update.at > site.now:
            found.append(
                sources.at_update(
                    incident,
                    update,
                    f"this update is dated {_when(update.at, tz)}, after now ({_when(site.now, tz)}): "
                    "is the date a typo? It shows as posted in the future",
                )
            )
    found += _updates_after_the_end(incident, sources, tz)
    if not incident.is_maintenance and incident.resolved_at is not None and not incident.affected_component_ids:
        message = "no affected components: the incident will not show on any component"
        found.append(sources.at_key(incident, "components", message))
    if (mismatch := _date_prefix_mismatch(incident, tz)) is not None:
        named, started = mismatch
        found.append(
            sources.at_start(
                incident,
                f"the file name says {named} but the {_noun(incident)} started on {started} ({site.config.timezone}): "
                "is a date wrong, or was the file copied or renamed? The file name is its permanent id",
            )
        )
    return found


def _updates_after_the_end(incident: Incident, sources: _Sources, tz: tzinfo) -> list[Problem]:
    """Updates posted after the resolution (only a postmortem belongs there) or after a maintenance completed."""
    end = incident.resolved_at
    if end is None:
        return []
    if incident.is_maintenance:
        ending, allowed, advice = "completed", (), "nothing belongs after 'completed'"
    else:
        ending, allowed, advice = "resolved", (UpdateStatus.POSTMORTEM,), "only 'postmortem' belongs after 'resolved'"
    return [
        sources.at_update(
            incident,
            update,
            f"this '{update.status.value}' update comes after the {_noun(incident)} was {ending} at {_when(end, tz)}: "
            f"{advice}; the {_noun(incident)} stays {ending} from its first '{ending}' update",
        )
        for update in incident.updates
        if update.at > end and update.status not in allowed
    ]


def _date_prefix_mismatch(incident: Incident, tz: tzinfo) -> tuple[date, date] | None:
    """(the file name's date, the start date) when the slug's YYYY-MM-DD- prefix is none of the days it could mean.

    A file may fairly be named for the day it started, its first update, or
    (maintenance) the day it was scheduled for, in the site's timezone or in
    UTC (people often name files by the UTC date); anything else suggests a
    copied or renamed file.
    """
    match = DATE_PREFIX.match(incident.slug)
    if match is None:
        return None
    try:
        named = date.fromisoformat(match.group(1))
    except ValueError:  # '2024-13-45-': not a date, so no claim about one
        return None
    moments = [incident.started, incident.updates[0].at]
    if incident.scheduled_for is not None:
        moments.append(incident.scheduled_for)
    if named in {moment.astimezone(zone).date() for moment in moments for zone in (tz, UTC)}:
        return None
    return named, incident.started.astimezone(tz).date()


def _unpublished_slugs(site: Site, site_dir: Path, published: Path) -> list[Problem]:
    """Incidents the previous output has pages for, but whose files are gone."""
    folder = published / "incidents"
    if not folder.is_dir():
        return []
    return [
        Problem(
            site_dir / INCIDENTS_DIR / f"{entry.name}.md",
            1,
            f"incident '{entry.name}' was published but its file is gone: renamed? subscribers' links break",
            warning=True,
        )
        for entry in sorted(folder.iterdir())
        if entry.is_dir() and entry.name not in site.incident_by_slug
    ]


def _when(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def _noun(incident: Incident) -> str:
    return "maintenance" if incident.is_maintenance else "incident"


@dataclass
class _Sources:
    """Finds the file and line behind an incident, reading each file only when it is warned about."""

    site_dir: Path
    tz: tzinfo
    _paths: dict[str, Path] | None = None
    _documents: dict[str, Document | None] = field(default_factory=dict)

    def path(self, slug: str) -> Path:
        if self._paths is None:
            folder = self.site_dir / INCIDENTS_DIR
            files = sorted(folder.iterdir()) if folder.is_dir() else []
            self._paths = {p.stem: p for p in files if p.suffix.lower() in MARKDOWN_SUFFIXES}
        return self._paths.get(slug, self.site_dir / INCIDENTS_DIR / f"{slug}.md")

    def meta(self, slug: str) -> LineMap | None:
        """The file's front matter, or None if it cannot be read again (changed since it loaded)."""
        if slug not in self._documents:
            try:
                self._documents[slug] = parse_document(self.path(slug).read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, FrontMatterError):
                self._documents[slug] = None
        document = self._documents[slug]
        return document.meta if document is not None else None

    def warning(self, incident: Incident, line: int, message: str) -> Problem:
        return Problem(self.path(incident.slug), line, message, warning=True)

    def at_key(self, incident: Incident, key: str, message: str) -> Problem:
        """At the key's line; without that key, where the front matter starts."""
        meta = self.meta(incident.slug)
        return self.warning(incident, meta.line_of(key) if meta is not None else 1, message)

    def at_update(self, incident: Incident, update: Update, message: str) -> Problem:
        """At the '- at:' line of the update in the file (updates may be in any order there)."""
        meta = self.meta(incident.slug)
        if meta is None:
            return self.warning(incident, 1, message)
        return self.warning(incident, self._update_line(meta, update) or meta.line_of("updates"), message)

    def at_start(self, incident: Incident, message: str) -> Problem:
        """At what sets the start: 'started', else the update it comes from, else 'scheduled_for'."""
        meta = self.meta(incident.slug)
        if meta is None:
            return self.warning(incident, 1, message)
        if "started" in meta:
            return self.warning(incident, meta.line_of("started"), message)
        first = next((u for u in incident.updates if u.at == incident.started), None)
        line = self._update_line(meta, first) if first is not None else None
        return self.warning(incident, line or meta.line_of("scheduled_for"), message)

    def _update_line(self, meta: LineMap, update: Update) -> int | None:
        items = meta.get("updates")
        if not isinstance(items, list):
            return None
        for item, line in zip(items, getattr(items, "item_lines", ())):
            if isinstance(item, LineMap) and item.get("status") == update.status.value and self._at(item) == update.at:
                return line
        return None

    def _at(self, item: LineMap) -> datetime | None:
        try:
            return parse_time(item.get("at"), self.tz)
        except ValueError:
            return None
