"""Importing cState sites: the real issue files, and a site of our own with its config and odd cases."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import NOW
from test_import_support import SAMPLES, needs_samples

from sitegen.content.loader import load_site
from sitegen.content.site import Site
from sitegen.content.statuses import ComponentStatus, Kind, UpdateStatus
from sitegen.importers.cstate import read_cstate
from sitegen.importers.errors import ImportFailed
from sitegen.importers.importing import import_history

CONFIG = """\
title: Eggsample Status
baseURL: https://status.eggsample.test
params:
  categories:
    - name: North Coast
    - name: Uncategorized
      untitled: true
  systems:
    - name: Gateway
      category: North Coast
    - name: API
      description: The guts of the application.
      category: Uncategorized
"""


def cstate_site(root: Path, issues: dict[str, str], config: str | None = CONFIG) -> Path:
    (root / "content/issues").mkdir(parents=True)
    if config is not None:
        (root / "config.yml").write_text(config)
    for name, text in issues.items():
        (root / "content/issues" / name).write_text(textwrap.dedent(text))
    return root


def imported(source: Path, site_dir: Path, timezone: str = "Europe/Berlin") -> Site:
    import_history(site_dir, read_cstate(source, timezone=timezone), now=NOW)
    return load_site(site_dir, now=NOW)


@needs_samples
def test_the_cstate_samples(tmp_path: Path) -> None:
    source = tmp_path / "cstate"
    (source / "content/issues").mkdir(parents=True)
    for sample in sorted(SAMPLES.glob("cstate-issue-*.md")):
        shutil.copy(sample, source / "content/issues" / sample.name)
    site = imported(source, tmp_path / "site")
    guilds = next(i for i in site.incidents if i.title.startswith("Unavailable Guilds"))
    assert [u.status for u in guilds.updates] == [
        UpdateStatus.INVESTIGATING,
        UpdateStatus.MONITORING,
        UpdateStatus.MONITORING,  # cState's "Update": the status before it
        UpdateStatus.RESOLVED,  # resolved: true, at resolvedWhen
    ]
    assert guilds.updates[0].at.isoformat() == "2018-04-13T13:54:00+00:00"  # zone-less, read in Europe/Berlin
    assert guilds.updates[2].body.startswith("A fix has been implemented")
    assert {(p.component_id, p.status) for p in guilds.periods} == {
        ("api", ComponentStatus.MAJOR_OUTAGE),
        ("media-proxy", ComponentStatus.MAJOR_OUTAGE),
    }
    (writeup,) = site.writeups
    assert writeup.incidents == (guilds.slug,) and writeup.body.startswith("At approximately 14:01")
    work = next(i for i in site.incidents if i.kind is Kind.MAINTENANCE)
    assert (work.scheduled_for.isoformat(), work.scheduled_until.isoformat()) == (
        "2024-02-24T09:35:00+00:00",
        "2024-02-24T10:35:00+00:00",
    )
    assert work.updates[0].body.startswith("We will shut down our network")
    bot = next(i for i in site.incidents if i.title == "API DNS resolution error!")
    assert bot.resolved_at is None and len(bot.updates) == 2
    assert bot.updates[0].body.startswith("**Automated system alert*")  # a label that is no status stays in the text
    text = (tmp_path / "site/content/incidents/2018-04-13-unavailable-guilds-connection-issues.md").read_text()
    assert "at: 2018-04-13T15:54:00+02:00" in text


def test_systems_become_components_by_category(tmp_path: Path) -> None:
    source = cstate_site(
        tmp_path / "cstate",
        {
            "gw.md": """\
                ---
                title: Gateway slow
                date: 2024-05-01T10:00:00Z
                severity: disrupted
                affected: [Gateway]
                resolved: true
                resolvedWhen: 2024-05-01T11:00:00Z
                ---
                *Resolved* -
                It is fast again. {{< track "2024-05-01T11:00:00Z" >}}

                *Investigating* - It is slow. {{< track "2024-05-01T10:00:00Z" >}}
                """,
            "draft.md": "---\ntitle: Not yet\ndate: 2024-05-02\nseverity: down\ndraft: true\n---\n",
        },
    )
    site = imported(source, tmp_path / "site")
    assert [(c.id, c.name, c.group) for c in site.components] == [
        ("gateway", "Gateway", "North Coast"),
        ("api", "API", None),
    ]
    assert site.component_by_id["api"].description == "The guts of the application."
    (only,) = site.incidents
    assert [u.body for u in only.updates] == ["It is slow.", "It is fast again."]
    assert only.periods[0].status is ComponentStatus.PARTIAL_OUTAGE
    again = import_history(tmp_path / "site", read_cstate(source, timezone="UTC"), now=NOW)
    assert len(again.unchanged) == 1 and not again.created and not again.updated


@pytest.mark.parametrize(
    ("front_matter", "body", "expected"),
    [
        ("severity: broken\n", "", "x.md:5: severity: is 'broken', not one of down, disrupted, notice"),
        (
            "severity: down\n",
            '*Monitoring* - ok {{< track "soon" >}}\n',
            "x.md:8: track: 'soon' is not an ISO 8601 time",
        ),
        ("severity: down\nresolved: maybe\n", "", "x.md:6: resolved: expected true or false, found 'maybe'"),
    ],
)
def test_a_broken_issue_is_named_with_its_line(tmp_path: Path, front_matter: str, body: str, expected: str) -> None:
    text = f"---\ntitle: Broken\ndate: 2024-05-01 10:00:00\naffected: [API]\n{front_matter}---\n\n{body}"
    source = cstate_site(tmp_path / "cstate", {"x.md": text})
    with pytest.raises(ImportFailed) as raised:
        read_cstate(source, timezone="UTC")
    assert any(line.endswith(expected) or expected in line for line in raised.value.hints), raised.value.lines()


def test_a_zone_less_date_needs_the_zone_it_is_in(tmp_path: Path) -> None:
    source = cstate_site(
        tmp_path / "cstate", {"x.md": "---\ntitle: T\ndate: 2024-05-01 10:00:00\nseverity: down\n---\n"}
    )
    site = imported(source, tmp_path / "site", timezone="America/New_York")
    assert site.incidents[0].updates[0].at.isoformat() == "2024-05-01T14:00:00+00:00"
    assert site.config.timezone == "America/New_York"
