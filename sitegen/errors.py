"""Problems found in a site's files, reported as ``path:line: message``, and the errors a user can fix.

Loading never stops at the first problem: every phase collects what it finds
in a :class:`Problems` list and raises :class:`ContentError` once, so a user
fixes everything in one round trip.

Every mistake a user can fix is a :class:`UserError`, whatever layer finds
it; the command line prints each one in the same shape and exits with its
status, without a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
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
        return f"{display_path(self.path)}:{self.line}: {prefix}{one_line(self.message)}"


def display_path(path: Path) -> str:
    """The path as an editor would want it (relative to the working folder when inside it), on one line."""
    try:
        return one_line(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return one_line(str(path))


def one_line(text: str) -> str:
    """``text`` as one harmless output line: control characters escaped, CI runner commands disarmed.

    Names and values in messages come from pull requests. Printed raw, a
    line break in a YAML key or a file name would start a new output line,
    and a terminal escape could rewrite the screen: every line break and
    control character is written as an escape (``\\n``, ``\\x1b``). A GitHub
    Actions runner executes a line that starts with '::' (after any
    spaces), and its legacy form '##[command]' anywhere in a line: the
    first ':' of such a line is written ``\\x3a`` and the second '#' of
    '##[' ``\\x23``. Everything sitegen prints goes through here, once, in
    :func:`sitegen.commands.reporting.say`.
    """
    if not text.isprintable():
        text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return _RUNNER_COMMAND.sub(_disarm, text)


_RUNNER_COMMAND = re.compile(r"^(\s*):(?=:)|##\[")
"""The two forms of a runner's workflow command: '::' starting a line, and '##[' anywhere in it."""


def _disarm(match: re.Match[str]) -> str:
    return "#\\x23[" if match.group(0) == "##[" else f"{match.group(1)}\\x3a"


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


class UserError(Exception):
    """A mistake the user can fix, printed without a traceback as::

        error: <message>
        <path>:<line>: <problem>      (one line per problem, if any)
        <hint>                        (any trailing lines)

    ``message`` is one line; the command exits with ``exit_code``.
    """

    exit_code = 1

    def __init__(self, message: str, problems: Iterable[Problem] = (), hints: Iterable[str] = ()):
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)
        self.hints = tuple(hints)

    def lines(self) -> list[str]:
        """The error as printed, line by line."""
        return [f"error: {one_line(self.message)}", *(str(p) for p in self.problems), *map(one_line, self.hints)]

    def __str__(self) -> str:
        return "\n".join([self.message, *(str(p) for p in self.problems), *self.hints])


class ContentError(UserError):
    """The site's files cannot be built; ``problems`` says where and why.

    It is raised before anything is written (a build writes only once the
    whole site has loaded and rendered), so its last line says so.
    """

    def __init__(self, problems: Iterable[Problem]):
        listed = tuple(problems)
        count = f"{len(listed)} error{'' if len(listed) == 1 else 's'}"
        super().__init__("the site cannot be built:", listed, [f"{count}; nothing was written."])

    def __reduce__(self) -> tuple[type[ContentError], tuple[tuple[Problem, ...]]]:  # to cross from a worker intact
        return (ContentError, (self.problems,))


class OutputError(UserError):
    """The output folder cannot be written safely (it is not sitegen's, or it is the site itself)."""
