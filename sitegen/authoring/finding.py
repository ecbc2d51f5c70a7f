"""Finding incident files by a part of their name, and what each one says in brief, for the on-call commands.

During an outage the incident that matters is an open one: ``sitegen update
api`` should find today's open API incident, not stumble on last month's
resolved one of a similar name. So matching looks at open incidents only
(unless asked to look at all), and :func:`summarise` reads just enough of a
file to tell: its kind, title, latest status, and whether it has ended.
Files are read one by one, so a broken file elsewhere in the site does not
stop anyone posting an update.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from sitegen.authoring.user_input import AuthoringError
from sitegen.content.frontmatter import FrontMatterError, parse_document
from sitegen.content.source_files import INCIDENTS_DIR, MARKDOWN_SUFFIXES, is_content_entry
from sitegen.content.statuses import ENDING_STATUSES, Kind
from sitegen.content.times import parse_promise, parse_time
from sitegen.errors import display_path

MAX_CANDIDATES = 10
ENDING = {status.value for status in ENDING_STATUSES}


@dataclass(frozen=True)
class FileSummary:
    """What one incident file says, in brief; the times are None where the file has none that reads."""

    slug: str
    path: Path
    kind: Kind
    title: str
    status: str
    """The latest update's status ('?' when the file cannot be read)."""
    started: datetime | None
    scheduled_for: datetime | None = None
    scheduled_until: datetime | None = None
    closed: bool = False
    """It has a resolved, postmortem or (maintenance) completed update."""
    readable: bool = True
    next_update: datetime | None = None
    """When the latest update promised the next one by, if it did (and the promise reads)."""
    alert_key: str | None = None
    """The key of the alert it was drafted from (sitegen.authoring.alerts), if any."""


def summarise(path: Path, tz: tzinfo) -> FileSummary:
    """Read ``path``'s front matter for its summary; an unreadable file is summarised as open, status '?'."""
    try:
        meta = parse_document(path.read_text(encoding="utf-8-sig")).meta
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return FileSummary(path.stem, path, Kind.INCIDENT, path.stem, "?", None, readable=False)
    updates = [u for u in _list(meta.get("updates")) if isinstance(u, dict)]
    statuses = [u.get("status") for u in updates if isinstance(u.get("status"), str)]
    stamped = sorted(((t, i) for i, u in enumerate(updates) if (t := _time(u.get("at"), tz)) is not None))
    latest = updates[stamped[-1][1]] if stamped else (updates[-1] if updates else {})
    kind = Kind.MAINTENANCE if meta.get("kind") == Kind.MAINTENANCE.value else Kind.INCIDENT
    title = meta.get("title")
    return FileSummary(
        slug=path.stem,
        path=path,
        kind=kind,
        title=title if isinstance(title, str) else path.stem,
        status=str(latest.get("status", "?")),
        started=_time(meta.get("started"), tz) or (stamped[0][0] if stamped else None),
        scheduled_for=_time(meta.get("scheduled_for"), tz),
        scheduled_until=_time(meta.get("scheduled_until"), tz),
        closed=any(status in ENDING for status in statuses),
        next_update=_promise(latest, stamped[-1][0], tz) if stamped else None,
        alert_key=key if isinstance(key := meta.get("alert_key"), str) else None,
    )


def _promise(update: dict[str, object], at: datetime, tz: tzinfo) -> datetime | None:
    try:
        return parse_promise(update["next_update"], at, tz) if "next_update" in update else None
    except ValueError:  # the loader reports it
        return None


def open_incidents(site_dir: Path, tz: tzinfo) -> list[FileSummary]:
    """Every incident and maintenance not yet resolved or completed, in file name order."""
    summaries = (summarise(path, tz) for path in incident_files(site_dir / INCIDENTS_DIR))
    return [summary for summary in summaries if not summary.closed]


def find_incident(site_dir: Path, query: str, tz: tzinfo, *, include_closed: bool = False) -> Path:
    """The one incident file named ``query``, or (among open incidents) the one whose name starts with or holds it.

    The full name picks a file whatever its state. A path or a file name
    with its suffix is accepted too, as a shell's completion gives. No
    match, or several, is an error naming the closest.
    """
    folder = site_dir / INCIDENTS_DIR
    files = {p.stem: p for p in incident_files(folder)}
    wanted = _normal(query)
    if wanted in files:
        return files[wanted]
    if not files:
        raise AuthoringError(f"there are no incident files in {display_path(folder)}")
    named = [s for s in files if wanted in s]
    closed = {s for s in named if summarise(files[s], tz).closed}
    considered = named if include_closed else [s for s in named if s not in closed]
    matches = [s for s in considered if s.startswith(wanted)] or considered
    if len(matches) == 1:
        return files[matches[0]]
    which = "incidents" if include_closed else "open incidents"
    if matches:
        raise AuthoringError(f"'{query}' matches {len(matches)} {which}; which one?", hints=listing(wanted, matches))
    if named:
        raise AuthoringError(
            f"'{query}' matches only incidents that are resolved or completed; "
            "give the full name, or add --all to match those too:",
            hints=listing(wanted, named),
        )
    raise AuthoringError(f"no incident file matches '{query}'; the closest are:", hints=listing(wanted, list(files)))


def incident_files(folder: Path) -> list[Path]:
    """The incident files the loader reads, in name order (told from the folder listing: no stat for each)."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        return sorted(folder / entry.name for entry in entries if is_content_entry(entry))


def closest(query: str, names: Iterable[str], limit: int = MAX_CANDIDATES) -> list[str]:
    """Names by similarity to ``query``, the most similar first; newest (greatest name) first on a tie."""
    ranked = sorted(names, key=lambda n: (difflib.SequenceMatcher(None, query, n).ratio(), n), reverse=True)
    return ranked[:limit]


def listing(query: str, names: list[str]) -> list[str]:
    """The closest of ``names``, one per line, and how many more there are."""
    shown = closest(query, names)
    more = len(names) - len(shown)
    return [f"  {name}" for name in shown] + ([f"  ... and {more} more"] if more else [])


def _normal(query: str) -> str:
    name = Path(query).name
    return (Path(name).stem if Path(name).suffix.lower() in MARKDOWN_SUFFIXES else name).lower()


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _time(value: object, tz: tzinfo) -> datetime | None:
    try:
        return parse_time(value, tz)
    except (ValueError, TypeError):
        return None
