"""``sitegen update`` and ``sitegen resolve``: add an update to an incident file, changing nothing else in it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from sitegen.authoring.incidents import add_update
from sitegen.commands.new import body_source, report
from sitegen.commands.options import (
    all_option,
    body_option,
    component_option,
    dry_run_option,
    edit_option,
    next_update_option,
    now_option,
    site_argument,
    slug_argument,
    status_option,
)
from sitegen.commands.reporting import Command


@click.command(cls=Command)
@slug_argument
@site_argument()
@status_option(
    required=True,
    help="investigating, identified, monitoring, resolved or postmortem; "
    "for a maintenance scheduled, in_progress, verifying or completed.",
)
@body_option
@edit_option
@next_update_option
@component_option
@all_option
@dry_run_option
@now_option("Stamp the update")
def update(
    slug: str,
    site: Path,
    status: str,
    body: str | None,
    edit: bool,
    next_update: str | None,
    components: tuple[str, ...],
    include_closed: bool,
    dry_run: bool,
    now: datetime,
) -> None:
    """Add an update, stamped now, to the incident SLUG.

    SLUG is the file name without .md, or any unique beginning or part of
    the name of an open incident (with --all, of any). The update goes
    after the last one in the file's 'updates:' list; nothing else in the
    file changes. Without --body or --edit it gets the status's default
    text. Two updates at once to one file both land.

    \b
    Examples:
      sitegen update 2026-11-28-elevated-api-errors --status identified -m "A bad deploy; rolling back."
      sitegen update elevated-api --status monitoring -c api=degraded_performance --next-update 30m
      sitegen update 2026-11-28-elev --status identified --edit
      sitegen update api-errors --all --status postmortem -m "The review is published."
    """
    text = body_source(body, edit)
    written = add_update(
        site,
        slug,
        status=status,
        body=text,
        components=components,
        now=now,
        include_closed=include_closed,
        dry_run=dry_run,
        next_update=next_update,
    )
    report(written, verb="Updated")


@click.command(cls=Command)
@slug_argument
@site_argument()
@body_option
@edit_option
@all_option
@dry_run_option
@now_option("Stamp the update")
def resolve(
    slug: str, site: Path, body: str | None, edit: bool, include_closed: bool, dry_run: bool, now: datetime
) -> None:
    """Add a 'resolved' update, stamped now, to the incident SLUG.

    A maintenance gets a 'completed' update instead. SLUG is matched as for
    'sitegen update' (open incidents only); an incident that is already
    resolved is refused. The default text is "This incident has been
    resolved.".

    \b
    Examples:
      sitegen resolve 2026-11-28-elevated-api-errors
      sitegen resolve elevated-api -m "Error rates are back to normal since 10:42 UTC."
    """
    text = body_source(body, edit)
    written = add_update(
        site, slug, status=None, body=text, now=now, resolving=True, include_closed=include_closed, dry_run=dry_run
    )
    report(written, verb="Resolved")
