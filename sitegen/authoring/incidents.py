"""``sitegen new``, ``update`` and ``resolve``: writing incident files from the command line.

A new incident gets a file of its own, never written over another; an update
goes into the file the user names, found by any unique part of its name
(:mod:`sitegen.authoring.finding`). The file is changed as text
(:mod:`sitegen.authoring.yaml_edit`), so that every other byte stays as it
was, under a lock and replaced in one step (:mod:`sitegen.authoring.safe_write`),
so that two updates at once both land. After writing, the whole site is
loaded again; if the edited file no longer loads, its original bytes are
put back. With ``dry_run`` nothing is written: the result holds the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sitegen.authoring.finding import find_incident, incident_files, summarise
from sitegen.authoring.safe_write import create, locked, replace
from sitegen.authoring.user_input import (
    AuthoringError,
    Body,
    check_body,
    check_slug,
    check_status,
    check_title,
    check_window,
    parse_components,
    slugify,
)
from sitegen.authoring.yaml_edit import TIME_FORMAT, NewUpdate, check_insertable, insert_update, new_incident_text
from sitegen.content.config import load_config
from sitegen.content.fields import suggestion
from sitegen.content.frontmatter import Document, FrontMatterError, LineMap, parse_document
from sitegen.content.loader import load_site
from sitegen.content.model import Component
from sitegen.content.site import SiteConfig
from sitegen.content.source_files import INCIDENTS_DIR
from sitegen.content.statuses import ENDING_STATUSES, STATUSES_OF_KIND, USER_IMPACTS, Kind, UpdateStatus
from sitegen.content.times import parse_promise, parse_time
from sitegen.errors import ContentError, Problem, Problems, display_path

BOM = b"\xef\xbb\xbf"
ARTICLE = {Kind.INCIDENT: "an incident", Kind.MAINTENANCE: "a maintenance"}
FIRST_STATUS = {Kind.INCIDENT: UpdateStatus.INVESTIGATING, Kind.MAINTENANCE: UpdateStatus.SCHEDULED}
RESOLVING_STATUS = {Kind.INCIDENT: UpdateStatus.RESOLVED, Kind.MAINTENANCE: UpdateStatus.COMPLETED}
DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")
MAX_SAME_DAY = 99


@dataclass(frozen=True)
class Written:
    """What a command wrote (or, with dry_run, would write): the file, the new update's time and status.

    ``warnings`` are worth a look but did not stop it; ``notes`` say what it
    chose for the user (another file name, say); ``text`` is the file's
    whole new text.
    """

    path: Path
    at: datetime
    status: UpdateStatus
    warnings: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())
    text: str = ""
    dry_run: bool = False


@dataclass(frozen=True)
class NewIncident:
    """What ``sitegen new`` was asked for, as typed: checked by :func:`create_incident`."""

    title: str
    components: Iterable[str] = ()
    status: str | None = None
    """None: investigating, or scheduled for a maintenance."""
    body: Body = None
    impact: str | None = None
    kind: Kind = Kind.INCIDENT
    scheduled_for: str | None = None
    scheduled_until: str | None = None
    slug: str | None = None
    """The file name's part after the date, or the whole name if it starts with one; None: from the title."""
    alert_key: str | None = None
    """The key of the alert the incident was drafted from (sitegen.authoring.alerts), kept in its front matter."""
    next_update: str | None = None
    """When the next update is promised by: a wait ('30m') or a time."""


def create_incident(site_dir: Path, request: NewIncident, *, now: datetime, dry_run: bool = False) -> Written:
    """Write ``content/incidents/<date>-<slug>.md`` with one update; never overwrite a file.

    The date is the day the incident starts (a maintenance: the day it is
    scheduled for) in the site's timezone. When the name is taken (a second
    incident of that title that day), '-2', '-3'... is added and said in
    the notes, unless the slug was given with --slug.
    """
    tz, catalogue = site_settings(site_dir)
    title = check_title(request.title)
    kind = request.kind
    window = check_window(request.scheduled_for, request.scheduled_until, tz) if kind is Kind.MAINTENANCE else None
    if kind is Kind.INCIDENT and (request.scheduled_for or request.scheduled_until):
        raise AuthoringError("--for and --until give a maintenance's window: add --kind maintenance")
    checked = check_status(request.status or FIRST_STATUS[kind].value, STATUSES_OF_KIND[kind], what=ARTICLE[kind])
    statuses = parse_components(request.components, catalogue)
    impact = _check_impact(request.impact)
    at = _second(now)
    day = (window[0] if window is not None else at).astimezone(tz).date().isoformat()
    given = check_slug(request.slug) if request.slug is not None else None
    base = (given if DATED.match(given) else f"{day}-{given}") if given is not None else f"{day}-{slugify(title)}"
    promise = check_promise(request.next_update, at, tz)
    update = NewUpdate(at=at, status=checked, body=check_body(body=request.body, status=checked), next_update=promise)
    text = new_incident_text(
        title=title, impact=impact, components=statuses, update=update, window=window, alert_key=request.alert_key
    )
    folder = site_dir / INCIDENTS_DIR
    path, notes = _free_name(folder, base, tz, chosen=given is not None)
    if dry_run:
        return Written(path, update.at, update.status, notes=notes, text=text, dry_run=True)
    folder.mkdir(parents=True, exist_ok=True)
    path, notes = _create_first_free(folder, base, text, tz, chosen=given is not None)
    warnings = _check_site(site_dir, path, original=None, now=now)
    return Written(path, update.at, update.status, warnings=warnings, notes=notes, text=text)


def add_update(
    site_dir: Path,
    query: str,
    *,
    status: str | None,
    body: Body,
    components: Iterable[str] = (),
    now: datetime,
    resolving: bool = False,
    include_closed: bool = False,
    dry_run: bool = False,
    next_update: str | None = None,
) -> Written:
    """Append one update to the incident file ``query`` names; leave every other byte as it was.

    ``resolving`` is ``sitegen resolve``: the status is the kind's ending one
    (resolved, or completed for a maintenance), refused if it already ended.
    ``query`` matches open incidents only, unless ``include_closed``. The
    file is read again under its lock, so an update written by another
    command in the meantime is kept.
    """
    tz, catalogue = site_settings(site_dir)
    path = find_incident(site_dir, query, tz, include_closed=include_closed)
    statuses = parse_components(components, catalogue)
    _, _, _, checked = _plan(path.read_bytes(), path, status, resolving=resolving)  # refuse before asking for text
    promise = check_promise(next_update, _second(now), tz)
    update = NewUpdate(_second(now), checked, check_body(body, checked), statuses, next_update=promise)
    if dry_run:
        text, _, document, _ = _plan(path.read_bytes(), path, status, resolving=resolving)
        new_text = insert_update(text, document, update)
        return Written(path, update.at, update.status, text=new_text, dry_run=True)
    with locked(path):
        original = path.read_bytes()
        text, bom, document, checked_again = _plan(original, path, status, resolving=resolving)
        if checked_again is not update.status:  # the file changed kind meanwhile: check the status anew
            raise AuthoringError(f"{display_path(path)} changed while this command ran: run it again")
        new_text = insert_update(text, document, update)
        replace(path, bom + new_text.encode("utf-8"))
        warnings = _check_site(site_dir, path, original=original, now=now)
    later = _latest_update(document.meta, tz)
    if later is not None and later > update.at:
        shown = later.astimezone(UTC).strftime(TIME_FORMAT)
        warnings += (f"the file already has an update at {shown}, later than this one: check --now",)
    return Written(path, update.at, update.status, warnings=warnings, text=new_text)


def _plan(
    original: bytes, path: Path, status: str | None, *, resolving: bool
) -> tuple[str, bytes, Document, UpdateStatus]:
    """The file's text, its BOM, its parsed front matter, and the new update's status checked against its kind."""
    text, bom = _decode(original, path)
    document = _parse(text, path)
    kind = _kind(document.meta, path)
    if resolving:
        _refuse_if_ended(document.meta, kind, path)
        status = RESOLVING_STATUS[kind].value
    if status is None:
        raise AuthoringError("give the update's status with --status")
    checked = check_status(status, STATUSES_OF_KIND[kind], what=ARTICLE[kind])
    check_insertable(text, document)  # refuse a file that cannot take an update before asking for text
    return text, bom, document, checked


def check_promise(value: str | None, at: datetime, tz: tzinfo) -> str | None:
    """--next-update as given, once it reads as a wait or a time after ``at``."""
    if value is None:
        return None
    try:
        parse_promise(value, at, tz)
    except ValueError as exc:
        raise AuthoringError(f"--next-update: {exc}") from None
    return value.strip()


def _check_impact(impact: str | None) -> str | None:
    if impact is not None and impact not in {i.value for i in USER_IMPACTS}:
        allowed = ", ".join(i.value for i in USER_IMPACTS)
        raise AuthoringError(f"impact '{impact}' is not one of {allowed}{suggestion(impact, allowed.split(', '))}")
    return impact


# --- naming a new file -----------------------------------------------------------------------


def _free_name(folder: Path, base: str, tz: tzinfo, *, chosen: bool) -> tuple[Path, tuple[str, ...]]:
    """The first of ``base``, ``base-2``, ``base-3``... no file takes (whatever its suffix), and why it is not ``base``.

    A name the user ``chosen`` with --slug is never changed: taken, it is an error.
    """
    taken = {p.stem: p for p in incident_files(folder)}
    if base not in taken:
        return folder / f"{base}.md", ()
    existing = taken[base]
    if chosen:
        raise AuthoringError(f"{display_path(existing)} already exists: choose another --slug")
    for number in range(2, MAX_SAME_DAY + 1):
        name = f"{base}-{number}"
        if name not in taken:
            return folder / f"{name}.md", _same_name_notes(existing, name, tz)
    raise AuthoringError(f"{base} and {MAX_SAME_DAY - 1} more of its name exist: choose a name with --slug")


def _same_name_notes(existing: Path, name: str, tz: tzinfo) -> tuple[str, ...]:
    summary = summarise(existing, tz)
    state = "resolved" if summary.closed else "still open"
    notes = [f"{existing.stem} already exists ({state}), so this one is {name}."]
    if not summary.closed:
        notes.append(f"If it is the same incident, delete {name} and run: sitegen update {existing.stem} ...")
    return tuple(notes)


def _create_first_free(folder: Path, base: str, text: str, tz: tzinfo, *, chosen: bool) -> tuple[Path, tuple[str, ...]]:
    """Create the file under the first free name; another command taking that name first moves it on to the next."""
    for _ in range(MAX_SAME_DAY):
        path, notes = _free_name(folder, base, tz, chosen=chosen)
        try:
            create(path, text.encode("utf-8"))
        except FileExistsError:
            if chosen:
                raise AuthoringError(f"{display_path(path)} already exists: choose another --slug") from None
            continue
        return path, notes
    raise AuthoringError(f"could not find a free name for {base}: choose one with --slug")


def site_settings(site_dir: Path) -> tuple[tzinfo, dict[str, Component]]:
    """The site's timezone and component catalogue; an error if sitegen.toml does not load."""
    config, catalogue = site_config(site_dir)
    return config.tz, catalogue


def site_config(site_dir: Path) -> tuple[SiteConfig, dict[str, Component]]:
    """The site's settings and component catalogue; an error if sitegen.toml does not load."""
    problems = Problems()
    config, components = load_config(site_dir, problems)
    if problems.errors or config is None or components is None:
        raise AuthoringError("sitegen.toml has errors: fix them first", problems.errors)
    return config, {c.id: c for c in components}


def _second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


# --- reading the file ------------------------------------------------------------------------


def _decode(data: bytes, path: Path) -> tuple[str, bytes]:
    """The text after any BOM, and the BOM (kept to be written back)."""
    bom = BOM if data.startswith(BOM) else b""
    try:
        return data[len(bom) :].decode("utf-8"), bom
    except UnicodeDecodeError:
        raise AuthoringError(f"{display_path(path)} is not UTF-8 text: save it with UTF-8 encoding") from None


def _parse(text: str, path: Path) -> Document:
    try:
        return parse_document(text)
    except FrontMatterError as exc:
        raise AuthoringError("the file cannot be read: fix it first", [Problem(path, exc.line, exc.message)]) from None


def _kind(meta: LineMap, path: Path) -> Kind:
    value = meta.get("kind", Kind.INCIDENT.value)
    if not isinstance(value, str) or value not in {k.value for k in Kind}:
        problem = Problem(path, meta.line_of("kind"), f"'kind' is {value!r}, not incident or maintenance")
        raise AuthoringError("the file cannot be updated: fix it first", [problem])
    return Kind(value)


def _statuses(meta: LineMap) -> list[object]:
    updates = meta.get("updates")
    if not isinstance(updates, list):
        return []
    return [u.get("status") for u in updates if isinstance(u, dict) and isinstance(u.get("status"), str)]


def _refuse_if_ended(meta: LineMap, kind: Kind, path: Path) -> None:
    """A second 'resolved' is most likely the wrong file: say so rather than write it."""
    if any(s in {e.value for e in ENDING_STATUSES} for s in _statuses(meta)):
        word = "completed" if kind is Kind.MAINTENANCE else "resolved"
        raise AuthoringError(
            f"{display_path(path)} is already {word}; "
            f"to add another update anyway use 'sitegen update {path.stem} --status ...'"
        )


def _latest_update(meta: LineMap, tz: tzinfo) -> datetime | None:
    updates = meta.get("updates")
    times = []
    for update in updates if isinstance(updates, list) else []:
        try:
            times.append(parse_time(update.get("at"), tz))
        except (ValueError, AttributeError):  # not a time, or not a mapping: the loader reports it
            continue
    return max(times, default=None)


# --- writing the file safely -----------------------------------------------------------------


def _check_site(site_dir: Path, path: Path, *, original: bytes | None, now: datetime) -> tuple[str, ...]:
    """Load the whole site; undo the write (restore ``original``, or remove a new file) if ``path`` fails.

    Problems only in other files are returned as warnings: they were there
    before, and must not stop an update during an outage.
    """
    try:
        load_site(site_dir, now=now)
    except ContentError as exc:
        target = path.resolve()
        own = [p for p in exc.problems if p.path.resolve() == target]
        if own:
            if original is None:
                path.unlink()
            else:
                replace(path, original)
            raise AuthoringError(f"{display_path(path)} would not load, so it was left unchanged:", own) from None
        note = "another file has a problem (the site will not build until it is fixed)"
        return tuple(f"{note}: {problem}" for problem in exc.problems)
    return ()
