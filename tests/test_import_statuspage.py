"""Importing Statuspage documents: the real samples, and fixtures of our own for what they lack."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW
from test_import_support import needs_samples, sample

from sitegen.content.loader import load_site
from sitegen.content.site import Site
from sitegen.content.statuses import ComponentStatus, Impact, Kind, UpdateStatus
from sitegen.importers.errors import ImportFailed
from sitegen.importers.importing import ImportReport, import_history
from sitegen.importers.saved_files import read_documents
from sitegen.importers.statuspage import read_statuspage

PAGE = {"id": "pg1", "name": "Acme", "url": "https://status.acme.test", "time_zone": "Europe/Paris"}


def imported(site_dir: Path, source: Path | list[tuple[str, Any]], **options: Any) -> tuple[ImportReport, Site]:
    documents = read_documents(source) if isinstance(source, Path) else source
    report = import_history(site_dir, read_statuspage(documents), now=NOW, **options)
    return report, load_site(site_dir, now=NOW)


def files(site_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site_dir)): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}


def update(at: str, status: str, body: str, *affected: tuple[str, str, str, str]) -> dict[str, Any]:
    return {
        "id": f"u-{at}",
        "status": status,
        "body": body,
        "created_at": at,
        "display_at": at,
        "affected_components": [
            {"code": code, "name": name, "old_status": old, "new_status": new} for code, name, old, new in affected
        ]
        or None,
    }


def managed_incident(**changes: Any) -> dict[str, Any]:
    """An incident in the management API's shape (newest update first, as Statuspage lists them)."""
    incident = {
        "id": "inc1",
        "name": "Checkout errors",
        "status": "resolved",
        "impact": "minor",
        "impact_override": "critical",
        "started_at": "2024-03-01T09:55:00+01:00",
        "resolved_at": "2024-03-01T11:00:00+01:00",
        "postmortem_body": "## What happened\n\nA bad deploy.",
        "postmortem_published_at": "2024-03-04T12:00:00+01:00",
        "components": [{"id": "c-pay", "name": "Payments", "group_id": "g-core"}],
        "incident_updates": [
            update(
                "2024-03-01T11:00:00+01:00",
                "resolved",
                "Fixed.",
                ("c-pay", "Core - Payments", "partial_outage", "operational"),
            ),
            update(
                "2024-03-01T10:30:00+01:00",
                "identified",
                "Still failing.",
                ("c-pay", "Core - Payments", "partial_outage", "partial_outage"),
            ),
            update(
                "2024-03-01T10:15:00+01:00",
                "identified",
                "A bad deploy.",
                ("c-pay", "Core - Payments", "degraded_performance", "partial_outage"),
            ),
            update(
                "2024-03-01T10:00:00+01:00",
                "investigating",
                "Looking.",
                ("c-pay", "Core - Payments", "operational", "degraded_performance"),
            ),
        ],
    }
    return incident | changes


def maintenance() -> dict[str, Any]:
    return {
        "id": "mnt1",
        "name": "Database upgrade",
        "status": "completed",
        "impact": "maintenance",
        "scheduled_for": "2024-04-02T06:00:00Z",
        "scheduled_until": "2024-04-02T08:00:00Z",
        "components": [{"id": "c-db", "name": "Database", "group_id": None}],
        "incident_updates": [
            update(
                "2024-04-02T07:10:00Z", "completed", "Done.", ("c-db", "Database", "under_maintenance", "operational")
            ),
            update(
                "2024-04-02T06:00:00Z",
                "in_progress",
                "Started.",
                ("c-db", "Database", "operational", "under_maintenance"),
            ),
            update("2024-03-28T10:00:00Z", "scheduled", "We will upgrade the database."),
        ],
    }


CATALOGUE = [
    {"id": "g-core", "name": "Core", "group": True, "group_id": None, "position": 1, "components": ["c-pay"]},
    {
        "id": "c-pay",
        "name": "Payments",
        "group": False,
        "group_id": "g-core",
        "position": 1,
        "start_date": "2020-01-15",
    },
    {"id": "c-db", "name": "Database", "group": False, "group_id": None, "position": 2},
]


def own_documents() -> list[tuple[str, Any]]:
    return [
        ("components.json", {"page": PAGE, "components": CATALOGUE}),
        ("incidents.json", [managed_incident(), maintenance()]),
    ]


# The real samples -------------------------------------------------------


@needs_samples
def test_github_every_update_kept_even_a_run_of_one_status(tmp_path: Path) -> None:
    _, site = imported(tmp_path, sample("statuspage-v2-incident-github-t2xwk9mz56f4-2023-02-18.json"))
    (incident,) = site.incidents
    statuses = [u.status for u in incident.updates]
    assert len(statuses) == 29 and statuses.count(UpdateStatus.INVESTIGATING) == 28
    assert statuses[-1] is UpdateStatus.RESOLVED
    assert incident.started.isoformat() == "2023-02-18T03:45:31.283000+00:00"  # started_at, before the first update
    assert incident.declared_impact is Impact.MAJOR  # Statuspage's impact, though an outage was major
    assert [c.name for c in site.components][:3] == ["API Requests", "Webhooks", "Issues"]
    assert site.config.timezone == "Etc/UTC"
    text = next((tmp_path / "content/incidents").iterdir()).read_text()
    assert "at: 2023-02-18T03:45:31.335Z" in text  # the offset and milliseconds as written


@needs_samples
def test_github_components_change_between_updates(tmp_path: Path) -> None:
    """old_status rarely matches the previous update: the status shown at each update is what counts."""
    _, site = imported(tmp_path, sample("statuspage-v2-incident-github-t2xwk9mz56f4-2023-02-18.json"))
    (incident,) = site.incidents
    by_name = {c.id: c.name for c in site.components}
    periods = {(by_name[p.component_id], p.status) for p in incident.periods}
    assert ("Pull Requests", ComponentStatus.PARTIAL_OUTAGE) in periods
    assert ("Actions", ComponentStatus.MAJOR_OUTAGE) in periods
    end = incident.resolved_at
    assert end is not None and all(p.end is not None and p.start < p.end <= end for p in incident.periods)


@needs_samples
def test_emma_script_file_placeholders_backdating_and_offsets(tmp_path: Path) -> None:
    report, site = imported(tmp_path / "js", sample("statuspage-v2-incidents-emma-2019-02-21.js"))
    assert len(site.incidents) == 22 and sum(len(i.updates) for i in site.incidents) == 105
    assert all("No components" not in c.name for c in site.components)
    groups = {g.name: [c.name for c in g.components] for g in site.groups}
    assert "Home" in groups["Web Application"] and "Test Emails" in groups["Email Sending"]
    backdated = next(i for i in site.incidents if i.extra["statuspage_id"] == "3m89ls8svt0r")
    assert backdated.updates[0].at.isoformat() == "2017-06-23T13:08:00+00:00"  # display_at, not created_at
    texts = "".join(p.read_text() for p in (tmp_path / "js/content/incidents").iterdir())
    assert "-05:00\n" in texts and "-06:00\n" in texts  # both sides of a DST change, as written
    _, same = imported(tmp_path / "json", sample("statuspage-v2-incidents-emma-2019-02-21.extracted.json"))
    assert files(tmp_path / "js") == files(tmp_path / "json")
    assert len(report.created) == 22


@needs_samples
def test_instructure_groups_members_since_and_an_ongoing_incident(tmp_path: Path) -> None:
    _, site = imported(tmp_path, sample("statuspage-v2-summary-instructure-2021-12-07.json"))
    assert [g.name for g in site.groups] == ["Canvas", "Portfolium", "MasteryConnect"]
    canvas = [c.name for c in site.groups[0].components]
    assert canvas[:3] == ["Canvas", "— Catalog", "— Chat"] and len(canvas) == 14
    portal = next(c for c in site.components if c.name == "Portal")
    assert str(portal.since) == "2021-07-01"
    (incident,) = site.active_incidents
    assert len(incident.updates) == 11 and incident.status_at(NOW) is UpdateStatus.IDENTIFIED
    assert incident.updates[-1].at.isoformat() == "2021-12-07T17:39:58+00:00"  # display_at 10:39:58.000-07:00
    assert site.config.timezone == "America/Denver"


# Our own documents --------------------------------------------------------


def test_management_shape_override_postmortem_and_maintenance(tmp_path: Path) -> None:
    _, site = imported(tmp_path, own_documents())
    incident = next(i for i in site.incidents if i.kind is Kind.INCIDENT)
    assert incident.impact is Impact.CRITICAL  # impact_override wins over impact
    assert [u.status.value for u in incident.updates] == ["investigating", "identified", "identified", "resolved"]
    payments = site.component_by_id["payments"]
    assert (payments.group, str(payments.since)) == ("Core", "2020-01-15")
    assert [(p.status.value, p.start.isoformat()) for p in incident.periods] == [
        ("degraded_performance", "2024-03-01T08:55:00+00:00"),  # from started_at: the first update's statuses
        ("partial_outage", "2024-03-01T09:15:00+00:00"),
    ]
    (writeup,) = site.writeups
    assert writeup.incidents == (incident.slug,) and writeup.body.startswith("## What happened")
    assert writeup.title == "Postmortem: Checkout errors"
    work = next(i for i in site.incidents if i.kind is Kind.MAINTENANCE)
    assert (work.scheduled_for.isoformat(), work.scheduled_until.isoformat()) == (
        "2024-04-02T06:00:00+00:00",
        "2024-04-02T08:00:00+00:00",
    )
    assert [u.status.value for u in work.updates] == ["scheduled", "in_progress", "completed"]
    assert [(p.component_id, p.status.value) for p in work.periods] == [("database", "under_maintenance")]
    assert work.slug == "2024-04-02-database-upgrade"


def test_importing_again_changes_nothing(tmp_path: Path) -> None:
    imported(tmp_path, own_documents())
    before = files(tmp_path)
    report, _ = imported(tmp_path, own_documents())
    assert files(tmp_path) == before
    assert (report.created, report.updated, len(report.unchanged), report.config_written) == ((), (), 3, False)


def test_a_new_update_and_a_late_postmortem_update_in_place(tmp_path: Path) -> None:
    first = managed_incident(status="monitoring", resolved_at=None, postmortem_body=None)
    first["incident_updates"] = first["incident_updates"][1:]
    imported(tmp_path, [("a.json", {"page": PAGE, "components": CATALOGUE}), ("b.json", [first])])
    (path,) = (tmp_path / "content/incidents").iterdir()
    report, site = imported(
        tmp_path, own_documents()[:1] + [("b.json", [managed_incident(name="Renamed at the source")])]
    )
    assert report.updated == (Path("content/incidents") / path.name,) and [
        p.name for p in (tmp_path / "content/incidents").iterdir()
    ] == [path.name]
    assert site.incidents[0].title == "Renamed at the source" and site.incidents[0].resolved_at is not None
    assert report.created == (Path(f"content/writeups/{path.stem}-postmortem.md"),)


def test_hand_edited_files_are_skipped_unless_overwrite(tmp_path: Path) -> None:
    imported(tmp_path, own_documents())
    path = next(p for p in (tmp_path / "content/incidents").iterdir() if "checkout" in p.name)
    path.write_text(path.read_text().replace("Looking.", "Looking into it (edited)."))
    changed = own_documents()
    changed[1][1][0]["incident_updates"][0]["body"] = "Fixed for good."
    report, _ = imported(tmp_path, changed)
    assert report.skipped == (path.relative_to(tmp_path),) and "edited" in path.read_text()
    report, _ = imported(tmp_path, changed, overwrite=True)
    assert report.updated == (path.relative_to(tmp_path),) and "Fixed for good." in path.read_text()


def test_an_existing_catalogue_keeps_its_comments_order_and_ids(tmp_path: Path) -> None:
    config = '# our page\n[site]\ntitle = "Ours"\nbase_url = "https://ours.test/"\ntimezone = "UTC"\n\n[[components]]\nid = "pay"  # short\nname = "Payments"\ngroup = "Core"\n'
    (tmp_path / "sitegen.toml").write_text(config)
    report, site = imported(tmp_path, own_documents())
    text = (tmp_path / "sitegen.toml").read_text()
    assert text.startswith(config) and report.components_added == 1
    assert [c.id for c in site.components] == ["pay", "database"]
    assert tomllib.loads(text)["site"]["title"] == "Ours"


def test_two_incidents_with_one_title_on_one_day_get_two_files(tmp_path: Path) -> None:
    twin = copy.deepcopy(managed_incident(id="inc2", postmortem_body=None))
    report, site = imported(tmp_path, [("x.json", [managed_incident(postmortem_body=None), twin])])
    assert sorted(p.name for p in report.created) == [
        "2024-03-01-checkout-errors-inc2.md",
        "2024-03-01-checkout-errors.md",
    ]


# Broken input: a clear error, and nothing written ---------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda i: i["incident_updates"][1].update(status="identifed"),
            "b.json: [0].incident_updates[1].status: is str 'identifed', not one of investigating, identified, monitoring, resolved, postmortem; did you mean 'identified'?",
        ),
        (
            lambda i: i["incident_updates"][0].update(display_at="yesterday"),
            "b.json: [0].incident_updates[0].display_at: 'yesterday' is not an ISO 8601 time",
        ),
        (lambda i: i.pop("name"), "b.json: [0].name: expected text, found nothing (null)"),
        (lambda i: i.update(incident_updates=[]), "b.json: [0].incident_updates: is empty"),
        (
            lambda i: i["incident_updates"][2]["affected_components"][0].update(new_status="down"),
            "b.json: [0].incident_updates[2].affected_components[0].new_status: is str 'down'",
        ),
    ],
)
def test_broken_input_names_the_document_and_the_field(tmp_path: Path, change: Any, expected: str) -> None:
    incident = managed_incident()
    change(incident)
    with pytest.raises(ImportFailed) as raised:
        imported(tmp_path, [("b.json", [incident])])
    assert any(line.startswith(expected) for line in raised.value.hints), raised.value.lines()
    assert "nothing was written" in raised.value.message
    assert not any(tmp_path.iterdir())


def test_a_document_of_another_kind_is_named(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"months": []}))
    with pytest.raises(ImportFailed) as raised:
        read_statuspage(read_documents(path))
    assert "history.json lists incident codes only" in "\n".join(raised.value.lines())


def test_a_site_that_would_not_load_is_left_as_it_was(tmp_path: Path) -> None:
    broken = tmp_path / "content/incidents/2020-01-01-mine.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\ntitle: Mine\nupdates: []\n---\n")
    before = files(tmp_path)
    with pytest.raises(ImportFailed) as raised:
        imported(tmp_path, own_documents())
    assert "nothing was written" in raised.value.message
    assert [p.path for p in raised.value.problems] == [broken]
    assert files(tmp_path) == before and not list(tmp_path.glob(".sitegen-import-*"))


def test_a_maintenance_window_that_ends_before_it_starts_is_named(tmp_path: Path) -> None:
    backwards = maintenance() | {"scheduled_until": "2024-04-02T05:00:00Z"}
    with pytest.raises(ImportFailed) as raised:
        imported(tmp_path / "new", [("m.json", [backwards])])
    assert raised.value.hints == ("m.json: [0].scheduled_until: must be after scheduled_for",)
    assert not (tmp_path / "new").exists()
