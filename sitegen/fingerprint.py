"""Digests of values: equal for equal values, so that work done for one value can be kept for an equal one.

A rebuild keeps a page when everything it was made from has the same
digest as last time. That is only sound if the digest covers the whole
value: every field of a record, every item of a list in its order, the
time zone of a time. So the encoding is exhaustive and typed (``1``,
``1.0``, ``True`` and ``"1"`` all differ), and a value of a type it does not
know is a TypeError rather than a guess: a digest that missed a field
would keep a stale page.

One build reads the same values many times (an incident appears on its
page, a history page, its components' pages; the component catalogue on
every page), so each record, list and mapping is encoded once per
``Fingerprints``, which holds on to it while it lives: the values must not
change meanwhile, as the model's do not during a build.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from enum import Enum
from pathlib import Path, PurePath
from typing import Any

PLAIN = (type(None), bool, int, float)


class Fingerprints:
    """Digests of values, each compound value encoded once (for one build: they must not change meanwhile)."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[object, bytes]] = {}
        """Each list, mapping and record encoded so far, by identity (held, so that its id stays its own)."""

    def of(self, *values: Any) -> str:
        """The hex digest of ``values``, in order (each encoding says where it ends, so they are simply joined)."""
        return _digest(b"".join(map(self._encode, values))).hex()

    def _encode(self, value: Any) -> bytes:
        simple = _SIMPLE.get(type(value))  # the common types by exact type: a page key encodes dozens of values
        if simple is not None:
            return simple(value)
        kept = self._kept.get(id(value))  # before the other tests: most other values are records seen before
        if kept is not None and kept[0] is value:
            return kept[1]
        if isinstance(value, PLAIN):
            return _plain(value)
        if isinstance(value, str):  # a subclass (Markup: HTML, not text) is named, as it renders otherwise
            return _text(value, type(value).__qualname__.encode())
        if isinstance(value, Enum):
            return b"E%s.%s;" % (type(value).__qualname__.encode(), value.name.encode())
        if isinstance(value, (datetime, date, time, timedelta, tzinfo)):
            return _time(value)
        if isinstance(value, PurePath):
            return b"p%s;" % _text(value.as_posix())
        encoded = self._compound(value)
        self._kept[id(value)] = (value, encoded)
        return encoded

    def _compound(self, value: Any) -> bytes:
        kind = type(value).__qualname__.encode()  # shown whole, a tuple and a list of the same items differ
        if isinstance(value, (tuple, list)):
            return b"[%s:%s]" % (kind, _digest(b"".join(self._encode(item) for item in value)))
        if isinstance(value, Mapping):
            items = b"".join(self._encode(k) + self._encode(v) for k, v in value.items())
            return b"{%s:%s}" % (kind, _digest(items))
        if isinstance(value, (set, frozenset)):
            return b"<%s:%s>" % (kind, _digest(b"".join(sorted(self._encode(item) for item in value))))
        made_from = getattr(value, "made_from", "")
        if made_from:  # its maker's digest of all it was made from (a record's file, the words' catalogues)
            return b"R%s=%s;" % (type(value).__qualname__.encode(), made_from.encode())
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = b"".join(self._encode(getattr(value, f.name)) for f in dataclasses.fields(value))
            return b"R%s:%s" % (type(value).__qualname__.encode(), _digest(fields))
        raise TypeError(f"no fingerprint for a {type(value).__qualname__}: teach sitegen.fingerprint its fields")


def _plain(value: None | bool | int | float) -> bytes:
    return b"%s:%r;" % (type(value).__name__.encode(), value)


def _text(value: str, kind: bytes = b"s") -> bytes:
    data = value.encode("utf-8", "surrogatepass")
    return b"%s%d:%s" % (kind, len(data), data)


def _time(value: datetime | date | time | timedelta | tzinfo) -> bytes:
    return b"t%s;" % repr(value).encode()  # repr names the zone: two zones can share an offset, not a name


def _bytes(value: bytes) -> bytes:
    return b"b%d:%s" % (len(value), value)


_SIMPLE: dict[type, Callable[[Any], bytes]] = {
    **{kind: _plain for kind in PLAIN},
    bytes: _bytes,
    str: _text,
    datetime: _time,
    date: _time,
}


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@functools.cache
def code_digest() -> str:
    """A digest of sitegen's own files, code and data (templates, catalogues, schemas): work kept by one version,
    or one edit of it, is not taken by another."""
    hasher = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def qualified_name(function: Callable[..., Any]) -> str:
    """Where a function is defined, as the part of a key that says what made a result."""
    return f"{function.__module__}.{function.__qualname__}"
