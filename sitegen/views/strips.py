"""Statuses over time drawn as SVG at build time: an incident's strip per component, a component's year.

Pages run no script and may not carry inline styles, so these are finished
markup, like the metrics charts: geometry is computed here and colours come
from the theme's stylesheet through one class per status (``svg--<key>``).
A status reads without colour too: the worse it is, the taller its mark
(``LEVELS``, the same steps as the stylesheet's bars), and maintenance and
days with no data are hollow. Every drawing is ``aria-hidden`` or an image
with a text alternative; the page states the same facts in words.

A year is one ``<path>`` per status rather than a shape per day, so that ten
years of a component cost a few dozen DOM nodes, not thousands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from markupsafe import Markup

from sitegen.analysis.uptime import DayStatus, YearUptime
from sitegen.content.model import Component, Incident
from sitegen.content.statuses import ComponentStatus
from sitegen.views.charts import svg_number as _n
from sitegen.views.charts import svg_text
from sitegen.views.i18n import Localizer

LEVELS = {
    "no_data": 0.4,
    "operational": 0.4,
    "under_maintenance": 0.6,
    "degraded_performance": 0.7,
    "partial_outage": 0.85,
    "major_outage": 1.0,
}
"""Each day's kind (``DayStatus.key``) as a share of the full height: worse is taller."""
HOLLOW = frozenset({"no_data", "under_maintenance"})
"""Drawn as outlines: no data is not a status, and maintenance is announced work, not downtime."""

STRIP_WIDTH = 1000.0
STRIP_HEIGHT = 20.0


@dataclass(frozen=True)
class Segment:
    """A stretch of one component's strip in one status, from ``start`` to ``end`` (None: still going on)."""

    status: ComponentStatus
    start: datetime
    end: datetime | None
    length: timedelta


@dataclass(frozen=True)
class ComponentStrip:
    """One affected component over the incident: its worst status, its stretches in each status, and the drawing."""

    component: Component
    worst: ComponentStatus
    segments: tuple[Segment, ...]
    """The stretches that were not operational, in time order."""
    svg: Markup

    @property
    def affected_for(self) -> timedelta:
        """How long the component was not operational over the incident: its stretches end to end."""
        return sum((segment.length for segment in self.segments), timedelta())

    @property
    def ongoing(self) -> bool:
        """Whether its last stretch is still going on, so that ``affected_for`` is a figure so far."""
        return bool(self.segments) and self.segments[-1].end is None


def incident_strips(incident: Incident, components: Mapping[str, Component], now: datetime) -> list[ComponentStrip]:
    """A strip per affected component (of ``components``, by id), from the incident's start to its end (or ``now``)."""
    start = incident.started
    finish = incident.ends or max(now, start)
    strips = []
    for cid in incident.affected_component_ids:
        periods = [p for p in incident.periods if p.component_id == cid]
        segments = tuple(
            Segment(p.status, p.start, p.end, (p.end or finish) - p.start) for p in periods if p.start < finish
        )
        worst = max((s.status for s in segments), key=lambda s: s.severity, default=ComponentStatus.OPERATIONAL)
        strips.append(ComponentStrip(components[cid], worst, segments, _strip_svg(segments, start, finish)))
    return strips


def _strip_svg(segments: Sequence[Segment], start: datetime, finish: datetime) -> Markup:
    """The strip: operational ground over the whole span, each stretch drawn over it at its place and height."""
    total = max((finish - start).total_seconds(), 1.0)
    shapes = [_rect("operational", 0.0, STRIP_WIDTH)]
    for segment in segments:
        left = STRIP_WIDTH * (segment.start - start).total_seconds() / total
        width = max(STRIP_WIDTH * segment.length.total_seconds() / total, 2.0)
        shapes.append(_rect(segment.status.value, left, min(width, STRIP_WIDTH - left)))
    return Markup(
        '<svg class="chart__svg" viewBox="0 0 {w} {h}" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        "{shapes}</svg>"
    ).format(w=_n(STRIP_WIDTH), h=_n(STRIP_HEIGHT), shapes=Markup("").join(shapes))


def _rect(key: str, left: float, width: float) -> Markup:
    height = STRIP_HEIGHT * LEVELS[key]
    return Markup(
        '<rect class="svg--{key}" x="{x}" y="{y}" width="{w}" height="{h}" vector-effect="non-scaling-stroke"/>'
    ).format(key=key, x=_n(left), y=_n(STRIP_HEIGHT - height), w=_n(width), h=_n(height))


# A component's year -----------------------------------------------------------

CELL = 10.0
"""A day's width; its full height is CELL_HEIGHT, of which it fills its level (``LEVELS``)."""
CELL_HEIGHT = 13.0
PITCH = 12.0
ROW = 18.0
LABEL = 44.0
FONT = 16.0
"""Month names at this size stay near 11 px on a 320 px phone, where the drawing is 0.7 of its size."""
NUMBERED_DAYS = (1, 5, 10, 15, 20, 25, 30)
"""The days of the month numbered over the columns: every fifth, as many as fit at the names' size."""
NUMBERS = ROW
"""The height of the row of day numbers above the months."""
WORST_DAYS = 10
"""At most this many days of a year are named in text beside its calendar: the worst; the others are counted."""


@dataclass(frozen=True)
class WorstDays:
    """A year's worst days, named beside its calendar (newest first), and how many other days had downtime."""

    days: tuple[DayStatus, ...]
    more: int


def worst_days(year: YearUptime, limit: int = WORST_DAYS) -> WorstDays:
    """The days with downtime of ``year``, the worst ``limit`` of them by status, then time in it, then the latest."""
    bad = [day for _, days in year.months for day in days if day.status is not None and day.status.is_downtime]
    ranked = sorted(bad, key=lambda day: (day.statuses[0][0].severity, day.statuses[0][1], day.day), reverse=True)
    worst = ranked[:limit]
    return WorstDays(tuple(sorted(worst, key=lambda day: day.day, reverse=True)), len(bad) - len(worst))


def year_svg(component: Component, year: YearUptime, words: Localizer) -> Markup:
    """The year as a calendar image: a row per month, a mark per day, one path per kind of day.

    The drawing runs left to right in every language, as the strips and charts do: its month names are
    its only words, in the site's language (``words``), as is its text alternative.
    """
    paths: dict[str, list[str]] = {}
    for row, (_, days) in enumerate(year.months):
        for day in days:
            key = day.key
            paths.setdefault(key, []).append(_day_mark(row, day.day.day, key))
    width = LABEL + PITCH * 31
    height = NUMBERS + ROW * max(len(year.months), 1)
    title = words.gettext(
        "%(component)s in %(year)s: %(figure)s uptime",
        component=component.name,
        year=year.year,
        figure=words.percent(year.figure),
    )
    labels = Markup("").join(
        Markup('<text x="0" y="{}">{}</text>').format(
            _n(NUMBERS + ROW * row + CELL_HEIGHT + 1), words.month_abbreviation(month.month)
        )
        for row, (month, _) in enumerate(year.months)
    )
    labels += Markup('<text y="{}" text-anchor="middle">{}</text>').format(
        _n(CELL_HEIGHT), Markup("").join(_day_number(day, words) for day in NUMBERED_DAYS)
    )
    drawn = Markup("").join(
        Markup('<path class="svg--{}" d="{}" vector-effect="non-scaling-stroke"/>').format(key, "".join(d))
        for key, d in sorted(paths.items(), key=lambda item: LEVELS[item[0]])
    )
    return Markup(
        '<svg class="chart__svg" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" fill="currentColor" '
        'font-size="{font}">{labels}{drawn}</svg>'
    ).format(
        w=_n(width),
        h=_n(height),
        label=svg_text(f"{title}. {year_summary(year, words)}"),
        font=_n(FONT),
        labels=labels,
        drawn=drawn,
    )


def _day_number(day_of_month: int, words: Localizer) -> Markup:
    """A day's number over its column, in the language's digits."""
    x = LABEL + PITCH * (day_of_month - 1) + CELL / 2
    return Markup('<tspan x="{}">{}</tspan>').format(_n(x), words.number(day_of_month))


@cache  # a few hundred marks, each drawn on every component's every year
def _day_mark(row: int, day_of_month: int, key: str) -> str:
    """The path of one day's mark: its column is the day of the month, its row the month, its height its level."""
    height = CELL_HEIGHT * LEVELS[key]
    x = LABEL + PITCH * (day_of_month - 1)
    y = NUMBERS + ROW * row + CELL_HEIGHT - height + 2
    return f"M{_n(x)} {_n(y)}h{_n(CELL)}v{_n(height)}h-{_n(CELL)}z"


def year_summary(year: YearUptime, words: Localizer) -> str:
    """The year in words: how many days had each worst status ('3 days with major outage, ...')."""
    counts = Counter(day.key for _, days in year.months for day in days)
    said = [
        _days_with(status, counts[status.value], words)
        for status in sorted(ComponentStatus, key=lambda s: -s.severity)
        if status is not ComponentStatus.OPERATIONAL and counts[status.value]
    ]
    if not said:
        return words.gettext("No downtime and no maintenance.") if counts["operational"] else words.gettext("No data.")
    return words.gettext("Worst status of the day: %(days)s.", days=words.join(said))


def _days_with(status: ComponentStatus, count: int, words: Localizer) -> str:
    """'3 days with major outage': one message per status, as each language phrases each its own way."""
    if status is ComponentStatus.MAJOR_OUTAGE:
        return words.ngettext("%(num)d day with major outage", "%(num)d days with major outage", count)
    if status is ComponentStatus.PARTIAL_OUTAGE:
        return words.ngettext("%(num)d day with partial outage", "%(num)d days with partial outage", count)
    if status is ComponentStatus.DEGRADED_PERFORMANCE:
        return words.ngettext("%(num)d day with degraded performance", "%(num)d days with degraded performance", count)
    return words.ngettext("%(num)d day with maintenance", "%(num)d days with maintenance", count)


@dataclass(frozen=True)
class NotableDay:
    """A day of a component's day table: its record, the incidents first listed on it, and how many were listed above.

    The table reads newest first, and an incident is linked on the newest day
    it touched: an incident going on for 90 days is one link, not 90.
    """

    day: DayStatus
    incidents: tuple[Incident, ...]
    listed_above: int


def notable_days(days: Sequence[DayStatus]) -> list[NotableDay]:
    """The days with anything to tell (time not operational, or an incident), newest first."""
    listed: set[str] = set()
    table = []
    for day in reversed(days):
        if day.time_in or day.incidents:
            new = tuple(incident for incident in day.incidents if incident.slug not in listed)
            listed.update(incident.slug for incident in new)
            table.append(NotableDay(day, new, len(day.incidents) - len(new)))
    return table
