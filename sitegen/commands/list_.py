"""``sitegen list``: what is open right now, for the person on call."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click

from sitegen.authoring.finding import FileSummary, open_incidents
from sitegen.authoring.incidents import site_settings
from sitegen.commands.options import now_option, site_argument
from sitegen.commands.reporting import Command, say
from sitegen.content.statuses import Kind

TITLE_WIDTH = 50


@click.command("list", cls=Command)
@site_argument()
@now_option("List")
def list_(site: Path, now: datetime) -> None:
    """List the open incidents and the upcoming or active maintenance of the site in SITE.

    For each: its slug (what 'sitegen update' and 'sitegen resolve' take),
    title, latest status, and how long ago it started (or how soon a
    maintenance starts), and whether the next update it promised is
    overdue. Each file is read on its own, so one that does not
    load is listed with status '?' and stops nothing.

    \b
    Examples:
      sitegen list
      sitegen list path/to/site
    """
    tz, _ = site_settings(site)
    items = open_incidents(site, tz)
    incidents = [i for i in items if i.kind is Kind.INCIDENT]
    maintenance = [i for i in items if i.kind is Kind.MAINTENANCE and not _over(i, now)]
    if not incidents and not maintenance:
        say("No open incidents, and no upcoming or active maintenance.")
        return
    rows = [_row(i, now) for i in sorted(incidents, key=_newest_first)]
    rows += [_row(i, now) for i in sorted(maintenance, key=lambda i: i.scheduled_for or now)]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    if incidents:
        say(f"Open incidents: {len(incidents)}")
        say(*(_line(row, widths) for row in rows[: len(incidents)]))
    if maintenance:
        say(f"Upcoming or active maintenance: {len(maintenance)}")
        say(*(_line(row, widths) for row in rows[len(incidents) :]))


def _over(item: FileSummary, now: datetime) -> bool:
    return item.scheduled_until is not None and item.scheduled_until <= now


def _newest_first(item: FileSummary) -> tuple[float, str]:
    return (-(item.started.timestamp() if item.started else 0.0), item.slug)


def _row(item: FileSummary, now: datetime) -> tuple[str, str, str, str]:
    title = item.title if len(item.title) <= TITLE_WIDTH else item.title[: TITLE_WIDTH - 3] + "..."
    return item.slug, title, item.status, _age(item, now) + _overdue(item, now)


def _overdue(item: FileSummary, now: datetime) -> str:
    """A promise of the next update that has passed: the person on call owes the readers one."""
    if item.next_update is None or item.next_update > now:
        return ""
    return f"; next update overdue by {_span(now - item.next_update)} (promised by {item.next_update:%H:%M} UTC)"


def _line(row: tuple[str, str, str, str], widths: list[int]) -> str:
    return "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, [*widths, 0])).rstrip()


def _age(item: FileSummary, now: datetime) -> str:
    start = item.scheduled_for if item.kind is Kind.MAINTENANCE else item.started
    if start is None:
        return "?"
    if start > now:
        return f"starts in {_span(start - now)}"
    return f"started {_span(now - start)} ago"


def _span(span: timedelta) -> str:
    """'3d 4h', '2h 05m', '7m': the two largest units."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"
