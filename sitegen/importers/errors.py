"""What goes wrong in an import, said so the user can act: the document, the field, the reason.

Readers raise :class:`BadInput` for one bad field; the import collects them
and raises one :class:`ImportFailed` listing them all, before anything is
written. Documents are named as given (a URL, or a file path shown relative
to the working folder), so each line points at what to look at.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sitegen.errors import UserError, display_path
from sitegen.views.formatting import count_label

MAX_LISTED = 20
"""A source broken everywhere would print thousands of lines; the first ones say enough."""


def document_name(place: str | Path) -> str:
    """A URL as it is; a path relative to the working folder, as editors and terminals link it."""
    return display_path(place) if isinstance(place, Path) else place


class BadInput(Exception):
    """One field of one source document that cannot be imported."""

    def __init__(self, document: str, field: str, reason: str, line: int | None = None):
        super().__init__(f"{document}: {field}: {reason}")
        self.document = document
        self.field = field
        self.reason = reason
        self.line = line

    def __str__(self) -> str:
        where = f"{self.document}:{self.line}" if self.line is not None else self.document
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


class ImportFailed(UserError):
    """The import cannot go on; nothing was written."""

    @classmethod
    def listing(cls, issues: Iterable[BadInput]) -> ImportFailed:
        found = list(issues)
        lines = [str(issue) for issue in found[:MAX_LISTED]]
        if len(found) > MAX_LISTED:
            lines.append(f"... and {count_label(len(found) - MAX_LISTED, 'more problem')}")
        return cls(
            f"the source cannot be imported ({count_label(len(found), 'problem')}); nothing was written:",
            hints=[*lines],
        )


class ImportIncomplete(UserError):
    """Some of the source could not be read and was skipped; everything else was imported."""

    @classmethod
    def skipping(cls, skipped: Iterable[str]) -> ImportIncomplete:
        found = list(skipped)
        lines = found[:MAX_LISTED]
        if len(found) > MAX_LISTED:
            lines.append(f"... and {count_label(len(found) - MAX_LISTED, 'more')}")
        return cls(
            f"{count_label(len(found), 'incident')} could not be read and {'was' if len(found) == 1 else 'were'} "
            "skipped; everything else was imported:",
            hints=[
                *lines,
                "Fix each at the source (or in a copy of it) and run the same import again: "
                "what was imported is updated in place, nothing is duplicated.",
            ],
        )


class FetchFailed(ImportFailed):
    """A document could not be fetched, even after retrying; nothing was written."""
