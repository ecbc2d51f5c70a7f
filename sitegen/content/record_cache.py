"""Incidents read by earlier builds, kept by a key of everything they were read from.

Reading a file into an incident (YAML, then every check of every field)
is most of a build's loading. An incident depends on its file's bytes and
path (as the build was given it: warnings name the file by it) and on a
few things outside it: the time zone, the size limit, the
component ids and write-up slugs its references are checked against. A
file whose key (a digest of all of those) is the same as one read before
has the same record and the same problems, which were none since it was
kept: so it is not parsed again. A record is kept as JSON text (sitegen.content.record_codec), never as code.

The records are kept between builds by sitegen.output.cache; this module
only says which ones may be taken.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sitegen.content.model import Incident
from sitegen.content.record_codec import decode, encode


@dataclass(frozen=True)
class KnownRecords:
    """The keys a build already has records for, under one ``context`` (what reading depends on besides a file)."""

    context: str
    keys: frozenset[str]

    def key(self, digest: str, path: str) -> str:
        """The key of the file at ``path`` whose bytes have ``digest``."""
        parts = (self.context, digest, path)
        return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).hexdigest()

    def __contains__(self, key: str) -> bool:
        return key in self.keys


NO_RECORDS = KnownRecords("", frozenset())


class RecordCache:
    """Records by key: those of earlier builds (``previous``), and those this build used (``kept``).

    Both sides are held as kept (JSON text, sitegen.content.record_codec): an entry that does not decode
    to an incident is dropped here, so its file is read again; a record taken is kept as it came, and one
    read from its file is encoded once.
    """

    def __init__(self, previous: dict[str, Any] | None = None):
        self.loaded = previous or {}
        self.previous = {key: record for key, data in self.loaded.items() if (record := _decoded(data))}
        self.kept: dict[str, Any] = {}

    def known(self, context: str) -> KnownRecords:
        """The keys of the kept records; ``context`` is digested once here, not once per file (it lists every
        write-up's slug: hashed with each of 10,000 files, it cost a third of a second)."""
        digest = hashlib.blake2b(context.encode("utf-8"), digest_size=16).hexdigest()
        return KnownRecords(digest, frozenset(self.previous))

    def take(self, key: str) -> Incident:
        return self.previous[key]

    def keep(self, key: str, record: Incident) -> None:
        if key in self.previous:
            self.kept[key] = self.loaded[key]
            return
        text = encode(record)
        if text is not None:  # else a value the codec cannot give back exactly: read from its file next time
            self.kept[key] = text


def _decoded(data: Any) -> Incident | None:
    if not isinstance(data, str):
        return None
    try:
        return decode(data)
    except Exception:  # a damaged entry can fail in many ways (RecursionError, MemoryError...): its file is read
        return None
