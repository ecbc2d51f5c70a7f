"""Loading a site from disk into the content model, validating everything on the way.

This is the one place that reads user files (sitegen.content.source_files
finds and reads them for it). Every problem in every file is
collected before anything fails, so one run reports them all; a site that
loads is internally consistent (every component, write-up and incident named
anywhere exists).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from operator import attrgetter
from pathlib import Path
from typing import Any

from sitegen.content.config import load_config
from sitegen.content.fields import STAND_IN_TIME, Fields, suggestion
from sitegen.content.frontmatter import LineList, LineMap
from sitegen.content.model import Component, Incident, Source, Update, Writeup
from sitegen.content.names import shorten
from sitegen.content.record_cache import KeptRecords, RecordCache
from sitegen.content.record_codec import Record
from sitegen.content.settings import DEFAULT_MAX_FILE_KIB
from sitegen.content.site import Site
from sitegen.content.source_files import INCIDENTS_DIR, WRITEUPS_DIR, SourceFile, digest, list_folder, read_folder
from sitegen.content.statuses import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    STATUSES_OF_KIND,
    USER_IMPACTS,
    ComponentStatus,
    Kind,
    UpdateStatus,
)
from sitegen.content.times import parse_promise
from sitegen.errors import Problems

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
    "alert_key",
)
UPDATE_KEYS = ("at", "status", "body", "components", "next_update")
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
    incidents: frozenset[str]
    writeups: frozenset[str]


def load_site(
    site_dir: Path, *, now: datetime, base_url: str | None = None, records: KeptRecords | None = None
) -> Site:
    """Load and validate a whole site; raise ContentError listing every problem found.

    ``records``: the incidents and write-ups earlier builds read, taken again for files read in the same
    circumstances; it ends up holding this site's.
    """
    problems = Problems()
    config, components = load_config(site_dir, problems, base_url=base_url)
    tz = config.tz if config else UTC
    max_kib = config.max_file_kib if config else DEFAULT_MAX_FILE_KIB  # to read the files anyway, for their problems
    records = records if records is not None else KeptRecords.of()
    catalogue = {c.id: c for c in components} if components is not None else None
    incident_files, writeup_files = list_folder(site_dir, INCIDENTS_DIR), list_folder(site_dir, WRITEUPS_DIR)
    known = _Known(components=catalogue, incidents=incident_files.slugs, writeups=writeup_files.slugs)
    # What a record depends on besides its file and the files it names: it is read again when any of these changes.
    of_incidents = repr((repr(tz), max_kib, sorted(catalogue or ()), catalogue is None))
    of_writeups = repr((repr(tz), max_kib))
    kept_incidents = records.incidents.known(of_incidents, attrgetter("writeups"), known.writeups)
    kept_writeups = records.writeups.known(of_writeups, attrgetter("incidents"), known.incidents)
    incident_sources = read_folder(site_dir, incident_files, problems, max_kib, kept_incidents)
    writeup_sources = read_folder(site_dir, writeup_files, problems, max_kib, kept_writeups)
    incidents = [i for s in incident_sources if (i := _read(s, records.incidents, _incident, tz, known, problems))]
    writeups = [w for s in writeup_sources if (w := _read(s, records.writeups, _writeup, tz, known, problems))]
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


def _read(
    source: SourceFile,
    records: RecordCache[Record],
    read: Callable[[SourceFile, tzinfo, _Known, Problems], Record | None],
    tz: tzinfo,
    known: _Known,
    problems: Problems,
) -> Record | None:
    """The file's record: as read before (``records``), or ``read`` now and kept for the next build if it passed."""
    record = records.take(source.key) if source.document is None else read(source, tz, known, problems)
    if record is not None:
        records.keep(source.key, record)
    return record


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
        components=component_statuses(fields, "components", known.components),
        started=fields.time("started", tz) or _default_start(kind, updates, scheduled_for),
        summary=source.document.body,
        declared_impact=fields.choice("impact", USER_IMPACTS),
        writeups=_references(fields, "writeup", known.writeups, WRITEUPS_DIR),
        scheduled_for=scheduled_for,
        scheduled_until=scheduled_until,
        extra=dict(fields.mapping_of("extra") or {}),
        source=Source(source.path, meta.line, meta.key_lines),
        lang=_language(fields),
        made_from=digest(source.digest, source.path.name, repr(tz)),
    )
    fields.text("alert_key")  # only authoring reads it (sitegen.authoring.alerts); a build checks it is text
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
        at = update.required_time("at", tz)
        updates.append(
            Update(
                at=at,
                status=update.choice("status", statuses, required=True, explain=STATUS_OF_OTHER_KIND) or statuses[0],
                body=update.text("body", required=True),
                components=component_statuses(update, "components", catalogue),
                next_update=_promise(update, at, tz),
                source=Source(fields.path, line, item.key_lines),
            )
        )
    return tuple(sorted(updates, key=lambda u: u.at))


def _promise(update: Fields, at: datetime, tz: tzinfo) -> datetime | None:
    """The update's ``next_update``: a wait after it or a time; None when not given, or wrong (reported)."""
    if "next_update" not in update.mapping:
        return None
    try:
        return parse_promise(update.mapping["next_update"], at, tz)
    except ValueError as exc:
        update.error("next_update", f"'next_update': {exc}")
        return None


def component_statuses(fields: Fields, key: str, catalogue: dict[str, Component] | None) -> dict[str, ComponentStatus]:
    """The ``id: status`` mapping under ``key``, each id checked against the catalogue (also for templates)."""
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
    assert source.document is not None, "a file with no document was read before"
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
        made_from=digest(source.digest, source.path.name, repr(tz)),
    )
    return writeup if fields.passed else None


def _language(fields: Fields) -> str | None:
    """The file's ``lang:``, for the pages to mark its text with; None when it is in the site's language."""
    tag = fields.text("lang")
    if tag and not LANGUAGE_TAG.match(tag):
        fields.error("lang", f"'lang' must be a language tag such as 'fr', 'ja' or 'pt-BR', not '{shorten(tag)}'")
    return tag or None


def _references(fields: Fields, key: str, known: frozenset[str], folder: Path) -> tuple[str, ...]:
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
        [_linked(i, "writeups", tuple(for_incident[i.slug])) for i in incidents],
        [_linked(w, "incidents", tuple(for_writeup[w.slug])) for w in writeups],
    )


def _linked(record: Record, references: str, slugs: tuple[str, ...]) -> Record:
    """The record naming ``slugs`` under ``references``: itself when its file named them all (the record kept
    between builds), else one whose ``made_from`` covers them too."""
    if getattr(record, references) == slugs:
        return record
    changes: dict[str, Any] = {
        references: slugs,
        "made_from": digest(record.made_from, *slugs) if record.made_from else "",
    }
    return replace(record, **changes)


def _add(items: list[str] | None, item: str) -> None:
    """Add once; None is a file that failed to load, already reported."""
    if items is not None and item not in items:
        items.append(item)
