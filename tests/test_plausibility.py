"""Warnings about histories that are possible but unlikely: what imports of real pages turned up."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, incident

from sitegen.content.loader import load_site
from sitegen.content.warnings import find_warnings

CONFIG = """\
[site]
title = "T"
base_url = "https://status.example.com/"
timezone = "UTC"

[[components]]
id = "api"
name = "API"

[[components]]
id = "br0l2tvcx85d"
name = "br0l2tvcx85d"
"""
OPEN_A_WEEK = """\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: Slow.
    components:
      api: major_outage
"""


def messages(site_dir: Path) -> list[str]:
    return [f"{p.path.name}:{p.line}: {p.message}" for p in find_warnings(load_site(site_dir, now=NOW), site_dir)]


def test_a_component_named_by_an_id_is_warned_about(make_site) -> None:
    found = messages(make_site({"content/incidents/2026-11-20-a.md": incident(updates=OPEN_A_WEEK)}, config=CONFIG))
    assert found == ["sitegen.toml:12: component 'br0l2tvcx85d' is named by an id: give it a name readers know"]


def test_an_ongoing_outage_of_a_week_is_no_typo_and_a_closed_one_is_only_warned_past_a_week(make_site) -> None:
    files = {"content/incidents/2026-11-20-a.md": incident(updates=OPEN_A_WEEK)}
    assert messages(make_site(files, config=CONFIG.split('\n[[components]]\nid = "br0')[0])) == []
    closed = OPEN_A_WEEK + "  - at: 2026-11-27T11:00:00Z\n    status: resolved\n    body: Fixed.\n"
    files = {"content/incidents/2026-11-20-a.md": incident(updates=closed)}
    site = make_site(files, config=CONFIG.split('\n[[components]]\nid = "br0')[0], name="closed")
    assert [m.split(": is")[0] for m in messages(site)] == [
        "2026-11-20-a.md:4: this outage lasted 7 days, from 2026-11-20 10:00 UTC to 2026-11-27 11:00 UTC"
    ]
