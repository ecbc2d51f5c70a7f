"""Incidents as plain data and back, so that a build can keep them without keeping code.

A pickle names the functions that rebuild it, so a crafted one runs code
when read. This encoding can only describe the model's own records: every
record and enumeration is named from a fixed list, a record has exactly
its fields' number of values, and everything else is JSON's strings, numbers, lists
and mappings (with a tag for tuples, times, dates and paths). Anything
else, on either side, is a ValueError: the incident is then read from its
file again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.content.model import Incident, Source, Update
from sitegen.content.statuses import ComponentStatus, Impact, Kind, UpdateStatus

RECORDS: dict[str, type] = {kind.__name__: kind for kind in (Incident, Update, Source)}
ENUMS: dict[str, type[Enum]] = {kind.__name__: kind for kind in (ComponentStatus, Impact, Kind, UpdateStatus)}
_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(f.name for f in dataclasses.fields(kind)) for kind in RECORDS.values()
}
"""Each record's fields, in order: a record is kept as its values in this order (the code's digest is in the
environment key, so a build reading them has the same order)."""


def encode(value: Any) -> Any:
    """``value`` as JSON's types; a ValueError for anything this codec cannot give back exactly."""
    if value is None or isinstance(value, (bool, int, float)) and not isinstance(value, Enum):
        return value
    if type(value) is str:
        return value
    if isinstance(value, Enum) and type(value).__name__ in ENUMS:
        return {"enum": [type(value).__name__, value.name]}
    if isinstance(value, datetime):
        if value.tzinfo is UTC and not value.fold:  # the model's times: one string, read at C speed
            return {"utc": value.isoformat()}
        return {"datetime": [value.replace(tzinfo=None).isoformat(), _zone(value.tzinfo), value.fold]}
    if type(value) is date:
        return {"date": value.isoformat()}
    if isinstance(value, Path):
        return {"path": value.as_posix()}
    if type(value) in (tuple, list):
        return {type(value).__name__: [encode(item) for item in value]}
    if isinstance(value, Mapping):
        return {"mapping": [[encode(key), encode(item)] for key, item in value.items()]}
    if dataclasses.is_dataclass(value) and type(value).__name__ in RECORDS:
        return {"record": [type(value).__name__, *(encode(getattr(value, name)) for name in _FIELDS[type(value)])]}
    raise ValueError(f"cannot keep a {type(value).__qualname__}")


def decode(data: Any) -> Any:
    """What ``encode`` gave ``data`` for; a ValueError (or TypeError) for anything it could not have given."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError("not an encoded value")
    ((tag, body),) = data.items()
    if tag == "tuple":
        return tuple(decode(item) for item in body)
    if tag == "list":
        return [decode(item) for item in body]
    if tag == "mapping":
        return {decode(key): decode(item) for key, item in body}
    if tag == "enum":
        kind, name = body
        return ENUMS[kind][name]
    if tag == "utc":
        moment = datetime.fromisoformat(body)
        if moment.tzinfo is not UTC:
            raise ValueError("not a UTC time")
        return moment
    if tag == "datetime":
        text, zone, fold = body
        return datetime.fromisoformat(text).replace(tzinfo=_from_zone(zone), fold=fold)
    if tag == "date":
        return date.fromisoformat(body)
    if tag == "path":
        return Path(body)
    if tag == "record":
        kind, *values = body
        record = RECORDS[kind]
        names = _FIELDS[record]
        if len(values) != len(names):
            raise ValueError(f"not the fields of a {kind}")
        return record(**{name: decode(value) for name, value in zip(names, values)})
    raise ValueError(f"unknown tag {tag!r}")


def _zone(zone: tzinfo | None) -> Any:
    if zone is None:
        return None
    if isinstance(zone, ZoneInfo):
        return {"name": zone.key}
    if isinstance(zone, timezone):
        offset = zone.utcoffset(None)
        return {"offset": offset.total_seconds(), "name": zone.tzname(None) if zone is not UTC else None}
    raise ValueError(f"cannot keep the time zone {zone!r}")


def _from_zone(zone: Any) -> tzinfo | None:
    if zone is None:
        return None
    if "offset" in zone:
        offset = timedelta(seconds=zone["offset"])
        return UTC if not offset and zone["name"] is None else _fixed(offset, zone["name"])
    return ZoneInfo(zone["name"])


def _fixed(offset: timedelta, name: str | None) -> timezone:
    return timezone(offset) if name is None or name == timezone(offset).tzname(None) else timezone(offset, name)
