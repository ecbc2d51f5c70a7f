"""``sitegen new``: start an incident file from the command line, with its first update stamped now.

The helpers below are shared with ``sitegen update`` and ``sitegen resolve``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from sitegen.authoring.incidents import Written, create_incident
from sitegen.authoring.user_input import EDITOR_TEMPLATE, AuthoringError, Body, body_from_editor
from sitegen.authoring.yaml_edit import TIME_FORMAT
from sitegen.commands.options import body_option, component_option, edit_option, now_option, site_option
from sitegen.commands.reporting import Command, note_on_failure, say
from sitegen.errors import UserError, display_path


@click.command(cls=Command)
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
@now_option("Stamp the update")
def new(
    title: str,
    components: tuple[str, ...],
    status: str,
    impact: str | None,
    body: str | None,
    edit: bool,
    site: Path,
    now: datetime,
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
    written = create_incident(
        site, title=title, components=components, status=status, body=text, impact=impact, now=now
    )
    report(written, verb="Created")


def report(written: Written, *, verb: str) -> None:
    """Print any warnings, then the file and the new update's status and time."""
    say(*(f"warning: {warning}" for warning in written.warnings), err=True)
    say(f"{verb} {display_path(written.path)}: {written.status.value} at {written.at.strftime(TIME_FORMAT)}")


def body_source(body: str | None, edit: bool) -> Body:
    """--body's text, or (--edit) an editor opened once everything else is checked; None for the default text."""
    if body is not None and edit:
        raise UserError("give the text with --body or write it with --edit, not both")
    return text_from_editor if edit else body


def text_from_editor() -> str:
    """The update's text, written in $EDITOR; shown again if the command then fails, so that it is not lost."""
    written = body_from_editor(click.edit(EDITOR_TEMPLATE, extension=".md"))
    if written is None:
        raise AuthoringError("the editor was closed without saving: nothing was written")
    if written.strip():
        note_on_failure(f"The text you wrote was not saved; here it is:\n\n{written}")
    return written
