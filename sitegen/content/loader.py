"""Loading a site from disk into the content model, validating everything on the way.

This is the one place that reads user files. Every problem in every file is
collected before anything fails, so one run reports them all; a site that
loads is internally consistent (every component, write-up and incident named
anywhere exists).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from functools import partial
from pathlib import Path

from sitegen.content.config import load_config
from sitegen.content.fields import CONTROL, STAND_IN_TIME, Fields, control_character_message, suggestion
from sitegen.content.frontmatter import Document, FrontMatterError, LineList, LineMap, parse_document
from sitegen.content.model import Component, Incident, Site, Source, Update, Writeup
from sitegen.content.names import SLUG, name_problem, shorten, slug_for
from sitegen.content.record_cache import NO_RECORDS, KnownRecords, RecordCache
from sitegen.content.settings import DEFAULT_MAX_FILE_KIB
from sitegen.content.statuses import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    STATUSES_OF_KIND,
    USER_IMPACTS,
    ComponentStatus,
    Kind,
    UpdateStatus,
)
from sitegen.errors import Problem, Problems
from sitegen.parallel import parallel_map

CONTENT_DIR = Path("content")
INCIDENTS_DIR = CONTENT_DIR / "incidents"
WRITEUPS_DIR = CONTENT_DIR / "writeups"
MARKDOWN_SUFFIXES = (".md", ".markdown")
INCIDENT_KEYS = (
    "title",
    "kind",
    "impact",
    "components",
    "started",
    "writeup",
    "updates",
    "scheduled_for",
    "scheduled_until",
    "extra",
    "lang",
)
UPDATE_KEYS = ("at", "status", "body", "components")
WRITEUP_KEYS = ("title", "published", "incidents", "extra", "lang")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
"""The shape of a BCP 47 language tag ('fr', 'ja', 'pt-BR', 'zh-Hant-TW'); pages put it in ``lang=``."""
STATUS_OF_OTHER_KIND = {
    **{
        s.value: f"'{s.value}' is a maintenance status: add 'kind: maintenance' for a maintenance"
        for s in MAINTENANCE_STATUSES
    },
    **{
        s.value: f"'{s.value}' is an incident status: remove 'kind: maintenance' for an incident"
        for s in INCIDENT_STATUSES
    },
}


@dataclass(frozen=True)
class _Known:
    """What references may name: the catalogue's components and the slugs of all content files."""

    components: dict[str, Component] | None
    """None when sitegen.toml has errors: then unknown components are not reported, they would mislead."""
    incidents: set[str]
    writeups: set[str]


@dataclass(frozen=True)
class SourceFile:
    """A content file that parsed: its slug, path and parts."""

    slug: str
    path: Path
    document: Document | None
    """None for a file read into a record before, from the same bytes in the same circumstances (``key``)."""
    digest: str
    """Of the file's bytes: the start of what its record is made from (``Incident.made_from``)."""
    key: str
    """Of the bytes, the name and what else reading it depends on: the key of its record in a RecordCache."""


def load_site(
    site_dir: Path, *, now: datetime, base_url: str | None = None, records: RecordCache | None = None
) -> Site:
    """Load and validate a whole site; raise ContentError listing every problem found.

    ``records``: the incidents earlier builds read, taken again for files read in the same circumstances;
    it ends up holding this site's.
    """
    problems = Problems()
    config, components = load_config(site_dir, problems, base_url=base_url)
    tz = config.tz if config else UTC
    max_kib = config.max_file_kib if config else DEFAULT_MAX_FILE_KIB  # to read the files anyway, for their problems
    records = records if records is not None else RecordCache()
    writeup_sources = _read_folder(site_dir, WRITEUPS_DIR, problems, max_kib)
    catalogue = {c.id: c for c in components} if components is not None else None
    # What an incident's record depends on besides its file: it is read again when any of these changes.
    context = (repr(tz), max_kib, sorted(catalogue or ()), catalogue is None, sorted(s.slug for s in writeup_sources))
    incident_sources = _read_folder(site_dir, INCIDENTS_DIR, problems, max_kib, records.known(repr(context)))
    known = _Known(
        components=catalogue,
        incidents={s.slug for s in incident_sources},
        writeups={s.slug for s in writeup_sources},
    )
    incidents = [i for source in incident_sources if (i := _read_incident(source, tz, known, problems, records))]
    writeups = [w for source in writeup_sources if (w := _writeup(source, tz, known, problems)) is not None]
    incidents, writeups = _link(incidents, writeups)
    problems.raise_if_errors()
    assert config is not None  # no errors means the settings loaded
    return Site(
        config=config,
        components=components or (),
        incidents=tuple(sorted(incidents, key=lambda i: (i.started, i.slug), reverse=True)),
        writeups=tuple(sorted(writeups, key=lambda w: (w.published, w.slug), reverse=True)),
        now=now,
    )


def _read_folder(
    site_dir: Path, folder: Path, problems: Problems, max_kib: int, known: KnownRecords = NO_RECORDS
) -> list[SourceFile]:
    """Parse every Markdown file of one content folder, in name order (on all cores: YAML is slow).

    A file ``known`` has a record for is read, not parsed: its record is taken instead.
    """
    directory = site_dir / folder
    if not directory.is_dir():
        return []
    named: list[tuple[str, Path]] = []
    paths = [path for path in sorted(directory.iterdir()) if is_content_file(path)]
    taken = {path.stem for path in paths}
    seen: dict[str, Path] = {}
    for path in paths:
        slug = path.stem
        if message := _file_name_problem(path, taken):
            problems.error(path, 1, message)
        elif slug in seen:
            problems.error(path, 1, f"slug '{slug}' is also the slug of {seen[slug].name}: rename one of them")
        else:
            seen[slug] = path
            named.append((slug, path))
    read = partial(_read_document, root=site_dir.resolve(), max_kib=max_kib, known=known)
    results = parallel_map(read, [path for _, path in named])
    sources = []
    for (slug, path), result in zip(named, results):
        if isinstance(result, Problem):
            problems.add(result)
        else:
            sources.append(SourceFile(slug, path, *result))
    return sources


def is_content_file(path: Path) -> bool:
    """Whether the loader reads this entry of a content folder: a Markdown file whose name has no leading dot."""
    return not path.name.startswith(".") and path.suffix.lower() in MARKDOWN_SUFFIXES and not path.is_dir()


def _file_name_problem(path: Path, taken: set[str]) -> str | None:
    """Why a content file's name cannot be its slug, and what to rename it to; None if it can."""
    slug = path.stem
    if SLUG.match(slug):
        problem = name_problem(slug)
        return f"file name '{shorten(path.name)}' cannot be a URL slug: it {problem}" if problem else None
    fixed = slug_for(slug)
    if fixed in taken:
        return (
            f"file name '{path.name}' collides with {fixed}{path.suffix} (names that differ only in case are one "
            "file on macOS and Windows): merge them, or give this one another lower-case name"
        )
    return f"file name '{path.name}' cannot be a URL slug: rename it to '{fixed}{path.suffix}'"


def _read_document(
    path: Path, root: Path, max_kib: int, known: KnownRecords
) -> tuple[Document | None, str, str] | Problem:
    """One content file's front matter and body (None if ``known``), its digest and its key; or what stops it."""
    try:
        if not path.resolve().is_relative_to(root):
            return Problem(path, 1, "this file links to a place outside the site folder: copy the file in instead")
        if path.stat().st_size > max_kib * 1024:
            return Problem(
                path,
                1,
                f"file is larger than {max_kib} KiB: is it really an incident? ([site] max_file_kib sets the limit)",
            )
        data = path.read_bytes()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on resolve()
        return Problem(path, 1, f"cannot read this file: {exc}")
    digest = _digest(data)
    key = known.key(digest, path.name)
    if key in known:
        return None, digest, key
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(path, data[: exc.start].count(b"\n") + 1, "file is not UTF-8 text: save it with UTF-8 encoding")
    if found := CONTROL.search(text):
        line = text.count("\n", 0, found.start()) + 1
        if found.group() == "\x00":
            return Problem(path, line, "file contains a NUL byte: is it a binary file?")
        return Problem(path, line, control_character_message(found.group()))
    try:
        return parse_document(text), digest, key
    except FrontMatterError as exc:
        return Problem(path, exc.line, exc.message)


def _read_incident(
    source: SourceFile, tz: tzinfo, known: _Known, problems: Problems, records: RecordCache
) -> Incident | None:
    """The file's incident: as read before (``records``), or read now and kept for the next build if it passed."""
    incident = records.take(source.key) if source.document is None else _incident(source, tz, known, problems)
    if incident is not None:
        records.keep(source.key, incident)
    return incident


def _incident(source: SourceFile, tz: tzinfo, known: _Known, problems: Problems) -> Incident | None:
    assert source.document is not None, "a file with no document was read before"
    meta = source.document.meta
    fields = Fields(problems, source.path, meta, what="the front matter", allowed=INCIDENT_KEYS)
    kind = fields.choice("kind", tuple(Kind))
    kind_known = kind is not None or "kind" not in meta  # after a typo, check nothing kind-specific
    kind = kind or Kind.INCIDENT
    maintenance = kind is Kind.MAINTENANCE
    scheduled_for = fields.required_time("scheduled_for", tz) if maintenance else fields.time("scheduled_for", tz)
    scheduled_until = fields.required_time("scheduled_until", tz) if maintenance else fields.time("scheduled_until", tz)
    statuses = STATUSES_OF_KIND[kind] if kind_known else tuple(UpdateStatus)
    updates = _updates(fields, statuses, tz, known.components)
    incident = Incident(
        slug=source.slug,
        title=fields.text("title", required=True),
        kind=kind,
        updates=updates,
        components=_component_statuses(fields, "components", known.components),
        started=fields.time("started", tz) or _default_start(kind, updates, scheduled_for),
        summary=source.document.body,
        declared_impact=fields.choice("impact", USER_IMPACTS),
        writeups=_references(fields, "writeup", known.writeups, WRITEUPS_DIR),
        scheduled_for=scheduled_for,
        scheduled_until=scheduled_until,
        extra=dict(fields.mapping_of("extra") or {}),
        source=Source(source.path, meta.line, meta.key_lines),
        lang=_language(fields),
        made_from=_digest(source.digest, source.path.name, repr(tz)),
    )
    if kind is Kind.INCIDENT and kind_known:
        for key in ("scheduled_for", "scheduled_until"):
            if key in meta:
                fields.error(key, f"'{key}' is only for maintenance: add 'kind: maintenance' or remove it")
    if scheduled_for and scheduled_until and scheduled_until <= scheduled_for:
        fields.error("scheduled_until", "'scheduled_until' must be after 'scheduled_for'")
    return incident if fields.passed else None


def _default_start(kind: Kind, updates: tuple[Update, ...], scheduled_for: datetime | None) -> datetime:
    """An incident starts at its first update; a maintenance when work began, else when scheduled.

    With no valid update the file has failed, and a stand-in is returned.
    """
    if kind is Kind.MAINTENANCE:
        begun = next((u.at for u in updates if u.status is UpdateStatus.IN_PROGRESS), None)
        return begun or scheduled_for or (updates[0].at if updates else STAND_IN_TIME)
    return updates[0].at if updates else STAND_IN_TIME


def _updates(
    fields: Fields, statuses: tuple[UpdateStatus, ...], tz: tzinfo, catalogue: dict[str, Component] | None
) -> tuple[Update, ...]:
    """The file's updates in time order; an error for an empty list or any update that is not a mapping."""
    items = fields.list_of("updates", required=True)
    if not items and isinstance(fields.mapping.get("updates"), LineList):
        fields.error("updates", "'updates' is empty: an incident needs at least one update")
    updates = []
    for item, line in zip(items, items.item_lines):
        if not isinstance(item, LineMap):
            fields.error_at(line, "each update must be a mapping with 'at', 'status' and 'body'")
            continue
        update = fields.nested(item, what="this update", allowed=UPDATE_KEYS)
        updates.append(
            Update(
                at=update.required_time("at", tz),
                status=update.choice("status", statuses, required=True, explain=STATUS_OF_OTHER_KIND) or statuses[0],
                body=update.text("body", required=True),
                components=_component_statuses(update, "components", catalogue),
                source=Source(fields.path, line, item.key_lines),
            )
        )
    return tuple(sorted(updates, key=lambda u: u.at))


def _component_statuses(fields: Fields, key: str, catalogue: dict[str, Component] | None) -> dict[str, ComponentStatus]:
    mapping = fields.mapping_of(key)
    if mapping is None:
        return {}
    statuses = {}
    entry = fields.nested(mapping, what=f"'{key}'", allowed=mapping.keys())
    for component_id, value in mapping.items():
        if catalogue is not None and component_id not in catalogue:
            entry.error(
                component_id,
                f"unknown component '{component_id}'{suggestion(component_id, catalogue)}"
                " (components are declared in sitegen.toml)",
            )
            continue
        status = entry.check_choice(component_id, value, tuple(ComponentStatus), what=f"the status of '{component_id}'")
        if status is not None:
            statuses[component_id] = status
    return statuses


def _writeup(source: SourceFile, tz: tzinfo, known: _Known, problems: Problems) -> Writeup | None:
    assert source.document is not None, "write-ups are always parsed"
    meta = source.document.meta
    fields = Fields(problems, source.path, meta, what="the write-up's front matter", allowed=WRITEUP_KEYS)
    writeup = Writeup(
        slug=source.slug,
        title=fields.text("title", required=True),
        published=fields.required_time("published", tz),
        body=source.document.body,
        incidents=_references(fields, "incidents", known.incidents, INCIDENTS_DIR),
        extra=dict(fields.mapping_of("extra") or {}),
        source=Source(source.path, meta.line, meta.key_lines),
        lang=_language(fields),
    )
    return writeup if fields.passed else None


def _language(fields: Fields) -> str | None:
    """The file's ``lang:``, for the pages to mark its text with; None when it is in the site's language."""
    tag = fields.text("lang")
    if tag and not LANGUAGE_TAG.match(tag):
        fields.error("lang", f"'lang' must be a language tag such as 'fr', 'ja' or 'pt-BR', not '{shorten(tag)}'")
    return tag or None


def _references(fields: Fields, key: str, known: set[str], folder: Path) -> tuple[str, ...]:
    """Slugs named under ``key``, each checked against the files of ``folder``."""
    slugs = []
    for slug, line in fields.texts(key):
        if slug in known:
            slugs.append(slug)
        else:
            fields.error_at(
                line,
                f"'{key}' names '{slug}', but there is no {folder}/{slug}.md{suggestion(slug, known)}",
            )
    return tuple(slugs)


def _link(incidents: list[Incident], writeups: list[Writeup]) -> tuple[list[Incident], list[Writeup]]:
    """Make each incident list its write-ups and each write-up its incidents, whichever side named the other."""
    for_incident: dict[str, list[str]] = {i.slug: list(i.writeups) for i in incidents}
    for_writeup: dict[str, list[str]] = {w.slug: list(w.incidents) for w in writeups}
    for incident in incidents:
        for slug in incident.writeups:
            _add(for_writeup.get(slug), incident.slug)
    for writeup in writeups:
        for slug in writeup.incidents:
            _add(for_incident.get(slug), writeup.slug)
    return (
        [_linked(i, tuple(for_incident[i.slug])) for i in incidents],
        [replace(w, incidents=tuple(for_writeup[w.slug])) for w in writeups],
    )


def _linked(incident: Incident, writeups: tuple[str, ...]) -> Incident:
    return replace(incident, writeups=writeups, made_from=_digest(incident.made_from, *writeups))


def _add(items: list[str] | None, item: str) -> None:
    """Add once; None is a file that failed to load, already reported."""
    if items is not None and item not in items:
        items.append(item)


def _digest(*parts: bytes | str) -> str:
    """Of the parts in order (each one's length is in it too, so parts cannot run together)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(b"%d:" % len(data) + data)
    return hasher.hexdigest()
