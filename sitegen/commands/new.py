"""``sitegen new``: start an incident (or a scheduled maintenance) file, with its first update stamped now.

The helpers below are shared with ``sitegen update`` and ``sitegen resolve``.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import click

from sitegen.authoring.alerts import parse_alert
from sitegen.authoring.alerts.draft import draft_from_alert
from sitegen.authoring.incidents import NewIncident, Written, create_incident
from sitegen.authoring.templates import GIVEN, apply_template
from sitegen.authoring.user_input import EDITOR_TEMPLATE, AuthoringError, Body, body_from_editor
from sitegen.authoring.yaml_edit import TIME_FORMAT
from sitegen.commands.options import (
    body_option,
    component_option,
    dry_run_option,
    edit_option,
    next_update_option,
    now_option,
    site_argument,
    status_option,
    verbosity,
)
from sitegen.commands.reporting import Command, note_on_failure, say
from sitegen.content.statuses import Kind
from sitegen.errors import UserError, display_path

STDIN = "-"


@click.command(cls=Command)
@click.argument("title", required=False, default="")
@site_argument()
@component_option
@status_option(
    help="The first update's status: investigating (the default), identified, monitoring or resolved; "
    "for a maintenance scheduled (the default), in_progress, verifying or completed."
)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in Kind]),
    default=Kind.INCIDENT.value,
    show_default=True,
    help="An incident, or a scheduled maintenance (with --for and --until).",
)
@click.option("--for", "scheduled_for", metavar="START", help="A maintenance's start (ISO 8601).")
@click.option("--until", "scheduled_until", metavar="END", help="A maintenance's end (ISO 8601).")
@click.option("--impact", metavar="LEVEL", help="none, minor, major or critical.  [default: from the components]")
@click.option("--slug", help="The file's name after its date, instead of one made from the title.")
@click.option(
    "--template",
    metavar="NAME",
    help="Start from content/templates/NAME.md: its title, text, impact and components; options given win.",
)
@click.option(
    "--set",
    "values",
    metavar="NAME=TEXT",
    multiple=True,
    help="The text of a template's placeholder {NAME}, such as --set summary='Sign-in fails'. Repeatable.",
)
@click.option(
    "--from-alert",
    "alert_file",
    metavar="FILE|-",
    type=click.File("rb"),
    help="Draft the incident from an alerting tool's webhook payload ('-': standard input): see docs/cli.md.",
)
@click.option("--alert-key", is_flag=True, help="With --from-alert: print the alert's key, and write nothing.")
@body_option
@edit_option
@next_update_option
@dry_run_option
@now_option("Stamp the update")
def new(
    title: str,
    site: Path,
    components: tuple[str, ...],
    status: str | None,
    kind: str,
    scheduled_for: str | None,
    scheduled_until: str | None,
    impact: str | None,
    slug: str | None,
    template: str | None,
    values: tuple[str, ...],
    alert_file: BinaryIO | None,
    alert_key: bool,
    body: str | None,
    edit: bool,
    next_update: str | None,
    dry_run: bool,
    now: datetime,
) -> None:
    """Create content/incidents/<date>-<slug>.md for a new incident titled TITLE.

    The date is today's in the site's timezone (a maintenance's: the day it
    is scheduled for), the slug comes from the title in any script, or from
    --slug, and the first update is stamped now. Without --body or --edit
    the update gets its status's default text ("We are currently
    investigating this issue."). An existing file is never overwritten: a
    second incident of one title on one day gets '-2' after its name.

    With --template NAME, the title (when TITLE is left out), the text,
    impact, status and components come from content/templates/NAME.md, its
    placeholders filled by --set and by the components.

    \b
    Examples:
      sitegen new "Elevated API errors" -c api=partial_outage
      sitegen new "Slow queries" -c db=degraded_performance --impact minor -m "Queries take up to 10 s."
      sitegen new "Sign-in failures" -c api=major_outage -c web=partial_outage --edit
      echo "We are moving the database." | sitegen new "Database move" -m - path/to/site
      sitegen new "Database upgrade" --kind maintenance --for 2026-12-01T08:00Z --until 2026-12-01T10:00Z \\
          -c db=under_maintenance
      sitegen new --template outage -c api=major_outage --set summary="API requests fail"
      sitegen new --from-alert alertmanager.json
    """
    if alert_file is not None:
        if title or components or body is not None or edit or values or status or impact or slug or next_update:
            raise UserError("--from-alert takes its words from the alert and the template: give no others")
        from_alert(site, alert_file.read(), template=template, key_only=alert_key, now=now, dry_run=dry_run)
        return
    if alert_key:
        raise UserError("--alert-key goes with --from-alert")
    if not title and template is None:
        raise UserError("give the incident's TITLE, or a --template to take it from")
    request = NewIncident(
        title=title,
        components=components,
        status=status,
        body=body_source(body, edit),
        impact=impact,
        kind=Kind(kind),
        scheduled_for=scheduled_for,
        scheduled_until=scheduled_until,
        slug=slug,
        next_update=next_update,
    )
    if template is not None:
        request = apply_template(site, template, request, placeholder_values(values))
    report(create_incident(site, request, now=now, dry_run=dry_run), verb="Created")


def from_alert(site: Path, data: bytes, *, template: str | None, key_only: bool, now: datetime, dry_run: bool) -> None:
    """Draft from the alert in ``data``: an incident, a suggested 'resolved' update, or nothing for a repeat."""
    alert = parse_alert(data)
    if key_only:
        say(alert.key)
        return
    drafted = draft_from_alert(site, alert, now=now, template=template, dry_run=dry_run)
    if drafted.written is not None:
        report(drafted.written, verb="Drafted" if alert.firing else "Resolved")
    say(drafted.note, err=True)


def placeholder_values(options: tuple[str, ...]) -> dict[str, str]:
    """--set NAME=TEXT options as a mapping; each name must be a template placeholder."""
    values = {}
    for option in options:
        name, sep, text = option.partition("=")
        if not sep or name not in GIVEN:
            known = ", ".join(GIVEN)
            raise UserError(f"--set '{option}' must be NAME=TEXT, NAME one of {known}")
        values[name] = text
    return values


def report(written: Written, *, verb: str) -> None:
    """Print any warnings and notes, then the file and the new update's status and time (or, dry, the file)."""
    say(*(f"warning: {warning}" for warning in written.warnings), err=True)
    say(*written.notes, err=True)
    stamp = f"{written.status.value} at {written.at.strftime(TIME_FORMAT)}"
    if written.dry_run:
        say(f"Would write {display_path(written.path)} ({stamp}); nothing was written:", "")
        say(*written.text.rstrip("\n").split("\n"))
    elif verbosity() >= 0:
        say(f"{verb} {display_path(written.path)}: {stamp}")


def body_source(body: str | None, edit: bool) -> Body:
    """--body's text ('-': standard input), or (--edit) an editor opened once all else is checked; None: default."""
    if body is not None and edit:
        raise UserError("give the text with --body or write it with --edit, not both")
    if body == STDIN:
        return _text_from_stdin
    return text_from_editor if edit else body


def _text_from_stdin() -> str:
    if sys.stdin.isatty():
        say("Type the update's text, then Ctrl-D on a line of its own:", err=True)
    return sys.stdin.read()


def text_from_editor() -> str:
    """The update's text, written in $EDITOR; shown again if the command then fails, so that it is not lost."""
    written = body_from_editor(click.edit(EDITOR_TEMPLATE, extension=".md"))
    if written is None:
        raise AuthoringError("the editor was closed without saving: nothing was written")
    if written.strip():
        note_on_failure(f"The text you wrote was not saved; here it is:\n\n{written}")
    return written
