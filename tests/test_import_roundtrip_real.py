"""The round trip on excerpts of real histories: import, build, serve on 127.0.0.1, import, build, serve, import.

The second and the third import must write the same files byte for byte,
and the first site's incidents must come back with their slugs, updates,
statuses and component periods.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from test_import_support import static_host

from sitegen.build import build_site
from sitegen.commands.import_ import import_
from sitegen.content.loader import load_site

NOW = datetime(2026, 12, 7, 8, tzinfo=UTC)
UPPTIMERC = "owner: fujexo\nrepo: upptime\nsites:\n  - name: BookStack\n    url: $SITE_BOOKSTACK\n"
# fujexo/upptime issues #11 and #13: one title twice on one day, the site's label 'book-stack'.
ISSUES = [
    {
        "number": number,
        "title": "\U0001f6d1 BookStack is down",
        "body": f"In [`{commit}`](https://github.com/fujexo/upptime/commit/{commit}\n), BookStack ($SITE_BOOKSTACK) "
        "was **down**:\n- HTTP code: 0\n- Response time: 0 ms\n",
        "labels": [{"name": "book-stack"}, {"name": "status"}],
        "createdAt": opened,
        "closedAt": closed,
        "comments": [{"body": "**Resolved:** BookStack is back up.", "createdAt": closed}],
    }
    for number, commit, opened, closed in [
        (11, "d354444", "2021-05-18T03:16:07Z", "2021-05-18T04:12:45Z"),
        (13, "12de06d", "2021-05-18T07:02:36Z", "2021-05-18T07:31:38Z"),
    ]
]


def content(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted((site / "content").rglob("*.md"))}


def import_served(site: Path, into: Path) -> None:
    build_site(site, site / "public", now=NOW)
    with static_host(site / "public") as url:
        result = CliRunner().invoke(import_, ["statuspage", url, "--site", str(into), "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output


def test_an_upptime_history_survives_two_round_trips(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".upptimerc.yml").write_text(UPPTIMERC, encoding="utf-8")
    (tmp_path / "issues.json").write_text(json.dumps(ISSUES), encoding="utf-8")
    args = ["upptime", str(repo), "--issues", str(tmp_path / "issues.json"), "--site", str(tmp_path / "a")]
    assert CliRunner().invoke(import_, [*args, "--now", NOW.isoformat()]).exit_code == 0
    import_served(tmp_path / "a", tmp_path / "b")
    import_served(tmp_path / "b", tmp_path / "c")
    assert content(tmp_path / "c") == content(tmp_path / "b")
    first, second = load_site(tmp_path / "a", now=NOW), load_site(tmp_path / "b", now=NOW)
    assert (
        [i.slug for i in second.incidents]
        == [i.slug for i in first.incidents]
        == [
            "2021-05-18-bookstack-is-down-13",
            "2021-05-18-bookstack-is-down",
        ]
    )
    for mine, theirs in zip(first.incidents, second.incidents):
        assert [(u.at, u.status, u.body.strip()) for u in theirs.updates] == [
            (u.at, u.status, u.body.strip()) for u in mine.updates
        ]
        assert theirs.periods == mine.periods and mine.periods[0].component_id == "bookstack"
    assert [c.name for c in second.components] == ["BookStack"]  # found by the issues' label, book-stack
