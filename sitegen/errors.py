"""Problems found in a site's files, reported as ``path:line: message``.

Loading never stops at the first problem: every phase collects what it finds
in a :class:`Problems` list and raises :class:`ContentError` once, so a user
fixes everything in one round trip.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file."""

    path: Path
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{display_path(self.path)}:{self.line}: {prefix}{self.message}"


def display_path(path: Path) -> str:
    """The path as an editor would want it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass
class Problems:
    """A collector of problems for one phase of loading."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def error(self, path: Path, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    def raise_if_errors(self) -> None:
        """End the phase: raise with everything found so far if anything was an error."""
        if self.errors:
            raise ContentError(sorted(self.errors))


class ContentError(Exception):
    """The site's files cannot be built; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __reduce__(self):  # so that it crosses from a worker process intact
        return (ContentError, (self.problems,))


class OutputError(Exception):
    """The output folder cannot be written safely (it is not sitegen's, or it is the site itself)."""
