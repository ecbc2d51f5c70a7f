"""``sitegen import``: bring a status page's history from Statuspage, incident.io, cState or Upptime.

The command only reads its options and reports; reading the source and
writing the site (all of it or nothing) are :mod:`sitegen.importers`'.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from sitegen.commands.options import now_option, site_option
from sitegen.commands.progress import ProgressBar
from sitegen.commands.reporting import Command, inform, say, warning_lines
from sitegen.content.source_files import INCIDENTS_DIR
from sitegen.content.times import load_timezone
from sitegen.errors import display_path
from sitegen.importers.errors import ImportIncomplete
from sitegen.importers.fetching import Politeness
from sitegen.importers.importing import ImportReport, import_history
from sitegen.importers.records import SourceHistory
from sitegen.importers.sources import SOURCES, Request, read_source
from sitegen.importers.statuspage_manage import API_URL
from sitegen.views.formatting import count_label


def _zone(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An IANA zone's name, checked here so that a wrong one is a usage error, not a failure half-way."""
    if value is not None:
        try:
            load_timezone(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx, param) from None
    return value


@click.command("import", cls=Command)
@click.argument("source", metavar="SOURCE", type=click.Choice(SOURCES))
@click.argument("origin", metavar="[FROM]", required=False)
@site_option
@click.option(
    "--api-key",
    "api_key_variable",
    metavar="NAME",
    help="Statuspage: read the page FROM (its page id) with the management API, using the API key "
    "in the environment variable NAME (gives postmortems and impact overrides).",
)
@click.option("--api-url", default=API_URL, hidden=True, help="The management API's address.")
@click.option(
    "--timezone",
    metavar="ZONE",
    callback=_zone,
    help="cState: the zone of dates written without one.  [default: the site's]",
)
@click.option(
    "--issues",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Upptime: the repository's issues (and comments) exported as JSON (repeatable).",
)
@click.option("--overwrite", is_flag=True, help="Also replace files edited by hand since they were imported.")
@click.option(
    "--timeout",
    default=30.0,
    type=click.FloatRange(min=0, min_open=True),
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for an answer.",
)
@click.option(
    "--retries",
    default=4,
    type=click.IntRange(min=0),
    show_default=True,
    metavar="N",
    help="Tries after a failed request.",
)
@click.option(
    "--backoff",
    default=1.0,
    type=click.FloatRange(min=0),
    hidden=True,
    metavar="SECONDS",
    help="The wait before the first retry.",
)
@now_option("Check the result")
def import_(
    source: str,
    origin: str | None,
    site: Path,
    api_key_variable: str | None,
    api_url: str,
    timezone: str | None,
    issues: tuple[Path, ...],
    overwrite: bool,
    timeout: float,
    retries: int,
    backoff: float,
    now: datetime,
) -> None:
    """Import the incident history of another status page into the site.

    \b
    SOURCE and FROM:
      statuspage URL       a public page: its whole history (history.json and each incident)
      statuspage PATH      saved summary.json, incidents.json or incident documents (or a folder)
      statuspage PAGE_ID --api-key NAME   the management API, with postmortems
      incidentio URL|PATH  an incident.io page, or its saved proxy documents
      cstate [FOLDER]      a cState site (content/issues/*.md)
      upptime [FOLDER] --issues FILE   an Upptime repository and its issues as JSON

    Writes content/incidents/ (and write-ups from postmortems) and adds the
    components to sitegen.toml. Importing again updates what changed and
    adds what is new; files edited by hand since are left alone.

    \b
    Examples:
      sitegen import statuspage https://www.githubstatus.com
      sitegen import statuspage kctbh9vrtdwd --api-key STATUSPAGE_API_KEY
      sitegen import cstate ../old-status --timezone Europe/Berlin
    """
    politeness = Politeness(retries=retries, backoff=backoff, timeout=timeout)
    request = Request(source, origin, api_key_variable, api_url, timezone, issues, politeness)
    bar = ProgressBar.on_terminal()
    try:
        history = read_source(request, site, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    report = import_history(site, history, now=now, overwrite=overwrite)
    report_import(report, source=source, site=site)
    report_warnings(history, report)


def report_warnings(history: SourceHistory, report: ImportReport) -> None:
    """What was read loosely and what check finds unlikely, once, after the summary; then fail on anything skipped."""
    if report.warnings:
        say(
            f"{count_label(len(report.warnings), 'warning')} about the files written (sitegen check says the same):",
            *(f"  {line}" for line in warning_lines(report.warnings)),
        )
    if history.warnings:
        say(
            f"{count_label(len(history.warnings), 'warning')} about what was read:",
            *(f"  warning: {w}" for w in history.warnings),
        )
    if history.skipped:
        raise ImportIncomplete.skipping(history.skipped)


def report_import(report: ImportReport, *, source: str, site: Path) -> None:
    written = [*report.created, *report.updated]
    created, updated, unchanged = (
        sum(path.parent == INCIDENTS_DIR for path in paths)
        for paths in (report.created, report.updated, report.unchanged)
    )
    inform(
        f"Imported from {source} into {display_path(site)}/: {count_label(created + updated, 'incident')} written "
        f"({created} new, {updated} updated, {unchanged} unchanged), "
        f"{count_label(len(written) - created - updated, 'write-up')}, "
        f"{count_label(report.components_added, 'component')} added to sitegen.toml"
    )
    if report.skipped:
        say(
            f"Skipped {count_label(len(report.skipped), 'file')} edited by hand since the last import "
            "(--overwrite replaces them):",
            *(f"  {display_path(site / path)}" for path in report.skipped),
        )
