"""Warnings: content that builds, but is probably not what its author meant.

Errors stop a build; these do not. Each is a :class:`~sitegen.errors.Problem`
with ``warning=True``, pointing at the line to look at (records keep their
:class:`~sitegen.content.model.Source`): ``sitegen check`` prints them (and
fails on them with ``--strict``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from sitegen.content.model import Incident, Source
from sitegen.content.site import Site
from sitegen.content.source_files import (
    CONTENT_DIR,
    INCIDENTS_DIR,
    MARKDOWN_SUFFIXES,
    TEMPLATES_DIR,
    WRITEUPS_DIR,
    is_content_entry,
)
from sitegen.errors import Problem

DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
LONG_OUTAGE = timedelta(days=7)
"""An outage longer than this is more often a date typo (a month, a year) than a week of trouble."""
LONG_OPEN = timedelta(days=30)
"""An incident open longer than this is more often one nobody closed than one still going on."""
OPAQUE_ID = re.compile(r"^(?=(?:.*\d){2})(?=(?:.*[A-Za-z]){2})[0-9A-Za-z]{10,}$")
"""A name like 'br0l2tvcx85d' or '01HXYZ...': a source's internal id, not something a reader can use."""


def find_warnings(site: Site, site_dir: Path, *, published: Path | None = None) -> list[Problem]:
    """Every warning about a loaded site, sorted by file and line.

    ``published`` is the previous output folder: incidents published there
    whose file is gone are reported as probably renamed.
    """
    warnings: list[Problem] = []
    for incident in site.incidents:
        warnings += _incident_warnings(incident, site)
    warnings += [
        _warning(
            c.source, c.source.line_of("name"), f"component '{c.name}' is named by an id: give it a name readers know"
        )
        for c in site.components
        if OPAQUE_ID.match(c.name)
    ]
    if published is not None:
        warnings += _unpublished_slugs(site, site_dir, published)
    warnings += _unread_files(site_dir)
    return sorted(warnings)


def _unread_files(site_dir: Path) -> list[Problem]:
    """Files under content/ that the loader passes over: most likely misplaced or misnamed incidents.

    Hidden files are left alone (.gitkeep, an editor's swap file) unless
    they look like Markdown, which a dot at the start of the name hides.
    """
    found: list[Problem] = []
    content = site_dir / CONTENT_DIR
    known = {site_dir / INCIDENTS_DIR, site_dir / WRITEUPS_DIR}
    for folder in (content, *sorted(known)):
        for path in _passed_over(folder, known | {site_dir / TEMPLATES_DIR} if folder == content else None):
            if path.name.startswith(".") and path.suffix.lower() not in MARKDOWN_SUFFIXES:
                continue
            reason = _unread_reason(path, at_top=folder == content)
            found.append(Problem(path, 1, f"this {reason}: sitegen skips it", warning=True))
    return found


def _passed_over(folder: Path, known: set[Path] | None) -> list[Path]:
    """What the loader does not read in ``folder``: everything but ``known``, or else all but content files."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        if known is not None:
            return sorted(path for e in entries if (path := folder / e.name) not in known)
        return sorted(folder / e.name for e in entries if not is_content_entry(e))


def _unread_reason(path: Path, *, at_top: bool) -> str:
    if at_top:
        where = f"{INCIDENTS_DIR.as_posix()}/ or {WRITEUPS_DIR.as_posix()}/"
        return f"{'folder' if path.is_dir() else 'file'} is not in {where}"
    if path.is_dir():
        return "folder is inside a content folder, where only files are read"
    if path.name.startswith("."):
        return "file's name starts with a dot, which hides it"
    return f"file is not Markdown (only {' and '.join(MARKDOWN_SUFFIXES)} files are read)"


def _warning(source: Source, line: int, message: str) -> Problem:
    return Problem(source.path, line, message, warning=True)


def _incident_warnings(incident: Incident, site: Site) -> list[Problem]:
    tz = site.config.tz
    found = [
        _warning(
            update.source,
            update.source.line,
            f"this update is dated {_when(update.at, tz)}, after now ({_when(site.now, tz)}): "
            "is the date a typo? It shows as posted in the future",
        )
        for update in incident.updates
        if update.at > site.now
    ]
    found += _updates_after_the_end(incident, tz)
    found += _window_passed_unclosed(incident, site.now, tz)
    found += _implausible_length(incident, site.now, tz)
    found += _promise_passed(incident, site.now, tz)
    if not incident.is_maintenance and incident.resolved_at is not None and not incident.affected_component_ids:
        message = "no affected components: the incident will not show on any component"
        found.append(_warning(incident.source, incident.source.line_of("components"), message))
    if (mismatch := _date_prefix_mismatch(incident, tz)) is not None:
        named, started = mismatch
        found.append(
            _warning(
                incident.source,
                _start_line(incident),
                f"the file name says {named} but the {incident.kind.noun} started on {started} "
                f"({site.config.timezone}): is a date wrong, or was the file copied or renamed? "
                "The file name is its permanent id",
            )
        )
    return found


def _start_line(incident: Incident) -> int:
    """The line of what sets the start: 'started', else the update it comes from, else 'scheduled_for'."""
    if "started" in incident.source.key_lines:
        return incident.source.line_of("started")
    first = next((u for u in incident.updates if u.at == incident.started), None)
    return first.source.line if first is not None else incident.source.line_of("scheduled_for")


def _promise_passed(incident: Incident, now: datetime, tz: tzinfo) -> list[Problem]:
    """The latest update promised the next one by a time that has passed, and none came."""
    promise = incident.promised_update
    if promise is None or promise >= now:
        return []
    update = incident.latest_update
    return [
        _warning(
            update.source,
            update.source.line_of("next_update"),
            f"the next update was promised by {_when(promise, tz)}, and it is {_when(now, tz)}: "
            f"post one (sitegen update {incident.slug} --status ...), even to say there is no news yet",
        )
    ]


def _updates_after_the_end(incident: Incident, tz: tzinfo) -> list[Problem]:
    """Updates posted after the end that do not belong there (``Kind.after_ending`` says which do)."""
    end = incident.resolved_at
    if end is None:
        return []
    ending = incident.kind.ending_status.value
    belongs = " or ".join(f"'{status.value}'" for status in incident.kind.after_ending)
    advice = f"only {belongs} belongs after '{ending}'"
    noun = incident.kind.noun
    return [
        _warning(
            update.source,
            update.source.line,
            f"this '{update.status.value}' update comes after the {noun} was {ending} at {_when(end, tz)}: "
            f"{advice}; the {noun} stays {ending} from its first '{ending}' update",
        )
        for update in incident.misplaced_updates
    ]


def _window_passed_unclosed(incident: Incident, now: datetime, tz: tzinfo) -> list[Problem]:
    """A maintenance whose window is over but that no update completes: it ends by itself, unsaid."""
    until = incident.scheduled_until
    if not incident.is_maintenance or until is None or incident.resolved_at is not None or now < until:
        return []
    message = (
        f"the maintenance window closed at {_when(until, tz)} but no 'completed' update says how it went: "
        "it shows as completed then; add a 'completed' update (sitegen resolve) to tell readers"
    )
    return [_warning(incident.source, incident.source.line_of("scheduled_until"), message)]


def _implausible_length(incident: Incident, now: datetime, tz: tzinfo) -> list[Problem]:
    """An outage of more than a week, or an incident open for a month: most often a typo, or one nobody closed."""
    if incident.is_maintenance:
        return []
    lasted = incident.duration(now)
    days = lasted.days
    if incident.ended_at(now) is None:
        message = (
            f"this incident has been open for {days} days: the status page shows it as ongoing; "
            "resolve it (sitegen resolve) if it is over"
        )
        return [_warning(incident.source, incident.source.line, message)] if lasted > LONG_OPEN else []
    downtime = [p for p in incident.periods if p.status.is_downtime]
    if downtime and lasted > LONG_OUTAGE:
        message = (
            f"this outage lasted {days} days, from {_when(incident.started, tz)} "
            f"to {_when(incident.started + lasted, tz)}: is a date a typo? Uptime counts all of it"
        )
        return [_warning(incident.source, _start_line(incident), message)]
    return []


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
    if any(moment.astimezone(zone).date() == named for moment in moments for zone in (tz, UTC)):
        return None
    return named, incident.started.astimezone(tz).date()


def _unpublished_slugs(site: Site, site_dir: Path, published: Path) -> list[Problem]:
    """Incidents the previous output has pages for, but whose files are gone."""
    folder = published / "incidents"
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:  # told apart by the listing's types: no stat for each of the pages
        published_slugs = [entry.name for entry in entries if entry.is_dir()]
    return gone_incidents(site, site_dir, published_slugs)


def gone_incidents(site: Site, site_dir: Path, slugs: Iterable[str]) -> list[Problem]:
    """A warning for each published slug that no file of the site has any more: subscribers' links to it break."""
    return [
        Problem(
            site_dir / INCIDENTS_DIR / f"{slug}.md",
            1,
            f"incident '{slug}' was published but its file is gone: renamed? subscribers' links break",
            warning=True,
        )
        for slug in sorted(slugs)
        if slug not in site.incident_by_slug
    ]


def _when(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
