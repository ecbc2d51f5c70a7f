"""Changing a content file safely while others may change it too: one writer at a time, whole or not at all.

Two people (or two terminals) may run ``sitegen update`` on one incident at
the same moment during an outage. Each read-modify-write runs under a lock
on that file (:func:`locked`), and the caller reads the file again once it
holds the lock, so neither update is lost. A file is replaced by writing a
temporary file of a name no other process uses, flushing it to the disk and
renaming it over the original (:func:`replace`): a crash or a full disk
leaves the old file, never half of the new one.

The lock files live in the system's temporary folder, named after the
locked file's full path, so that they never show up in the site's Git
working tree.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from sitegen.authoring.user_input import AuthoringError
from sitegen.errors import display_path

LOCK_TIMEOUT_SECONDS = 60.0
LOCK_DIR_NAME = "sitegen-locks"
TEMPORARY_SUFFIX = ".sitegen-tmp"


@contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the lock on ``path`` for the block: other sitegen processes changing it wait their turn."""
    lock = FileLock(lock_path(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise AuthoringError(
            f"another sitegen command has been changing {display_path(path)} for {timeout:.0f} s: "
            "nothing was written; try again once it is done"
        ) from None
    try:
        yield
    finally:
        lock.release()


def lock_path(path: Path) -> Path:
    """The lock file for ``path``: one per file, whatever the working folder or the way the path is written."""
    folder = Path(tempfile.gettempdir()) / LOCK_DIR_NAME
    try:
        folder.mkdir()
        folder.chmod(0o1777)  # shared by every user, as /tmp is
    except FileExistsError:
        pass
    key = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32]
    return folder / f"{key}.lock"


def replace(path: Path, data: bytes) -> None:
    """Put ``data`` in place of ``path`` in one step, keeping its mode; an interrupted write leaves the old file.

    The temporary file is a dot file beside ``path`` (the loader skips dot
    files), of a name unique to this call.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    _sync_folder(path.parent)


def create(path: Path, data: bytes) -> None:
    """Write a new file ``path``, whole or not at all; FileExistsError if one is there, even one made a moment ago.

    The data goes to a temporary file first, which then gets the name in
    one step, and only if no file has it (a hard link, where the file
    system has them): a full disk or a kill mid-write never leaves an
    empty or half-written incident, which would stop every later build.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX)
    try:
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o666 & ~_umask())
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise AuthoringError(
                f"cannot write {display_path(path)}: {reason}; nothing was written: make room and run it again"
            ) from None
        _give_name(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    _sync_folder(path.parent)


def _give_name(temporary: str, path: Path) -> None:
    """Name the written file ``path``, never over another: a hard link, else a rename after a last look."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: the same, but not in one step with the look
        if path.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(temporary, path)


def _umask() -> int:
    """The process's umask, for a new file to get the mode ``open`` would have given it."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make a rename or a new name in ``folder`` durable, where the system allows opening a folder."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are durable as they are
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse to sync a folder; the data itself is synced
    finally:
        os.close(descriptor)
