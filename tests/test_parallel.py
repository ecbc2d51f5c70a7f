"""Work spread over worker processes: in order, and stopped only by the process that started it."""

from __future__ import annotations

import signal

import pytest

from sitegen import parallel
from sitegen.parallel import MIN_ITEMS, parallel_map

pytestmark = pytest.mark.skipif(parallel._available_cores() < 2, reason="one core: the work runs in this process")


def _signals(_: int) -> tuple[object, object]:
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


def test_results_come_back_in_the_order_of_the_items() -> None:
    items = list(range(MIN_ITEMS * 3))
    assert parallel_map(str, items) == [str(n) for n in items]


def test_workers_leave_ctrl_c_to_the_parent_and_die_when_the_pool_ends_them() -> None:
    """``serve`` turns SIGTERM into Ctrl-C for itself; a worker that inherited that raised when its pool ended
    it, sometimes holding the pool's lock, and the build hung."""
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        answers = set(parallel_map(_signals, list(range(MIN_ITEMS))))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert answers == {(signal.SIG_IGN, signal.SIG_DFL)}
