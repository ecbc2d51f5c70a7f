"""The JSON API: Statuspage's public status API v2 shapes, built from the model.

Small sites are written inline with ``make_site``; the example site at the
repository root is checked against JSON Schemas written from Statuspage's
documentation (tests/schemas/statuspage/).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus
from sitegen.views.api import encode, render_api

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "statuspage"
EXAMPLE_NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)

ENDPOINT_SCHEMAS = {
    "summary.json": "summary.json",
    "status.json": "status.json",
    "components.json": "components.json",
    "incidents.json": "incidents.json",
    "incidents/unresolved.json": "incidents-unresolved.json",
    "scheduled-maintenances.json": "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json": "scheduled-maintenances-upcoming.json",
    "scheduled-maintenances/active.json": "scheduled-maintenances-active.json",
}

CONFIG = """\
[site]
title = "Tiny Status"
base_url = "https://status.example.com/"
timezone = "{timezone}"

[[components]]
id = "api"
name = "API"
group = "Core"

[[components]]
id = "web"
name = "Website"
group = "Core"

[[components]]
id = "billing"
name = "Billing"
"""

RESOLVED = """\
---
title: Slow website
components:
  web: degraded_performance
updates:
  - at: 2026-01-10T10:00:00Z
    status: investigating
    body: The website is slow.
  - at: 2026-01-10T11:00:00Z
    status: resolved
    body: This incident has been resolved.
---
"""

ONGOING_MINOR = """\
---
title: Slow API
components:
  api: degraded_performance
updates:
  - at: 2026-01-20T10:00:00Z
    status: investigating
    body: Requests are slow.
---
"""

ONGOING_CRITICAL = """\
---
title: API down
components:
  api: major_outage
updates:
  - at: 2026-01-20T10:00:00Z
    status: investigating
    body: Requests fail.
---
"""

MAINTENANCE = """\
---
title: Database upgrade
kind: maintenance
components:
  billing: under_maintenance
scheduled_for: 2026-02-01T06:00:00Z
scheduled_until: 2026-02-01T08:00:00Z
updates:
  - at: 2026-01-25T12:00:00Z
    status: scheduled
    body: We will upgrade the billing database.
---
"""

BEFORE_WINDOW = datetime(2026, 1, 30, tzinfo=UTC)
IN_WINDOW = datetime(2026, 2, 1, 7, tzinfo=UTC)
AFTER_WINDOW = datetime(2026, 2, 2, tzinfo=UTC)


def make_site(tmp_path: Path, incidents: dict[str, str], *, timezone_name: str = "UTC") -> Path:
    """A site folder with the tiny catalogue above and ``incidents`` as content/incidents/<slug>.md."""
    (tmp_path / "sitegen.toml").write_text(CONFIG.format(timezone=timezone_name), encoding="utf-8")
    folder = tmp_path / "content" / "incidents"
    folder.mkdir(parents=True, exist_ok=True)
    for slug, text in incidents.items():
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    return tmp_path


def render(site_dir: Path, now: datetime) -> dict[str, bytes]:
    return render_api(load_site(site_dir, now=now))


def api(site_dir: Path, now: datetime) -> dict[str, Any]:
    """Each endpoint's parsed JSON, by its name under api/v2/."""
    return {path.removeprefix("api/v2/"): json.loads(data) for path, data in render(site_dir, now).items()}


def ids_of(documents: dict[str, Any]) -> set[str]:
    """Every id in the documents: page, components, incidents and updates."""
    found: set[str] = set()
    for document in documents.values():
        found.add(document["page"]["id"])
        found.update(c["id"] for c in document.get("components", []))
        for incident in document.get("incidents", []) + document.get("scheduled_maintenances", []):
            found.add(incident["id"])
            found.update(u["id"] for u in incident["incident_updates"])
    return found


# Shapes ------------------------------------------------------------------


def test_the_eight_endpoints_are_written_where_statuspage_serves_them():
    files = render(REPO, EXAMPLE_NOW)
    assert set(files) == {f"api/v2/{name}" for name in ENDPOINT_SCHEMAS}


@pytest.mark.parametrize("endpoint", ENDPOINT_SCHEMAS)
def test_example_site_matches_statuspage_schema(endpoint: str):
    document = api(REPO, EXAMPLE_NOW)[endpoint]
    validate(document, ENDPOINT_SCHEMAS[endpoint])


@pytest.mark.parametrize("endpoint", ENDPOINT_SCHEMAS)
def test_site_with_everything_going_on_matches_statuspage_schema(tmp_path: Path, endpoint: str):
    site = make_site(
        tmp_path,
        {"resolved": RESOLVED, "ongoing": ONGOING_CRITICAL, "maintenance": MAINTENANCE},
        timezone_name="Europe/Paris",
    )
    document = api(site, IN_WINDOW)[endpoint]
    validate(document, ENDPOINT_SCHEMAS[endpoint])


def validate(document: Any, schema_name: str) -> None:
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_the_schemas_reject_a_document_missing_a_required_field():
    document = api(REPO, EXAMPLE_NOW)["incidents.json"]
    del document["incidents"][0]["incident_updates"][0]["display_at"]
    with pytest.raises(AssertionError, match="display_at"):
        validate(document, "incidents.json")


# Status indicator -----------------------------------------------------------


@pytest.mark.parametrize(
    ("incidents", "now", "indicator", "description"),
    [
        ({}, BEFORE_WINDOW, "none", "All Systems Operational"),
        ({"resolved": RESOLVED}, BEFORE_WINDOW, "none", "All Systems Operational"),
        ({"slow": ONGOING_MINOR}, BEFORE_WINDOW, "minor", "Minor Service Outage"),
        ({"down": ONGOING_CRITICAL}, BEFORE_WINDOW, "critical", "Major System Outage"),
        ({"maintenance": MAINTENANCE}, IN_WINDOW, "maintenance", "Service Under Maintenance"),
        ({"maintenance": MAINTENANCE}, BEFORE_WINDOW, "none", "All Systems Operational"),
    ],
    ids=[
        "no-incident",
        "only-resolved",
        "ongoing-minor",
        "ongoing-critical",
        "maintenance-under-way",
        "maintenance-ahead",
    ],
)
def test_status_indicator(tmp_path: Path, incidents: dict[str, str], now: datetime, indicator: str, description: str):
    documents = api(make_site(tmp_path, incidents), now)
    expected = {"indicator": indicator, "description": description}
    assert documents["status.json"]["status"] == expected
    assert documents["summary.json"]["status"] == expected


# Which incidents go where ---------------------------------------------------


def test_unresolved_lists_only_ongoing_incidents(tmp_path: Path):
    site = make_site(tmp_path, {"resolved": RESOLVED, "ongoing": ONGOING_MINOR, "maintenance": MAINTENANCE})
    documents = api(site, IN_WINDOW)
    assert [i["name"] for i in documents["incidents/unresolved.json"]["incidents"]] == ["Slow API"]
    assert [i["name"] for i in documents["summary.json"]["incidents"]] == ["Slow API"]
    assert documents["incidents/unresolved.json"]["incidents"][0]["status"] == "investigating"


def test_incidents_lists_resolved_and_ongoing_incidents_newest_first_without_maintenance(tmp_path: Path):
    site = make_site(tmp_path, {"resolved": RESOLVED, "ongoing": ONGOING_MINOR, "maintenance": MAINTENANCE})
    incidents = api(site, IN_WINDOW)["incidents.json"]["incidents"]
    assert [(i["name"], i["status"]) for i in incidents] == [
        ("Slow API", "investigating"),
        ("Slow website", "resolved"),
    ]


def test_incidents_lists_the_fifty_most_recent(tmp_path: Path):
    days = [f"2025-01-{day:02d}" for day in range(1, 29)] + [f"2025-02-{day:02d}" for day in range(1, 25)]
    incidents = {day: RESOLVED.replace("2026-01-10", day) for day in days}
    listed = api(make_site(tmp_path, incidents), BEFORE_WINDOW)["incidents.json"]["incidents"]
    assert len(incidents) == 52
    assert [i["created_at"][:10] for i in listed] == sorted(days, reverse=True)[:50]


@pytest.mark.parametrize(
    ("now", "upcoming", "active", "status"),
    [
        (BEFORE_WINDOW, ["Database upgrade"], [], "scheduled"),
        (IN_WINDOW, [], ["Database upgrade"], "in_progress"),
        (AFTER_WINDOW, [], [], "completed"),
    ],
    ids=["before", "during", "after"],
)
def test_maintenance_is_upcoming_then_active_by_now(
    tmp_path: Path, now: datetime, upcoming: list[str], active: list[str], status: str
):
    documents = api(make_site(tmp_path, {"maintenance": MAINTENANCE}), now)
    assert [m["name"] for m in documents["scheduled-maintenances/upcoming.json"]["scheduled_maintenances"]] == upcoming
    assert [m["name"] for m in documents["scheduled-maintenances/active.json"]["scheduled_maintenances"]] == active
    assert [m["name"] for m in documents["summary.json"]["scheduled_maintenances"]] == active + upcoming
    (listed,) = documents["scheduled-maintenances.json"]["scheduled_maintenances"]
    assert listed["status"] == status
    assert documents["incidents.json"]["incidents"] == []


def test_maintenance_carries_its_window(tmp_path: Path):
    documents = api(make_site(tmp_path, {"maintenance": MAINTENANCE}), AFTER_WINDOW)
    (maintenance,) = documents["scheduled-maintenances.json"]["scheduled_maintenances"]
    assert maintenance["impact"] == "maintenance"
    assert maintenance["scheduled_for"] == "2026-02-01T06:00:00.000Z"
    assert maintenance["scheduled_until"] == "2026-02-01T08:00:00.000Z"
    assert maintenance["resolved_at"] == "2026-02-01T08:00:00.000Z"  # completed by itself at the window's end
    assert maintenance["scheduled_auto_completed"] is True


# Ids ------------------------------------------------------------------------


def test_ids_do_not_depend_on_now(tmp_path: Path):
    site = make_site(tmp_path, {"resolved": RESOLVED, "ongoing": ONGOING_MINOR, "maintenance": MAINTENANCE})
    before, after = ids_of(api(site, BEFORE_WINDOW)), ids_of(api(site, AFTER_WINDOW))
    assert before == after
    assert len(before) == 1 + 4 + 3 + 4  # page, group and 3 components, 3 incidents, 4 updates


@pytest.mark.parametrize(
    ("at", "status", "statuses"),
    [
        ("2026-01-20T11:00:00Z", "resolved", ["resolved", "investigating"]),
        ("2026-01-20T09:30:00Z", "investigating", ["investigating", "investigating"]),  # backfilled earlier
    ],
    ids=["later", "earlier"],
)
def test_appending_an_update_keeps_existing_ids(tmp_path: Path, at: str, status: str, statuses: list[str]):
    site = make_site(tmp_path, {"ongoing": ONGOING_MINOR})
    (before,) = api(site, BEFORE_WINDOW)["incidents.json"]["incidents"]
    make_site(tmp_path, {"ongoing": _append_update(ONGOING_MINOR, at, status, "Another update.")})
    (after,) = api(site, BEFORE_WINDOW)["incidents.json"]["incidents"]
    assert [u["status"] for u in after["incident_updates"]] == statuses
    assert after["id"] == before["id"]
    (old_update,) = before["incident_updates"]
    (same_update,) = [u for u in after["incident_updates"] if u["body"] == old_update["body"]]
    assert same_update["id"] == old_update["id"]
    assert len({u["id"] for u in after["incident_updates"]}) == 2
    assert after["components"][0]["id"] == before["components"][0]["id"]


def _append_update(text: str, at: str, status: str, body: str) -> str:
    front, rest = text.rsplit("---\n", 1)
    return f"{front}  - at: {at}\n    status: {status}\n    body: {body}\n---\n{rest}"


def test_updates_with_the_same_time_and_status_get_distinct_ids(tmp_path: Path):
    twice = _append_update(ONGOING_MINOR, "2026-01-20T10:00:00Z", "investigating", "Still slow.")
    (incident,) = api(make_site(tmp_path, {"ongoing": twice}), BEFORE_WINDOW)["incidents.json"]["incidents"]
    ids = [u["id"] for u in incident["incident_updates"]]
    assert len(set(ids)) == 2


def test_ids_are_short_and_opaque(tmp_path: Path):
    documents = api(make_site(tmp_path, {"ongoing": ONGOING_MINOR}), BEFORE_WINDOW)
    for found in ids_of(documents):
        assert len(found) == 12 and all(c in "0123456789abcdef" for c in found), found


# Incidents and updates ------------------------------------------------------


def test_updates_are_newest_first(tmp_path: Path):
    (incident,) = api(make_site(tmp_path, {"resolved": RESOLVED}), BEFORE_WINDOW)["incidents.json"]["incidents"]
    updates = incident["incident_updates"]
    assert [u["status"] for u in updates] == ["resolved", "investigating"]
    assert [u["created_at"] for u in updates] == ["2026-01-10T11:00:00.000Z", "2026-01-10T10:00:00.000Z"]
    assert {u["incident_id"] for u in updates} == {incident["id"]}


def test_incident_fields(tmp_path: Path):
    (incident,) = api(make_site(tmp_path, {"resolved": RESOLVED}), BEFORE_WINDOW)["incidents.json"]["incidents"]
    assert incident["impact"] == "minor"
    assert incident["shortlink"] == "https://status.example.com/incidents/resolved/"
    assert incident["created_at"] == incident["started_at"] == "2026-01-10T10:00:00.000Z"
    assert incident["updated_at"] == incident["resolved_at"] == "2026-01-10T11:00:00.000Z"
    assert incident["monitoring_at"] is None
    assert [c["name"] for c in incident["components"]] == ["Website"]
    assert incident["incident_updates"][1]["body"] == "The website is slow."


def test_updates_report_the_component_changes_they_brought(tmp_path: Path):
    (incident,) = api(make_site(tmp_path, {"resolved": RESOLVED}), BEFORE_WINDOW)["incidents.json"]["incidents"]
    resolved, first = incident["incident_updates"]
    website = incident["components"][0]["id"]
    assert first["affected_components"] == [
        {"code": website, "name": "Core - Website", "old_status": "operational", "new_status": "degraded_performance"}
    ]
    assert resolved["affected_components"] == [
        {"code": website, "name": "Core - Website", "old_status": "degraded_performance", "new_status": "operational"}
    ]


def test_an_update_that_changes_no_component_has_no_affected_components(tmp_path: Path):
    text = _append_update(ONGOING_MINOR, "2026-01-20T10:30:00Z", "identified", "Found it.")
    (incident,) = api(make_site(tmp_path, {"ongoing": text}), BEFORE_WINDOW)["incidents.json"]["incidents"]
    assert incident["incident_updates"][0]["affected_components"] is None
    assert incident["incident_updates"][1]["affected_components"] is not None


UPGRADE = """\
---
title: Database upgrade
kind: maintenance
components:
  billing: under_maintenance
scheduled_for: 2026-02-01T06:00:00Z
scheduled_until: 2026-02-01T08:00:00Z
updates:
  - at: 2026-01-25T12:00:00Z
    status: scheduled
    body: We will upgrade the billing database.
  - at: 2026-02-01T06:05:00Z
    status: in_progress
    body: Started; the API is slower meanwhile.
    components:
      api: degraded_performance
  - at: 2026-02-01T07:00:00Z
    status: completed
    body: Done.
---
"""


def test_the_model_says_which_update_brings_each_status_change(tmp_path: Path):
    """``Incident.status_changes``: worked out once, read by both the status periods and the API."""
    (upgrade,) = load_site(make_site(tmp_path, {"upgrade": UPGRADE}), now=AFTER_WINDOW).incidents
    start, end = datetime(2026, 2, 1, 6, 5, tzinfo=UTC), datetime(2026, 2, 1, 7, tzinfo=UTC)
    op, down, slow = (
        ComponentStatus.OPERATIONAL,
        ComponentStatus.UNDER_MAINTENANCE,
        ComponentStatus.DEGRADED_PERFORMANCE,
    )
    assert upgrade.status_changes == (
        (start, 1, "billing", op, down),  # the maintenance's own components come with its first update in the window
        (start, 1, "api", op, slow),
        (end, 2, "billing", down, op),  # the completing update returns every component to operational
        (end, 2, "api", slow, op),
    )
    assert [(p.component_id, p.status, p.start, p.end) for p in upgrade.periods] == [
        ("billing", down, start, end),
        ("api", slow, start, end),
    ]


def test_each_update_reports_the_net_changes_it_brought_in_catalogue_order(tmp_path: Path):
    (upgrade,) = api(make_site(tmp_path, {"upgrade": UPGRADE}), AFTER_WINDOW)["scheduled-maintenances.json"][
        "scheduled_maintenances"
    ]
    changes = {
        u["status"]: [(c["name"], c["old_status"], c["new_status"]) for c in u["affected_components"] or []]
        for u in upgrade["incident_updates"]
    }
    assert changes == {
        "completed": [
            ("Core - API", "degraded_performance", "operational"),
            ("Billing", "under_maintenance", "operational"),
        ],
        "in_progress": [
            ("Core - API", "operational", "degraded_performance"),
            ("Billing", "operational", "under_maintenance"),
        ],
        "scheduled": [],
    }


def test_an_update_after_a_maintenance_window_closed_by_itself_reports_no_change(tmp_path: Path):
    """The window's end returned the components to operational: a later update changes nothing the pages show."""
    late = MAINTENANCE.rsplit("---\n", 1)[0] + (
        "  - at: 2026-02-01T09:00:00Z\n    status: verifying\n    body: Checking.\n"
        "    components:\n      web: degraded_performance\n---\n"
    )
    site_dir = make_site(tmp_path, {"maintenance": late})
    (maintenance,) = api(site_dir, AFTER_WINDOW)["scheduled-maintenances.json"]["scheduled_maintenances"]
    assert [u["affected_components"] for u in maintenance["incident_updates"]] == [None, None]
    site = load_site(site_dir, now=AFTER_WINDOW)
    assert [(p.component_id, p.end) for p in site.incidents[0].periods] == [
        ("billing", datetime(2026, 2, 1, 8, tzinfo=UTC))
    ]


def test_markup_in_a_title_stays_a_plain_json_string(tmp_path: Path):
    title = "<script>alert('x')</script> & \"quoted\" café"
    text = ONGOING_MINOR.replace("title: Slow API", "title: '<script>alert(''x'')</script> & \"quoted\" café'")
    files = render(make_site(tmp_path, {"ongoing": text}), BEFORE_WINDOW)
    raw = files["api/v2/incidents.json"]
    (incident,) = json.loads(raw)["incidents"]
    assert incident["name"] == title
    assert b"&lt;" not in raw and b"\\u003c" not in raw
    assert "café".encode() in raw  # UTF-8, not \u escapes


# Components -------------------------------------------------------------------


def test_groups_are_components_listing_their_members(tmp_path: Path):
    text = _append_update(ONGOING_MINOR, "2026-01-20T10:10:00Z", "identified", "The website is down.")
    text = text.replace("down.\n", "down.\n    components:\n      web: major_outage\n")
    components = api(make_site(tmp_path, {"down": text}), BEFORE_WINDOW)["components.json"]["components"]
    assert [(c["name"], c["group"], c["position"]) for c in components] == [
        ("Core", True, 1),
        ("API", False, 1),
        ("Website", False, 2),
        ("Billing", False, 2),
    ]
    core, api_component, website, billing = components
    assert core["components"] == [api_component["id"], website["id"]]
    assert api_component["group_id"] == website["group_id"] == core["id"]
    assert billing["group_id"] is None and "components" not in billing
    assert (api_component["status"], website["status"], core["status"]) == (
        "degraded_performance",
        "major_outage",
        "major_outage",  # the worst of its members
    )


def test_component_fields(tmp_path: Path):
    documents = api(make_site(tmp_path, {"resolved": RESOLVED}), BEFORE_WINDOW)
    website = next(c for c in documents["components.json"]["components"] if c["name"] == "Website")
    assert website["description"] is None
    assert website["page_id"] == documents["components.json"]["page"]["id"]
    assert website["only_show_if_degraded"] is False
    assert website["created_at"] == "2026-01-10T10:00:00.000Z"  # the site's first content
    assert website["updated_at"] == "2026-01-10T11:00:00.000Z"  # its last status change


# Page and times -----------------------------------------------------------------


def test_page_describes_the_site(tmp_path: Path):
    page = api(make_site(tmp_path, {"resolved": RESOLVED}, timezone_name="America/Los_Angeles"), BEFORE_WINDOW)[
        "status.json"
    ]["page"]
    assert page["name"] == "Tiny Status"
    assert page["url"] == "https://status.example.com/"
    assert page["time_zone"] == "America/Los_Angeles"
    assert page["updated_at"] == "2026-01-10T03:00:00.000-08:00"  # the newest update, in the page's zone


def test_times_are_in_the_page_time_zone_with_milliseconds(tmp_path: Path):
    site = make_site(tmp_path, {"maintenance": MAINTENANCE}, timezone_name="Europe/Paris")
    (maintenance,) = api(site, BEFORE_WINDOW)["scheduled-maintenances.json"]["scheduled_maintenances"]
    assert maintenance["scheduled_for"] == "2026-02-01T07:00:00.000+01:00"
    assert maintenance["incident_updates"][0]["created_at"] == "2026-01-25T13:00:00.000+01:00"


def test_output_does_not_change_with_now_while_nothing_happens(tmp_path: Path):
    site = make_site(tmp_path, {"resolved": RESOLVED})
    assert render(site, BEFORE_WINDOW) == render(site, AFTER_WINDOW)


def test_output_is_byte_identical_across_calls():
    site = load_site(REPO, now=EXAMPLE_NOW)
    first = render_api(site)
    assert first == render_api(site)
    assert first == render(REPO, EXAMPLE_NOW)
    for data in first.values():
        assert data.endswith(b"}\n")
        assert data.decode("utf-8")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(document=st.dictionaries(st.text(), JSON_VALUES, max_size=5))
def test_documents_are_encoded_as_the_standard_library_indents_them(document: dict[str, Any]) -> None:
    """The API's bytes stay those of ``json.dumps(indent=2)`` whichever encoder makes them: clients and caches see no change."""
    assert encode(document) == (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
