"""``sitegen new``: start an incident file from the command line, with its first update stamped now.

The helpers below are shared with ``sitegen update`` and ``sitegen resolve``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click

from sitegen.authoring.incidents import (
    EDITOR_TEMPLATE,
    TIME_FORMAT,
    AuthoringError,
    Body,
    Written,
    body_from_editor,
    create_incident,
)
from sitegen.content.times import parse_now
from sitegen.errors import display_path

site_option = click.option(
    "--site",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (holding sitegen.toml).",
)
now_option = click.option(
    "--now",
    metavar="TIME",
    help="Stamp the update with this time (ISO 8601) instead of $SOURCE_DATE_EPOCH or the clock.",
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


@click.command()
@click.argument("title")
@component_option
@click.option(
    "-s",
    "--status",
    default="investigating",
    show_default=True,
    help="investigating, identified, monitoring or resolved.",
)
@click.option("--impact", metavar="LEVEL", help="none, minor, major or critical.  [default: from the components]")
@body_option
@edit_option
@site_option
@now_option
def new(
    title: str,
    components: tuple[str, ...],
    status: str,
    impact: str | None,
    body: str | None,
    edit: bool,
    site: Path,
    now: str | None,
) -> None:
    """Create content/incidents/<date>-<slug>.md for a new incident titled TITLE.

    The date is today's in the site's timezone, the slug comes from the
    title, and the first update is stamped now. Without --body or --edit the
    update gets its status's default text ("We are currently investigating
    this issue."). An existing file is never overwritten.

    \b
    Examples:
      sitegen new "Elevated API errors" -c api=partial_outage
      sitegen new "Slow queries" -c db=degraded_performance --impact minor -m "Queries take up to 10 s."
      sitegen new "Sign-in failures" -c api=major_outage -c web=partial_outage --edit
    """
    text = body_source(body, edit)
    run(
        lambda: create_incident(
            site, title=title, components=components, status=status, body=text, impact=impact, now=moment(now)
        ),
        verb="Created",
        text=text,
    )


def run(action: Callable[[], Written], *, verb: str, text: Body = None) -> None:
    """Do ``action``; print the file and the new update's time, or the error and exit 1."""
    try:
        written = action()
    except AuthoringError as exc:
        click.echo(f"error: {exc.message}", err=True)
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        if isinstance(text, EditorText) and text.written and text.written.strip():
            click.echo(f"The text you wrote was not saved; here it is:\n\n{text.written}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for warning in written.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{verb} {display_path(written.path)}: {written.status.value} at {written.at.strftime(TIME_FORMAT)}")


def moment(now: str | None) -> datetime:
    """The update's time: --now, else $SOURCE_DATE_EPOCH, else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        return parse_now(now, epoch)
    except ValueError as exc:
        source = "--now" if now else "$SOURCE_DATE_EPOCH"
        raise AuthoringError(f"{source}: {exc}") from None


def body_source(body: str | None, edit: bool) -> Body:
    """--body's text, or (--edit) an editor opened once everything else is checked; None for the default text."""
    if body is not None and edit:
        click.echo("error: give the text with --body or write it with --edit, not both", err=True)
        sys.exit(1)
    return EditorText() if edit else body


class EditorText:
    """The update's text, written in $EDITOR when asked for; kept to be shown again if the command fails."""

    def __init__(self) -> None:
        self.written: str | None = None

    def __call__(self) -> str:
        self.written = body_from_editor(click.edit(EDITOR_TEMPLATE, extension=".md"))
        if self.written is None:
            raise AuthoringError("the editor was closed without saving: nothing was written")
        return self.written
