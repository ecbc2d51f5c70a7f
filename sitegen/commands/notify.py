"""``sitegen notify``: announce what is new in a built site on the [[notify]] channels, exactly once."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import click

from sitegen.commands.options import now_option, site_argument
from sitegen.commands.reporting import Command, inform
from sitegen.content.times import parse_time
from sitegen.notify.announce import MAX_MESSAGES, Run, announce
from sitegen.notify.http import Manners


def _moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """An ISO 8601 time, in UTC when written without a zone."""
    try:
        return parse_time(value, UTC) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@click.command(cls=Command)
@site_argument()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site built by sitegen build; the record of what was announced is written into it.  "
    "[default: SITE/public]",
)
@click.option(
    "--published",
    required=True,
    metavar="URL_OR_FOLDER",
    help="The site as last published (its URL, or a folder holding it): its record says what was announced.",
)
@click.option("--dry-run", is_flag=True, help="Print the messages that would be sent; send and write nothing.")
@click.option(
    "--defer",
    is_flag=True,
    help="Record what is new as owed and send nothing: before the deploy, so that messages go out "
    "(by notify --published OUTPUT) once the pages are live.",
)
@now_option("Announce")
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds to wait for a server.",
)
@click.option(
    "--retries",
    metavar="N",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Retries of a failed message.",
)
@click.option(
    "--backoff",
    metavar="SECONDS",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Seconds before the first retry; each further one waits twice as long.",
)
@click.option(
    "--skip",
    "skip",
    metavar="EVENT-ID",
    multiple=True,
    help="Record this message as sent without sending it (the id a failure names); repeat for more.",
)
@click.option(
    "--max-messages",
    metavar="N",
    type=click.IntRange(min=0),
    default=MAX_MESSAGES,
    show_default=True,
    help="Send nothing if the run would send more than N messages (likely history replayed).",
)
@click.option(
    "--skip-before",
    metavar="TIME",
    callback=_moment,
    help="Record events older than TIME (ISO 8601) as announced without sending them (after an import).",
)
def notify(
    site: Path,
    output: Path | None,
    published: str,
    dry_run: bool,
    defer: bool,
    now: datetime,
    timeout: float,
    retries: int,
    backoff: float,
    skip: tuple[str, ...],
    max_messages: int,
    skip_before: datetime | None,
) -> None:
    """Announce new incidents and updates of the site in SITE (default: this folder).

    It compares the built site with the record in the published one, sends
    each new event to the channels of sitegen.toml's [[notify]] tables, and
    writes the new record into the built site for the deploy to publish.
    The first run sends nothing: it only starts the record. The publish
    workflow runs it with --defer before the deploy (recording what is owed)
    and again after it, with --published set to the deployed folder, so that
    messages land once the pages are live; then it publishes the record.

    \b
    Examples:
      sitegen notify -o public --published https://acme.github.io/status/ --defer
      sitegen notify -o public --published public
      sitegen notify -o public --published previous-site/ --dry-run
      sitegen notify -o public --published previous-site/ --skip update/3cae040ebdf2
    """
    if dry_run and defer:
        raise click.UsageError("--dry-run and --defer cannot be combined: a dry run writes nothing")
    run = Run(
        site_dir=site,
        out_dir=output if output is not None else site / "public",
        published=published,
        now=now,
        dry_run=dry_run,
        defer=defer,
        manners=Manners(timeout=timeout, retries=retries, backoff=backoff),
        skip=frozenset(skip),
        max_messages=max_messages,
        skip_before=skip_before,
    )
    announce(run, os.environ, inform)
