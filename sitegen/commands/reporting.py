"""How a command fails: every mistake the user can fix is printed in one shape, never as a traceback.

The layers below raise :class:`~sitegen.errors.UserError` (content, output,
authoring errors) and know nothing of click. :class:`Command`, the class of
every ``sitegen`` subcommand, turns one into a :class:`click.ClickException`
that prints ``error: message``, the problems as ``path:line: message`` and
any hints on stderr, and exits with the error's status, as click does for
its own usage errors (status 2). An OSError (a file that cannot be read or
written) is reported the same way, in one line.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import IO, Any

import click

from sitegen.errors import UserError, display_path, one_line

NOTES = "sitegen.failure_notes"
"""The key, in the context's ``meta``, of the lines to print after the error if the command fails."""


class Command(click.Command):
    """A ``sitegen`` subcommand: a UserError or OSError it raises is reported in the one shape."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise Failure(exc.lines() + ctx.meta.get(NOTES, []), exc.exit_code) from exc
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader of the output went away: click ends quietly
                raise
            raise Failure([f"error: {describe_os_error(exc)}", *ctx.meta.get(NOTES, [])]) from exc


class Failure(click.ClickException):
    """A failed command's report, printed on stderr line by line."""

    def __init__(self, lines: list[str], exit_code: int = 1):
        super().__init__("\n".join(lines))
        self.lines = lines
        self.exit_code = exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines:
            click.echo(one_line(line), file=file, err=file is None)


def say(*lines: str, err: bool = False) -> None:
    """Print each of ``lines`` as one line, control characters escaped: the only way commands print.

    A value from a pull request (a file name, a key) must never start a line
    of its own: GitHub runners execute output lines that start with '::'.
    """
    for line in lines:
        click.echo(one_line(line), err=err)


def note_on_failure(text: str) -> None:
    """Print ``text`` after the error should the running command fail (say, what the user wrote in an editor)."""
    click.get_current_context().meta.setdefault(NOTES, []).extend(text.split("\n"))


def describe_os_error(exc: OSError) -> str:
    """``path: reason`` (both paths of a rename), as the operating system gives the reason."""
    reason = exc.strerror or str(exc)
    paths = [_shown(name) for name in (exc.filename, exc.filename2) if name is not None]
    return f"{' -> '.join(paths)}: {reason}" if paths else reason


def _shown(name: object) -> str:
    return display_path(Path(os.fsdecode(name))) if isinstance(name, str | bytes | os.PathLike) else str(name)
