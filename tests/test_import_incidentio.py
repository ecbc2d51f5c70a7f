"""Importing incident.io pages: the real proxy sample, and documents of our own for what it lacks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW
from test_import_support import needs_samples, sample

from sitegen.content.loader import load_site
from sitegen.content.site import Site
from sitegen.content.statuses import ComponentStatus, Kind, UpdateStatus
from sitegen.importers.errors import ImportFailed
from sitegen.importers.importing import import_history
from sitegen.importers.incidentio import read_incidentio
from sitegen.importers.saved_files import read_documents

SUMMARY = {
    "summary": {
        "name": "Acme",
        "public_url": "https://status.acme.test",
        "components": [{"id": "C1", "name": "Invoices"}, {"id": "C2", "name": "Cards"}, {"id": "C3", "name": "Login"}],
        "structure": {
            "items": [
                {"group": {"id": "G", "name": "Money", "components": [{"component_id": "C1"}, {"component_id": "C2"}]}},
                {"component": {"component_id": "C3", "name": "Login"}},
            ]
        },
    }
}


def outage() -> dict[str, Any]:
    """Impacts that start before the first update and change between updates."""
    return {
        "id": "INC1",
        "name": "Cards declined",
        "type": "incident",
        "status": "resolved",
        "published_at": "2026-02-01T10:05:00Z",
        "updates": [
            {
                "id": "U1",
                "published_at": "2026-02-01T10:05:00Z",
                "message_string": "Looking.",
                "to_status": "investigating",
            },
            {
                "id": "U2",
                "published_at": "2026-02-01T10:40:00Z",
                "message_string": "Found it.",
                "to_status": "identified",
            },
            {
                "id": "U3",
                "published_at": "2026-02-01T11:30:00Z",
                "message_string": "All good.",
                "to_status": "resolved",
            },
        ],
        "component_impacts": [
            {
                "component_id": "C2",
                "status": "partial_outage",
                "start_at": "2026-02-01T10:00:00Z",
                "end_at": "2026-02-01T10:30:00Z",
            },
            {
                "component_id": "C2",
                "status": "full_outage",
                "start_at": "2026-02-01T10:30:00Z",
                "end_at": "2026-02-01T11:30:00Z",
            },
        ],
        "affected_components": [{"component_id": "C2", "status": "full_outage", "current_status": "operational"}],
    }


def imported(tmp_path: Path, documents: list[tuple[str, Any]]) -> Site:
    import_history(tmp_path, read_incidentio(documents), now=NOW)
    return load_site(tmp_path, now=NOW)


@needs_samples
def test_the_pleo_sample(tmp_path: Path) -> None:
    site = imported(tmp_path, read_documents(sample("incidentio-proxy-incidents-pleo-2026-01.json")))
    work = next(i for i in site.incidents if i.kind is Kind.MAINTENANCE)
    assert (work.scheduled_for.isoformat(), work.scheduled_until.isoformat()) == (
        "2026-01-25T00:00:00+00:00",
        "2026-01-25T02:00:00+00:00",
    )
    assert [p.status for p in work.periods] == [ComponentStatus.UNDER_MAINTENANCE]
    assert work.status_at(NOW) is UpdateStatus.COMPLETED
    invoices = next(i for i in site.incidents if i.kind is Kind.INCIDENT)
    (period,) = invoices.periods
    assert period.status is ComponentStatus.DEGRADED_PERFORMANCE
    # The capture holds one update though the incident is resolved: it ends where its impacts end.
    assert invoices.resolved_at is not None and invoices.resolved_at.isoformat() == "2026-01-30T12:38:56.689000+00:00"
    assert invoices.updates[0].at.isoformat() == "2026-01-30T10:42:56.002000+00:00"


def test_component_intervals_come_from_the_impacts_and_groups_from_the_structure(tmp_path: Path) -> None:
    site = imported(tmp_path, [("summary.json", SUMMARY), ("incidents.json", {"incidents": [outage()]})])
    assert [(c.name, c.group) for c in site.components] == [("Invoices", "Money"), ("Cards", "Money"), ("Login", None)]
    (incident,) = site.incidents
    assert incident.started.isoformat() == "2026-02-01T10:00:00+00:00"  # the first impact, before the first update
    assert [(p.status.value, p.start.isoformat(), p.end.isoformat() if p.end else None) for p in incident.periods] == [
        ("partial_outage", "2026-02-01T10:00:00+00:00", "2026-02-01T10:40:00+00:00"),
        ("major_outage", "2026-02-01T10:40:00+00:00", "2026-02-01T11:30:00+00:00"),  # full_outage, from the next update
    ]
    assert site.config.title == "Acme" and site.config.base_url == "https://status.acme.test/"


def test_a_bad_status_names_the_document_and_the_field(tmp_path: Path) -> None:
    broken = copy.deepcopy(outage())
    broken["updates"][1]["to_status"] = "fixing"
    with pytest.raises(ImportFailed) as raised:
        read_incidentio([("incidents.json", {"incidents": [broken]})])
    (line,) = raised.value.hints
    assert line.startswith(
        "incidents.json: incidents[0].updates[1].to_status: is str 'fixing', not one of investigating"
    )


def test_a_document_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"hello": "world"}))
    with pytest.raises(ImportFailed) as raised:
        read_incidentio(read_documents(path))
    assert "is not an incident.io page document" in raised.value.hints[0]
