"""`sitegen new --from-alert`: each alerting tool's documented example payload drafts an incident, its resolution a
suggested 'resolved' update, and a repeat nothing; hostile payloads draft only text, or a clear error.

The payloads in tests/alert_payloads/ are the tools' own examples (SOURCES names each), changed only where the
tool's documentation says a field differs (the resolved forms below)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, NOW

from sitegen.authoring.alerts import parse_alert
from sitegen.commands.main import main
from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus, UpdateStatus

PAYLOADS = Path(__file__).resolve().parent / "alert_payloads"
STAMP = "2026-11-28T12:00:00Z"
LATER = "2026-11-28T12:30:00Z"
SOURCES = {
    "alertmanager": "the webhook_config format of https://prometheus.io/docs/alerting/latest/configuration/"
    "#webhook_config, as in the sample payload of "
    "https://docs.rs/crate/alertmanager-webhook-types/latest/source/assets/sample-v4-payload.json",
    "grafana": "the example JSON body of https://grafana.com/docs/grafana/latest/alerting/configure-notifications/"
    "manage-contact-points/integrations/webhook-notifier/",
    "uptime-kuma": "the body of Uptime Kuma's server/notification-providers/webhook.js ({heartbeat, monitor, msg}), "
    "fields as https://opsknight.com/docs/v1/integrations/uptime/uptime-kuma shows them",
    "uptimerobot": "UptimeRobot's webhook alert variables (*monitorID*, *monitorFriendlyName*, *alertType*...), "
    "https://help.uptimerobot.com/en/articles/14498593-webhook-integration, in the body docs/cli.md gives",
    "betterstack": "the incident webhook example of https://docs.betteruptime.com/integrations/webhooks",
    "pagerduty": "the v3 webhook example of https://developer.pagerduty.com/docs/webhooks/v3-overview",
}
CONFIG = (
    DEFAULT_CONFIG.replace(
        'id = "api"\nname = "API"\ngroup = "Core"\n',
        'id = "api"\nname = "API"\ngroup = "Core"\n'
        'alert_labels = ["job=http_checks", "monitor=Public API", "service=API Service"]\n',
    )
    .replace(
        'id = "db"\nname = "Database"\ngroup = "Core"\n',
        'id = "db"\nname = "Database"\ngroup = "Core"\nalert_labels = ["team=blue"]\n',
    )
    .replace(  # fmt: skip
        'id = "web"\nname = "Website"\n',
        'id = "web"\nname = "Website"\nalert_labels = ["monitor=Test", "monitor=Tesla.com homepage"]\n',
    )
)
EXPECTED = {  # tool: (title, components, details in the first text)
    "alertmanager": ("BlackBox Probe Failure: https://server.example.org", ["api"]),
    "grafana": ("This alert was triggered for zone us-1", ["db"]),
    "uptime-kuma": ("Test is down", ["web"]),
    "uptimerobot": ("Public API is down", ["api"]),
    "betterstack": ("Tesla.com homepage is down", ["web"]),
    "pagerduty": ("A little bump in the road", ["api"]),
}
TEMPLATE = """\
---
title: "{summary}"
---
{source} says: {details} ({alert}, {link}). Affected: {components}.
"""


def payload(tool: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{tool}.json").read_text(encoding="utf-8"))


def resolved(tool: str) -> dict[str, Any]:
    """The tool's notification that the problem is over, as its documentation describes it."""
    data = copy.deepcopy(payload(tool))
    if tool in ("alertmanager", "grafana"):
        data["status"] = "resolved"
        for alert in data["alerts"]:
            alert["status"] = "resolved"
    elif tool == "uptime-kuma":
        data["heartbeat"]["status"] = 1
    elif tool == "uptimerobot":
        data["alertType"], data["alertTypeFriendlyName"] = "2", "Up"
    elif tool == "betterstack":
        data["event"] = "resolved"
    else:
        data["event"]["event_type"] = "incident.resolved"
        data["event"]["data"]["status"] = "resolved"
    return data


def draft(site: Path, data: dict[str, Any] | bytes, *options: str, now: str = STAMP):
    body = data if isinstance(data, bytes) else json.dumps(data).encode("utf-8")
    return CliRunner().invoke(
        main, ["new", "--site", str(site), "--from-alert", "-", "--now", now, *options], input=body
    )


@pytest.fixture
def site(make_site) -> Path:
    return make_site({}, config=CONFIG)


def incident_files(site: Path) -> list[Path]:
    return sorted((site / "content" / "incidents").glob("*.md"))


@pytest.mark.parametrize("tool", sorted(SOURCES))
def test_an_alert_drafts_an_investigating_incident_of_its_components(site: Path, tool: str) -> None:
    result = draft(site, payload(tool))
    assert result.exit_code == 0, result.output
    (path,) = incident_files(site)
    loaded = load_site(site, now=NOW).incident_by_slug[path.stem]
    title, components = EXPECTED[tool]
    assert loaded.title == title
    assert list(loaded.components) == components
    assert set(loaded.components.values()) == {ComponentStatus.MAJOR_OUTAGE}
    assert [u.status for u in loaded.updates] == [UpdateStatus.INVESTIGATING]
    assert f"alert_key: {parse_alert(json.dumps(payload(tool)).encode()).key}\n" in path.read_text()


@pytest.mark.parametrize("tool", sorted(SOURCES))
def test_a_repeat_writes_nothing_and_the_resolution_a_resolved_update(site: Path, tool: str) -> None:
    assert draft(site, payload(tool)).exit_code == 0
    (path,) = incident_files(site)
    repeat = draft(site, payload(tool), now=LATER)
    assert repeat.exit_code == 0, repeat.output
    assert f"{path.stem} is already open for this alert" in repeat.output
    assert incident_files(site) == [path]
    result = draft(site, resolved(tool), now=LATER)
    assert result.exit_code == 0, result.output
    assert incident_files(site) == [path]
    updates = load_site(site, now=NOW).incident_by_slug[path.stem].updates
    assert [(u.status, u.at.isoformat()) for u in updates] == [
        (UpdateStatus.INVESTIGATING, "2026-11-28T12:00:00+00:00"),
        (UpdateStatus.RESOLVED, "2026-11-28T12:30:00+00:00"),
    ]


def test_after_its_incident_is_resolved_the_alert_drafts_a_new_one(site: Path) -> None:
    draft(site, payload("alertmanager"))
    draft(site, resolved("alertmanager"), now=LATER)
    result = draft(site, payload("alertmanager"), now="2026-11-28T14:00:00Z")
    assert result.exit_code == 0, result.output
    assert len(incident_files(site)) == 2


def test_a_resolution_with_no_open_incident_writes_nothing(site: Path) -> None:
    result = draft(site, resolved("pagerduty"))
    assert result.exit_code == 0
    assert "no open incident has this alert's key" in result.output
    assert incident_files(site) == []


def test_the_component_label_names_a_component_by_its_id(site: Path) -> None:
    data = payload("alertmanager")
    data["commonLabels"] = {"alertname": "Slow", "component": "web"}
    data["alerts"][0]["labels"] = {"alertname": "Slow", "component": "web"}
    assert draft(site, data).exit_code == 0
    (path,) = incident_files(site)
    assert list(load_site(site, now=NOW).incident_by_slug[path.stem].components) == ["web"]


def test_the_site_s_template_and_settings_shape_the_draft(make_site) -> None:
    config = CONFIG + '\n[alerts]\ntemplate = "paged"\ncomponent_status = "partial_outage"\n'
    site = make_site({"content/templates/paged.md": TEMPLATE}, config=config)
    assert draft(site, payload("betterstack")).exit_code == 0
    (path,) = incident_files(site)
    loaded = load_site(site, now=NOW).incident_by_slug[path.stem]
    assert loaded.components == {"web": ComponentStatus.PARTIAL_OUTAGE}
    assert loaded.updates[0].body == (
        "Better Stack says: Error 500 (Tesla.com homepage, https://tesla.com). Affected: Website."
    )


def test_alert_key_prints_the_key_and_writes_nothing(site: Path) -> None:
    result = draft(site, payload("uptime-kuma"), "--alert-key")
    assert result.exit_code == 0
    assert result.output.strip() == parse_alert(json.dumps(payload("uptime-kuma")).encode()).key
    assert result.output.strip().startswith("uptime-kuma-")
    assert incident_files(site) == []


def test_hostile_alert_text_becomes_literal_text_of_a_file_that_loads(site: Path) -> None:
    data = payload("alertmanager")
    data["commonAnnotations"]["summary"] = "{details} ---\nkey: 'x'\n<script>alert(1)</script>\x00\x1b[2J"
    result = draft(site, data)
    assert result.exit_code == 0, result.output
    (path,) = incident_files(site)
    title = load_site(site, now=NOW).incident_by_slug[path.stem].title
    assert title == "{details} --- key: 'x' <script>alert(1)</script>[2J"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "the payload is not JSON"),
        (b"[1, 2]", "the payload is not a JSON object"),
        (b'{"hello": "world"}', "the payload is not an alert of Prometheus Alertmanager, Grafana, Uptime Kuma"),
        (b"[" * 100000 + b"]" * 100000, "the payload is not JSON"),
        (json.dumps({"heartbeat": {"status": 2}, "monitor": {}}).encode(), "neither down (0) nor up (1)"),
        (json.dumps({"monitorID": "1", "alertType": "3"}).encode(), "neither down (1) nor up (2)"),
    ],
)
def test_a_payload_that_is_no_alert_is_a_clear_error(site: Path, body: bytes, message: str) -> None:
    result = draft(site, body)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert incident_files(site) == []


def test_from_alert_refuses_words_of_its_own(site: Path) -> None:
    result = draft(site, payload("grafana"), "-m", "text")
    assert result.exit_code == 1
    assert "--from-alert takes its words from the alert and the template" in result.output


def test_check_reports_wrong_alert_settings_with_their_lines(make_site) -> None:
    config = CONFIG.replace('alert_labels = ["team=blue"]', 'alert_labels = ["team"]') + (
        '\n[alerts]\ntemplate = "../x"\ncomponent_status = "down"\ncomponent_label = " "\ncolour = 1\n'
    )
    site = make_site({}, config=config)
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    lines = [line[line.index("sitegen.toml") :] for line in result.output.splitlines() if "sitegen.toml:" in line]
    assert lines == [
        "sitegen.toml:16: 'alert_labels': 'team' must be written name=value, such as 'service=api'",
        "sitegen.toml:24: 'template' must name a file of content/templates/ without '.md', not '../x'",
        "sitegen.toml:25: 'component_status' is 'down', not one of operational, under_maintenance, "
        "degraded_performance, partial_outage, major_outage",
        "sitegen.toml:26: 'component_label' is empty: name the label that holds a component's id",
        "sitegen.toml:27: unknown key 'colour' in [alerts]",
    ]


def test_check_reports_an_alerts_template_that_is_not_there(make_site) -> None:
    site = make_site({"content/templates/paged.md": TEMPLATE}, config=CONFIG + '\n[alerts]\ntemplate = "page"\n')
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    assert (
        "sitegen.toml:24: [alerts] template 'page' is not in content/templates/, so no alert could be drafted; "
        "did you mean 'paged'?" in result.output
    )
