"""cState quirks of real sites: notices that were outages, unknown severities, reopened incidents, bad files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import NOW

from sitegen.commands.check import check as check_command
from sitegen.commands.import_ import import_
from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus, Impact, Kind, UpdateStatus
from sitegen.importers.cstate import read_cstate
from sitegen.importers.errors import ImportFailed
from sitegen.importers.importing import import_history

# status.sr.ht, content/issues/2021-01-08-Network-outage.md: an outage written as a notice.
NETWORK_OUTAGE = """\
    ---
    title: Network outage
    date: 2021-01-08 09:03:00
    resolved: true
    resolvedWhen: 2021-01-08 09:15:00
    severity: notice
    affected:
      - git.sr.ht
    section: issue
    ---

    **An issue with our upstream ISP caused an outage**. Our ISP decided to ring in
    the new year by unplugging us for 12 minutes last night. Sorry about that.
    {{< track "2021-01-08 09:03:00" >}}
    """
# is.uberspace.online, 2020-03-24-maintenance-reboot-for-capella.md: planned, named so, filed three weeks ahead.
REBOOT = """\
    ---
    title: 'Maintenance reboot for capella '
    date: 2020-04-15T14:00:00.000Z
    resolved: true
    resolvedWhen: 2020-04-15T14:05:00.000Z
    affected:
      - capella
    severity: notice
    ---
    We will reboot capella for a kernel update.
    """
# status.sr.ht, 2018-11-24-Service-disruption.md (shortened): resolved, then reopened.
REOPENED = """\
    ---
    title: Service disruption
    date: 2018-11-24 19:39:00
    resolved: true
    resolvedWhen: 2018-11-24 20:42:00
    severity: disrupted
    affected:
      - builds.sr.ht
    ---

    **Replacing the database server**:
    The database server has been taken out of service for maintenance.
    {{< track "2018-11-24 22:06:00" >}}

    **Reopened**:
    Failures are back up. Investigating.
    {{< track "2018-11-24 21:03:00" >}}

    **Resolved**:
    The issue has been resolved, and we're monitoring the system for more
    information.
    {{< track "2018-11-24 20:42:00" >}}

    **Investigating**:
    The same database server causing issues yesterday is causing more problems
    today. Investigating.
    {{< track "2018-11-24 19:40:00" >}}
    """
# is.uberspace.online, 2019-12-18-mysql-uberspace-de-not-reachable.md: a severity cState does not know.
DEGRADED = """\
    ---
    title: mysql.uberspace.de not reachable
    date: 2019-12-18T13:02:00.000Z
    resolved: true
    resolvedWhen: 2019-12-19T15:00:00.000Z
    affected:
      - mysql
    severity: degraded
    ---
    mysql.uberspace.de is not reachable.
    """
# cState's example site, 2019-10-04-testing-cstate-functions.md: informational, no severity at all.
INFORMATIONAL = """\
    ---
    title: Testing New cState Features
    date: 2019-10-04 18:05:00
    informational: true
    affected:
      - Gateway
    ---
    Testing.
    """
NO_SEVERITY = "---\ntitle: Moved\ndate: 2019-10-04 18:05:00\n---\nWe moved.\n"


def source(root: Path, issues: dict[str, str]) -> Path:
    (root / "content/issues").mkdir(parents=True)
    for name, text in issues.items():
        (root / "content/issues" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_a_notice_without_a_sign_of_planning_is_a_minor_incident(tmp_path: Path) -> None:
    history = read_cstate(source(tmp_path / "c", {"2021-01-08-Network-outage.md": NETWORK_OUTAGE}), timezone="UTC")
    (outage,) = history.incidents
    assert outage.kind is Kind.INCIDENT
    assert outage.components == {"git.sr.ht": ComponentStatus.DEGRADED_PERFORMANCE}
    assert [u.status for u in outage.updates] == [UpdateStatus.INVESTIGATING, UpdateStatus.RESOLVED]
    (warning,) = history.warnings
    assert "2021-01-08-Network-outage.md:6: severity: is 'notice' with no sign of planned work" in warning
    import_history(tmp_path / "site", history, now=NOW)
    assert load_site(tmp_path / "site", now=NOW).incidents[0].impact is Impact.MINOR


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("2020-03-24-maintenance-reboot-for-capella.md", REBOOT),  # named maintenance
        ("2020-03-24-reboot.md", REBOOT.replace("Maintenance reboot", "Reboot")),  # filed before its date
        (
            "reboot.md",
            textwrap.dedent(REBOOT.replace("Maintenance reboot", "Reboot"))
            + '\n*Scheduled* - We will reboot. {{< track "2020-04-01T10:00:00Z" >}}\n',
        ),  # announced before it began
    ],
)
def test_a_planned_notice_is_maintenance_closed_by_the_update_its_source_implies(
    tmp_path: Path, name: str, text: str
) -> None:
    history = read_cstate(source(tmp_path / "c", {name: text}), timezone="UTC")
    (work,) = history.incidents
    assert work.kind is Kind.MAINTENANCE and not history.warnings
    assert work.updates[-1].status is UpdateStatus.COMPLETED
    assert work.updates[-1].at.isoformat() == "2020-04-15T14:05:00+00:00"


def test_a_label_meaning_a_status_sets_it_and_stays_in_the_text(tmp_path: Path) -> None:
    history = read_cstate(source(tmp_path / "c", {"2018-11-24-Service-disruption.md": REOPENED}), timezone="UTC")
    updates = history.incidents[0].updates
    assert [u.status for u in updates] == [
        UpdateStatus.INVESTIGATING,
        UpdateStatus.RESOLVED,
        UpdateStatus.INVESTIGATING,  # Reopened
        UpdateStatus.INVESTIGATING,  # a label that is no status: the one before it
    ]
    assert updates[2].body.startswith("**Reopened**:\nFailures are back up.")
    assert updates[3].body.startswith("**Replacing the database server**:")


def test_unusual_values_map_to_the_nearest_meaning_with_a_warning(tmp_path: Path) -> None:
    files = {"degraded.md": DEGRADED, "info.md": INFORMATIONAL, "moved.md": NO_SEVERITY}
    history = read_cstate(source(tmp_path / "c", files), timezone="UTC")
    by_id = {i.source_id: i for i in history.incidents}
    assert by_id["degraded"].components == {"mysql": ComponentStatus.DEGRADED_PERFORMANCE}
    assert by_id["info"].components == {"Gateway": ComponentStatus.OPERATIONAL}
    assert by_id["moved"].kind is Kind.INCIDENT and not by_id["moved"].components
    assert [w.split("/")[-1] for w in history.warnings] == [
        "degraded.md:8: severity: is 'degraded', which cState does not know: read as degraded_performance",
        "moved.md:2: has no severity: imported as an informational notice (no downtime)",
    ]


def test_an_unreadable_file_is_skipped_and_the_rest_imported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    broken = (
        '---\ntitle: Broken\ndate: 2024-05-01 10:00:00\nseverity: down\n---\n\n*Monitoring* - ok {{< track "soon" >}}\n'
    )
    source(tmp_path / "c", {"2021-01-08-Network-outage.md": NETWORK_OUTAGE, "broken.md": broken})
    result = CliRunner().invoke(import_, ["cstate", "c", "--site", "site", "--timezone", "UTC"])
    assert result.exit_code == 1
    assert "1 incident written (1 new, 0 updated, 0 unchanged)" in result.output
    assert "error: 1 incident could not be read and was skipped; everything else was imported:" in result.output
    assert "c/content/issues/broken.md:7: track: 'soon' is not an ISO 8601 time" in result.output
    assert "run the same import again" in result.output
    assert [p.name for p in (tmp_path / "site/content/incidents").iterdir()] == ["2021-01-08-network-outage.md"]


def test_when_no_file_can_be_read_nothing_is_written(tmp_path: Path) -> None:
    broken = "---\ntitle: Broken\ndate: 2024-05-01 10:00:00\nseverity: broken\n---\n"
    with pytest.raises(ImportFailed):
        read_cstate(source(tmp_path / "c", {"x.md": broken}), timezone="UTC")


# A date typo of the kind real histories hold: resolvedWhen a month after the outage began.
TYPO = """\
    ---
    title: API down
    date: 2021-03-01 10:00:00
    resolved: true
    resolvedWhen: 2021-03-31 10:30:00
    severity: down
    affected:
      - API
    ---
    *Investigating* - The API is down. {{< track "2021-03-01 10:00:00" >}}
    """
OPEN = "---\ntitle: Still open\ndate: 2021-04-01 10:00:00\nseverity: disrupted\naffected: [API]\n---\nSlow.\n"


def test_implausible_histories_are_warned_once_at_the_end_as_check_does(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    source(tmp_path / "c", {"2021-03-01-api-down.md": TYPO, "2021-04-01-still-open.md": OPEN})
    result = CliRunner().invoke(
        import_, ["cstate", "c", "--site", "site", "--timezone", "UTC", "--now", "2026-11-28T12:00:00Z"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Imported from cstate into site/: 2 incidents written")
    assert lines[1:] == [
        "2 warnings about the files written (sitegen check says the same):",
        "  site/content/incidents/2021-03-01-api-down.md:6: warning: this outage lasted 30 days, from 2021-03-01"
        " 10:00 UTC to 2021-03-31 10:30 UTC: is a date a typo? Uptime counts all of it",
        "  site/content/incidents/2021-04-01-still-open.md:2: warning: this incident has been open for 2067 days:"
        " the status page shows it as ongoing; resolve it (sitegen resolve) if it is over",
    ]
    check = CliRunner().invoke(check_command, ["site", "--now", "2026-11-28T12:00:00Z"])
    assert "this outage lasted 30 days" in check.output and "has been open for 2067 days" in check.output


def test_updates_tracked_at_one_instant_keep_the_order_the_page_shows(tmp_path: Path) -> None:
    text = """\
        ---
        title: API down
        date: 2021-03-01 10:00:00
        severity: down
        affected: [API]
        ---
        *Resolved* - Fixed. {{< track "2021-03-01 10:30:00" >}}

        *Monitoring* - A fix is out. {{< track "2021-03-01 10:30:00" >}}

        *Investigating* - The API is down. {{< track "2021-03-01 10:00:00" >}}
        """
    (incident,) = read_cstate(source(tmp_path / "c", {"x.md": text}), timezone="UTC").incidents
    assert [u.status for u in incident.updates] == [
        UpdateStatus.INVESTIGATING,
        UpdateStatus.MONITORING,
        UpdateStatus.RESOLVED,
    ]
