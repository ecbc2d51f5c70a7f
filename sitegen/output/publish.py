"""Writing a finished site: all files at once, into a folder sitegen owns, or not at all.

Everything is written to a tree beside the target (the one the previous
build retired, kept in the build cache: see sitegen.output.trees), pages
as they are rendered and the rest once the site is made, and that tree is
swapped in: readers of the old site never see a half-written one, and a
failed build leaves the previous site untouched.

The swap is one atomic step where the system has one: on Linux,
``renameat2(RENAME_EXCHANGE)`` trades the two folders' names, so at every
instant the output folder is either the whole old site or the whole new
one. Elsewhere it takes two renames; a kill between them leaves the old
site under a staging name, and the next build (even one that fails) puts
it back first (:func:`recover`). Staging folders are recognised by their
names, which only sitegen makes, so a kill half-way through deleting one
(which may take its marker file first) still leaves it to be cleaned up.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import posixpath
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import accumulate
from pathlib import Path

from sitegen.errors import OutputError
from sitegen.output.trees import Entry, Manifest, Trees

MARKER = ".sitegen-output"
MARKER_TEXT = "This folder is written by sitegen build; it is replaced whole on every build.\n"
SITE_OWN = ("content", "themes", "sitegen.toml", ".git")
"""What a site folder holds that a build must never replace, --force or not."""
FILE_MODE_UMASK = 0o022
"""Output is published as 0644 files in 0755 folders, whatever the builder's umask."""
RENAME_EXCHANGE = 2


class SiteFiles(dict[str, bytes]):
    """The files of a site by path; two outputs claiming one path is a bug, caught here.

    A file may have a key: the digest of what it was rendered from (see
    sitegen.views.render). A file the previous builds already hold under
    its key is listed by key alone (``keep``), and taken from them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.key_of: dict[str, str] = {}
        self.written: dict[str, Entry] = {}
        """Files already written into the kept tree where they were made (see ``write_file``), with their entries."""

    def add(self, path: str, data: bytes, key: str | None = None) -> None:
        self._claim(path)
        self[path] = data
        if key is not None:
            self.key_of[path] = key

    def add_written(self, path: str, entry: Entry) -> None:
        """The file at ``path`` was written into the kept tree as ``entry`` says (by ``write_file``)."""
        self._claim(path)
        self.written[path] = entry
        if entry.key is not None:
            self.key_of[path] = entry.key

    def keep(self, path: str, key: str) -> None:
        """The file at ``path`` is the one an earlier build rendered from inputs of ``key``."""
        self._claim(path)
        self.key_of[path] = key

    def add_all(self, files: dict[str, bytes]) -> None:
        for path, data in files.items():
            self.add(path, data)

    @property
    def paths(self) -> set[str]:
        """Every file of the site, written anew or kept."""
        return set(self) | set(self.key_of) | set(self.written)

    def _claim(self, path: str) -> None:
        normal = posixpath.normpath(path)
        if normal != path or path.startswith(("/", "../")) or path == "..":
            raise ValueError(f"output path {path!r} is not a plain relative path")
        if path in self or path in self.key_of or path in self.written:
            raise ValueError(f"two outputs claim {path!r}")


def check_target(out_dir: Path, site_dir: Path, *, force: bool) -> None:
    """Refuse to replace a folder that is not sitegen's output; raise OutputError saying why."""
    target = out_dir.resolve()
    site = site_dir.resolve()
    if target in (Path(target.anchor), Path.home().resolve()) or target in site.parents or target == site:
        raise OutputError(f"refusing to replace {out_dir}: it is not an output folder; choose another with -o")
    if any(target == site / own or site / own in target.parents for own in SITE_OWN):
        raise OutputError(f"refusing to write the site into {out_dir}: it holds the site's own files")
    if target.is_dir() and any((target / own).exists() for own in ("content", "sitegen.toml")):
        raise OutputError(f"refusing to replace {out_dir}: it holds a site's own files (content/, sitegen.toml)")
    if force or not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"{out_dir} is a file, not a folder: choose another output folder with -o")
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise OutputError(
            f"{out_dir} holds files sitegen did not write; building would delete them. "
            "Choose an empty or new folder with -o, or pass --force to replace it anyway"
        )


def recover(out_dir: Path) -> None:
    """Undo what a killed build left beside ``out_dir``: put a retired site back if the output is gone, tidy up."""
    out_dir = out_dir.absolute()
    try:
        leftovers = _leftovers(out_dir)
        if not out_dir.exists() and leftovers["old"]:
            newest = max(leftovers["old"], key=lambda p: p.stat().st_mtime)
            newest.rename(out_dir)
            leftovers["old"].remove(newest)
        for leftover in leftovers["old"] + leftovers["new"]:
            shutil.rmtree(leftover, ignore_errors=True)
    except OSError:
        return  # the build itself will say what is wrong with the folder, if anything is


def publish(files: SiteFiles, out_dir: Path, trees: Trees) -> None:
    """Bring the kept tree up to ``files`` and swap it in for ``out_dir`` in one step (see sitegen.output.trees).

    Raises OutputError when the folder cannot be written (a full or
    read-only disk, a parent that is a file); the previous site stays.
    """
    out_dir = out_dir.absolute()
    with writing(out_dir):
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover(out_dir)
        _make_folder(str(trees.kept))
        manifest = _update_tree(files, trees)
        first = not out_dir.exists()
        _swap(trees.kept, out_dir)
        trees.retire(manifest)
        if first:
            _mirror(trees, manifest)


def _mirror(trees: Trees, manifest: Manifest) -> None:
    """After a first build into the output (as in CI, where only the cache is restored): the kept tree gets the
    new site too, as hard links (sitegen never writes a file in place), so that the cache saved holds it."""
    _make_folder(str(trees.kept))  # where the kept tree was before the swap: an empty folder, nothing in the way
    for path in manifest:
        os.link(f"{trees.live}/{path}", _with_folders(trees, path))
    trees.kept_manifest = dict(manifest)
    trees.save()


@contextmanager
def writing(out_dir: Path) -> Iterator[None]:
    """Turn a failure to write the site (a full or read-only disk, a parent that is a file) into an OutputError.

    Pages are written as they are rendered (``write_file``), and the rest
    when the site is published: both say the same, and leave the site as it was.
    """
    try:
        yield
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        raise OutputError(f"cannot write the site to {out_dir}: {reason}; the previous site is unchanged") from None


def _staging_prefix(out_dir: Path, kind: str) -> str:
    """Names of the folders beside ``out_dir`` that a build works in: '.public.new-…', '.public.old-…'."""
    return f".{out_dir.name}.{kind}-"


def _leftovers(out_dir: Path) -> dict[str, list[Path]]:
    """Staging folders of earlier builds, by kind; mkdtemp's names end in eight letters, digits or '_'."""
    found: dict[str, list[Path]] = {"new": [], "old": []}
    pattern = re.compile(re.escape(f".{out_dir.name}.") + r"(new|old)-[a-z0-9_]{8}")
    for entry in out_dir.parent.iterdir():
        if (match := pattern.fullmatch(entry.name)) and entry.is_dir() and not entry.is_symlink():
            found[match.group(1)].append(entry)
    return found


@contextmanager
def _publishing_modes() -> Iterator[None]:
    previous = os.umask(FILE_MODE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def _update_tree(files: SiteFiles, trees: Trees) -> Manifest:
    """Make the kept tree hold exactly ``files`` (and the marker); returns its new manifest.

    Files it already holds as written are left alone, others are written
    as new files (the one there may be a hard link to one of the live site,
    which must not change), and everything else is deleted.
    """
    root = trees.kept
    wanted = files.paths | {MARKER}
    _prune(root, wanted)
    manifest: Manifest = {}
    with _publishing_modes():
        os.chmod(root, 0o755)
        for path in sorted(wanted):
            data = MARKER_TEXT.encode() if path == MARKER else files.get(path)
            key = files.key_of.get(path)
            if path in files.written:
                manifest[path] = files.written[path]
            elif data is None:
                assert key is not None, "a file without bytes is one kept by key"
                manifest[path] = _carry(trees, path, key)
            else:
                manifest[path] = write_file(trees, path, data, key)
    return manifest


def write_file(trees: Trees, path: str, data: bytes, key: str | None) -> Entry:
    """Put ``data`` at ``path`` in the kept tree, from any process; returns the file's manifest entry.

    A file the kept tree already holds with these bytes is left as it is.
    Rendering calls this on every core, so a build's pages go to disk where
    they are made instead of travelling back to be written one by one; the
    tree is not live, and publishing later deletes what it should not hold.
    """
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    entry = trees.kept_entry(path)
    if entry is not None and entry.digest == digest:
        return Entry(digest, key, entry.device, entry.inode, entry.size, entry.modified_ns)
    with _publishing_modes():
        return Entry.written(digest, key, _write(trees, path, data))


def _prune(root: Path, wanted: set[str]) -> None:
    """Delete from ``root`` every file, link and folder not on the way to a wanted file."""
    _prune_folder(str(root), "", wanted)


def _prune_folder(folder: str, prefix: str, wanted: set[str]) -> bool:
    """Prune one folder (its entries' names start with ``prefix`` in ``wanted``); whether it is left empty.

    Entries are told apart by their type in the folder listing, without a stat each: a rebuild walks a
    folder for every incident.
    """
    empty = True
    with os.scandir(folder) as entries:
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if _prune_folder(entry.path, f"{name}/", wanted):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif name in wanted and not entry.is_symlink():
                empty = False
            else:
                os.unlink(entry.path)
    return empty


def _carry(trees: Trees, path: str, key: str) -> Entry:
    """The file rendered from inputs of ``key``: left in the kept tree, or linked from the live one."""
    entry = trees.kept_entry(path, key)
    if entry is not None:
        return entry
    entry = trees.live_entry(path, key)
    if entry is None:
        raise OSError(errno.ESTALE, "a file of the live site changed during the build: build again", path)
    os.link(trees.live / path, _vacated(trees, path))
    return entry


def _write(trees: Trees, path: str, data: bytes) -> os.stat_result:
    """Write a file of the kept tree, as a new file: the one it replaces may be a hard link to the live site's."""
    with open(_vacated(trees, path), "wb") as file:
        file.write(data)
        file.flush()  # so that the size and time kept are the file's whole
        return os.fstat(file.fileno())


def _vacated(trees: Trees, path: str) -> str:
    """``path`` in the kept tree made free to be created: its folders made, and whatever was in the way removed.

    The kept tree is not live, so anything in it may go; but a link in it
    must never be written through, and a file may stand where a folder now
    has to be (or a folder where a file has to). Each folder is looked at
    once per build and process.
    """
    target = _with_folders(trees, path)
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(target)
    return target


def _with_folders(trees: Trees, path: str) -> str:
    """``path`` in the kept tree, its folders made (each looked at once per build and process)."""
    for folder in accumulate(path.split("/")[:-1], lambda parent, name: f"{parent}/{name}", initial=str(trees.kept)):
        if folder not in trees.folders_made:
            _make_folder(folder)
            trees.folders_made.add(folder)
    return f"{trees.kept}/{path}"


def _make_folder(folder: str) -> None:
    """Make ``folder`` a real folder: a link or a file by that name is removed first."""
    if os.path.isdir(folder) and not os.path.islink(folder):
        return
    if os.path.lexists(folder):
        with suppress(FileNotFoundError):  # another worker was first
            os.unlink(folder)
    os.makedirs(folder, exist_ok=True)


def _swap(tree: Path, out_dir: Path) -> None:
    """Put ``tree`` in place of ``out_dir``; the old site, if any, takes the place of ``tree``."""
    if not out_dir.exists():
        tree.rename(out_dir)
        return
    if _exchange(tree, out_dir):
        return
    retired = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir, "old"), dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    tree.rename(out_dir)
    retired.rename(tree)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths' names atomically (Linux renameat2); False where the system or file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # an old kernel, or a file system without exchange: fall back to two renames
    raise OSError(code, os.strerror(code), str(second))


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a libc older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function
