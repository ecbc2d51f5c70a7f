"""``sitegen serve``: preview a site locally, rebuilt on every change."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from sitegen.content.times import parse_now


@click.command()
@click.argument("site", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--now",
    metavar="TIME",
    help="Build as if it were this time (ISO 8601). Defaults to $SOURCE_DATE_EPOCH, else the clock at each build.",
)
def serve(site: Path, port: int, host: str, now: str | None) -> None:
    """Serve the site in SITE (default: this folder) on a local web server.

    The site is built into a temporary folder (SITE/public is not touched),
    rebuilt whenever a file under content/ or themes/ or sitegen.toml
    changes, and open pages reload by themselves. Stop with Ctrl-C.

    \b
    Examples:
      sitegen serve
      sitegen serve path/to/site --port 8080
    """
    from sitegen.authoring.serve import ServeError, Server  # here, so other commands start without loading watchfiles

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        moment = parse_now(now, epoch) if now or epoch else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from None
    server = Server(site, host=host, port=port, now=moment, log=lambda message: click.echo(message, err=True))
    with _terminate_as_interrupt():
        try:
            server.start()
            click.echo(f"Serving {server.url} (Ctrl-C to stop)")
            server.wait()
        except ServeError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)
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
