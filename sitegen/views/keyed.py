"""Output files made on demand, each under a key: the digest of everything its bytes are made from."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple


class Keyed(NamedTuple):
    """A file at ``path`` that ``make()`` writes; equal keys, equal bytes, so a build holding it need not call it.

    A key of None: what the file is made from cannot be told, and it is made every time.
    """

    path: str
    key: str | None
    make: Callable[[], bytes]


def made(outputs: Iterable[Keyed]) -> dict[str, bytes]:
    """Every output made now, by path: for those who want the files of a view in memory, not its keys."""
    return {output.path: output.make() for output in outputs}
