"""What one build keeps for the next: data only, verified before use, outside the site's repository.

A cache is an input a build trusts, so it must not be a way in:

- It holds data, never code: tables of JSON (orjson), each file headed by
  the cache's format and the digest of its bytes. A file that is damaged
  (a flipped bit), cut short, of another format or not a regular file (a
  link to ``/dev/zero``, a pipe) fails that check and is left out: the work
  is done again, never taken from it. Reading it can build nothing but
  strings, numbers, lists and mappings.
- Every table carries the build's environment key (sitegen.views.environment:
  sitegen's code, the libraries, the zone's rules, the theme, the settings),
  and is taken only under the same key: whatever changed outside the
  content, nothing kept from before it is used.
- It lives outside the repository: in the user's cache folder
  (``$XDG_CACHE_HOME/sitegen``, else ``~/.cache/sitegen``), or where
  ``--cache-dir`` or ``$SITEGEN_CACHE_DIR`` say, in one folder per output
  (named by the output's path). A cache folder inside the site's repository
  is refused: a pull request could commit one, or a link in its place.

Deleting the folder at any time only makes the next build a cold one.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import orjson

from sitegen.errors import OutputError

FORMAT = 2
"""Bump when what is kept changes meaning."""
HEADER = b"sitegen cache %d\n" % FORMAT
DIRECTORY_VARIABLE = "SITEGEN_CACHE_DIR"
"""Where builds keep their caches, one folder per output, unless ``--cache-dir`` says."""
SHARDS = "shards"
"""The folder of a table kept in 256 files (``save_shards``)."""


def cache_root(explicit: Path | None = None) -> Path:
    """The folder holding every output's cache: ``explicit``, ``$SITEGEN_CACHE_DIR``, else the user's cache folder."""
    if explicit is not None:
        return explicit
    chosen = os.environ.get(DIRECTORY_VARIABLE)
    if chosen:
        return Path(chosen)
    user_cache = os.environ.get("XDG_CACHE_HOME")
    return (Path(user_cache) if user_cache else Path.home() / ".cache") / "sitegen"


def output_cache_folder(root: Path, out_dir: Path) -> Path:
    """The cache of the builds into ``out_dir``: named by the output's name and a digest of its full path."""
    place = out_dir.resolve()
    return root.absolute() / f"{place.name}-{_digest(os.fsencode(place))[:16]}"


def check_cache_location(folder: Path, site_dir: Path) -> None:
    """Refuse a cache inside the site's repository (or the site folder), or one that is a link; OutputError says why."""
    if folder.is_symlink():
        raise OutputError(f"the build cache {folder} is a link: remove it, or choose another with --cache-dir")
    repository = _repository(site_dir.resolve())
    if folder.resolve().is_relative_to(repository):
        raise OutputError(
            f"the build cache {folder} is inside {repository}, which holds the site's files: a pull request "
            f"could plant files in it. Choose a folder outside with --cache-dir or ${DIRECTORY_VARIABLE}"
        )


def _repository(site: Path) -> Path:
    """The git work tree the site belongs to, else the site folder itself."""
    return next((folder for folder in (site, *site.parents) if (folder / ".git").exists()), site)


class BuildCache:
    """One output's cache folder, read and written under one environment key for the whole of a build."""

    def __init__(self, folder: Path, environment: str):
        self.folder = folder
        self.environment = environment

    def load(self, name: str) -> dict[str, Any]:
        """The table kept under ``name`` in this environment; empty if none, damaged, or of another."""
        return _verified(self.folder / f"{name}.json", self.environment) or {}

    def save(self, name: str, entries: dict[str, Any]) -> None:
        """Keep ``entries`` for the next build; a cache that cannot be written is only a slower next build."""
        try:
            _write(self.folder, self.folder, f"{name}.json", _encoded(entries, self.environment))
        except OSError:
            return

    def load_shards(self, name: str) -> dict[str, Any]:
        """The entries kept by ``save_shards`` under ``name``; a shard damaged or of another environment is left out."""
        entries: dict[str, Any] = {}
        folder = self.folder / SHARDS / name
        if folder.is_dir() and not folder.is_symlink():
            for shard in folder.glob("*.json"):
                entries.update(_verified(shard, self.environment) or {})
        return entries

    def save_shards(self, name: str, entries: dict[str, Any], previous: dict[str, Any]) -> None:
        """Keep ``entries`` in 256 files by key, writing only those whose keys differ from ``previous``.

        After one edit, two small files are written rather than the whole table. Failing is only a slower build.
        """
        if entries.keys() == previous.keys():  # no shard differs (keys are digests of what they stand for)
            return
        now, before = _sharded(entries), _sharded(previous)
        folder = self.folder / SHARDS / name
        try:
            for shard in now.keys() | before.keys():
                if shard not in now:
                    (folder / f"{shard}.json").unlink(missing_ok=True)
                elif now[shard].keys() != before.get(shard, {}).keys():
                    _write(self.folder, folder, f"{shard}.json", _encoded(now[shard], self.environment))
        except OSError:
            return


def read_regular(path: str | Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link, device or pipe), else None.

    A file of the cache may have been replaced by anything: a link to ``/dev/zero`` would never end, a pipe
    would wait forever. The final name is opened without following links, without waiting, and checked.
    """
    found = read_regular_file(path)
    return found[0] if found is not None else None


def read_regular_file(path: str | Path) -> tuple[bytes, os.stat_result] | None:
    """``read_regular``, with the status of the very file read (for one who would look it up again)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            return None
        return file.read(), status


def _verified(path: Path, environment: str) -> dict[str, Any] | None:
    """The entries of a cache file written by ``_encoded`` in ``environment``; None if it is anything else."""
    data = read_regular(path)
    if data is None or not data.startswith(HEADER):
        return None
    digest, _, payload = data[len(HEADER) :].partition(b"\n")
    if digest != _digest(payload).encode():
        return None
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(document, dict) or document.get("environment") != environment:
        return None
    entries = document.get("entries")
    return entries if isinstance(entries, dict) else None


def _encoded(entries: dict[str, Any], environment: str) -> bytes:
    payload = orjson.dumps({"environment": environment, "entries": entries})
    return HEADER + _digest(payload).encode() + b"\n" + payload


def _write(root: Path, folder: Path, name: str, data: bytes) -> None:
    """Replace ``folder/name`` by ``data`` in one step; ``folder`` is made a real folder inside ``root`` first."""
    real_folder(root, folder)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, folder / name)


def real_folder(root: Path, folder: Path) -> None:
    """Make ``folder`` a real folder, and each one between it and ``root``: a link or a file in the way is removed.

    ``root`` itself is made as the builder named it (links on the way to it are the builder's own choice).
    """
    root.mkdir(parents=True, exist_ok=True)
    current = root
    for name in folder.relative_to(root).parts:
        current = current / name
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        current.mkdir(exist_ok=True)


def _sharded(entries: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``entries`` split in 256 shards by the first byte of a digest of the key (named in hex, '00' to 'ff')."""
    shards: dict[str, dict[str, Any]] = {}
    for key, value in entries.items():
        shards.setdefault(hashlib.blake2b(key.encode("utf-8"), digest_size=1).hexdigest(), {})[key] = value
    return shards


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
