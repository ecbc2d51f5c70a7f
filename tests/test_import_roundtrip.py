"""The round trip: a built site, served over HTTP, imported into an empty site, builds the same incidents.

Site A is built, and the documents that make it a full-history source
(``history.json``, ``api/v2/incidents/<id>.json``) are added to its output;
the output is served on 127.0.0.1 as a static host serves it, and
``sitegen import statuspage`` reads it into an empty folder B. B's incident
pages must show what A's show: every update with its status, text and time,
every component change, the windows of maintenance, the write-up.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from conftest import NOW, write_site
from test_import_support import static_host

from sitegen.build import build_site
from sitegen.commands.import_ import import_
from sitegen.content.loader import load_site
from sitegen.output.publish import SiteFiles
from sitegen.views.history_api import render_history_api
from sitegen.views.incidentio_api import render_incidentio_api

CONFIG = """\
[site]
title = "Round Trip Status"
base_url = "https://status.roundtrip.test/"
timezone = "America/New_York"

[[components]]
id = "api"
name = "API"
group = "Core"

[[components]]
id = "database"
name = "Database"
group = "Core"

[[components]]
id = "website"
name = "Website"
"""

FILES = {
    "content/incidents/2026-03-08-api-errors-across-the-dst-change.md": """\
        ---
        title: "API errors: across the DST change"
        components:
          api: partial_outage
        updates:
          - at: 2026-03-08T06:30:00Z
            status: investigating
            body: We are looking into errors on the API.
          - at: 2026-03-08T06:50:00Z
            status: identified
            body: |
              A bad deploy. We are **rolling back**.

              Requests may fail: retry them.
            components:
              api: major_outage
              database: degraded_performance
          - at: 2026-03-08T07:10:00Z
            status: identified
            body: Still rolling back.
          - at: 2026-03-08T07:30:00Z
            status: monitoring
            body: Rolled back; watching.
            components:
              api: degraded_performance
          - at: 2026-03-08T08:00:00Z
            status: resolved
            body: This incident has been resolved.
          - at: 2026-03-09T15:00:00Z
            status: postmortem
            body: We have published a write-up.
        ---
        """,
    "content/incidents/2026-05-31-slow-website.md": """\
        ---
        title: Slow website
        impact: minor
        started: 2026-06-01T01:10:00+02:00
        components:
          website: major_outage
        updates:
          - at: 2026-05-31T23:20:00Z
            status: investigating
            body: "The website is slow: we are on it."
          - at: 2026-05-31T23:59:30Z
            status: resolved
            body: Fixed.
        ---
        """,
    "content/incidents/2026-11-28-database-latency.md": """\
        ---
        title: Database latency
        components:
          database: degraded_performance
        updates:
          - at: 2026-11-28T09:00:00Z
            status: investigating
            body: Queries are slow.
        ---
        A summary, as cState sites write one: the page shows it above the updates.
        """,
    "content/incidents/2026-10-04-database-upgrade.md": """\
        ---
        title: Database upgrade
        kind: maintenance
        scheduled_for: 2026-10-04T06:00:00Z
        scheduled_until: 2026-10-04T08:00:00Z
        components:
          database: under_maintenance
        updates:
          - at: 2026-09-30T12:00:00Z
            status: scheduled
            body: We will upgrade the database.
          - at: 2026-10-04T06:00:00Z
            status: in_progress
            body: Under way.
          - at: 2026-10-04T07:20:00Z
            status: completed
            body: Done.
        ---
        """,
    "content/incidents/2026-12-05-website-move.md": """\
        ---
        title: Website move
        kind: maintenance
        scheduled_for: 2026-12-05T06:00:00Z
        scheduled_until: 2026-12-05T07:00:00Z
        components:
          website: under_maintenance
        updates:
          - at: 2026-11-27T10:00:00Z
            status: scheduled
            body: The website moves to new servers.
        ---
        """,
    "content/writeups/2026-03-08-api-errors-across-the-dst-change-postmortem.md": """\
        ---
        title: "Postmortem: API errors: across the DST change"
        published: 2026-03-09T15:00:00Z
        incidents: [2026-03-08-api-errors-across-the-dst-change]
        ---
        ## What happened

        A deploy went out without its migration.
        """,
}
NOW_TEXT = NOW.isoformat()


def build_with_history(site_dir: Path, out: Path) -> None:
    """Build, then add the full-history documents (as render_site will once they are registered there)."""
    build_site(site_dir, out, now=NOW)
    site = load_site(site_dir, now=NOW)
    added = SiteFiles()
    added.add_all(render_history_api(site))
    added.add_all(render_incidentio_api(site))
    for path, data in added.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)


def incident_pages(out: Path) -> dict[str, str]:
    """Each incident page, without what differs by construction: nothing, so far, but the generator's clock."""
    return {p.parent.name: p.read_text() for p in sorted((out / "incidents").glob("*/index.html"))}


def test_a_built_site_imported_over_http_builds_the_same_incidents(tmp_path: Path) -> None:
    a = write_site(tmp_path / "a", FILES, config=CONFIG)
    build_with_history(a, tmp_path / "a-out")
    b = tmp_path / "b"
    runner = CliRunner()
    with static_host(tmp_path / "a-out") as url:
        result = runner.invoke(import_, ["statuspage", url, "--site", str(b), "--now", NOW_TEXT, "--retries", "0"])
        assert result.exit_code == 0, result.output
        assert "5 incidents written (5 new, 0 updated, 0 unchanged), 1 write-up" in result.output
        again = runner.invoke(import_, ["statuspage", url, "--site", str(b), "--now", NOW_TEXT])
        assert "(0 new, 0 updated, 5 unchanged)" in again.output, again.output
    build_site(b, tmp_path / "b-out", now=NOW)
    pages_a, pages_b = incident_pages(tmp_path / "a-out"), incident_pages(tmp_path / "b-out")
    assert sorted(pages_a) == sorted(pages_b)
    for slug, page in pages_a.items():
        assert pages_b[slug] == page, slug
    site_a, site_b = load_site(a, now=NOW), load_site(b, now=NOW)
    assert [(c.id, c.name, c.group) for c in site_b.components] == [(c.id, c.name, c.group) for c in site_a.components]
    for mine, theirs in zip(site_a.incidents, site_b.incidents):
        assert [(u.at, u.status, u.body.strip()) for u in theirs.updates] == [
            (u.at, u.status, u.body.strip()) for u in mine.updates
        ]
        assert theirs.periods == mine.periods and theirs.impact is mine.impact and theirs.started == mine.started
    assert [w.body for w in site_b.writeups] == [w.body for w in site_a.writeups]


def test_the_imported_files_keep_the_page_zone_offsets(tmp_path: Path) -> None:
    a = write_site(tmp_path / "a", FILES, config=CONFIG)
    build_with_history(a, tmp_path / "a-out")
    with static_host(tmp_path / "a-out") as url:
        CliRunner().invoke(import_, ["statuspage", url, "--site", str(tmp_path / "b"), "--now", NOW_TEXT])
    text = (tmp_path / "b/content/incidents/2026-03-08-api-errors-across-the-dst-change.md").read_text()
    assert re.findall(r"at: (\S+)", text)[:2] == ["2026-03-08T01:30:00-05:00", "2026-03-08T01:50:00-05:00"]
    assert "at: 2026-03-08T03:10:00-04:00" in text  # after the change, the other offset
