"""The arguments and options several commands take, each declared once, so that each reads and fails alike.

``--now`` is parsed here, with ``$SOURCE_DATE_EPOCH`` standing in for it,
before the command runs: a bad value is a usage error (status 2) in every
command, and the command gets an aware ``datetime``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from sitegen.content.times import parse_now

F = TypeVar("F", bound=Callable[..., Any])
EPOCH = "SOURCE_DATE_EPOCH"


def site_argument(*, exists: bool = False) -> Callable[[F], F]:
    """SITE, the site's folder (default: this one); ``exists`` refuses a folder that is not there."""
    return click.argument("site", default=".", type=click.Path(exists=exists, file_okay=False, path_type=Path))


site_option = click.option(
    "--site",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (holding sitegen.toml).",
)


def now_option(action: str, *, clock_at_each_build: bool = False) -> Callable[[F], F]:
    """``--now TIME``, passed to the command as a UTC ``datetime``: --now, else $SOURCE_DATE_EPOCH, else the clock.

    ``action`` starts the help ("Build" as if it were this time). With
    ``clock_at_each_build`` the command gets None when neither is given, to
    read the clock itself each time it builds.
    """
    clock = "the clock at each build" if clock_at_each_build else "the clock"

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
        epoch = os.environ.get(EPOCH)
        if ctx.resilient_parsing or (clock_at_each_build and not value and not epoch):
            return None
        try:
            return parse_now(value, epoch)
        except ValueError as exc:  # its message says whether --now or $SOURCE_DATE_EPOCH is wrong
            raise click.BadParameter(str(exc), ctx, param) from None

    return click.option(
        "--now",
        metavar="TIME",
        callback=parse,
        help=f"{action} as if it were this time (ISO 8601). Defaults to ${EPOCH}, else {clock}.",
    )


component_option = click.option(
    "-c",
    "--component",
    "components",
    metavar="ID=STATUS",
    multiple=True,
    help="An affected component and its status, e.g. api=partial_outage (repeatable). "
    "Statuses: operational, degraded_performance, partial_outage, major_outage, under_maintenance.",
)
body_option = click.option("-m", "--body", metavar="TEXT", help="The update's text (Markdown).")
edit_option = click.option("-e", "--edit", is_flag=True, help="Write the update's text in $EDITOR.")
