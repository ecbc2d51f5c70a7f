"""Reading declared fields out of one mapping, reporting every problem with its line.

The loader describes each kind of mapping (site settings, a component, an
incident, an update, a write-up) by the keys it accepts; this module does the
checking so that every field gets the same messages: unknown keys with a
suggestion, missing keys, wrong types, bad times and unknown choices.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from sitegen.content.frontmatter import LineList, LineMap
from sitegen.content.settings import REQUIRED, Setting
from sitegen.content.times import parse_time
from sitegen.errors import Problems

E = TypeVar("E", bound=Enum)
T = TypeVar("T")
MISSING = object()
STAND_IN_TIME = datetime(2000, 1, 1, tzinfo=UTC)
"""What a required time reads as when it is missing or wrong; never used, as the mapping has not passed."""
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters no page, feed or calendar may carry (XML refuses them); tab and line ends are fine."""


def control_character_message(char: str) -> str:
    hint = " (a terminal colour code?)" if char == "\x1b" else ""
    return f"control character U+{ord(char):04X}{hint} is not allowed: remove it"


def suggestion(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class Fields:
    """The fields of one mapping in one file, checked against the keys it may have.

    Each getter returns a value of its field's type: when the field is
    missing or wrong, the problem is reported and a stand-in is returned, so
    callers read every field (and so report every problem) without testing
    each result. Before using the values, a caller asks once whether all of
    them were good: ``passed`` is False after any error in this mapping or in
    a mapping nested in it (see ``nested``).

    ``settings`` (a table of :mod:`sitegen.content.settings`) gives the
    allowed keys and the default of each; ``allowed`` lists keys without
    defaults.
    """

    def __init__(
        self,
        problems: Problems,
        path: Path,
        mapping: LineMap,
        *,
        what: str,
        allowed: Iterable[str] = (),
        settings: tuple[Setting, ...] = (),
        parent: Fields | None = None,
    ):
        self.problems = problems
        self.path = path
        self.mapping = mapping
        self.what = what
        self.defaults = {setting.key: setting.default for setting in settings}
        self.passed = True
        self._parent = parent
        keys = (*allowed, *self.defaults)
        for key in mapping:
            if key not in keys:
                self.error(key, f"unknown key '{key}' in {what}{suggestion(key, keys)}")

    def nested(self, mapping: LineMap, *, what: str, allowed: Iterable[str]) -> Fields:
        """The fields of a mapping inside this one: its errors fail this one too."""
        return Fields(self.problems, self.path, mapping, what=what, allowed=allowed, parent=self)

    def line(self, key: str | None = None) -> int:
        return self.mapping.line_of(key) if key is not None else self.mapping.line

    def error(self, key: str | None, message: str) -> None:
        self.error_at(self.line(key), message)

    def error_at(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message)
        fields: Fields | None = self
        while fields is not None:
            fields.passed = False
            fields = fields._parent

    def _get(self, key: str, required: bool) -> Any:
        value = self.mapping.get(key, MISSING)
        if value is None:  # 'key:' with nothing after it
            self.error(key, f"'{key}' is empty")
            return MISSING
        if value is MISSING:
            if required or self.defaults.get(key) is REQUIRED:
                self.error(None, f"{self.what} has no '{key}': it is required")
            return MISSING
        return value

    def _default(self, key: str, fallback: T) -> T:
        value = self.defaults.get(key)
        return value if isinstance(value, type(fallback)) else fallback

    def text(self, key: str, *, required: bool = False) -> str:
        """The text under ``key``; its default when missing, or wrong (reported)."""
        value = self._get(key, required)
        if value is MISSING:
            return self._default(key, "")
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be text, not {_kind(value)} (put it in quotes)")
        elif (required or self.defaults.get(key) is REQUIRED) and not value.strip():
            self.error(key, f"'{key}' is empty")
        elif found := CONTROL.search(value):
            self.error(key, f"'{key}': {control_character_message(found.group())}")
        else:
            return value
        return self._default(key, "")

    def integer(self, key: str, *, minimum: int = 1) -> int:
        value = self._get(key, False)
        fallback = self._default(key, minimum)
        if value is MISSING:
            return fallback
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(key, f"'{key}' must be a whole number of at least {minimum}, not {value!r}")
            return fallback
        return value

    def flag(self, key: str) -> bool:
        """``true`` or ``false`` under ``key``; false when missing, or wrong (reported)."""
        value = self._get(key, False)
        if value is MISSING:
            return False
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false (without quotes), not {_kind(value)}")
            return False
        return value

    def share(self, key: str) -> float:
        """A share of time from 0 to 1 (the [uptime] weights); its default when missing or wrong (reported)."""
        value = self._get(key, False)
        fallback = self._default(key, 0.0)
        if value is MISSING:
            return fallback
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            self.error(
                key, f"'{key}' must be a number from 0 to 1 (the share of that time counted as downtime), not {value!r}"
            )
            return fallback
        return float(value)

    def time(self, key: str, tz: tzinfo) -> datetime | None:
        """An optional time: None when it is not given (or is wrong, which is reported)."""
        value = self._get(key, False)
        return None if value is MISSING else self._parse_time(key, value, tz)

    def required_time(self, key: str, tz: tzinfo) -> datetime:
        value = self._get(key, True)
        return (None if value is MISSING else self._parse_time(key, value, tz)) or STAND_IN_TIME

    def _parse_time(self, key: str, value: object, tz: tzinfo) -> datetime | None:
        try:
            return parse_time(value, tz)
        except ValueError as exc:
            self.error(key, f"'{key}': {exc}")
            return None

    def choice(
        self, key: str, choices: Iterable[E], *, required: bool = False, explain: dict[str, str] | None = None
    ) -> E | None:
        """One of ``choices`` by its value; None when not given or wrong (reported)."""
        value = self._get(key, required)
        if value is MISSING:
            return None
        return self.check_choice(key, value, tuple(choices), what=f"'{key}'", explain=explain)

    def check_choice(
        self, key: str, value: Any, choices: tuple[E, ...], *, what: str, explain: dict[str, str] | None = None
    ) -> E | None:
        """Match a value against an enum's allowed members; else say why (``explain``) or suggest one."""
        by_value = {c.value: c for c in choices}
        if isinstance(value, str) and value in by_value:
            return by_value[value]
        names = list(by_value)
        reason = (explain or {}).get(value) if isinstance(value, str) else None
        tail = f" ({reason})" if reason else suggestion(str(value), names)
        self.error(key, f"{what} is {value!r}, not one of {', '.join(names)}{tail}")
        return None

    def mapping_of(self, key: str) -> LineMap | None:
        value = self._get(key, False)
        if value is MISSING:
            return None
        if not isinstance(value, LineMap):
            self.error(key, f"'{key}' must be a mapping of 'name: value' lines, not {_kind(value)}")
            return None
        return value

    def list_of(self, key: str, *, required: bool = False) -> LineList:
        """The list under ``key``; an empty one when it is missing or not a list (reported)."""
        value = self._get(key, required)
        if value is not MISSING and not isinstance(value, LineList):
            self.error(key, f"'{key}' must be a list ('- ' items), not {_kind(value)}")
        return value if isinstance(value, LineList) else _located_list(self.line(key))

    def text_list(self, key: str) -> tuple[str, ...]:
        """A TOML list of text, such as ``["api", "web"]``; empty when missing or wrong (reported)."""
        value = self.mapping.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(key, f'\'{key}\' must be a list of text in brackets, such as ["a", "b"]')
            return ()
        if key in self.mapping and not value:
            self.error(key, f"'{key}' is an empty list")
        return tuple(value)

    def texts(self, key: str) -> list[tuple[str, int]]:
        """A list of text items, or one text given alone, each with its line."""
        value = self._get(key, False)
        if value is MISSING:
            return []
        if isinstance(value, str):
            return [(value, self.line(key))]
        if isinstance(value, LineList) and all(isinstance(item, str) for item in value):
            return list(zip(value, value.item_lines))
        self.error(key, f"'{key}' must be a list of slugs, not {_kind(value)}")
        return []


def _located_list(line: int) -> LineList:
    empty = LineList()
    empty.line = line
    empty.item_lines = []
    return empty


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, LineMap):
        return "a mapping"
    if isinstance(value, LineList):
        return "a list"
    return f"{type(value).__name__} {value!r}"
