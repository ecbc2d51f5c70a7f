"""Rebuilds into a kept output equal clean builds where the newer keys could miss an input.

Each test builds a site, changes what one key stands for (an edit, a move of ``now``), builds again into
the same output with its cache, and compares with a clean build: a key that missed the change would keep
a stale file. Each also checks that the change did change the file, so that the comparison means something.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import DEFAULT_CONFIG, NOW, cache_folder, incident, tree_bytes

from sitegen.build import build_site
from sitegen.content.model import Incident
from sitegen.content.statuses import Kind
from sitegen.errors import ContentError
from sitegen.output import urls
from sitegen.views.pages import history_chunks, history_index


def rebuilt(site: Path, out: Path, now: datetime) -> dict[str, bytes]:
    """Build into ``out`` (keeping its cache), check it equals a clean build at ``now``, and give its files."""
    build_site(site, out, now=now)
    clean = out.with_name(out.name + "-clean")
    shutil.rmtree(clean, ignore_errors=True)
    shutil.rmtree(cache_folder(clean), ignore_errors=True)
    build_site(site, clean, now=now)
    kept = tree_bytes(out)
    assert kept == tree_bytes(clean)
    return kept


def maintenance(start: str, end: str) -> str:
    updates = f"  - at: {start}\n    status: scheduled\n    body: Planned.\n"
    extra = (
        f"kind: maintenance\nscheduled_for: {start}\nscheduled_until: {end}\ncomponents:\n  api: under_maintenance\n"
    )
    return incident("Upgrade", updates=updates, extra=extra)


def test_a_maintenance_window_lengthened_then_moved_to_another_month(make_site, tmp_path) -> None:
    path = "content/incidents/upgrade.md"
    first = incident("First", updates="  - at: 2026-08-01T10:00:00Z\n    status: resolved\n    body: Up.\n")
    site = make_site(
        {path: maintenance("2026-09-10T10:00:00Z", "2026-09-10T14:00:00Z"), "content/incidents/a.md": first}
    )
    out = tmp_path / "out"
    before = rebuilt(site, out, NOW)
    (site / path).write_text(maintenance("2026-09-10T10:00:00Z", "2026-09-10T18:00:00Z"))
    longer = rebuilt(site, out, NOW)
    assert before["reports/2026-09.csv"] != longer["reports/2026-09.csv"]
    (site / path).write_text(maintenance("2026-10-10T10:00:00Z", "2026-10-10T16:00:00Z"))
    after = rebuilt(site, out, NOW)
    for month in ("2026-09", "2026-10"):
        assert before[f"reports/{month}.csv"] != after[f"reports/{month}.csv"]
        assert before[f"reports/{month}/index.html"] != after[f"reports/{month}/index.html"]


def test_a_maintenance_announced_for_later_enters_its_months_report_as_now_passes_its_start(
    make_site, tmp_path
) -> None:
    site = make_site({"content/incidents/upgrade.md": maintenance("2026-11-28T14:00:00Z", "2026-12-01T02:00:00Z")})
    out = tmp_path / "out"
    before = rebuilt(site, out, NOW)
    later_that_day = rebuilt(site, out, NOW + timedelta(hours=4))
    assert b"Upgrade" not in before["reports/2026-11/index.html"]
    assert b"Upgrade" in later_that_day["reports/2026-11/index.html"]
    after = rebuilt(site, out, datetime(2026, 12, 2, tzinfo=UTC))
    assert b"Upgrade" in after["reports/2026-11/index.html"] and b"Upgrade" in after["reports/2026-12/index.html"]


def test_an_ongoing_incident_of_a_past_month_as_now_moves_on(make_site, tmp_path) -> None:
    """Begun in October and still going on: October's report is complete, November's grows with ``now``;
    resolved in October, it leaves November's report."""
    updates = "  - at: 2026-10-30T10:00:00Z\n    status: investigating\n    body: Down.\n"
    site = make_site(
        {"content/incidents/long.md": incident(updates=updates, extra="components:\n  db: major_outage\n")}
    )
    out = tmp_path / "out"
    before = rebuilt(site, out, NOW)
    after = rebuilt(site, out, NOW + timedelta(hours=6))  # the same day: only ``now`` tells the month apart
    assert before["reports/2026-10.csv"] == after["reports/2026-10.csv"]
    assert before["reports/2026-11.csv"] != after["reports/2026-11.csv"]
    (site / "content/incidents/long.md").write_text(
        incident(updates=updates + "  - at: 2026-10-31T10:00:00Z\n    status: resolved\n    body: Up.\n")
    )
    resolved = rebuilt(site, out, NOW + timedelta(hours=6))
    assert resolved["reports/2026-10.csv"] != after["reports/2026-10.csv"]
    assert b"Down" not in resolved["reports/2026-11/index.html"]


def test_an_update_dated_before_the_start_edited(make_site, tmp_path) -> None:
    """Its components take effect at the start: an edit to them changes the start's month, not the update's."""
    updates = (
        "  - at: 2026-09-30T10:00:00Z\n    status: investigating\n    body: Early.\n"
        "    components:\n      api: {status}\n"
        "  - at: 2026-10-01T12:00:00Z\n    status: resolved\n    body: Up.\n"
    )
    text = incident(updates=updates.format(status="partial_outage"), extra="started: 2026-10-01T06:00:00Z\n")
    site = make_site({"content/incidents/a.md": text})
    out = tmp_path / "out"
    before = rebuilt(site, out, NOW)
    (site / "content/incidents/a.md").write_text(text.replace("partial_outage", "major_outage"))
    after = rebuilt(site, out, NOW)
    assert before["reports/2026-10.csv"] != after["reports/2026-10.csv"]


THEME_CONFIG = DEFAULT_CONFIG.replace("[site]\n", '[site]\ntheme = "brand"\n')


@pytest.mark.parametrize("through", ["record", "_record"])
def test_a_theme_cannot_read_past_the_front_pages_days(make_site, tmp_path, through) -> None:
    """The front page is known by its components' last 90 days: a theme reading their whole record through it
    (the years) would show an edit to an older incident only once something within those days changed."""
    page = f'{{% extends "base.html" %}}{{% block content %}}{{{{ uptime["api"].{through}.yearly }}}}{{% endblock %}}'
    site = make_site({"themes/brand/templates/index.html": page}, config=THEME_CONFIG)
    with pytest.raises(ContentError, match="index.html"):
        build_site(site, tmp_path / "out", now=NOW)


@pytest.mark.parametrize("through", ["uptime", "_uptime"])
def test_a_theme_cannot_read_past_a_months_report(make_site, tmp_path, through) -> None:
    """A complete month's report is known without ``now``: a theme reading the components' records through it
    (their last 90 days) would keep the figures of the build that first made it."""
    page = f'{{% extends "base.html" %}}{{% block content %}}{{{{ report.{through}[0].long_span }}}}{{% endblock %}}'
    site = make_site(
        {"themes/brand/templates/report.html": page, "content/incidents/a.md": incident()}, config=THEME_CONFIG
    )
    with pytest.raises(ContentError, match="report.html"):
        build_site(site, tmp_path / "out", now=NOW)


def writeup(incidents: str) -> str:
    return f"---\ntitle: Review\npublished: 2026-11-27T10:00:00Z\nincidents: {incidents}\n---\nWhat happened.\n"


def test_a_kept_incident_shows_the_writeups_that_name_it_as_they_come_and_go(make_site, tmp_path) -> None:
    """The incident's record is taken from the cache (its file did not change): the write-ups named only by
    the other side still reach its page, its feeds, and a theme's history listing each incident's write-ups (the
    history's key holds the incidents, not their write-ups), and leave them when gone."""
    listing = "{% for i in incidents %}{{ i.slug }}: {{ i.writeups | join(' ') }}; {% endfor %}"
    history = f'{{% extends "base.html" %}}{{% block content %}}{{% for _, incidents in months %}}{listing}{{% endfor %}}{{% endblock %}}'
    files = {"content/incidents/a.md": incident(), "content/incidents/b.md": incident("Other")}
    site = make_site({**files, "themes/brand/templates/history.html": history}, config=THEME_CONFIG)
    out = tmp_path / "out"
    before = rebuilt(site, out, NOW)
    (site / "content/writeups").mkdir()
    (site / "content/writeups/review.md").write_text(writeup("a"))
    named = rebuilt(site, out, NOW)
    assert before["incidents/a/index.html"] != named["incidents/a/index.html"]
    assert before["updates.atom"] != named["updates.atom"]
    assert b"a: review;" in named["history/index.html"]
    (site / "content/writeups/review.md").write_text(writeup("b"))
    moved = rebuilt(site, out, NOW)
    assert moved["incidents/a/index.html"] == before["incidents/a/index.html"]
    assert moved["incidents/b/index.html"] != before["incidents/b/index.html"]
    (site / "content/writeups/review.md").unlink()
    assert rebuilt(site, out, NOW) == before


def stub(n: int) -> Incident:
    started = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=7 * n)
    return Incident(slug=f"i{n}", title="", kind=Kind.INCIDENT, updates=(), components={}, started=started)


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_history_pages_keep_their_incidents_as_new_ones_come(size) -> None:
    """Every count from none to past three pages: all incidents once, in order; each older page full; the first
    from ``size`` to one fewer than twice it; and an older page keeps its incidents until ``size`` more came."""
    previous: list[tuple[Incident, ...]] = []
    for count in range(4 * size + 2):
        incidents = [stub(n) for n in reversed(range(count))]  # newest first
        chunks = [tuple(chunk) for chunk in history_chunks(incidents, size)]
        assert [i for chunk in chunks for i in chunk] == incidents
        assert all(len(chunk) == size for chunk in chunks[1:])
        assert len(chunks[0]) == count if count < 2 * size else size <= len(chunks[0]) < 2 * size
        if len(chunks) == len(previous):
            assert chunks[1:] == previous[1:]  # one more incident changed the first page alone
        previous = chunks
        index = history_index(chunks, UTC)
        for _, months in index:
            for month, path in months:
                first = next(
                    n for n, chunk in enumerate(chunks, 1) for i in chunk if i.started.date().replace(day=1) == month
                )
                assert path == urls.history(first)


KEYS_OF_ONE_PROCESS = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from sitegen.analysis.recent_uptime import recent_uptime
from sitegen.analysis.reports import monthly_reports
from sitegen.analysis.uptime import site_uptime
from sitegen.content.loader import load_site
site = load_site(Path(sys.argv[1]), now=datetime(2026, 11, 28, 12, tzinfo=UTC))
uptime = site_uptime(site)
print(monthly_reports(site, uptime)[0].made_from, uptime["api"].made_from, recent_uptime(site, uptime["api"]).made_from)
"""


def test_the_uptime_and_report_keys_are_the_same_in_every_process(make_site) -> None:
    """A component's alert labels are a set, which ``repr`` lists in an order that follows each process's string
    hashing: keys made from it differed in every CI build, which remade every report, component page and front page."""
    config = DEFAULT_CONFIG.replace(
        'name = "API"', 'name = "API"\nalert_labels = ["service=api", "team=core", "env=prod"]'
    )
    site = make_site({"content/incidents/a.md": incident(extra="components:\n  api: major_outage\n")}, config=config)
    keys = set()
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        run = [sys.executable, "-c", KEYS_OF_ONE_PROCESS, str(site)]
        keys.add(subprocess.run(run, env=environment, capture_output=True, text=True, check=True).stdout)
    (printed,) = keys
    assert len(printed.split()) == 3  # none of the three is empty
