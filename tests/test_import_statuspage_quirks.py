"""Statuspage quirks of real histories: a broken incident among many, same-instant updates, HTML bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import NOW

from sitegen.importers.errors import ImportFailed
from sitegen.importers.importing import import_history
from sitegen.importers.statuspage import read_statuspage


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
