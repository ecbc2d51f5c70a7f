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
from datetime import datetime, tzinfo
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from sitegen.content.frontmatter import LineList, LineMap
from sitegen.content.times import parse_time
from sitegen.errors import Problems

E = TypeVar("E", bound=Enum)
MISSING = object()
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
    """The fields of one mapping in one file, checked against the keys it may have."""

    def __init__(self, problems: Problems, path: Path, mapping: LineMap, *, what: str, allowed: Iterable[str]):
        self.problems = problems
        self.path = path
        self.mapping = mapping
        self.what = what
        allowed = tuple(allowed)
        for key in mapping:
            if key not in allowed:
                self.error(key, f"unknown key '{key}' in {what}{suggestion(key, allowed)}")

    def line(self, key: str | None = None) -> int:
        return self.mapping.line_of(key) if key is not None else self.mapping.line

    def error(self, key: str | None, message: str) -> None:
        self.problems.error(self.path, self.line(key), message)

    def _get(self, key: str, required: bool) -> Any:
        value = self.mapping.get(key, MISSING)
        if value is None:  # 'key:' with nothing after it
            self.error(key, f"'{key}' is empty")
            return MISSING
        if value is MISSING:
            if required:
                self.error(None, f"{self.what} has no '{key}': it is required")
            return MISSING
        return value

    def text(self, key: str, *, required: bool = False, default: str = "") -> str | None:
        value = self._get(key, required)
        if value is MISSING:
            return None if required else default
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be text, not {_kind(value)} (put it in quotes)")
            return None
        if required and not value.strip():
            self.error(key, f"'{key}' is empty")
            return None
        if found := CONTROL.search(value):
            self.error(key, f"'{key}': {control_character_message(found.group())}")
            return None
        return value

    def integer(self, key: str, *, default: int, minimum: int = 1) -> int | None:
        value = self._get(key, False)
        if value is MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(key, f"'{key}' must be a whole number of at least {minimum}, not {value!r}")
            return None
        return value

    def time(self, key: str, tz: tzinfo, *, required: bool = False) -> datetime | None:
        value = self._get(key, required)
        if value is MISSING:
            return None
        try:
            return parse_time(value, tz)
        except ValueError as exc:
            self.error(key, f"'{key}': {exc}")
            return None

    def choice(
        self, key: str, choices: Iterable[E], *, required: bool = False, explain: dict[str, str] | None = None
    ) -> E | None:
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

    def list_of(self, key: str, *, required: bool = False) -> LineList | None:
        value = self._get(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, LineList):
            self.error(key, f"'{key}' must be a list ('- ' items), not {_kind(value)}")
            return None
        return value

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
