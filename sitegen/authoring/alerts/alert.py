"""An alert as sitegen needs it, whatever tool sent it, and safe ways to read the tools' JSON.

A payload comes from outside, through a webhook: any field may be missing,
of another type, or hostile. So every value is read with :func:`field` and
:func:`text`, which never raise and give text only; nothing in it is ever
run or used as a path. What the draft keeps of an alert is its words (filled
into a template as plain text), its labels (compared with the settings) and
its key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sitegen.authoring.user_input import AuthoringError

KEY_DIGITS = 16
MAX_TEXT = 2000
"""Longer texts are cut: a title or first update needs no more, and a hostile payload gets no further."""


@dataclass(frozen=True)
class Alert:
    """One alert: firing (an incident to draft) or resolved (an incident to close)."""

    tool: str
    """The format's short name, in the key: 'alertmanager', 'grafana', 'uptime-kuma'..."""
    source: str
    """The tool's name for people: 'Prometheus Alertmanager'."""
    ident: str
    """What the tool keeps the same for every notification of one problem: a group key, monitor or incident id."""
    firing: bool
    name: str
    summary: str
    details: str = ""
    link: str = ""
    labels: frozenset[tuple[str, str]] = frozenset()

    @property
    def key(self) -> str:
        """A stable name for the problem, safe in a file and a branch name: the tool and a digest of its id."""
        return f"{self.tool}-{hashlib.sha256(self.ident.encode('utf-8')).hexdigest()[:KEY_DIGITS]}"

    def values(self) -> dict[str, str]:
        """The template placeholders this alert fills (``{components}`` comes from the site)."""
        return {"summary": self.summary, "details": self.details, "alert": self.name, "source": self.source,
                "link": self.link}  # fmt: skip


class PayloadError(AuthoringError):
    """The payload is not an alert of a known tool, or says nothing an incident could be drafted from."""


def field(value: object, *path: str) -> object:
    """``value[path[0]][path[1]]...``, or None where any step is not a mapping holding the key."""
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def text(value: object) -> str:
    """A value as one text: strings and numbers as written, anything else empty; cut at MAX_TEXT."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return str(value).strip()[:MAX_TEXT]


def mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def items(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def label_pairs(*sources: object) -> frozenset[tuple[str, str]]:
    """The (name, value) text pairs of any mappings of labels."""
    return frozenset((text(k), text(v)) for source in sources for k, v in mapping(source).items() if text(v))


def first(*candidates: str) -> str:
    """The first non-empty text."""
    return next((c for c in candidates if c), "")


def named(pairs: Iterable[tuple[str, str]], name: str) -> str:
    """The value of the label ``name``, if any (the first in order)."""
    return next((value for key, value in sorted(pairs) if key == name), "")
