"""Importing Upptime repositories: the sites from their config and history, incidents from issues as JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW
from test_import_support import needs_samples, sample

from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus, UpdateStatus
from sitegen.importers.errors import ImportFailed
from sitegen.importers.importing import import_history
from sitegen.importers.upptime import read_upptime

UPPTIMERC = """\
owner: acme
repo: status
sites:
  - name: Wikipedia
    url: https://en.wikipedia.org
  - name: Hacker News
    url: https://news.ycombinator.com
status-website:
  cname: status.acme.test
  name: Acme Uptime
"""
GH_ISSUES = [
    {
        "number": 12,
        "title": "🛑 Wikipedia is down",
        "body": "In [`ed0f6a7`](https://github.com/acme/status/commit/ed0f6a7), Wikipedia was **down**:\n- HTTP code: 0",
        "labels": [{"name": "status"}, {"name": "wikipedia"}],
        "createdAt": "2024-02-18T10:00:00Z",
        "closedAt": "2024-02-18T10:31:00Z",
        "comments": [{"body": "**Resolved:** Wikipedia is back up.", "createdAt": "2024-02-18T10:30:00Z"}],
    },
    {
        "number": 13,
        "title": "Add a dark mode",
        "labels": [],
        "createdAt": "2024-02-19T10:00:00Z",
        "body": "Please.",
        "comments": [],
    },
]
REST_ISSUES = [
    {
        "number": 14,
        "title": "⚠️ Hacker News has degraded performance",
        "body": "Slow.",
        "labels": [{"name": "status"}, {"name": "hacker-news"}],
        "created_at": "2024-03-01T08:00:00Z",
        "closed_at": "2024-03-01T09:00:00Z",
        "comments": 1,
    },
    {"number": 15, "title": "Bump a dependency", "pull_request": {}, "created_at": "2024-03-02T08:00:00Z"},
]
REST_COMMENTS = [
    {
        "issue_url": "https://api.github.com/repos/acme/status/issues/14",
        "created_at": "2024-03-01T08:20:00Z",
        "body": "Still slow.",
    },
]


def repository(root: Path, *, config: str | None = UPPTIMERC) -> Path:
    (root / "history").mkdir(parents=True)
    if config is not None:
        (root / ".upptimerc.yml").write_text(config)
    return root


def exported(tmp_path: Path, name: str, items: list[dict[str, Any]]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(items))
    return path


def test_issues_in_both_export_shapes(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    files = [
        exported(tmp_path, n, items)
        for n, items in (("gh.json", GH_ISSUES), ("rest.json", REST_ISSUES), ("comments.json", REST_COMMENTS))
    ]
    import_history(tmp_path / "site", read_upptime(repo, files), now=NOW)
    site = load_site(tmp_path / "site", now=NOW)
    assert [c.id for c in site.components] == ["wikipedia", "hacker-news"]
    assert (site.config.title, site.config.base_url) == ("Acme Uptime", "https://status.acme.test/")
    down, slow = sorted(site.incidents, key=lambda i: i.started)
    assert [u.status for u in down.updates] == [UpdateStatus.INVESTIGATING, UpdateStatus.RESOLVED]
    assert down.resolved_at is not None and down.resolved_at.isoformat() == "2024-02-18T10:30:00+00:00"  # the comment
    assert [p.status for p in down.periods] == [ComponentStatus.MAJOR_OUTAGE]
    assert [u.body for u in slow.updates] == ["Slow.", "Still slow.", "This incident has been resolved."]  # closed
    assert [p.status for p in slow.periods] == [ComponentStatus.DEGRADED_PERFORMANCE]
    assert slow.extra["upptime_id"] == "14"


@needs_samples
def test_sites_from_the_history_summary_and_the_first_check_as_since(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo", config=None)
    shutil.copy(sample("upptime-history-summary-upptime-upptime.json"), repo / "history/summary.json")
    shutil.copy(sample("upptime-history-wikipedia.yml"), repo / "history/wikipedia.yml")
    history = read_upptime(repo, [exported(tmp_path, "gh.json", GH_ISSUES)])
    by_key = {c.key: c for c in history.components}
    assert "test-broken-site" in by_key and str(by_key["wikipedia"].since) == "2020-08-10"  # from 'Mon Aug 10 2020 ...'
    assert [i.source_id for i in history.incidents] == ["12"]


def test_issues_are_required(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="--issues"):
        read_upptime(repository(tmp_path / "repo"), [])
