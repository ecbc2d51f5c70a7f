"""How a command fails: every mistake the user can fix is printed in one shape, never as a traceback.

The layers below raise :class:`~sitegen.errors.UserError` (content, output,
authoring errors) and know nothing of click. :class:`Command`, the class of
every ``sitegen`` subcommand, turns one into a :class:`click.ClickException`
that prints ``error: message``, the problems as ``path:line: message`` and
any hints on stderr, and exits with the error's status, as click does for
its own usage errors (status 2). An OSError (a file that cannot be read or
written) is reported the same way, in one line. Ctrl-C ends a command with
one line and status 130, as shells report a program stopped by SIGINT.

Warnings of one kind (the same message but for the names and numbers in it)
are shown a few at a time: a site with 92 misdated files gets three of them
and "... and 89 more like this", unless -v asks for all.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import signal
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any

import click

from sitegen.commands.options import verbosity, verbosity_options
from sitegen.errors import Problem, UserError, display_path, one_line

NOTES = "sitegen.failure_notes"
"""The key, in the context's ``meta``, of the lines to print after the error if the command fails."""
INTERRUPTED = "sitegen.interrupted"
"""The key, in the context's ``meta``, of what to say when Ctrl-C stops the command."""
INTERRUPTED_STATUS = 130
SHOWN_OF_A_KIND = 3
"""Warnings of one kind shown before the rest are counted; a kind with at most one more is shown whole."""
VARYING = re.compile(r"'[^']*'|\S*\d\S*")
"""What differs between two warnings of one kind: quoted names, and words with digits (dates, times, counts)."""


class Command(click.Command):
    """A ``sitegen`` subcommand: it takes -q and -v, and a UserError or OSError it raises is reported in one shape."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        verbosity_options(self)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _interrupt_in_this_process_only():
                return super().invoke(ctx)
        except UserError as exc:
            raise failure(exc.exit_code)(exc.lines() + ctx.meta.get(NOTES, [])) from exc
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader of the output went away: click ends quietly
                raise
            raise Failure([f"error: {describe_os_error(exc)}", *ctx.meta.get(NOTES, [])]) from exc
        except KeyboardInterrupt:
            message = ctx.meta.get(INTERRUPTED, "interrupted")
            raise failure(INTERRUPTED_STATUS)([f"error: {message}", *ctx.meta.get(NOTES, [])]) from None


@contextmanager
def _interrupt_in_this_process_only() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt here, but not in forked build workers, which the build then stops.

    A terminal sends SIGINT to every process of the job; each worker of a
    parallel render would otherwise print a traceback of its own.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    parent = os.getpid()

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if os.getpid() == parent:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def on_interrupt(message: str) -> None:
    """Say ``message`` (one line, after 'error: ') should Ctrl-C stop the running command."""
    click.get_current_context().meta[INTERRUPTED] = message


class Failure(click.ClickException):
    """A failed command's report, printed on stderr line by line; it exits with status 1 (see :func:`failure`)."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines:
            click.echo(one_line(line), file=file, err=file is None)


@functools.cache
def failure(status: int) -> type[Failure]:
    """The Failure that exits with ``status``: click reads the status from the class, not from the instance."""
    return Failure if status == Failure.exit_code else type(f"Failure{status}", (Failure,), {"exit_code": status})


def inform(*lines: str, err: bool = False) -> None:
    """Say ``lines`` unless -q asked for only warnings and errors: news of what a command did, not problems."""
    if verbosity() >= 0:
        say(*lines, err=err)


def say(*lines: str, err: bool = False) -> None:
    """Print each of ``lines`` as one harmless line (:func:`~sitegen.errors.one_line`): the only way commands print.

    A value from a pull request (a file name, a key, a title) must never
    start a line of its own, nor command the CI runner: GitHub runners
    execute lines that start with '::' and any '##[' in a line.
    tests/test_architecture.py keeps every other module from printing.
    """
    for line in lines:
        click.echo(one_line(line), err=err)


def say_workflow_command(command: str) -> None:
    """Print a workflow command sitegen itself makes ('::error file=...::text'): its '::' kept, the rest disarmed."""
    if not command.startswith("::"):
        raise ValueError(f"not a workflow command: {command!r}")
    click.echo("::" + one_line(command[2:]))


def warning_lines(problems: Iterable[Problem], *, every: bool = False) -> list[Problem | str]:
    """The problems to print, in order, with long runs of one kind cut to a few and a count of the rest.

    ``every`` (-v) keeps them all. Each cut kind's count line follows its
    last shown problem.
    """
    listed = list(problems)
    kinds = [_kind(problem) for problem in listed]
    total = Counter(kinds)
    seen: Counter[tuple[bool, str]] = Counter()
    lines: list[Problem | str] = []
    for problem, kind in zip(listed, kinds):
        seen[kind] += 1
        if every or total[kind] <= SHOWN_OF_A_KIND + 1 or seen[kind] <= SHOWN_OF_A_KIND:
            lines.append(problem)
        if not every and total[kind] > SHOWN_OF_A_KIND + 1 and seen[kind] == SHOWN_OF_A_KIND:
            lines.append(f"... and {total[kind] - SHOWN_OF_A_KIND} more like this (-v lists them all)")
    return lines


def _kind(problem: Problem) -> tuple[bool, str]:
    return problem.warning, VARYING.sub("_", problem.message)


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
