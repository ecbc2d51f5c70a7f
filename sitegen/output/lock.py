"""One build at a time into an output: a second one waits for the first, then builds on what it published.

Two builds sharing the kept tree at once (a preview rebuilding while a
build runs by hand) would write over each other's files and publish a mix
of both sites, each exiting as if all went well. A lock file beside the
output (``.public.lock``, held with the system's file locks through
``filelock``, so a killed build releases it) makes the second one wait; it
is told so, and gives up with a clear error after ``WAIT_SECONDS``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from sitegen.errors import OutputError

WAIT_SECONDS = 600.0
"""How long a build waits for another one into the same output before it gives up."""


def lock_path(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / f".{out_dir.name}.lock"


@contextmanager
def output_lock(
    out_dir: Path, on_wait: Callable[[], None] | None = None, wait_seconds: float = WAIT_SECONDS
) -> Iterator[None]:
    """Hold the lock of ``out_dir`` meanwhile; ``on_wait`` is called once if another build holds it first.

    Raises OutputError if the lock file is a link (it is never followed) or the wait is over.
    """
    path = lock_path(out_dir)
    _create(path)
    lock = filelock.FileLock(path)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if on_wait is not None:
            on_wait()
        try:
            lock.acquire(timeout=wait_seconds)
        except filelock.Timeout:
            raise OutputError(
                f"another build into {out_dir} has been running for {wait_seconds:.0f} s: "
                "wait for it to end (or stop it), then build again"
            ) from None
    try:
        yield
    finally:
        lock.release()


def _create(path: Path) -> None:
    """Make sure the lock file is a file sitegen can open, never following a link in its place.

    Raises OutputError for a link or a folder there, OSError if it cannot be made (a parent that is a file, a
    read-only disk): said here once, rather than waited on as if another build held it.
    """
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputError(f"{path} is not sitegen's lock file (a link, or a folder): remove it, then build again")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644))
