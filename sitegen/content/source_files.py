"""Finding and reading content files: which files a folder has, their bytes, and their front matter.

Turning what a file says into a record, and checking it, is the loader's
(sitegen.content.loader); this module only says which files there are and
what they hold, and reports a file that cannot be read or parsed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from sitegen.content.fields import CONTROL, control_character_message
from sitegen.content.frontmatter import Document, FrontMatterError, parse_document
from sitegen.content.names import SLUG, name_problem, shorten, slug_for
from sitegen.content.record_cache import NO_RECORDS, KnownRecords
from sitegen.errors import Problem, Problems
from sitegen.parallel import parallel_map

CONTENT_DIR = Path("content")
INCIDENTS_DIR = CONTENT_DIR / "incidents"
WRITEUPS_DIR = CONTENT_DIR / "writeups"
TEMPLATES_DIR = CONTENT_DIR / "templates"
"""Incident templates: read by ``sitegen new --template`` and checked by ``sitegen check``, never built."""
MARKDOWN_SUFFIXES = (".md", ".markdown")


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


@dataclass(frozen=True)
class Listing:
    """A content folder's Markdown files in name order, and why each name that cannot be a slug cannot.

    A folder is listed once per build: its slugs are known before any file is read (references are checked
    against them, and a kept record of the other folder is taken only while the slugs it names are among them),
    and ``read_folder`` reads the same list.
    """

    directory: Path
    entries: tuple[os.DirEntry[str], ...]
    name_problems: Mapping[str, str]
    """By file name: why it cannot be a slug, and what to rename it to."""

    @cached_property
    def slugs(self) -> frozenset[str]:
        return frozenset(_slug(e.name) for e in self.entries if e.name not in self.name_problems)


def list_folder(site_dir: Path, folder: Path) -> Listing:
    """The Markdown files of one content folder (none if there is no such folder)."""
    directory = site_dir / folder
    if not directory.is_dir():
        return Listing(directory, (), {})
    entries = tuple(sorted((e for e in os.scandir(directory) if is_content_entry(e)), key=lambda e: e.name))
    taken = {_slug(e.name) for e in entries}
    problems = {e.name: message for e in entries if (message := _file_name_problem(e.name, taken))}
    return Listing(directory, entries, problems)


def read_folder(
    site_dir: Path, listing: Listing, problems: Problems, max_kib: int, known: KnownRecords = NO_RECORDS
) -> list[SourceFile]:
    """Every Markdown file of one content folder, in name order, parsed unless ``known`` has its record.

    Files are read here (a file read is cheap); YAML is slow, so the files to parse are parsed on all cores.
    """
    if not listing.entries:
        return []
    root = site_dir.resolve()
    inside = listing.directory.resolve().is_relative_to(root)
    seen: dict[str, Path] = {}
    sources: list[SourceFile] = []
    unread: list[tuple[SourceFile, bytes]] = []
    for entry in listing.entries:
        path = listing.directory / entry.name
        slug = _slug(entry.name)
        if message := listing.name_problems.get(entry.name):
            problems.error(path, 1, message)
            continue
        if slug in seen:
            problems.error(path, 1, f"slug '{slug}' is also the slug of {seen[slug].name}: rename one of them")
            continue
        seen[slug] = path
        data = _read_bytes(path, inside and not entry.is_symlink(), root, max_kib)
        if isinstance(data, Problem):
            problems.add(data)
            continue
        of_bytes = digest(data)
        source = SourceFile(slug, path, None, of_bytes, known.key(of_bytes, str(path)))
        if source.key in known:
            sources.append(source)
        else:
            unread.append((source, data))
    for (source, _), parsed in zip(unread, parallel_map(_parse, unread)):
        if isinstance(parsed, Problem):
            problems.add(parsed)
        else:
            sources.append(replace(source, document=parsed))
    return sorted(sources, key=lambda s: s.path.name)


def _slug(name: str) -> str:
    """A file's slug: its name without the extension (``Path(name).stem``, without a Path for each file)."""
    return os.path.splitext(name)[0]


def is_content_file(path: Path) -> bool:
    """Whether the loader reads this entry of a content folder: a Markdown file whose name has no leading dot."""
    return _is_content_name(path.name) and not path.is_dir()


def is_content_entry(entry: os.DirEntry[str]) -> bool:
    """As ``is_content_file``; a link that cannot be followed is a file, for reading it to say what is wrong."""
    if not _is_content_name(entry.name):
        return False
    try:
        return not entry.is_dir()
    except OSError:
        return True


def _is_content_name(name: str) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES


def _file_name_problem(name: str, taken: set[str]) -> str | None:
    """Why a content file's name cannot be its slug, and what to rename it to; None if it can."""
    slug, suffix = os.path.splitext(name)
    if SLUG.match(slug):
        problem = name_problem(slug)
        return f"file name '{shorten(name)}' cannot be a URL slug: it {problem}" if problem else None
    fixed = slug_for(slug)
    if fixed in taken:
        return (
            f"file name '{name}' collides with {fixed}{suffix} (names that differ only in case are one "
            "file on macOS and Windows): merge them, or give this one another lower-case name"
        )
    return f"file name '{name}' cannot be a URL slug: rename it to '{fixed}{suffix}'"


def _read_bytes(path: Path, inside: bool, root: Path, max_kib: int) -> bytes | Problem:
    """A content file's bytes, or why they cannot be read.

    ``inside``: the file is known to be in the site (not a link, in a folder of the site), so only links
    and files of a linked folder are resolved, to refuse one that points outside the site.
    """
    try:
        if not inside and not path.resolve().is_relative_to(root):
            return Problem(path, 1, "this file links to a place outside the site folder: copy the file in instead")
        with open(path, "rb") as file:
            if os.fstat(file.fileno()).st_size <= max_kib * 1024:
                return file.read()
        limit = f"file is larger than {max_kib} KiB: is it really an incident? ([site] max_file_kib sets the limit)"
        return Problem(path, 1, limit)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on resolve()
        return Problem(path, 1, f"cannot read this file: {exc}")


def _parse(unread: tuple[SourceFile, bytes]) -> Document | Problem:
    """A content file's front matter and body, or what stops them being read."""
    source, data = unread
    path = source.path
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
        return parse_document(text)
    except FrontMatterError as exc:
        return Problem(path, exc.line, exc.message)


def digest(*parts: bytes | str) -> str:
    """Of the parts in order (each one's length is in it too, so parts cannot run together)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(b"%d:" % len(data) + data)
    return hasher.hexdigest()
