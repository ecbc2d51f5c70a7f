"""Small losses real exports showed: reference links, tracking dates, camel-case slugs, zones, names, hints."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import NOW

from sitegen.build import build_site
from sitegen.commands.import_ import import_
from sitegen.content.loader import load_site
from sitegen.importers.cstate import read_cstate
from sitegen.importers.errors import ImportFailed
from sitegen.importers.importing import import_history
from sitegen.importers.incidentio import read_incidentio
from sitegen.importers.statuspage import read_statuspage
from sitegen.importers.upptime import read_upptime, upptime_slug

# is.uberspace.online style: the link's address is a paragraph of its own.
REFERENCE = """\
    ---
    title: MariaDB down
    date: 2018-10-15 18:00:00
    severity: down
    affected: [olbers]
    ---
    *Investigating* - Tables got damaged, see [the blog][1]. {{< track "2018-10-15 18:00:00" >}}

    [1]: https://blog.uberspace.de/das-update-auf-mariadb-10-3/
    """


def test_a_reference_link_keeps_its_address(tmp_path: Path) -> None:
    (tmp_path / "c/content/issues").mkdir(parents=True)
    (tmp_path / "c/content/issues/x.md").write_text(textwrap.dedent(REFERENCE), encoding="utf-8")
    (incident,) = read_cstate(tmp_path / "c", timezone="UTC").incidents
    assert incident.summary == ""
    assert incident.updates[0].body == (
        "Tables got damaged, see [the blog][1].\n\n[1]: https://blog.uberspace.de/das-update-auf-mariadb-10-3/"
    )


@pytest.mark.parametrize(
    ("name", "slug"), [("BookStack", "book-stack"), ("InfluxDB", "influx-db"), ("c0d3 Website", "c0d3-website")]
)
def test_upptime_slugs_split_camel_case_as_upptime_does(name: str, slug: str) -> None:
    assert upptime_slug(name) == slug  # fujexo/upptime: history/book-stack.yml, history/influx-db.yml


def statuspage_incident(**extra: object) -> dict[str, object]:
    return {
        "id": "inc1",
        "name": "Database upgrade",
        "status": "completed",
        "impact": "maintenance",
        "scheduled_for": "2024-04-02T06:00:00Z",
        "scheduled_until": "2024-04-02T08:00:00Z",
        "components": [{"id": "c-db", "name": "Database", "start_date": "2019-05-01"}],
        "incident_updates": [
            {"id": "u3", "status": "completed", "body": "Done.", "display_at": "2024-04-02T07:40:00Z"},
            {"id": "u2", "status": "verifying", "body": "Checking.", "display_at": "2024-04-02T07:10:00Z"},
            {"id": "u1", "status": "in_progress", "body": "Started.", "display_at": "2024-04-02T06:00:00Z"},
        ],
    } | extra


def test_tracked_since_and_monitoring_at_survive_a_round_trip(tmp_path: Path) -> None:
    import_history(tmp_path / "a", read_statuspage([("i.json", {"incident": statuspage_incident()})]), now=NOW)
    site = load_site(tmp_path / "a", now=NOW)
    assert str(site.component_by_id["database"].since) == "2019-05-01"
    build_site(tmp_path / "a", tmp_path / "a/public", now=NOW)
    api = json.loads((tmp_path / "a/public/api/v2/scheduled-maintenances.json").read_text(encoding="utf-8"))
    (maintenance,) = api["scheduled_maintenances"]
    assert maintenance["monitoring_at"].startswith("2024-04-02T07:10:00")
    assert maintenance["components"][0]["start_date"] == "2019-05-01"


def test_incidentio_components_take_the_names_incidents_give_them() -> None:
    incident = {
        "id": "INC1",
        "name": "Invoices page not loading",
        "type": "incident",
        "status": "resolved",
        "updates": [
            {"id": "U1", "published_at": "2026-01-30T10:42:56Z", "message_string": "Fixed.", "to_status": "resolved"}
        ],
        "affected_components": [{"component_id": "01JEV56RY027PA4NYX5H2RNAMC", "name": "Invoices"}],
    }
    history = read_incidentio([("incidents.json", {"incidents": [incident]})])
    assert [(c.key, c.name) for c in history.components] == [("01JEV56RY027PA4NYX5H2RNAMC", "Invoices")]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["cstate", "c", "--timezone", "CEST"], 2, "Error: Invalid value for '--timezone': unknown timezone 'CEST'"),
        (["cstate", "c", "--timezone", "Europe/Berln"], 2, "Error: Invalid value for '--timezone': unknown timezone"),
        (["incidentio", "saved", "--timezone", "UTC"], 1, "error: --timezone is for cstate, whose dates may have"),
    ],
)
def test_a_wrong_timezone_is_one_line(tmp_path: Path, monkeypatch, args: list[str], status: int, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c/content/issues").mkdir(parents=True)
    (tmp_path / "c/content/issues/x.md").write_text(textwrap.dedent(REFERENCE), encoding="utf-8")
    result = CliRunner().invoke(import_, [*args, "--site", "site"])
    assert result.exit_code == status, result.output
    problem = [line for line in result.output.splitlines() if line.startswith(("error:", "Error:"))]
    assert len(problem) == 1 and problem[0].startswith(message), result.output
    assert "Traceback" not in result.output and not (tmp_path / "site").exists()


def test_a_folder_holding_only_the_history_index_says_where_the_incidents_are(tmp_path: Path) -> None:
    index = {"page": {"id": "p", "name": "Acme", "url": "https://status.acme.test"}, "months": []}
    with pytest.raises(ImportFailed) as raised:
        read_statuspage([("public/history.json", index)])
    assert "public/history.json lists incident codes only: import from the page's address" in raised.value.message


# Pleo's incident.io page (2026-01): a maintenance marked complete, with only its 'scheduled' update.
PLEO_MAINTENANCE = {
    "id": "01KFGG5S6TRSJJNNBB3TQATY24",
    "name": "Scheduled Pleo Maintenance",
    "type": "maintenance",
    "status": "maintenance_complete",
    "updates": [
        {
            "id": "U1",
            "published_at": "2026-01-21T14:43:41.913Z",
            "message_string": "We're reaching out to inform you of a scheduled maintenance window...",
            "to_status": "maintenance_scheduled",
        }
    ],
    "component_impacts": [
        {
            "start_at": "2026-01-25T00:00:00Z",
            "end_at": "2026-01-25T02:00:00Z",
            "component_id": "01JEV56RY0GV18JSH8N9GECJ1G",
            "status": "under_maintenance",
        }
    ],
    "affected_components": [{"component_id": "01JEV56RY0GV18JSH8N9GECJ1G", "status": "under_maintenance"}],
}


def test_a_completed_maintenance_gets_the_completing_update_its_source_implies() -> None:
    (work,) = read_incidentio([("incidents.json", {"incidents": [PLEO_MAINTENANCE]})]).incidents
    assert [(u.status.value, u.at.isoformat()) for u in work.updates] == [
        ("scheduled", "2026-01-21T14:43:41.913000+00:00"),
        ("completed", "2026-01-25T02:00:00+00:00"),
    ]
    assert work.updates[-1].body == "The scheduled maintenance has been completed."


def test_an_incidentio_incident_that_cannot_be_read_is_skipped_and_the_others_read() -> None:
    broken = PLEO_MAINTENANCE | {"id": "BROKEN", "updates": [{"id": "U", "to_status": "maintenance_finished"}]}
    history = read_incidentio([("incidents.json", {"incidents": [PLEO_MAINTENANCE, broken]})])
    assert [i.source_id for i in history.incidents] == ["01KFGG5S6TRSJJNNBB3TQATY24"]
    (skipped,) = history.skipped
    assert skipped.startswith("incidents.json: incidents[1].updates[0]")


def test_an_upptime_issue_that_cannot_be_read_is_skipped_and_the_others_read(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/.upptimerc.yml").write_text("sites:\n  - name: BookStack\n", encoding="utf-8")
    issue = {"number": 13, "title": "\U0001f6d1 BookStack is down", "body": "Down.", "labels": [{"name": "status"}]}
    good = issue | {"createdAt": "2021-05-18T07:02:36Z", "closedAt": "2021-05-18T07:31:38Z"}
    broken = issue | {"number": 14, "createdAt": "yesterday"}
    (tmp_path / "issues.json").write_text(json.dumps([good, broken]), encoding="utf-8")
    history = read_upptime(tmp_path / "repo", [tmp_path / "issues.json"])
    assert [i.source_id for i in history.incidents] == ["13"]
    (skipped,) = history.skipped
    assert "[1].createdAt: 'yesterday' is not an ISO 8601 time" in skipped
