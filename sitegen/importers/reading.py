"""Reading fields out of another system's JSON, each error naming the document and the field.

A :class:`Node` is one value of a document with the path that leads to it
(``incident.incident_updates[3].status``), so that a bad value is reported
as ``<document>: <path>: <reason>`` and never as a traceback. Keys a reader
does not ask for are ignored: these APIs add fields over the years, and an
import must not break on one it does not need.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from sitegen.content.fields import suggestion
from sitegen.content.times import check_year
from sitegen.importers.errors import BadInput

E = TypeVar("E")


def parse_moment(value: object, tz: tzinfo | None = None) -> datetime:
    """An ISO 8601 time as the source wrote it, keeping its offset; a zone-less one is read in ``tz``.

    Raises ValueError with a message for a user.
    """
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 time such as 2022-07-23T06:42:00Z, not {_shown(value)}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is not an ISO 8601 time such as 2022-07-23T06:42:00Z") from None
    check_year(moment, value)
    if moment.tzinfo is None:
        if tz is None:
            raise ValueError(f"'{value}' has no time zone offset: give the zone it is in with --timezone")
        moment = moment.replace(tzinfo=tz)
    return moment


def _shown(value: object) -> str:
    return "nothing (null)" if value is None else f"{type(value).__name__} {value!r}"


class Node:
    """One value in one document, and the path to it."""

    def __init__(self, document: str, value: Any, path: str = ""):
        self.document = document
        self.value = value
        self.path = path

    def bad(self, reason: str, key: str | None = None) -> BadInput:
        return BadInput(self.document, self._path(key) if key is not None else self.path or "(document)", reason)

    def _path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        """Whether ``key`` is there with a value (not missing, not null)."""
        return isinstance(self.value, dict) and self.value.get(key) is not None

    def get(self, key: str) -> Any:
        return self.value.get(key) if isinstance(self.value, dict) else None

    def child(self, key: str) -> Node:
        """The mapping under ``key``; an error if it is missing or not a mapping."""
        node = Node(self.document, self.get(key), self._path(key))
        if not isinstance(node.value, dict):
            raise node.bad(f"expected an object, found {_shown(node.value)}")
        return node

    def items(self, key: str, *, required: bool = True) -> list[Node]:
        """The objects of the list under ``key`` (missing or null: an empty list, unless required)."""
        value = self.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self.bad(f"expected a list, found {_shown(value)}", key)
        nodes = [Node(self.document, item, self._path(key) + f"[{n}]") for n, item in enumerate(value)]
        for node in nodes:
            if not isinstance(node.value, dict):
                raise node.bad(f"expected an object, found {_shown(node.value)}")
        return nodes

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.bad(f"expected text, found {_shown(value)}" if value != "" else "is empty", key)
        return value

    def optional_text(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.bad(f"expected text, found {_shown(value)}", key)
        return value

    def key_text(self, key: str) -> str:
        """An id: text, or a number (some systems number their records)."""
        value = self.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return self.text(key)

    def time(self, key: str, tz: tzinfo | None = None) -> datetime:
        try:
            return parse_moment(self.get(key), tz)
        except ValueError as exc:
            raise self.bad(str(exc), key) from None

    def optional_time(self, key: str, tz: tzinfo | None = None) -> datetime | None:
        return self.time(key, tz) if self.has(key) else None

    def optional_date(self, key: str) -> date | None:
        if not self.has(key):
            return None
        try:
            return date.fromisoformat(str(self.get(key))[:10])
        except ValueError:
            raise self.bad(f"'{self.get(key)}' is not a date such as 2021-10-04", key) from None

    def choice(self, key: str, table: Mapping[str, E]) -> E:
        """The value under ``key`` looked up in ``table``; an error naming the allowed values otherwise."""
        value = self.get(key)
        if isinstance(value, str) and value in table:
            return table[value]
        allowed = ", ".join(table)
        hint = suggestion(str(value), table) if isinstance(value, str) else ""
        raise self.bad(f"is {_shown(value)}, not one of {allowed}{hint}", key)
