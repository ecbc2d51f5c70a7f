"""``sitegen new``, ``update`` and ``resolve``: writing incident files from the command line.

A new incident gets a file of its own, never written over another; an update
goes into the file the user names, found by any unique part of its name. The
file is changed as text (:mod:`sitegen.authoring.yaml_edit`), so that every
other byte stays as it was, and replaced in one step. After writing, the
whole site is loaded again; if the edited file no longer loads, its original
bytes are put back.
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sitegen.authoring.user_input import (
    AuthoringError,
    Body,
    check_body,
    check_status,
    check_title,
    parse_components,
    slugify,
)
from sitegen.authoring.yaml_edit import TIME_FORMAT, NewUpdate, check_insertable, insert_update, new_incident_text
from sitegen.content.config import load_config
from sitegen.content.fields import suggestion
from sitegen.content.frontmatter import Document, FrontMatterError, LineMap, parse_document
from sitegen.content.loader import INCIDENTS_DIR, MARKDOWN_SUFFIXES, load_site
from sitegen.content.model import Component
from sitegen.content.statuses import (
    ENDING_STATUSES,
    INCIDENT_STATUSES,
    STATUSES_OF_KIND,
    USER_IMPACTS,
    Kind,
    UpdateStatus,
)
from sitegen.content.times import parse_time
from sitegen.errors import ContentError, Problem, Problems, display_path

BOM = b"\xef\xbb\xbf"
MAX_CANDIDATES = 10
ARTICLE = {Kind.INCIDENT: "an incident", Kind.MAINTENANCE: "a maintenance"}
RESOLVING_STATUS = {Kind.INCIDENT: UpdateStatus.RESOLVED, Kind.MAINTENANCE: UpdateStatus.COMPLETED}


@dataclass(frozen=True)
class Written:
    """What a command wrote: the file, the new update's time and status, and anything worth a warning."""

    path: Path
    at: datetime
    status: UpdateStatus
    warnings: tuple[str, ...] = field(default=())


def create_incident(
    site_dir: Path,
    *,
    title: str,
    components: Iterable[str],
    status: str,
    body: Body,
    impact: str | None,
    now: datetime,
) -> Written:
    """Write ``content/incidents/<date>-<slug>.md`` with one update; never overwrite a file."""
    tz, catalogue = site_settings(site_dir)
    title = check_title(title)
    checked = check_status(status, INCIDENT_STATUSES, what=ARTICLE[Kind.INCIDENT])
    statuses = parse_components(components, catalogue)
    if impact is not None and impact not in {i.value for i in USER_IMPACTS}:
        allowed = ", ".join(i.value for i in USER_IMPACTS)
        raise AuthoringError(f"impact '{impact}' is not one of {allowed}{suggestion(impact, allowed.split(', '))}")
    at = _second(now)
    slug = f"{at.astimezone(tz).date().isoformat()}-{slugify(title)}"
    folder = site_dir / INCIDENTS_DIR
    existing = [p for p in _incident_files(folder) if p.stem == slug]
    if existing:
        raise AuthoringError(
            f"{display_path(existing[0])} already exists: add an update to it with "
            f"'sitegen update {slug}', or choose another title"
        )
    path = folder / f"{slug}.md"
    update = NewUpdate(at=at, status=checked, body=check_body(body, checked))  # components: the incident's
    text = new_incident_text(title=title, impact=impact, components=statuses, update=update)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "xb") as handle:  # 'x': fail rather than overwrite, even in a race
            handle.write(text.encode("utf-8"))
    except FileExistsError:
        raise AuthoringError(f"{display_path(path)} already exists: choose another title") from None
    warnings = _check_site(site_dir, path, original=None, now=now)
    return Written(path=path, at=update.at, status=update.status, warnings=warnings)


def add_update(
    site_dir: Path,
    query: str,
    *,
    status: str | None,
    body: Body,
    components: Iterable[str] = (),
    now: datetime,
    resolving: bool = False,
) -> Written:
    """Append one update to the incident file ``query`` names; leave every other byte as it was.

    ``resolving`` is ``sitegen resolve``: the status is the kind's ending one
    (resolved, or completed for a maintenance), refused if it already ended.
    """
    tz, catalogue = site_settings(site_dir)
    path = find_incident(site_dir, query)
    original = path.read_bytes()
    text, bom = _decode(original, path)
    document = _parse(text, path)
    kind = _kind(document.meta, path)
    if resolving:
        _refuse_if_ended(document.meta, kind, path)
        status = RESOLVING_STATUS[kind].value
    if status is None:
        raise AuthoringError("give the update's status with --status")
    checked = check_status(status, STATUSES_OF_KIND[kind], what=ARTICLE[kind])
    statuses = parse_components(components, catalogue)
    check_insertable(text, document)  # refuse a file that cannot take an update before asking for text
    update = NewUpdate(at=_second(now), status=checked, body=check_body(body, checked), components=statuses)
    new_text = insert_update(text, document, update)
    _replace(path, bom + new_text.encode("utf-8"))
    warnings = _check_site(site_dir, path, original=original, now=now)
    later = _latest_update(document.meta, tz)
    if later is not None and later > update.at:
        shown = later.astimezone(UTC).strftime(TIME_FORMAT)
        warnings += (f"the file already has an update at {shown}, later than this one: check --now",)
    return Written(path=path, at=update.at, status=update.status, warnings=warnings)


def site_settings(site_dir: Path) -> tuple[tzinfo, dict[str, Component]]:
    """The site's timezone and component catalogue; an error if sitegen.toml does not load."""
    problems = Problems()
    config, components = load_config(site_dir, problems)
    if problems.errors or config is None or components is None:
        raise AuthoringError("sitegen.toml has errors: fix them first", problems.errors)
    return config.tz, {c.id: c for c in components}


def _second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


# --- finding the file ------------------------------------------------------------------------


def find_incident(site_dir: Path, query: str) -> Path:
    """The one incident file whose name is ``query``, starts with it, or (failing that) contains it.

    A path or a file name with its suffix is accepted too, as a shell's
    completion gives. No match, or several, is an error naming the closest.
    """
    folder = site_dir / INCIDENTS_DIR
    files = {p.stem: p for p in _incident_files(folder)}
    name = Path(query).name
    wanted = (Path(name).stem if Path(name).suffix.lower() in MARKDOWN_SUFFIXES else name).lower()
    if wanted in files:
        return files[wanted]
    matches = [s for s in files if s.startswith(wanted)] or [s for s in files if wanted in s]
    if len(matches) == 1:
        return files[matches[0]]
    if not files:
        raise AuthoringError(f"there are no incident files in {display_path(folder)}")
    if matches:
        raise AuthoringError(f"'{query}' matches {len(matches)} incidents; which one?", hints=_listing(wanted, matches))
    raise AuthoringError(f"no incident file matches '{query}'; the closest are:", hints=_listing(wanted, list(files)))


def closest(query: str, names: Iterable[str], limit: int = MAX_CANDIDATES) -> list[str]:
    """Names by similarity to ``query``, the most similar first; newest (greatest name) first on a tie."""
    ranked = sorted(names, key=lambda n: (difflib.SequenceMatcher(None, query, n).ratio(), n), reverse=True)
    return ranked[:limit]


def _listing(query: str, names: list[str]) -> list[str]:
    shown = closest(query, names)
    more = len(names) - len(shown)
    return [f"  {name}" for name in shown] + ([f"  ... and {more} more"] if more else [])


def _incident_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.suffix.lower() in MARKDOWN_SUFFIXES)


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


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` over ``path`` in one step, so that an interrupted write leaves the old file."""
    temporary = path.with_name(f".{path.name}.sitegen-tmp")  # a dot file: the loader skips it
    try:
        temporary.write_bytes(data)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


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
                _replace(path, original)
            raise AuthoringError(f"{display_path(path)} would not load, so it was left unchanged:", own) from None
        note = "another file has a problem (the site will not build until it is fixed)"
        return tuple(f"{note}: {problem}" for problem in exc.problems)
    return ()
