"""Deciding, file by file, what an import writes: new files, updated ones, and ones left alone.

A record already imported is found by the source id kept in its file's
``extra``, wherever the file is and whatever it is called, so a second
import updates it in place and duplicates nothing. A new record gets a slug
from its date and title; one already taken gets the source id appended, so
the choice does not depend on the order things were imported in. A file
edited by hand since it was imported (its digest no longer matches) is
skipped unless ``overwrite`` is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from enum import Enum
from pathlib import Path

from slugify import slugify

from sitegen.content.frontmatter import FrontMatterError, parse_document
from sitegen.content.source_files import INCIDENTS_DIR, WRITEUPS_DIR, is_content_file
from sitegen.importers.content_files import id_key, incident_text, is_as_imported, new_slug, writeup_text
from sitegen.importers.records import SourceHistory, SourceIncident

SUFFIX = ".md"
WRITEUP_SUFFIX = "-postmortem"


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    KEEP = "keep"
    """Already as the source has it."""
    SKIP = "skip"
    """Edited by hand since the last import; left alone."""


@dataclass(frozen=True)
class Planned:
    path: Path
    """Relative to the site folder."""
    text: str
    action: Action


@dataclass
class Folder:
    """One content folder: its files by source id, and the slugs taken (on disk, or by this import)."""

    path: Path
    by_source: dict[str, Path]
    taken: set[str]

    @classmethod
    def read(cls, site_dir: Path, folder: Path, key: str) -> Folder:
        directory = site_dir / folder
        files = sorted(p for p in directory.iterdir() if is_content_file(p)) if directory.is_dir() else []
        found: dict[str, Path] = {}
        for path in files:
            source_id = _source_id(path, key)
            if source_id is not None:
                found.setdefault(source_id, folder / path.name)
        return cls(folder, found, {p.stem for p in files})

    def place(self, source_id: str, slug: str) -> Path:
        """The file of ``source_id``: where it already is, else a free name from ``slug``."""
        if source_id in self.by_source:
            return self.by_source[source_id]
        tail = slugify(source_id, max_length=8) or "x"
        candidates = [slug, f"{slug}-{tail}", *(f"{slug}-{tail}-{n}" for n in range(2, 100))]
        chosen = next(c for c in candidates if c not in self.taken)
        self.taken.add(chosen)
        self.by_source[source_id] = self.path / f"{chosen}{SUFFIX}"
        return self.by_source[source_id]


def _source_id(path: Path, key: str) -> str | None:
    """The source id a content file was imported from, if it says; files that do not parse say nothing."""
    try:
        meta = parse_document(path.read_text(encoding="utf-8-sig")).meta
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return None
    extra = meta.get("extra")
    value = extra.get(key) if isinstance(extra, dict) else None
    return str(value) if value is not None else None


def plan_files(
    site_dir: Path, history: SourceHistory, ids: Mapping[str, str], tz: tzinfo, *, overwrite: bool
) -> list[Planned]:
    """Every file the history makes, each with what to do with it; incidents oldest first, then write-ups."""
    key = id_key(history.source)
    incidents = Folder.read(site_dir, INCIDENTS_DIR, key)
    writeups = Folder.read(site_dir, WRITEUPS_DIR, key)
    planned: list[Planned] = []
    for incident in sorted(history.incidents, key=lambda i: (min(u.at for u in i.updates), i.source_id)):
        path = incidents.place(incident.source_id, incident.slug or new_slug(incident, tz))
        planned.append(_decide(site_dir, path, incident_text(incident, ids, source=history.source), overwrite))
    for incident in sorted(history.incidents, key=lambda i: i.source_id):
        if incident.writeup is not None:
            planned.append(_writeup(site_dir, incident, incidents, writeups, history.source, overwrite))
    return planned


def _writeup(
    site_dir: Path, incident: SourceIncident, incidents: Folder, writeups: Folder, source: str, overwrite: bool
) -> Planned:
    assert incident.writeup is not None
    slug = incidents.by_source[incident.source_id].stem
    path = writeups.place(incident.source_id, slug + WRITEUP_SUFFIX)
    text = writeup_text(incident.writeup, incident_slug=slug, source=source, source_id=incident.source_id)
    return _decide(site_dir, path, text, overwrite)


def _decide(site_dir: Path, path: Path, text: str, overwrite: bool) -> Planned:
    target = site_dir / path
    if not target.exists():
        return Planned(path, text, Action.CREATE)
    current = target.read_text(encoding="utf-8-sig")
    if current == text:
        return Planned(path, text, Action.KEEP)
    if is_as_imported(current) or overwrite:
        return Planned(path, text, Action.UPDATE)
    return Planned(path, text, Action.SKIP)
