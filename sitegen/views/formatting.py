"""Times, durations and numbers in a language's own forms, from Babel (Unicode CLDR).

Every form here comes from CLDR through Babel rather than from ``strftime``
or from patterns written in sitegen, so pages do not depend on the build
machine's locale, and a new language needs no code. Each function takes a
Babel ``Locale`` (English when left out): the words that are sentences, not
forms, are messages in the catalogues (:mod:`sitegen.views.i18n`).
"""

from __future__ import annotations

from collections.abc import Iterator
from copy import copy
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    format_timedelta,
    get_datetime_format,
    get_month_names,
)
from babel.numbers import format_decimal
from babel.units import format_unit

ENGLISH = Locale("en")
MONTHS = tuple(get_month_names("wide", locale=ENGLISH)[number] for number in range(1, 13))
"""English month names, for the JSON APIs, which keep Statuspage's English whatever the site's language."""

SPAN_UNITS = (("duration-day", 24 * 60), ("duration-hour", 60), ("duration-minute", 1))
"""The units a span is said in, with their length in minutes: a status page counts no seconds and no weeks."""


def iso(moment: datetime) -> str:
    """The exact instant for machines (``<time datetime>`` in pages and feeds): UTC with 'Z'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


@cache
def day_label(day: date, locale: Locale = ENGLISH) -> str:
    """The locale's medium date: 'Jul 23, 2022', '23 juil. 2022', '2022/07/23'.

    Kept once made, as the other labels a moment is made of: a site has a
    few thousand days and at most 1,440 clock times, and a large build
    labels over a hundred thousand moments, each costing Babel a pattern
    lookup and format.
    """
    return format_date(day, "medium", locale=locale)


@cache
def day_in_year_label(day: date, locale: Locale = ENGLISH) -> str:
    """The day and month without the year, where the reader knows the year: 'Jul 23', '23 juil.', '7月23日'."""
    return format_skeleton("MMMd", day, locale=locale)


def month_label(day: date, locale: Locale = ENGLISH) -> str:
    """The month of ``day`` with its year: 'July 2022', 'juillet 2022', '2022年7月'."""
    return format_skeleton("yMMMM", day, locale=locale)


def month_abbreviation(month: int, locale: Locale = ENGLISH) -> str:
    """The short name of a month standing on its own, as under a chart's column: 'Jul', 'juil.', '7月'."""
    return get_month_names("abbreviated", context="stand-alone", locale=locale)[month]


def time_label(moment: datetime, tz: tzinfo, locale: Locale = ENGLISH) -> str:
    """'Fri, Jul 22, 2022, 11:42 PM PDT', 'sam. 23 juil. 2022, 08:42 CEST': weekday, date, the locale's clock, zone.

    The date carries its weekday, as status pages write it ("Sat, Jul 23,
    2022, 06:42 AM"), and is joined to the time by the locale's own medium
    pattern. The clock is the locale's: 12-hour with AM and PM where CLDR
    says the language uses it (US English, Arabic), else 24-hour; the hour
    always has two digits in the first case, as on that page. The zone is
    the tz database's abbreviation (UTC, PDT, CEST, JST): CLDR has short
    zone names for few zones and languages, and falls back to offsets where
    it has none, while the abbreviation is what status pages print everywhere.
    """
    local = moment.astimezone(tz)
    joined = _date_and_time(locale).replace("{1}", weekday_label(local.date(), locale))
    return f"{joined.replace('{0}', _clock(local.hour, local.minute, locale))} {local.tzname()}"


def clock_label(moment: datetime, tz: tzinfo, locale: Locale = ENGLISH) -> str:
    """'11:42 PM PDT', '23:42 CEST': the time of day alone, where the day is plain, with the zone."""
    local = moment.astimezone(tz)
    return f"{_clock(local.hour, local.minute, locale)} {local.tzname()}"


@cache
def weekday_label(day: date, locale: Locale = ENGLISH) -> str:
    """A date with its weekday, in the locale's form: 'Sat, Jul 23, 2022', 'sam. 23 juil. 2022'."""
    return format_skeleton("yMMMEd", day, locale=locale)


@cache
def _date_and_time(locale: Locale) -> str:
    """The locale's medium pattern joining a date ('{1}') and a time ('{0}'), its quotes taken out."""
    return str(get_datetime_format("medium", locale=locale)).replace("'", "")


@cache
def _clock(hour: int, minute: int, locale: Locale) -> str:
    """The locale's clock time: '06:42 AM' where it counts hours on 12, else '06:42' or '6:42' on 24."""
    if "h" in locale.time_formats["short"].pattern:
        return format_time(time(hour, minute), "hh:mm a", locale=locale)
    return format_skeleton("Hm", time(hour, minute), locale=locale)


def span_units(span: timedelta, locale: Locale = ENGLISH) -> list[str]:
    """Each unit of a span that is not zero, largest first: ['1 hour', '5 minutes'], ['1 heure', '5 minutes'].

    Empty for a span under a minute. Joining two units is a message of the
    catalogues (``Localizer.duration``): CLDR's lists join measures with a
    comma in some languages and with 'and' in others, and Babel's list data
    is incomplete for several, where a translator knows what reads well.
    """
    return [_measure(count, unit, locale) for count, unit in _unit_counts(span)]


@cache
def _measure(count: int, unit: str, locale: Locale) -> str:
    """'5 minutes', '5 minutes', '5 Minuten': a few hundred distinct ones in a site, each asked for many times."""
    return format_unit(count, unit, length="long", locale=locale)


def _unit_counts(span: timedelta) -> Iterator[tuple[int, str]]:
    """Whole days, hours and minutes in ``span``, the zero ones left out."""
    minutes = int(span.total_seconds() // 60)
    for unit, length in SPAN_UNITS:
        count, minutes = divmod(minutes, length)
        if count:
            yield count, unit


def relative_label(delta: timedelta, locale: Locale = ENGLISH) -> str:
    """A moment from now in the locale's words: '16 minutes ago', 'il y a 16 minutes', 'in 2 days'.

    ``delta`` is the moment less now: negative for the past.
    """
    return format_timedelta(delta, add_direction=True, threshold=1, locale=locale)


def number_label(number: int, locale: Locale = ENGLISH) -> str:
    """A whole number in the locale's digits and grouping: '1,234', '1 234', '١٬٢٣٤'."""
    return format_decimal(number, locale=locale)


def percent_label(fraction: Decimal, locale: Locale = ENGLISH, decimals: int = 2) -> str:
    """A share in the locale's percent pattern with ``decimals`` digits: '99.90%', '99,90 %', '100%' (with 0).

    The caller has rounded the figure as it means it to read (uptime rounds
    down), so the digits asked for are exact and nothing is rounded here.
    """
    pattern = copy(locale.percent_formats[None])  # Babel's own object, shared by every caller: changed on a copy
    pattern.frac_prec = (decimals, decimals)
    return pattern.apply(fraction, locale)


def plural(number: int, noun: str, many: str | None = None) -> str:
    """``noun`` in the form for ``number`` of it: 'incident' for 1, else 'incidents' (or ``many``).

    For the command line, which speaks English only. Pages, feeds and every
    other output a reader sees say their counts through the catalogues
    (``ngettext``), which know each language's plural rules.
    """
    if number == 1:
        return noun
    return f"{noun}s" if many is None else many


def count_label(number: int, noun: str, many: str | None = None) -> str:
    """'1 incident', '3 incidents': a number with its noun in the right form, for the command line (``plural``)."""
    return f"{number} {plural(number, noun, many)}"
