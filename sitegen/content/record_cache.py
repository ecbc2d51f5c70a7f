"""Incidents and write-ups read by earlier builds, kept by a key of everything they were read from.

Reading a file into a record (YAML, then every check of every field) is
most of a build's loading. A record depends on its file's bytes and path
(as the build was given it: warnings name the file by it) and on a few
things outside it: the time zone, the size limit and the component ids.
A file whose key (a digest of all of those) is the same as one read
before has the same record and the same problems, which were none since
it was kept: so it is not parsed again, as long as every file its
references name (an incident's write-ups, a write-up's incidents) is still
there. Only that is checked, not the whole list of files: a record read
while they were there is the record read now, and one new file does not
make every record of the other folder be read again. A record is kept as
JSON text (sitegen.content.record_codec), never as code.

The records are kept between builds by sitegen.output.cache; this module
only says which ones may be taken.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic

from sitegen.content.model import Incident, Writeup
from sitegen.content.record_codec import Record, decode, encode


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


class RecordCache(Generic[Record]):
    """Records of one ``kind`` by key: those of earlier builds (``previous``), and those this build used (``kept``).

    Both sides are held as kept (JSON text, sitegen.content.record_codec): an entry that does not decode
    to a record of the kind is dropped here, so its file is read again; a record taken is kept as it came,
    and one read from its file is encoded once. ``decoded``: the records of ``previous`` themselves, where a
    build of this process left them (``carried``), so that they are not decoded again.
    """

    def __init__(
        self, kind: type[Record], previous: dict[str, Any] | None = None, decoded: Mapping[str, Record] | None = None
    ):
        self.kind: type[Record] = kind
        self.loaded = previous or {}
        self.previous: dict[str, Record] = (
            dict(decoded)
            if decoded is not None
            else {key: record for key, data in self.loaded.items() if (record := _decoded(data, kind))}
        )
        self.kept: dict[str, Any] = {}
        self._kept_records: dict[str, Record] = {}

    def known(self, context: str, names: Callable[[Record], Iterable[str]], existing: frozenset[str]) -> KnownRecords:
        """The keys of the kept records that may be taken: those whose references (``names``) all name
        ``existing`` files. ``context``: what else reading depends on, digested once here, not once per file."""
        digest = hashlib.blake2b(context.encode("utf-8"), digest_size=16).hexdigest()
        return KnownRecords(
            digest, frozenset(key for key, kept in self.previous.items() if existing.issuperset(names(kept)))
        )

    def take(self, key: str) -> Record:
        return self.previous[key]

    def keep(self, key: str, record: Record) -> None:
        if key in self.previous:
            self.kept[key] = self.loaded[key]
        elif (text := encode(record)) is not None:  # else a value the codec cannot give back exactly: read again
            self.kept[key] = text
        else:
            return
        self._kept_records[key] = record

    def carried(self) -> RecordCache[Record]:
        """What the next build of this process may take: the records kept, as kept and as they are, not decoded
        again (for a preview, decoding every record after each save was a fifth of the rebuild)."""
        return RecordCache(self.kind, self.kept, self._kept_records)


@dataclass(frozen=True)
class KeptRecords:
    """The records of both content folders that a build may take, and where it leaves this site's."""

    incidents: RecordCache[Incident]
    writeups: RecordCache[Writeup]

    @classmethod
    def of(cls, incidents: dict[str, Any] | None = None, writeups: dict[str, Any] | None = None) -> KeptRecords:
        """From the tables kept by the last build (as sitegen.output.cache gives them back); none: read every file."""
        return cls(RecordCache(Incident, incidents), RecordCache(Writeup, writeups))

    def carried(self) -> KeptRecords:
        """The records of both folders for the next build of this process (``RecordCache.carried``)."""
        return KeptRecords(self.incidents.carried(), self.writeups.carried())


def _decoded(data: Any, kind: type[Record]) -> Record | None:
    if not isinstance(data, str):
        return None
    try:
        return decode(data, kind)
    except Exception:  # a damaged entry can fail in many ways (RecursionError, MemoryError...): its file is read
        return None
