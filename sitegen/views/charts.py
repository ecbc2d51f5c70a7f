"""SVG charts drawn at build time, to be placed inline in pages.

The site runs no script and its Content-Security-Policy allows no inline
styles, so a chart is finished markup: geometry is computed here, colours
come from presentation attributes that follow the text colour
(``currentColor``, readable in light and dark mode alike) and from CSS
classes the theme's stylesheet may colour (``chart__bar``,
``chart__bar--<series>``, ``chart__grid``, ``chart__axis``). Each chart is
an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``; the
description states the figures in words, and pages show them in a table
as well.

Every piece of text goes through ``svg_text`` (markupsafe, minus characters
XML cannot hold); the functions return ``Markup``. Coordinates are rounded
to a tenth so the output is the same on every machine.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from markupsafe import Markup, escape

from sitegen.analysis.metrics import Breakdown, MonthCount, SiteMetrics
from sitegen.views.formatting import MONTHS, count_label, duration_label, month_label

__all__ = [
    "BarGroup",
    "Column",
    "MetricsCharts",
    "Series",
    "bar_chart",
    "column_chart",
    "metrics_charts",
    "svg_text",
    "text_width",
]

WIDTH = 720
FONT_SIZE = 12
LABEL_MAX = 220
"""Longest category label, in SVG units; longer ones are cut with an ellipsis (the full text is its tooltip)."""

# Advance widths of Verdana at 11px, the font of shields.io badges (and wider
# than most system fonts, so an estimate from it leaves room rather than overflows).
_VERDANA_11 = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        (
            3.87, 4.33, 5.05, 9.0, 7.0, 11.84, 7.99, 2.95, 4.99, 4.99, 7.0, 9.0, 4.0, 4.99, 4.0, 4.99,
            7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 4.99, 4.99, 9.0, 9.0, 9.0, 6.0, 11.0,
            7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.61, 5.0, 7.62, 6.12, 9.27, 8.23, 8.66, 6.63,
            8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 4.99, 4.99, 4.99, 9.0, 7.0, 7.0,
            6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.7, 6.96, 6.68, 6.85,
            6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 8.98, 6.51, 6.51, 5.78, 6.98, 4.99, 6.98, 9.0,
        ),
    )
)  # fmt: skip
_OTHER_WIDTH = 7.5
_WIDE_WIDTH = 11.0

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def svg_text(text: str) -> Markup:
    """Text escaped for SVG or HTML, without the control characters XML 1.0 cannot contain."""
    return escape(_NOT_XML.sub("", text))


def text_width(text: str, size: float = 11) -> float:
    """An estimate of the width of ``text`` at ``size`` px, from Verdana's advance widths."""
    total = 0.0
    for char in text:
        if char in _VERDANA_11:
            total += _VERDANA_11[char]
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
            continue
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += _WIDE_WIDTH
        else:
            total += _OTHER_WIDTH
    return total * size / 11


def _n(value: float) -> str:
    """A coordinate for SVG: one decimal at most, no trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _fit(text: str, width: float, size: float) -> str:
    """``text``, cut with an ellipsis if it would be wider than ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _open_svg(chart_id: str, width: float, height: float, title: str, description: str) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" fill="currentColor" font-size="{size}">\n'
        '<title id="{id}-title">{title}</title>\n<desc id="{id}-desc">{desc}</desc>\n'
    ).format(
        w=_n(width),
        h=_n(height),
        id=svg_text(chart_id),
        size=FONT_SIZE,
        title=svg_text(title),
        desc=svg_text(description),
    )


# Column chart ---------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a column chart: a count over one period."""

    label: str
    """Under the column, e.g. 'Mar'."""
    value: int
    tooltip: str
    """The column's own <title>, e.g. 'March 2025: 1 incident'."""
    group_label: str = ""
    """A second line under the label where a new group starts, e.g. the year."""


def column_chart(columns: Sequence[Column], *, chart_id: str, title: str, description: str) -> Markup:
    """Vertical columns of counts over a shared axis, with horizontal grid lines and each non-zero count on top."""
    top, bottom, left, right, height = 20.0, 44.0, 34.0, 6.0, 250.0
    plot_h = height - top - bottom
    ticks = _count_ticks(max((c.value for c in columns), default=0))
    scale = ticks[-1]
    slot = (WIDTH - left - right) / max(len(columns), 1)
    bar_w = slot * 0.62
    parts = [_open_svg(chart_id, WIDTH, height, title, description)]
    parts.append(Markup('<g class="chart__grid" stroke="currentColor" stroke-opacity=".18">\n'))
    for tick in ticks:
        y = top + plot_h * (1 - tick / scale)
        parts.append(Markup('<line x1="{}" x2="{}" y1="{y}" y2="{y}"/>\n').format(_n(left), _n(WIDTH - right), y=_n(y)))
    parts.append(Markup("</g>\n"))
    parts.append(Markup('<g class="chart__axis" text-anchor="end">\n'))
    for tick in ticks:
        y = top + plot_h * (1 - tick / scale)
        parts.append(Markup('<text x="{}" y="{}">{}</text>\n').format(_n(left - 6), _n(y + 4), tick))
    parts.append(Markup("</g>\n<g>\n"))
    for index, column in enumerate(columns):
        middle = left + slot * index + slot / 2
        bar_h = plot_h * column.value / scale
        y = top + plot_h - bar_h
        if column.value:
            parts.append(
                Markup(
                    '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>\n'
                ).format(_n(middle - bar_w / 2), _n(y), _n(bar_w), _n(bar_h), svg_text(column.tooltip))
            )
            parts.append(
                Markup('<text class="chart__value" x="{}" y="{}" text-anchor="middle">{}</text>\n').format(
                    _n(middle), _n(y - 4), column.value
                )
            )
        parts.append(
            Markup('<text class="chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>\n').format(
                _n(middle), _n(top + plot_h + 16), svg_text(column.label)
            )
        )
        if column.group_label:
            parts.append(
                Markup('<text class="chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>\n').format(
                    _n(middle), _n(top + plot_h + 32), svg_text(column.group_label)
                )
            )
    parts.append(
        Markup(
            '</g>\n<line class="chart__baseline" x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="currentColor"/>\n'
        ).format(_n(left), _n(WIDTH - right), y=_n(top + plot_h))
    )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _count_ticks(maximum: int) -> list[int]:
    """Grid values for counts up to ``maximum``: 0 to a round top, in at most five steps of 1, 2 or 5 × 10ⁿ."""
    step = 1
    while math.ceil(maximum / step) > 5:
        step = _next_round(step)
    top = max(step * math.ceil(maximum / step), step)
    return list(range(0, top + 1, step))


def _next_round(step: int) -> int:
    """1, 2, 5, 10, 20, 50..."""
    digits = len(str(step)) - 1
    lead = step // 10**digits
    return {1: 2, 2: 5, 5: 10}[lead] * 10**digits


# Bar chart -------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One kind of bar in a grouped bar chart, e.g. 'Mean'."""

    name: str
    key: str
    """Names the bars' CSS class, ``chart__bar--<key>``."""
    opacity: str = "1"
    """Fill opacity without a stylesheet, so series differ even in plain currentColor."""


@dataclass(frozen=True)
class BarGroup:
    """One category of a grouped bar chart: one value per series."""

    label: str
    values: tuple[float, ...]
    value_labels: tuple[str, ...]
    tooltips: tuple[str, ...]


def bar_chart(
    groups: Sequence[BarGroup], series: Sequence[Series], *, chart_id: str, title: str, description: str
) -> Markup:
    """Horizontal bars, one group per category with one bar per series, each bar labelled with its value."""
    legend_h, bar_h, bar_gap, group_gap, pad = 26.0, 14.0, 3.0, 14.0, 6.0
    label_w = min(max((text_width(g.label, FONT_SIZE) for g in groups), default=0) + 12, LABEL_MAX)
    value_w = max((text_width(v, FONT_SIZE) for g in groups for v in g.value_labels), default=0) + 10
    plot_w = WIDTH - label_w - value_w - pad
    group_h = len(series) * bar_h + (len(series) - 1) * bar_gap
    height = legend_h + len(groups) * (group_h + group_gap) + pad
    scale = max((v for g in groups for v in g.values), default=0) or 1
    parts = [_open_svg(chart_id, WIDTH, height, title, description), Markup('<g class="chart__legend">\n')]
    x = label_w
    for item in series:
        parts.append(
            Markup(
                '<rect class="chart__bar chart__bar--{key}" x="{x}" y="4" width="12" height="12" fill-opacity="{o}"/>'
                '<text x="{tx}" y="14.5">{name}</text>\n'
            ).format(key=svg_text(item.key), x=_n(x), o=svg_text(item.opacity), tx=_n(x + 17), name=svg_text(item.name))
        )
        x += 17 + text_width(item.name, FONT_SIZE) + 18
    parts.append(Markup("</g>\n"))
    y = legend_h
    for group in groups:
        parts.append(Markup("<g>\n<title>{}</title>\n").format(svg_text(group.label)))
        parts.append(
            Markup('<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>\n').format(
                _n(label_w - 8), _n(y + group_h / 2 + 4), svg_text(_fit(group.label, LABEL_MAX - 12, FONT_SIZE))
            )
        )
        for index, item in enumerate(series):
            bar_y = y + index * (bar_h + bar_gap)
            width = plot_w * group.values[index] / scale
            parts.append(
                Markup(
                    '<rect class="chart__bar chart__bar--{key}" x="{x}" y="{y}" width="{w}" height="{h}"'
                    ' fill-opacity="{o}">'
                    "<title>{tip}</title></rect>\n"
                    '<text class="chart__value" x="{tx}" y="{ty}">{value}</text>\n'
                ).format(
                    key=svg_text(item.key),
                    x=_n(label_w),
                    y=_n(bar_y),
                    w=_n(width),
                    h=_n(bar_h),
                    o=svg_text(item.opacity),
                    tip=svg_text(group.tooltips[index]),
                    tx=_n(label_w + width + 5),
                    ty=_n(bar_y + bar_h - 3),
                    value=svg_text(group.value_labels[index]),
                )  # fmt: skip
            )
        parts.append(Markup("</g>\n"))
        y += group_h + group_gap
    parts.append(
        Markup(
            '<line class="chart__baseline" x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="currentColor"/>\n</svg>'
        ).format(_n(legend_h - 4), _n(y - group_gap + 4), x=_n(label_w))
    )
    return Markup("").join(parts)


# The metrics page's charts ---------------------------------------------------


@dataclass(frozen=True)
class MetricsCharts:
    """The charts of the metrics page; None where there is nothing to draw."""

    per_month: Markup
    resolve_by_impact: Markup | None
    resolve_by_component: Markup | None
    identify_by_impact: Markup | None


MEAN_MEDIAN = (Series("Mean", "mean"), Series("Median", "median", opacity=".5"))


def metrics_charts(metrics: SiteMetrics) -> MetricsCharts:
    """Draw the figures of ``metrics`` (see sitegen.analysis.metrics) as the metrics page shows them."""
    return MetricsCharts(
        per_month=column_chart(
            [_month_column(m, first=i == 0) for i, m in enumerate(metrics.months)],
            chart_id="chart-per-month",
            title="Incidents per month",
            description=_months_description(metrics),
        ),
        resolve_by_impact=_durations_chart(
            metrics.resolve_by_impact, "chart-resolve-impact", "Time to resolve by impact"
        ),
        resolve_by_component=_durations_chart(
            metrics.resolve_by_component, "chart-resolve-component", "Time to resolve by component"
        ),
        identify_by_impact=_durations_chart(
            metrics.identify_by_impact, "chart-identify-impact", "Time to identify by impact"
        ),
    )


def _month_column(month: MonthCount, *, first: bool) -> Column:
    details = ", ".join(f"{n} {impact.value}" for impact, n in month.by_impact.items() if n)
    total = count_label(month.total, "incident")
    tooltip = f"{month_label(month.month)}: {total}" + (f" ({details})" if details else "")
    label = MONTHS[month.month.month - 1][:3]
    # The year goes under each January, and under the first month unless January is next, where two would collide.
    dated = month.month.month == 1 or (first and month.month.month != 12)
    return Column(label, month.total, tooltip, str(month.month.year) if dated else "")


def _months_description(metrics: SiteMetrics) -> str:
    period = f"from {month_label(metrics.first_month)} to {month_label(metrics.last_month)}"
    busy = [m for m in metrics.months if m.total]
    if not busy:
        return f"Column chart of incidents per month {period}: no incidents."
    listed = "; ".join(f"{month_label(m.month)}: {m.total}" for m in busy)
    total = count_label(metrics.incident_count, "incident")
    return f"Column chart of incidents per month {period}, {total} in all. {listed}; none in the other months."


def _durations_chart(rows: Sequence[Breakdown], chart_id: str, title: str) -> Markup | None:
    shown = [row for row in rows if row.durations.count]
    if not shown:
        return None
    groups = [_durations_group(row) for row in shown]
    said = " ".join(
        f"{row.label}: mean {duration_label(row.durations.mean)}, median {duration_label(row.durations.median)}, "
        f"over {count_label(row.durations.count, 'incident')}."
        for row in shown
        if row.durations.mean is not None and row.durations.median is not None
    )
    description = f"Bar chart of the mean and median. {said}"
    return bar_chart(groups, MEAN_MEDIAN, chart_id=chart_id, title=title, description=description)


def _durations_group(row: Breakdown) -> BarGroup:
    spans = (row.durations.mean or timedelta(), row.durations.median or timedelta())
    labels = tuple(duration_label(span) for span in spans)
    count = count_label(row.durations.count, "incident")
    tips = tuple(
        f"{row.label}: {series.name.lower()} {label} over {count}" for series, label in zip(MEAN_MEDIAN, labels)
    )
    return BarGroup(row.label, tuple(span.total_seconds() / 60 for span in spans), labels, tips)
