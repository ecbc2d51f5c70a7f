"""The two trees a site is published from: the live one, and the one it replaced, kept to be written over.

A build writes a whole new tree and swaps it in (sitegen.output.publish).
Writing ten thousand files and deleting as many takes longer than the
rest of a rebuild, and nearly all of them are the same as last time. So
the tree a swap retires is kept in the build cache, and the next build
brings that one up to date (writes the files that differ, deletes the
ones that are gone) and swaps it in: double buffering, with the same
single atomic switch as before.

Each tree has a manifest: for every file, the digest of its bytes, the key
of the inputs it was rendered from (sitegen.views.render), and its inode,
size and modification time when sitegen wrote it. An entry is believed
only while the file still has that inode, size and time, as rsync and git
judge files; anything else in a tree (a file added or edited by hand, a
half-finished build's work) is rewritten or deleted. A file rendered from
the same inputs as one in the live tree but missing from the retired one
is hard-linked from the live tree, which sitegen never writes in place.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import orjson

FORMAT = 1
"""Bump when a manifest's entries change meaning."""
KEPT_TREE = "site"
"""The retired tree's folder in the build cache; its manifest is ``site.json``, the live tree's ``live.json``."""
LIVE_MANIFEST = "live.json"


class Entry(NamedTuple):
    """One file of a tree, as sitegen wrote it (a tuple: a manifest has one for every file, read every build)."""

    digest: str
    key: str | None
    device: int
    inode: int
    size: int
    modified_ns: int

    def describes(self, status: os.stat_result) -> bool:
        """Whether the file is still the one written: same inode, size and modification time."""
        return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns) == (
            self.device,
            self.inode,
            self.size,
            self.modified_ns,
        )

    @classmethod
    def written(cls, digest: str, key: str | None, status: os.stat_result) -> Entry:
        return cls(digest, key, status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


Manifest = dict[str, Entry]


class Trees:
    """The live tree (the output folder) and the kept one, with what each manifest says is in them."""

    def __init__(self, out_dir: Path, cache_dir: Path):
        self.live = out_dir.absolute()
        self.kept = cache_dir.absolute() / KEPT_TREE
        self.live_manifest = _load(cache_dir / LIVE_MANIFEST)
        self.kept_manifest = _load(cache_dir / f"{KEPT_TREE}.json")
        self.cache_dir = cache_dir.absolute()
        self._checked: dict[tuple[Path, str], Entry | None] = {}
        self.folders_made: set[str] = set()
        """Folders of the kept tree made sure of (real folders, not links) by this process in this build."""

    def holds(self, path: str, key: str) -> bool:
        """Whether either tree has the file ``path`` as rendered from inputs of ``key`` (so it need not be)."""
        return self.kept_entry(path, key) is not None or self.live_entry(path, key) is not None

    def kept_entry(self, path: str, key: str | None = None) -> Entry | None:
        """The kept tree's entry for ``path``, if the file is there as written (and of ``key``, if given)."""
        return _of_key(self._believed(self.kept_manifest, self.kept, path), key)

    def live_entry(self, path: str, key: str | None = None) -> Entry | None:
        return _of_key(self._believed(self.live_manifest, self.live, path), key)

    def _believed(self, manifest: Manifest, root: Path, path: str) -> Entry | None:
        """The manifest's entry for ``path`` if the file is still as written; looked at once per build and tree."""
        place = (root, path)
        if place not in self._checked:
            entry = manifest.get(path)
            try:
                self._checked[place] = (
                    entry if entry is not None and entry.describes(os.lstat(f"{root}/{path}")) else None
                )
            except OSError:
                self._checked[place] = None
        return self._checked[place]

    def retire(self, manifest: Manifest) -> None:
        """After the swap: the new tree is live with ``manifest``, the one it replaced is kept with the live one's."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        try:  # the file this build read the live manifest from (a file it could not read was read as empty)
            os.replace(self.cache_dir / LIVE_MANIFEST, self.cache_dir / f"{KEPT_TREE}.json")
        except FileNotFoundError:
            _save(self.cache_dir / f"{KEPT_TREE}.json", self.live_manifest)
        _save(self.cache_dir / LIVE_MANIFEST, manifest)
        self.kept_manifest, self.live_manifest = self.live_manifest, manifest
        self._checked.clear()  # the trees have swapped places
        self.folders_made.clear()


def _of_key(entry: Entry | None, key: str | None) -> Entry | None:
    return entry if entry is None or key is None or entry.key == key else None


def _load(path: Path) -> Manifest:
    """A manifest; empty if missing, damaged or of another format (its tree is then rewritten whole)."""
    try:
        document = orjson.loads(path.read_bytes())
        if document["format"] != FORMAT:
            return {}
        return {name: Entry(*fields) for name, fields in document["files"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _save(path: Path, manifest: Manifest) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(orjson.dumps({"format": FORMAT, "files": manifest}, default=list))  # an Entry is a list
    os.replace(temporary, path)
