"""``sitegen serve``: preview a site locally, rebuilt on every change."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click

from sitegen.commands.options import now_option, site_argument
from sitegen.commands.reporting import Command, inform, say


@click.command(cls=Command)
@site_argument(exists=True)
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@now_option("Build", clock_at_each_build=True)
def serve(site: Path, port: int, host: str, now: datetime | None) -> None:
    """Serve the site in SITE (default: this folder) on a local web server.

    The site is built into a temporary folder (SITE/public is not touched),
    rebuilt whenever a file under content/ or themes/ or sitegen.toml
    changes, and open pages reload by themselves. Stop with Ctrl-C.

    \b
    Examples:
      sitegen serve
      sitegen serve path/to/site --port 8080
    """
    from sitegen.authoring.serve import Server  # here, so other commands start without loading watchfiles

    server = Server(
        site,
        host=host,
        port=port,
        now=now,
        log=lambda message: say(message, err=True),
        inform=lambda message: inform(message, err=True),
    )
    with _terminate_as_interrupt():
        try:
            server.start()
            say(f"Serving {server.url} (Ctrl-C to stop)")
            server.wait()
        except KeyboardInterrupt:
            say("Stopped.", err=True)
        finally:
            server.stop()


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (a plain ``kill``) like Ctrl-C, so the temporary folder is removed either way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
