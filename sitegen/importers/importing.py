"""``import_history``: write what a reader found into a site, all of it or nothing.

The phases: merge the catalogue into ``sitegen.toml``, plan each file
(:mod:`~sitegen.importers.plan`), write the planned files into a copy of
the site's content beside it, load that copy as ``sitegen check`` would,
and only then move the files into place, ``sitegen.toml`` first (extra
components are harmless; content naming a missing one is not). An import
that fails anywhere before the move leaves the site exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path

from filelock import FileLock

from sitegen.content.config import CONFIG_FILE
from sitegen.content.loader import load_site
from sitegen.content.site import Site
from sitegen.content.source_files import INCIDENTS_DIR, WRITEUPS_DIR, is_content_file
from sitegen.content.times import load_timezone
from sitegen.content.warnings import find_warnings
from sitegen.errors import ContentError, Problem
from sitegen.importers.catalogue import merge_catalogue
from sitegen.importers.errors import ImportFailed
from sitegen.importers.plan import Action, Planned, plan_files
from sitegen.importers.records import SourceComponent, SourceHistory

STAGING_PREFIX = ".sitegen-import-"
THEMES = Path("themes")


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the command to say."""

    created: tuple[Path, ...]
    updated: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    skipped: tuple[Path, ...]
    """Edited by hand since they were imported, so left alone."""
    components_added: int
    config_written: bool
    warnings: tuple[Problem, ...] = ()
    """What ``sitegen check`` warns about in the files written (an outage of weeks, an incident left open...)."""


def import_history(site_dir: Path, history: SourceHistory, *, now: datetime, overwrite: bool = False) -> ImportReport:
    """Write ``history`` into the site at ``site_dir`` (created if need be); raise ImportFailed before any write."""
    with FileLock(_lock_path(site_dir)):
        config = site_dir / CONFIG_FILE
        existing = config.read_text(encoding="utf-8-sig") if config.exists() else None
        history = with_every_component(history)
        merged = merge_catalogue(existing, history)
        planned = plan_files(site_dir, history, merged.ids, _zone(merged.timezone), overwrite=overwrite)
        writes = [p for p in planned if p.action in (Action.CREATE, Action.UPDATE)]
        config_changed = merged.text != existing
        if config_changed:
            writes.insert(0, Planned(Path(CONFIG_FILE), merged.text, Action.UPDATE))
        warnings = _write_all(site_dir, writes, now=now) if writes else ()
    return ImportReport(
        created=tuple(p.path for p in planned if p.action is Action.CREATE),
        updated=tuple(p.path for p in planned if p.action is Action.UPDATE),
        unchanged=tuple(p.path for p in planned if p.action is Action.KEEP),
        skipped=tuple(p.path for p in planned if p.action is Action.SKIP),
        components_added=merged.added,
        config_written=config_changed,
        warnings=warnings,
    )


def with_every_component(history: SourceHistory) -> SourceHistory:
    """The history, with a catalogue entry for every component an incident names (named by its key if unknown)."""
    known = {c.key for c in history.components}
    named: dict[str, None] = {}
    for incident in history.incidents:
        named.update(dict.fromkeys([*incident.components, *incident.attached]))
        for update in incident.updates:
            named.update(dict.fromkeys(update.components))
    missing = tuple(SourceComponent(key=key, name=key) for key in named if key not in known)
    return replace(history, components=history.components + missing) if missing else history


def _zone(name: str) -> tzinfo:
    try:
        return load_timezone(name)
    except ValueError:  # the site's own sitegen.toml is wrong: loading the result will say so
        return load_timezone("UTC")


def _lock_path(site_dir: Path) -> Path:
    """Outside the site, so that no lock file is left among the site's files."""
    key = hashlib.sha256(str(site_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"sitegen-import-{key}.lock"


def _write_all(site_dir: Path, writes: list[Planned], *, now: datetime) -> tuple[Problem, ...]:
    """Stage, check, move; a site folder this made for a failed import is removed again.

    Returns the warnings ``sitegen check`` gives about the files written.
    """
    made = not site_dir.exists()
    site_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=site_dir))
    moved = False
    try:
        _mirror(site_dir, staging)
        for planned in writes:
            _write(staging / planned.path, planned.text)
        site = _check(staging, site_dir, now=now)
        written = {staging / planned.path for planned in writes}
        warnings = tuple(
            Problem(_at_site(p.path, staging, site_dir), p.line, p.message, warning=True)
            for p in find_warnings(site, staging)
            if p.path in written
        )
        moved = True
        for planned in writes:
            (site_dir / planned.path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / planned.path, site_dir / planned.path)
        return warnings
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if made and not moved:
            site_dir.rmdir()


def _write(path: Path, text: str) -> None:
    """Write a new file: a staged file may be a hard link to the site's own, which must not change yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _mirror(site_dir: Path, staging: Path) -> None:
    """What loading the site reads, copied into ``staging`` (hard links where the system allows)."""
    if (site_dir / CONFIG_FILE).exists():
        _copy(site_dir / CONFIG_FILE, staging / CONFIG_FILE)
    for folder in (INCIDENTS_DIR, WRITEUPS_DIR):
        source = site_dir / folder
        for path in sorted(source.iterdir()) if source.is_dir() else []:
            if is_content_file(path):
                _copy(path, staging / folder / path.name)
    if (site_dir / THEMES).is_dir():
        shutil.copytree(site_dir / THEMES, staging / THEMES)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _check(staging: Path, site_dir: Path, *, now: datetime) -> Site:
    """Load the staged site as ``sitegen check`` would; its problems are reported at the site's own paths."""
    try:
        return load_site(staging, now=now)
    except ContentError as exc:
        problems = [Problem(_at_site(p.path, staging, site_dir), p.line, p.message) for p in exc.problems]
        raise ImportFailed("the site would not load after this import, so nothing was written:", problems) from None


def _at_site(path: Path, staging: Path, site_dir: Path) -> Path:
    return site_dir / path.relative_to(staging) if path.is_relative_to(staging) else path
