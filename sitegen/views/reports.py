"""Monthly uptime reports as pages, CSV and JSON: the figures of ``sitegen.analysis.reports``, formatted.

Each month has a page (``reports/2026-11/``, printable), and the same
figures as ``reports/2026-11.csv`` (one row per component) and
``reports/2026-11.json`` (the rows, plus the month's incidents and
maintenance); ``reports/`` lists the months. The CSV's rows and the JSON's
components are one mapping per component, made once here (``figures``),
so the two files cannot disagree.

Numbers in the files
    Minutes with two decimals, and the uptime in percent as the pages state
    it (rounded down to hundredths, ``UptimeFigure.shown``), as a number in
    JSON and as text in CSV; empty (CSV) or null (JSON) where nothing of
    the month was tracked. The downtime is weighted as the uptime is (see
    ``[uptime]`` in sitegen.toml); the time in each status is not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import timedelta
from decimal import Decimal

from sitegen.analysis.reports import REPORTED_STATUSES, ComponentMonth, MonthReport
from sitegen.content.model import Incident
from sitegen.content.site import SiteConfig
from sitegen.output import urls
from sitegen.views.api import Json, encode
from sitegen.views.formatting import iso
from sitegen.views.keyed import Keyed, OutputKeys
from sitegen.views.pages import Page

CSV_COLUMNS = (
    "month",
    "component_id",
    "component_name",
    "uptime_percent",
    "tracked_minutes",
    "downtime_minutes",
    *(f"{status.value}_minutes" for status in REPORTED_STATUSES),
)


def report_pages(reports: Sequence[MonthReport]) -> Iterator[Page]:
    """The list of months, then a page per month (``reports`` newest first) linking to its neighbours."""
    yield Page.of(urls.report(), "reports.html", reports=tuple(reports))
    for index, report in enumerate(reports):
        newer = reports[index - 1].key if index > 0 else None
        older = reports[index + 1].key if index + 1 < len(reports) else None
        context = {"report": report, "statuses": REPORTED_STATUSES, "newer": newer, "older": older}
        yield Page.of(urls.report(report.key), "report.html", **context)


def report_outputs(reports: Sequence[MonthReport], config: SiteConfig, keys: OutputKeys) -> Iterator[Keyed]:
    """Each month's CSV and JSON, keyed by the month's report (besides sitegen's code and the settings)."""
    for report in reports:
        csv_path, json_path = urls.report_data(report.key, "csv"), urls.report_data(report.key, "json")
        yield keys.output(csv_path, report_csv, (report,), about=(report,))
        yield keys.output(json_path, report_json, (report, config), about=(report,))


def figures(report: MonthReport, row: ComponentMonth) -> dict[str, str | float | None]:
    """One component's figures for the month, by CSV column."""
    shown = row.figure.shown
    values: dict[str, str | float | None] = {
        "month": report.key,
        "component_id": row.component.id,
        "component_name": row.component.name,
        "uptime_percent": None if shown is None else float((shown * 100).quantize(Decimal("0.01"))),
        "tracked_minutes": _minutes(row.figure.tracked),
        "downtime_minutes": _minutes(row.figure.downtime),
    }
    for status, span in row.time_in.items():
        values[f"{status.value}_minutes"] = _minutes(span)
    return values


def report_csv(report: MonthReport) -> bytes:
    """The month's figures, a row per component, with a header row (RFC 4180: CRLF line ends, UTF-8)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in report.components:
        writer.writerow({k: "" if v is None else _csv_text(v) for k, v in figures(report, row).items()})
    return out.getvalue().encode("utf-8")


def report_json(report: MonthReport, config: SiteConfig) -> bytes:
    """The month's figures, the incidents and maintenance of the month, and the span they cover."""
    document: Json = {
        "month": report.key,
        "from": report.month.isoformat(),
        "to": report.last_day.isoformat(),
        "complete": report.complete,
        "timezone": config.timezone,
        "page": urls.absolute(config.base_url, urls.report(report.key)),
        "components": [figures(report, row) for row in report.components],
        "incidents": [_incident(incident, config) for incident in report.incidents],
        "maintenances": [_incident(incident, config) for incident in report.maintenances],
    }
    return encode(document)


def _incident(incident: Incident, config: SiteConfig) -> Json:
    return {
        "id": incident.slug,
        "name": incident.title,
        "impact": incident.impact.value,
        "started_at": iso(incident.started),
        "resolved_at": iso(incident.resolved_at) if incident.resolved_at else None,
        "shortlink": urls.absolute(config.base_url, urls.incident(incident.slug)),
    }


def _minutes(span: timedelta) -> float:
    return round(span.total_seconds() / 60, 2)


def _csv_text(value: str | float) -> str:
    """A value as CSV text: numbers as written in JSON; text that a spreadsheet would run as a formula, quoted out."""
    if isinstance(value, float):
        return f"{value:.2f}"
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
