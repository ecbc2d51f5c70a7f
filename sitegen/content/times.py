"""Reading times from content files.

A time with an offset (or ``Z``) is exact; one without is a wall-clock time
in the site's timezone. Every time in the model is timezone-aware.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta, tzinfo
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EARLIEST_YEAR = 1990
LATEST_YEAR = 2200
PROMISE = re.compile(r"^\s*(?:(\d{1,3})\s*h)?\s*(?:(\d{1,4})\s*m(?:in)?)?\s*$")
"""A promised wait: '30m', '1h', '1h30m', '90 min'."""


def parse_time(value: object, tz: tzinfo) -> datetime:
    """Parse an ISO 8601 date or time; raise ValueError with a message fit for a user."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"'{value}' is not a valid ISO 8601 time; write e.g. 2022-07-23T06:42:00Z "
                "(or without 'Z' for the site's timezone)"
            ) from None
    else:
        raise ValueError(f"expected a time such as 2022-07-23T06:42:00Z, got {value!r}")
    check_year(moment, value)
    return localize(moment, tz)


def parse_promise(value: object, at: datetime, tz: tzinfo) -> datetime:
    """When an update promises the next one: a wait after ``at`` ('30m', '1h30m') or a time; ValueError if neither.

    The time must be after the update's own: a promise is of something to come.
    """
    match = PROMISE.match(value) if isinstance(value, str) else None
    if match and (match[1] or match[2]):
        moment = at + timedelta(hours=int(match[1] or 0), minutes=int(match[2] or 0))
    else:
        try:
            moment = parse_time(value, tz)
        except ValueError:
            raise ValueError(
                f"{value!r} is neither a wait such as 30m, 1h or 1h30m nor a time such as 2022-07-23T06:42:00Z"
            ) from None
    if moment <= at:
        raise ValueError(f"{value!r} is not after the update itself: promise a time to come")
    return moment


def check_year(moment: date, written: object) -> None:
    """Refuse days outside the years a status page can mean: a typo, and a year-1 day costs days of work."""
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"'{written}' is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}; is it a typo?")


def localize(moment: datetime, tz: tzinfo) -> datetime:
    """The instant as UTC, reading a naive wall-clock time in the site's timezone.

    Everything in the model is UTC: Python subtracts two times that share a
    zone by their wall clocks, which is wrong across a DST change.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def load_timezone(name: str) -> tzinfo:
    """Look up an IANA timezone name; raise ValueError if there is no such zone."""
    try:
        return ZoneInfo.no_cache(name)  # the rules as they are now: a long-lived preview sees them change
    except (ZoneInfoNotFoundError, ValueError, OSError):  # 'America' is a folder of zones
        raise ValueError(f"unknown timezone '{name}': use an IANA name such as 'UTC' or 'Europe/Paris'") from None


def zone_rules(tz: tzinfo) -> bytes:
    """The bytes of the rules of ``tz``, read where ``zoneinfo`` reads them: its search path, then ``tzdata``.

    A zone's name does not say which year's rules it has: a build cache keyed by the name would keep
    times shown under rules that changed since (sitegen.views.environment).
    """
    if not isinstance(tz, ZoneInfo):
        return repr(tz).encode()
    for folder in zoneinfo.TZPATH:
        path = Path(folder, tz.key)
        if path.is_file():
            return path.read_bytes()
    try:
        return resources.files("tzdata.zoneinfo").joinpath(*tz.key.split("/")).read_bytes()
    except (ImportError, OSError):
        return repr(tz).encode()


def parse_now(value: str | None, epoch: str | None) -> datetime:
    """The build's notion of now: ``--now``, else ``SOURCE_DATE_EPOCH``, else the clock."""
    if value:
        return parse_time(value, UTC).astimezone(UTC)
    if epoch:
        return _from_epoch(epoch)
    return datetime.now(UTC).replace(microsecond=0)


def midnight(day: date, tz: tzinfo) -> datetime:
    """The start of a day in the site's timezone, in UTC (safe for arithmetic)."""
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


def _from_epoch(epoch: str) -> datetime:
    """$SOURCE_DATE_EPOCH: whole seconds since 1970, within the years a time may have."""
    try:
        moment = datetime.fromtimestamp(int(epoch.strip()), tz=UTC)
        check_year(moment, epoch)
    except (ValueError, OverflowError, OSError):
        raise ValueError(
            f"$SOURCE_DATE_EPOCH is {epoch!r}, not a whole number of seconds since 1970 within the years "
            f"{EARLIEST_YEAR} to {LATEST_YEAR}"
        ) from None
    return moment
