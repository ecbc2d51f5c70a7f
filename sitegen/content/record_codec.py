"""Incidents and write-ups as JSON text and back, so that a build can keep them without keeping code.

A pickle names the functions that rebuild it, so a crafted one runs code
when read. Here msgspec decodes JSON into the model's own types and nothing
else, checking every field's type as it goes: text that is not a record of
the kind asked for is a ValueError, and the record is then read from its
file again. msgspec builds the records in C, four times as fast as decoding
them field by field in Python, which mattered: a rebuild of 10,000
incidents reads them all.

A record whose values JSON would not give back exactly (a date or a list of
pairs among the ``extra:`` values, a time in a zone other than UTC) is not
kept: each kept record is read back once, when kept, and compared whole.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from sitegen.content.model import Incident, Writeup

Record = TypeVar("Record", Incident, Writeup)


def _to_json(value: Any) -> Any:
    if isinstance(value, Path):
        return value.as_posix()
    raise NotImplementedError(f"cannot keep a {type(value).__qualname__}")


def _from_json(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return _path(value)
    raise NotImplementedError(f"not a {kind.__qualname__}")


@cache
def _path(text: str) -> Path:
    """One Path for each file: an incident's updates name its file too, and making a Path costs more than a lookup."""
    return Path(text)


_ENCODER = msgspec.json.Encoder(enc_hook=_to_json)
_DECODERS: dict[type, msgspec.json.Decoder[Any]] = {
    kind: msgspec.json.Decoder(kind, dec_hook=_from_json) for kind in (Incident, Writeup)
}


def encode(record: Record) -> str | None:
    """The record as JSON text; None if decoding the text would not give back the very same record."""
    try:
        text = _ENCODER.encode(record).decode("utf-8")
        back = decode(text, type(record))
    except (NotImplementedError, TypeError, ValueError, OverflowError):
        return None
    return text if repr(back) == repr(record) else None  # repr shows every field, with its types and zones


def decode(text: str, kind: type[Record]) -> Record:
    """The record of ``kind`` that ``encode`` gave ``text`` for; a ValueError for text it could not have given."""
    try:
        record = _DECODERS[kind].decode(text)
    except msgspec.MsgspecError as exc:
        raise ValueError(f"not a kept {kind.__name__}: {exc}") from None
    if not isinstance(record, kind):
        raise ValueError(f"not a kept {kind.__name__}")
    return record
