"""Output files made on demand, each under a key: the digest of everything its bytes are made from."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Keyed(NamedTuple):
    """A file at ``path`` that ``make()`` writes; equal keys, equal bytes, so a build holding it need not call it."""

    path: str
    key: str
    make: Callable[[], bytes]
