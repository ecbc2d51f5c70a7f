"""Statuspage quirks of real histories: a broken incident among many, same-instant updates, HTML bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import NOW

from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.content.statuses import UpdateStatus
from sitegen.importers.errors import ImportFailed
from sitegen.importers.importing import import_history
from sitegen.importers.saved_files import read_documents
from sitegen.importers.statuspage import read_statuspage

PAGE = {"id": "pg1", "name": "Acme", "url": "https://status.acme.test", "time_zone": "Europe/Paris"}


def update(uid: str, status: str, at: str, created: str | None = None, body: str = "Text.") -> dict[str, Any]:
    return {"id": uid, "status": status, "body": body, "display_at": at, "created_at": created or at}


def incident(iid: str, *updates: dict[str, Any], status: str = "resolved") -> dict[str, Any]:
    return {
        "id": iid,
        "name": f"Incident {iid}",
        "status": status,
        "impact": "minor",
        "incident_updates": list(updates),
    }


GOOD = incident(
    "good", update("g1", "investigating", "2023-01-10T17:04:42Z"), update("g2", "resolved", "2023-01-10T18:00:00Z")
)


def test_a_broken_incident_is_skipped_and_the_others_read() -> None:
    broken = incident("bad", update("b1", "identifed", "2023-01-11T10:00:00Z"))
    history = read_statuspage([("a.json", {"incident": GOOD}), ("b.json", {"incident": broken})])
    assert [i.source_id for i in history.incidents] == ["good"]
    (skipped,) = history.skipped
    assert skipped.startswith("b.json: incident.incident_updates[0].status: is str 'identifed'")


def test_when_every_incident_is_broken_nothing_is_imported(tmp_path: Path) -> None:
    broken = incident("bad", update("b1", "identifed", "2023-01-11T10:00:00Z"))
    with pytest.raises(ImportFailed):
        import_history(tmp_path, read_statuspage([("b.json", {"incident": broken})]), now=NOW)
    assert not any(tmp_path.iterdir())


# A Statuspage incidents.json entry: 'monitoring' and 'resolved' shown at one instant, told apart by created_at.
SAME_INSTANT = incident(
    "tie",
    update("t3", "resolved", "2019-02-21T10:30:00Z", "2019-02-21T10:31:07Z", "This incident has been resolved."),
    update("t2", "monitoring", "2019-02-21T10:30:00Z", "2019-02-21T10:30:59Z", "A fix has been implemented."),
    update("t1", "investigating", "2019-02-21T10:00:00Z"),
)


def incident_files(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "content/incidents").iterdir())}


def test_same_instant_updates_keep_the_order_they_were_posted_in(tmp_path: Path) -> None:
    (tie,) = read_statuspage([("incidents.json", {"incidents": [SAME_INSTANT]})]).incidents
    assert [u.status.value for u in tie.updates] == ["investigating", "monitoring", "resolved"]
    import_history(tmp_path, read_statuspage([("incidents.json", {"incidents": [SAME_INSTANT]})]), now=NOW)
    (loaded,) = load_site(tmp_path, now=NOW).incidents
    assert loaded.status_at(NOW) is UpdateStatus.RESOLVED and loaded.standing_update.status is UpdateStatus.RESOLVED


def _import_built(site: Path, into: Path) -> None:
    build_site(site, site / "public", now=NOW)
    import_history(into, read_statuspage(read_documents(site / "public" / "api" / "v2" / "incidents.json")), now=NOW)


def test_import_build_import_gives_the_same_files(tmp_path: Path) -> None:
    """A site imported from a built sitegen site, built and imported again, is the same, byte for byte."""
    documents = [("incidents.json", {"page": PAGE, "incidents": [SAME_INSTANT, GOOD]})]
    import_history(tmp_path / "a", read_statuspage(documents), now=NOW)
    _import_built(tmp_path / "a", tmp_path / "b")
    _import_built(tmp_path / "b", tmp_path / "c")
    assert incident_files(tmp_path / "c") == incident_files(tmp_path / "b")
    tie = (tmp_path / "c/content/incidents/2019-02-21-incident-tie.md").read_text(encoding="utf-8")
    assert tie.index("status: monitoring") < tie.index("status: resolved")


def test_a_maintenance_completed_without_its_update_completes_with_its_window() -> None:
    announced = update("m1", "scheduled", "2024-03-28T10:00:00Z", body="We will upgrade the database.")
    maintenance = incident("mnt", announced, status="completed") | {
        "scheduled_for": "2024-04-02T06:00:00Z",
        "scheduled_until": "2024-04-02T08:00:00Z",
    }
    (work,) = read_statuspage([("m.json", {"incident": maintenance})]).incidents
    assert [(u.status.value, u.at.isoformat(), u.body) for u in work.updates] == [
        ("scheduled", "2024-03-28T10:00:00+00:00", "We will upgrade the database."),
        ("completed", "2024-04-02T08:00:00+00:00", "The scheduled maintenance has been completed."),
    ]
