"""Output files made on demand, each under a key: the digest of everything its bytes are made from.

Views say what each output is made from; ``OutputKeys`` alone turns that
into a key, always with what every output depends on (``look``: sitegen's
code, the libraries, the zone's rules, the theme and the settings, see
sitegen.views.environment), the function that makes it and its path. So no
view handles digests, and none can leave any of those out of a key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, NamedTuple

from sitegen.fingerprint import Fingerprints, qualified_name


class Keyed(NamedTuple):
    """A file at ``path`` that ``make()`` writes; equal keys, equal bytes, so a build holding it need not call it.

    A key of None: what the file is made from cannot be told, and it is made every time.
    """

    path: str
    key: str | None
    make: Callable[[], bytes]


class OutputKeys:
    """The keys of one build's outputs: each value is digested once however many outputs it goes into."""

    def __init__(self, look: str = ""):
        self.look = look
        """What every output's bytes depend on, whatever the output (empty where nothing is kept)."""
        self._fingerprints = Fingerprints()

    def of(self, make: Callable[..., Any], path: str, *about: Any) -> str:
        """The key of the output at ``path`` that ``make`` makes from the values ``about``.

        Raises TypeError for a value with no fingerprint (sitegen.fingerprint).
        """
        return self._fingerprints.of(self.look, qualified_name(make), path, *about)

    def part(self, *values: Any) -> str:
        """A digest of ``values``, for a part many keys share (worked out once, then given to ``of``)."""
        return self._fingerprints.of(*values)

    def output(self, path: str, make: Callable[..., bytes], args: tuple[Any, ...], about: tuple[Any, ...]) -> Keyed:
        """The output at ``path`` that ``make(*args)`` writes, keyed by ``about``: all that ``args`` give ``make``
        to read besides what ``look`` covers."""
        return Keyed(path, self.of(make, path, *about), partial(make, *args))


def made(outputs: Iterable[Keyed]) -> dict[str, bytes]:
    """Every output made now, by path: for those who want the files of a view in memory, not its keys."""
    return {output.path: output.make() for output in outputs}
