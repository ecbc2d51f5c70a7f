"""SVG charts drawn at build time, to be placed inline in pages.

A chart must show without script, and the pages' Content-Security-Policy
allows no inline styles, so a chart is finished markup: geometry is computed here, colours
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from markupsafe import Markup

from sitegen.analysis.metrics import Breakdown, MonthCount, SiteMetrics
from sitegen.content.statuses import Impact
from sitegen.views.chart_layout import NARROW, WIDE, Layout
from sitegen.views.i18n import Localizer, english
from sitegen.views.svg import fit_text, svg_number, svg_text, text_width

__all__ = [
    "BarGroup",
    "Column",
    "MetricsCharts",
    "Series",
    "bar_chart",
    "column_chart",
    "metrics_charts",
    "svg_number",
    "svg_text",
    "text_width",
]


def _open_svg(chart_id: str, width: float, height: float, title: str, description: str, size: float) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" fill="currentColor" font-size="{size}">\n'
        '<title id="{id}-title">{title}</title>\n<desc id="{id}-desc">{desc}</desc>\n'
    ).format(
        w=svg_number(width),
        h=svg_number(height),
        id=svg_text(chart_id),
        size=svg_number(size),
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


def column_chart(
    columns: Sequence[Column], *, chart_id: str, title: str, description: str, layout: Layout = WIDE
) -> Markup:
    """Vertical columns of counts over a shared axis, with horizontal grid lines and each non-zero count on top."""
    top, bottom, left, right, height = 20.0, 44.0, 34.0, 6.0, 250.0
    chart_w = layout.width
    plot_h = height - top - bottom
    ticks = _count_ticks(max((c.value for c in columns), default=0))
    scale = ticks[-1]
    slot = (chart_w - left - right) / max(len(columns), 1)
    bar_w = slot * 0.62
    parts = [_open_svg(chart_id + layout.id_suffix, chart_w, height, title, description, layout.font_size)]
    parts.append(Markup('<g class="chart__grid" stroke="currentColor" stroke-opacity=".18">\n'))
    for tick in ticks:
        y = top + plot_h * (1 - tick / scale)
        parts.append(
            Markup('<line x1="{}" x2="{}" y1="{y}" y2="{y}"/>\n').format(
                svg_number(left), svg_number(chart_w - right), y=svg_number(y)
            )
        )
    parts.append(Markup("</g>\n"))
    parts.append(Markup('<g class="chart__axis" text-anchor="end">\n'))
    for tick in ticks:
        y = top + plot_h * (1 - tick / scale)
        parts.append(Markup('<text x="{}" y="{}">{}</text>\n').format(svg_number(left - 6), svg_number(y + 4), tick))
    parts.append(Markup("</g>\n<g>\n"))
    for index, column in enumerate(columns):
        middle = left + slot * index + slot / 2
        bar_h = plot_h * column.value / scale
        y = top + plot_h - bar_h
        if column.value:
            parts.append(
                Markup(
                    '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>\n'
                ).format(
                    svg_number(middle - bar_w / 2),
                    svg_number(y),
                    svg_number(bar_w),
                    svg_number(bar_h),
                    svg_text(column.tooltip),
                )
            )
            if layout.values:
                parts.append(
                    Markup('<text class="chart__value" x="{}" y="{}" text-anchor="middle">{}</text>\n').format(
                        svg_number(middle), svg_number(y - 4), column.value
                    )
                )
        if index % layout.label_step == 0:
            parts.append(
                Markup('<text class="chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>\n').format(
                    svg_number(middle), svg_number(top + plot_h + 16), svg_text(column.label)
                )
            )
        if column.group_label:  # the first column's, or a January's: each year is named, whatever the step
            parts.append(
                Markup('<text class="chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>\n').format(
                    svg_number(middle), svg_number(top + plot_h + 32), svg_text(column.group_label)
                )
            )
    parts.append(
        Markup(
            '</g>\n<line class="chart__baseline" x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="currentColor"/>\n'
        ).format(svg_number(left), svg_number(chart_w - right), y=svg_number(top + plot_h))
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
    groups: Sequence[BarGroup],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    layout: Layout = WIDE,
) -> Markup:
    """Horizontal bars, one group per category with one bar per series, each bar labelled with its value."""
    legend_h, bar_h, bar_gap, group_gap, pad = 26.0, 14.0, 3.0, 14.0, 6.0
    chart_w, font, label_max = layout.width, layout.font_size, layout.label_max
    label_w = min(max((text_width(g.label, font) for g in groups), default=0) + 12, label_max)
    value_w = max((text_width(v, font) for g in groups for v in g.value_labels), default=0) + 10
    plot_w = chart_w - label_w - value_w - pad
    group_h = len(series) * bar_h + (len(series) - 1) * bar_gap
    height = legend_h + len(groups) * (group_h + group_gap) + pad
    scale = max((v for g in groups for v in g.values), default=0) or 1
    parts = [
        _open_svg(chart_id + layout.id_suffix, chart_w, height, title, description, font),
        Markup('<g class="chart__legend">\n'),
    ]
    x = label_w
    for item in series:
        parts.append(
            Markup(
                '<rect class="chart__bar chart__bar--{key}" x="{x}" y="4" width="12" height="12" fill-opacity="{o}"/>'
                '<text x="{tx}" y="14.5">{name}</text>\n'
            ).format(
                key=svg_text(item.key),
                x=svg_number(x),
                o=svg_text(item.opacity),
                tx=svg_number(x + 17),
                name=svg_text(item.name),
            )
        )
        x += 17 + text_width(item.name, font) + 18
    parts.append(Markup("</g>\n"))
    y = legend_h
    for group in groups:
        parts.append(Markup("<g>\n<title>{}</title>\n").format(svg_text(group.label)))
        parts.append(
            Markup('<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>\n').format(
                svg_number(label_w - 8),
                svg_number(y + group_h / 2 + 4),
                svg_text(fit_text(group.label, label_max - 12, font)),
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
                    x=svg_number(label_w),
                    y=svg_number(bar_y),
                    w=svg_number(width),
                    h=svg_number(bar_h),
                    o=svg_text(item.opacity),
                    tip=svg_text(group.tooltips[index]),
                    tx=svg_number(label_w + width + 5),
                    ty=svg_number(bar_y + bar_h - 3),
                    value=svg_text(group.value_labels[index]),
                )  # fmt: skip
            )
        parts.append(Markup("</g>\n"))
        y += group_h + group_gap
    parts.append(
        Markup(
            '<line class="chart__baseline" x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="currentColor"/>\n</svg>'
        ).format(svg_number(legend_h - 4), svg_number(y - group_gap + 4), x=svg_number(label_w))
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


def metrics_charts(metrics: SiteMetrics, words: Localizer | None = None) -> MetricsCharts:
    """Draw the figures of ``metrics`` (see sitegen.analysis.metrics) as the metrics page shows them.

    Every word, date and span is in the site's language (``words``; English when none is given).
    """
    words = words or english()
    columns = [_month_column(m, words, first=i == 0) for i, m in enumerate(metrics.months)]
    title, description = words.gettext("Incidents per month"), _months_description(metrics, words)
    return MetricsCharts(
        per_month=_both_layouts(
            lambda layout: column_chart(
                columns, chart_id="chart-per-month", title=title, description=description, layout=layout
            )
        ),
        resolve_by_impact=_durations_chart(
            metrics.resolve_by_impact, words, "chart-resolve-impact", words.gettext("Time to resolve by impact")
        ),
        resolve_by_component=_durations_chart(
            metrics.resolve_by_component,
            words,
            "chart-resolve-component",
            words.gettext("Time to resolve by component"),
            impacts=False,
        ),
        identify_by_impact=_durations_chart(
            metrics.identify_by_impact, words, "chart-identify-impact", words.gettext("Time to identify by impact")
        ),
    )


def _month_column(month: MonthCount, words: Localizer, *, first: bool) -> Column:
    details = words.join([words.pair(words.label(impact), str(n)) for impact, n in month.by_impact.items() if n])
    tooltip = words.pair(words.month(month.month), _incident_count(month.total, words))
    if details:
        tooltip = words.gettext("%(text)s (%(details)s)", text=tooltip, details=details)
    label = words.month_abbreviation(month.month.month)
    # The year goes under each January, and under the first month unless January is next, where two would collide.
    dated = month.month.month == 1 or (first and month.month.month != 12)
    return Column(label, month.total, tooltip, str(month.month.year) if dated else "")


def _incident_count(count: int, words: Localizer) -> str:
    return words.ngettext("%(num)d incident", "%(num)d incidents", count)


def _months_description(metrics: SiteMetrics, words: Localizer) -> str:
    first, last = words.month(metrics.first_month), words.month(metrics.last_month)
    busy = [m for m in metrics.months if m.total]
    if not busy:
        return words.gettext(
            "Column chart of incidents per month from %(first)s to %(last)s: no incidents.", first=first, last=last
        )
    return words.gettext(
        "Column chart of incidents per month from %(first)s to %(last)s, %(total)s in all. "
        "%(listed)s; none in the other months.",
        first=first,
        last=last,
        total=_incident_count(metrics.incident_count, words),
        listed=words.join([words.pair(words.month(m.month), str(m.total)) for m in busy]),
    )


def _mean_median(words: Localizer) -> tuple[Series, Series]:
    return Series(words.gettext("Mean"), "mean"), Series(words.gettext("Median"), "median", opacity=".5")


def _row_label(row: Breakdown, words: Localizer, impacts: bool) -> str:
    """An impact's label in the site's language; a component's name as written."""
    return words.label(Impact(row.key)) if impacts else row.label


def _durations_chart(
    rows: Sequence[Breakdown], words: Localizer, chart_id: str, title: str, *, impacts: bool = True
) -> Markup | None:
    """Mean and median of each row; ``impacts``: the rows are impacts (else components)."""
    shown = [row for row in rows if row.durations.count]
    if not shown:
        return None
    groups = [_durations_group(row, _row_label(row, words, impacts), words) for row in shown]
    said = " ".join(
        words.gettext(
            "%(label)s: mean %(mean)s, median %(median)s, over %(count)s.",
            label=_row_label(row, words, impacts),
            mean=words.duration(row.durations.mean),
            median=words.duration(row.durations.median),
            count=_incident_count(row.durations.count, words),
        )
        for row in shown
        if row.durations.mean is not None and row.durations.median is not None
    )
    description = words.gettext("Bar chart of the mean and median. %(figures)s", figures=said)
    series = _mean_median(words)
    return _both_layouts(
        lambda layout: bar_chart(groups, series, chart_id=chart_id, title=title, description=description, layout=layout)
    )


def _both_layouts(draw: Callable[[Layout], Markup]) -> Markup:
    """The chart drawn wide, then narrow in a ``chart__narrow`` box: the stylesheet shows the one that fits."""
    return Markup('{}\n<div class="chart__narrow">{}</div>').format(draw(WIDE), draw(NARROW))


def _durations_group(row: Breakdown, label: str, words: Localizer) -> BarGroup:
    spans = (row.durations.mean or timedelta(), row.durations.median or timedelta())
    labels = tuple(words.duration(span) for span in spans)
    count = _incident_count(row.durations.count, words)
    tips = (
        words.gettext("%(label)s: mean %(span)s over %(count)s", label=label, span=labels[0], count=count),
        words.gettext("%(label)s: median %(span)s over %(count)s", label=label, span=labels[1], count=count),
    )
    return BarGroup(label, tuple(span.total_seconds() / 60 for span in spans), labels, tips)
