"""Running one pure function over many items on every core.

Rendering is CPU-bound Python, so threads would not help. Worker processes
are forked: they inherit the loaded site, so only the items' indices go out
and only the results come back. Where fork is not available (Windows, and
macOS by default) or the work is small, it runs in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 200
"""Below this, starting workers costs more than it saves."""

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def parallel_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(item) for item in items]``, in order, spread over the available cores."""
    workers = _available_cores()
    if workers < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [func(item) for item in items]
    global _job
    _job = (func, items)
    gc.freeze()  # the workers share these objects: collecting in a worker writes to each, copying their memory
    try:
        slices = [range(start, len(items), workers) for start in range(workers)]
        with _forked_pool(workers) as pool:
            parts = pool.map(_run_slice, slices)
    finally:
        _job = None
        gc.unfreeze()
    results: list[Any] = [None] * len(items)
    for indices, part in zip(slices, parts):
        for index, result in zip(indices, part):
            results[index] = result
    return results


STOPPING = {signal.SIGINT, signal.SIGTERM}


def _forked_pool(workers: int) -> multiprocessing.pool.Pool:
    """Workers that leave stopping to this process: they ignore Ctrl-C, which this process gets too, and die
    at once when the pool ends them.

    A handler inherited from a command (``serve`` turns SIGTERM into Ctrl-C) made a worker raise instead,
    sometimes while holding the pool's lock, and the build waited for it forever. So the workers are forked
    with both signals blocked (one sent meanwhile waits, here as there) and unblock them once their own
    handling is set; setting it after the fork alone left a moment in which the pool's end was lost.
    """
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        return multiprocessing.get_context("fork").Pool(workers, initializer=_leave_signals_to_the_parent)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _leave_signals_to_the_parent() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)


def _run_slice(indices: range) -> list[Any]:
    assert _job is not None, "workers are forked after the job is set"
    func, items = _job
    return [func(items[i]) for i in indices]


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
