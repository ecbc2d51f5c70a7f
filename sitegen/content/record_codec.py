"""Incidents as JSON text and back, so that a build can keep them without keeping code.

A pickle names the functions that rebuild it, so a crafted one runs code
when read. Here msgspec decodes JSON into the model's own types and nothing
else, checking every field's type as it goes: text that is not an incident
is a ValueError, and the incident is then read from its file again. msgspec
builds the records in C, four times as fast as decoding them field by field
in Python, which mattered: a rebuild of 10,000 incidents reads them all.

A record whose values JSON would not give back exactly (a date or a list of
pairs among the ``extra:`` values, a time in a zone other than UTC) is not
kept: each kept record is read back once, when kept, and compared whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from sitegen.content.model import Incident


def _to_json(value: Any) -> Any:
    if isinstance(value, Path):
        return value.as_posix()
    raise NotImplementedError(f"cannot keep a {type(value).__qualname__}")


def _from_json(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(f"not a {kind.__qualname__}")


_ENCODER = msgspec.json.Encoder(enc_hook=_to_json)
_DECODER = msgspec.json.Decoder(Incident, dec_hook=_from_json)


def encode(record: Incident) -> str | None:
    """The record as JSON text; None if decoding the text would not give back the very same record."""
    try:
        text = _ENCODER.encode(record).decode("utf-8")
        back = decode(text)
    except (NotImplementedError, TypeError, ValueError, OverflowError):
        return None
    return text if repr(back) == repr(record) else None  # repr shows every field, with its types and zones


def decode(text: str) -> Incident:
    """The incident ``encode`` gave ``text`` for; a ValueError for text it could not have given."""
    try:
        return _DECODER.decode(text)
    except msgspec.MsgspecError as exc:
        raise ValueError(f"not a kept incident: {exc}") from None
