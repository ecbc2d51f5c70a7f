"""Turning times, durations and counts into the words pages show.

Month names are spelled here rather than taken from ``strftime`` so that the
output does not depend on the build machine's locale, and every plural goes
through ``plural`` so that the rule is written once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def iso(moment: datetime) -> str:
    """The exact instant for machines (``<time datetime>`` in pages and feeds): UTC with 'Z'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def day_label(day: date) -> str:
    """'Jul 23, 2022'."""
    return f"{MONTHS[day.month - 1][:3]} {day.day}, {day.year}"


def month_label(day: date) -> str:
    """'July 2022'."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def time_label(moment: datetime, tz: tzinfo) -> str:
    """'Jul 23, 2022, 06:42 UTC' in the site's timezone, with the zone's abbreviation."""
    local = moment.astimezone(tz)
    return f"{day_label(local.date())}, {local:%H:%M} {local.tzname()}"


def plural(number: int, noun: str, many: str | None = None) -> str:
    """``noun`` in the form for ``number`` of it: 'incident' for 1, else 'incidents' (or ``many``).

    The one place that knows English plurals, for every count pages, feeds,
    charts and the command line put in words; ``many`` is for the words
    that do not just take an 's' ('is', 'are').
    """
    if number == 1:
        return noun
    return f"{noun}s" if many is None else many


def count_label(number: int, noun: str, many: str | None = None) -> str:
    """'1 incident', '3 incidents': a number with its noun in the right form (see ``plural``)."""
    return f"{number} {plural(number, noun, many)}"


def duration_label(span: timedelta) -> str:
    """'1 hour 5 minutes', '33 minutes', '2 days 3 hours': the two largest units that matter."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [count_label(n, unit) for n, unit in parts if n]
    return " ".join(words[:2])
