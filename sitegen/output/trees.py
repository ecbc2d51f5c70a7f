"""The two trees a site is published from: the live one, and the one it replaced, kept to be written over.

A build writes a whole new tree and swaps it in (sitegen.output.publish).
Writing ten thousand files and deleting as many takes longer than the
rest of a rebuild, and nearly all of them are the same as last time. So
the tree a swap retires is kept in the build cache, and the next build
brings that one up to date (writes the files that differ, deletes the
ones that are gone) and swaps it in: double buffering, with the same
single atomic switch as before.

Each tree has a manifest (kept in the build cache, sitegen.output.cache):
for every file, the digest of its bytes, the key of the inputs it was
rendered from (sitegen.views.render), and its inode, size and modification
time when sitegen last looked at it. A file is what its manifest says when
it still has that inode, size and time (as rsync and git judge files); if
not, a file of the kept tree is read and taken if its bytes still have the
digest. So a cache restored elsewhere (a tar archive, CI's cache: new
inodes) still gives an incremental build, and anything else in a tree (a
file added or edited by hand, a half-finished build's work, a link) is
rewritten or deleted. A file rendered from the same inputs as one in the
live tree but missing from the retired one is hard-linked from the live
tree, which sitegen never writes in place; the live tree is judged by
inode alone, as a link is never followed from there.

The kept tree is swapped in by a rename, so it must be on the output's file
system: it is in the cache folder when that is, beside the output
(``.public.kept``) when not.
"""

from __future__ import annotations

import hashlib
import os
import stat
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

from sitegen.output.cache import BuildCache, read_regular_file

KEPT_TREE = "site"
"""The retired tree's folder in the build cache, and the table of its manifest; the live tree's is ``live``."""
LIVE_TREE = "live"


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


def kept_tree_folder(cache_folder: Path, out_dir: Path) -> Path:
    """Where the retired tree is kept: in the cache if it is on the output's file system, else beside the output."""
    try:
        same = os.stat(cache_folder).st_dev == os.stat(out_dir.absolute().parent).st_dev
    except OSError:
        same = False
    return cache_folder / KEPT_TREE if same else out_dir.absolute().parent / f".{out_dir.name}.kept"


class Trees:
    """The live tree (the output folder) and the kept one, with what each manifest says is in them."""

    def __init__(self, out_dir: Path, kept: Path, cache: BuildCache):
        self.live = out_dir.absolute()
        self.kept = kept.absolute()
        self.cache = cache
        self.live_manifest = _manifest(cache.load(LIVE_TREE))
        self.kept_manifest = _manifest(cache.load(KEPT_TREE))
        self._checked: dict[tuple[Path, str], Entry | None] = {}
        self._unlinked = False
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
            self._checked[place] = self._look(manifest.get(path), root, path)
        return self._checked[place]

    def _look(self, entry: Entry | None, root: Path, path: str) -> Entry | None:
        """``entry`` if the file is the one it describes: by inode, or (in the kept tree) by the digest of its bytes."""
        if entry is None:
            return None
        try:
            status = os.lstat(f"{root}/{path}")
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        if entry.describes(status):
            return entry
        if root != self.kept or status.st_size != entry.size:
            return None
        self._remove_links()  # before reading through the tree's folders: none may lead out of it
        found = read_regular_file(f"{root}/{path}")
        if found is None or hashlib.blake2b(found[0], digest_size=16).hexdigest() != entry.digest:
            return None
        return Entry.written(entry.digest, entry.key, found[1])

    def _remove_links(self) -> None:
        """Delete every link and special file of the kept tree (once per build): it was restored from elsewhere."""
        if not self._unlinked:
            self._unlinked = True
            remove_links(str(self.kept))

    def retire(self, manifest: Manifest) -> None:
        """After the swap: the new tree is live with ``manifest``, the one it replaced is kept with the live one's."""
        self.kept_manifest, self.live_manifest = self.live_manifest, manifest
        self.save()
        self._checked.clear()  # the trees have swapped places
        self.folders_made.clear()

    def save(self) -> None:
        """Keep both manifests in the cache."""
        self.cache.save(KEPT_TREE, {path: list(entry) for path, entry in self.kept_manifest.items()})
        self.cache.save(LIVE_TREE, {path: list(entry) for path, entry in self.live_manifest.items()})


def remove_links(folder: str) -> None:
    """Delete every entry under ``folder`` that is neither a real folder nor a regular file, never following one."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            remove_links(entry.path)
        elif not entry.is_file(follow_symlinks=False):  # a link (to a file or a folder), a pipe, a device
            with suppress(FileNotFoundError):  # another worker was first
                os.unlink(entry.path)


def _of_key(entry: Entry | None, key: str | None) -> Entry | None:
    return entry if entry is None or key is None or entry.key == key else None


def _manifest(table: dict[str, object]) -> Manifest:
    """A manifest from its table; empty if any entry is not one (its tree is then rewritten whole)."""
    try:
        return {name: Entry(*fields) for name, fields in table.items()}  # type: ignore[misc]
    except TypeError:
        return {}
