"""What a long command is doing, on one line of a terminal that it redraws, and nothing anywhere else.

A build of thousands of incidents takes seconds: on a terminal, the user
sees the phase and its counts, with the time so far, on a line that is
cleared once the command is done. When standard error is not a terminal
(a pipe, a log file), in CI (``$CI``), on a dumb terminal, or with -q, it
prints nothing at all, so logs stay clean. The line is shown only after a
moment, so a quick command never flickers. Downloads, whose count is known,
get a progress bar instead, on a terminal only too.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import IO, Any

import click

from sitegen.commands.options import verbosity
from sitegen.errors import one_line

SHOW_AFTER_SECONDS = 0.5
REDRAW_SECONDS = 0.25
CLEAR_LINE = "\r\x1b[K"


class Progress:
    """A status line: ``with Progress.on_terminal() as progress: progress.phase("Loading 5,000 files")``."""

    def __init__(self, stream: IO[str] | None, *, delay: float = SHOW_AFTER_SECONDS, interval: float = REDRAW_SECONDS):
        """``stream`` None shows nothing."""
        self.stream = stream
        self.delay = delay
        self.interval = interval
        self._text = ""
        self._started = time.monotonic()
        self._drawn = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @classmethod
    def on_terminal(cls) -> Progress:
        """A status line on standard error if a person is watching it, else one that shows nothing."""
        stream = sys.stderr
        watched = stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
        return cls(stream if watched and verbosity() >= 0 else None)

    @property
    def shown(self) -> bool:
        return self.stream is not None

    def phase(self, text: str) -> None:
        """Say what is being done now (the time shown counts from the start of the command)."""
        with self._lock:
            self._text = one_line(text)
        if self._drawn:
            self._draw()

    def __enter__(self) -> Progress:
        if self.stream is not None:
            self._thread = threading.Thread(target=self._run, name="sitegen-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._drawn and self.stream is not None:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(self.interval)

    def _draw(self) -> None:
        assert self.stream is not None
        with self._lock:
            if self._stop.is_set() and self._drawn:
                return
            seconds = time.monotonic() - self._started
            self.stream.write(f"{CLEAR_LINE}{self._text}... {seconds:.0f} s")
            self.stream.flush()
            self._drawn = True


class ProgressBar:
    """A progress bar on stderr for each batch of downloads, shown only on a terminal."""

    @classmethod
    def on_terminal(cls) -> ProgressBar | None:
        """A progress bar if standard error is a terminal; None (nothing shown) otherwise."""
        return cls() if sys.stderr.isatty() else None

    def __init__(self) -> None:
        self.bar: Any = None
        self.what = ""
        self.shown = 0

    def __call__(self, what: str, done: int, total: int) -> None:
        if total <= 0:  # not known in advance (history pages): nothing to draw
            return
        if self.bar is None or what != self.what:
            self.close()
            self.bar = click.progressbar(length=total, label=one_line(f"Fetching {what}"), file=sys.stderr)
            self.bar.__enter__()
            self.what, self.shown = what, 0
        self.bar.update(done - self.shown)
        self.shown = done
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
