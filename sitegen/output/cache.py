"""What one build keeps for the next, in a folder beside the output: deletable at any time.

Only pure work is kept, by a digest of its input (the HTML of each Markdown
text, by the text's digest), so a cached result is the result the build
would compute again: a rebuild cannot show a stale page. The folder is
tied to the versions of sitegen and of the library that wrote it; another
version (of sitegen, or of what computed a table), a damaged file or a
missing folder simply means an empty cache.

The folder is local state of the machine that builds, like the output
itself: it is never read from the site's files, and never published.
Records are kept as Python pickles and templates compiled to Python code
(sitegen.views.theme.KeptTemplates), which run when read, as a
``__pycache__`` folder's files do: only sitegen writes the folder, and it must
not be restored from anywhere the builder does not trust (a cache of
another repository's CI, an archive from a stranger).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import orjson

from sitegen import __version__

FORMAT = 1
"""Bump when what is kept changes meaning."""


def _fingerprint(producer: str) -> str:
    return f"sitegen {__version__}, {producer}, cache format {FORMAT}"


class BuildCache:
    """Named tables of text kept between builds (text keys, text values)."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def beside(cls, out_dir: Path) -> BuildCache:
        """The cache of the builds into ``out_dir``: ``.<name>.cache`` in the same parent folder."""
        out_dir = out_dir.absolute()
        return cls(out_dir.parent / f".{out_dir.name}.cache")

    def load(self, name: str, producer: str) -> dict[str, str]:
        """The table kept under ``name`` by ``producer`` (what computed it, with its version); empty if none."""
        try:
            document = orjson.loads((self.folder / f"{name}.json").read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(document, dict) or document.get("fingerprint") != _fingerprint(producer):
            return {}
        entries = document.get("entries")
        if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
            return {}
        return entries

    def save(self, name: str, producer: str, entries: dict[str, str]) -> None:
        """Keep ``entries`` for the next build; a cache that cannot be written is only a slower next build."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                file.write(orjson.dumps({"fingerprint": _fingerprint(producer), "entries": entries}))
            os.replace(temporary, self.folder / f"{name}.json")
        except OSError:
            return

    def load_objects(self, name: str, producer: str) -> dict[str, Any]:
        """The objects kept under ``name`` by ``producer``; a shard damaged or kept by another producer is left out."""
        entries: dict[str, Any] = {}
        for shard in (self.folder / name).glob("*.pickle"):  # none, for a folder that is missing or unreadable
            try:
                with open(shard, "rb") as file:
                    fingerprint, kept = pickle.load(file)
            except Exception:  # a damaged pickle can raise nearly anything: it is only a slower build
                continue
            if fingerprint == _fingerprint(producer) and isinstance(kept, dict):
                entries.update(kept)
        return entries

    def save_objects(self, name: str, producer: str, entries: dict[str, Any], previous: dict[str, Any]) -> None:
        """Keep ``entries`` (objects of sitegen's model, by key) for the next build; failing to is only a slower one.

        They are kept in 256 files by key, and only the files whose keys differ from ``previous`` (what
        ``load_objects`` gave) are written: after one edit, two small files rather than all the records.
        """
        folder = self.folder / name
        now, before = _sharded(entries), _sharded(previous)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{name}.pickle").unlink(missing_ok=True)  # the single file earlier builds kept them in
            for shard in now.keys() | before.keys():
                target = folder / f"{shard}.pickle"
                if shard not in now:
                    target.unlink(missing_ok=True)
                elif now[shard].keys() != before.get(shard, {}).keys():
                    _write_shard(target, (_fingerprint(producer), now[shard]))
        except OSError:
            return


def _sharded(entries: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``entries`` split in 256 shards by the first byte of a digest of the key (named in hex, '00' to 'ff')."""
    shards: dict[str, dict[str, Any]] = {}
    for key, value in entries.items():
        shards.setdefault(hashlib.blake2b(key.encode("utf-8"), digest_size=1).hexdigest(), {})[key] = value
    return shards


def _write_shard(target: Path, content: object) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    with os.fdopen(handle, "wb") as file:
        pickle.dump(content, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)
