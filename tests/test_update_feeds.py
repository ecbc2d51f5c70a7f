"""The feeds of updates: every update, window move and write-up is an entry of its own, under an id that stays.

Readers that show an entry once (Slack's and Teams' RSS apps, most readers
going by guid) must see every update: each test reads a feed with
feedparser before and after something happens and looks for a new id.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import write_site
from test_feeds import BASE_URL, COMPONENTS, EXAMPLE_SITE, incident, site_with, writeup

from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.output import urls
from sitegen.views.feeds import render_feeds
from sitegen.views.update_feeds import Newest, incident_items, writeup_item_of

NOW = datetime(2024, 6, 1, tzinfo=UTC)
SLUG = "2024-01-10-api-errors"
FIRST = ("2024-01-10T10:00:00Z", "investigating", "Errors on the API.")
SECOND = ("2024-01-10T11:00:00Z", "resolved", "Fixed.")
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = [urls.updates_feed(ext, cid) for cid in (None, "api") for ext in ("atom", "rss")]


def entries(site_dir: Path, path: str, now: datetime = NOW) -> list[feedparser.FeedParserDict]:
    parsed = feedparser.parse(render_feeds(load_site(site_dir, now=now))[path])
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return list(parsed.entries)


def ids(found: list[feedparser.FeedParserDict]) -> set[str]:
    return {entry.id for entry in found}


def api_incident(*updates: tuple[str, str, str], title: str = "API errors") -> str:
    return incident(title, list(updates), components={"api": "major_outage"})


@pytest.mark.parametrize("path", FEEDS)
def test_an_appended_update_is_a_new_entry_with_a_new_id(tmp_path: Path, path: str) -> None:
    before = entries(site_with(tmp_path / "before", {f"incidents/{SLUG}.md": api_incident(FIRST)}), path)
    after = entries(site_with(tmp_path / "after", {f"incidents/{SLUG}.md": api_incident(FIRST, SECOND)}), path)
    assert len(before) == 1 and len(after) == 2
    assert ids(before) < ids(after)  # the first update keeps its id: a reader shows only the new one
    [new] = [entry for entry in after if entry.id not in ids(before)]
    assert new.title == "Resolved: API errors"
    assert new.link.startswith(BASE_URL + urls.incident(SLUG) + "#update-")
    assert "Fixed." in new.summary and "Affected:" in new.summary
    assert new.published_parsed[:5] == (2024, 1, 10, 11, 0)
    assert after[0].id == new.id  # newest first


def test_a_published_write_up_is_a_new_entry_linking_to_it(tmp_path: Path) -> None:
    files = {f"incidents/{SLUG}.md": api_incident(FIRST, SECOND)}
    before = entries(site_with(tmp_path / "before", files), "updates.atom")
    review = writeup("What went wrong", "2024-01-12T10:00:00Z", [SLUG])
    after_dir = site_with(tmp_path / "after", {**files, "writeups/2024-01-12-review.md": review})
    after = entries(after_dir, "updates.atom")
    assert ids(before) < ids(after)
    [new] = [entry for entry in after if entry.id not in ids(before)]
    assert new.title == "Write-up published: What went wrong"
    assert new.link == BASE_URL + urls.writeup("2024-01-12-review")
    assert ids(entries(after_dir, "components/api/updates.atom")) == ids(after)  # it covers an API incident
    assert entries(after_dir, "components/dashboard/updates.atom") == []


MAINTENANCE = incident(
    "Database upgrade",
    [("2024-03-01T09:00:00Z", "scheduled", "We will upgrade the database.")],
    kind="maintenance",
    scheduled_for="2024-03-05T22:00:00Z",
    scheduled_until="2024-03-06T00:00:00Z",
    components={"api": "under_maintenance"},
)


def test_a_maintenance_starting_and_ending_by_its_window_are_new_entries(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"incidents/2024-03-05-db.md": MAINTENANCE})
    times = [datetime(2024, 3, 2, tzinfo=UTC), datetime(2024, 3, 5, 23, tzinfo=UTC), datetime(2024, 3, 7, tzinfo=UTC)]
    announced, started, completed = (entries(site, "updates.rss", now) for now in times)
    assert [e.title for e in announced] == ["Scheduled: Database upgrade"]
    assert ids(announced) < ids(started) < ids(completed)
    assert [e.title for e in completed] == [
        "Completed: Database upgrade",
        "In progress: Database upgrade",
        "Scheduled: Database upgrade",
    ]
    assert completed[1].published_parsed[:5] == (2024, 3, 5, 22, 0)


def test_a_maintenance_started_by_an_update_is_one_entry(tmp_path: Path) -> None:
    begun = MAINTENANCE.replace(
        "updates:\n", "updates:\n- at: '2024-03-05T22:05:00Z'\n  status: in_progress\n  body: Work has begun.\n"
    )
    found = entries(site_with(tmp_path, {"incidents/2024-03-05-db.md": begun}), "updates.atom")
    # one 'In progress', the update's; the window's end, with no update closing it, completes it
    titles = ["Completed: Database upgrade", "In progress: Database upgrade", "Scheduled: Database upgrade"]
    assert [e.title for e in found] == titles
    assert "#update-" in found[1].link


TITLE = "Facebook, Instagram & WhatsApp <down> \"again\" & it's 'bad' > 5 min"


@pytest.mark.parametrize("path", ["history.atom", "history.rss", "updates.atom", "updates.rss"])
def test_titles_read_back_exactly_as_written(tmp_path: Path, path: str) -> None:
    site = site_with(tmp_path, {f"incidents/{SLUG}.md": api_incident(FIRST, title=TITLE)})
    data = render_feeds(load_site(site, now=NOW))[path]
    expected = TITLE if path.startswith("history") else f"Investigating: {TITLE}"
    [entry] = feedparser.parse(data).entries
    assert entry.title == expected
    if path.endswith(".rss"):  # the raw text, escaped for XML once and no more
        [item] = ET.fromstring(data).iter("item")
        assert item.findtext("title") == expected


def test_entries_speak_the_site_language(tmp_path: Path) -> None:
    config = f'[site]\ntitle = "Acme"\nbase_url = "{BASE_URL}"\ntimezone = "UTC"\nlanguage = "fr"\n{COMPONENTS}'
    site = write_site(tmp_path, {f"content/incidents/{SLUG}.md": api_incident(FIRST, SECOND)}, config=config)
    files = render_feeds(load_site(site, now=NOW))
    atom = ET.fromstring(files["updates.atom"])
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert ET.fromstring(files["updates.rss"]).findtext("channel/language") == "fr"
    titles = [entry.title for entry in feedparser.parse(files["updates.atom"]).entries]
    assert titles[0].endswith("API errors") and titles[0] != "Resolved: API errors"


def test_every_feed_is_capped_by_feed_entries(tmp_path: Path) -> None:
    updates = [(f"2024-01-10T1{n}:00:00Z", "identified", f"Step {n}.") for n in range(6)]
    site = site_with(tmp_path, {f"incidents/{SLUG}.md": api_incident(FIRST, *updates)}, feed_entries=4)
    for path in FEEDS:
        found = entries(site, path)
        assert [e.summary.count("Step 5.") for e in found[:1]] == [1] and len(found) == 4, path


def test_the_link_of_each_update_lands_on_it(tmp_path: Path) -> None:
    """The anchor an entry links to is an element of the incident page (folded earlier updates included)."""
    updates = [(f"2024-01-10T{10 + n}:00:00Z", "identified", f"Step {n}.") for n in range(14)]
    site = site_with(tmp_path, {f"incidents/{SLUG}.md": api_incident(FIRST, *updates)}, feed_entries=20)
    out = tmp_path / "public"
    build_site(site, out, now=NOW)
    page = BeautifulSoup((out / urls.output_file(urls.incident(SLUG))).read_text(), "html.parser")
    links = [e.link for e in feedparser.parse((out / "updates.atom").read_bytes()).entries]
    assert len(links) == 15
    for link in links:
        fragment = link.partition("#")[2]
        element = page.find(id=fragment)
        assert element is not None and element.name == "li", link


def test_an_entry_in_another_language_says_so(tmp_path: Path) -> None:
    files = {
        f"incidents/{SLUG}.md": incident("API-Fehler", [FIRST], components={"api": "major_outage"}, lang="de"),
        "incidents/2024-02-01-dashboard-slow.md": incident(
            "Dashboard slow", [FIRST], components={"dashboard": "partial_outage"}
        ),
    }
    data = render_feeds(load_site(site_with(tmp_path, files), now=NOW))
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for path in ("history.atom", "updates.atom"):
        langs = {e.findtext(f"{ATOM}title"): e.get(xml_lang) for e in ET.fromstring(data[path]).iter(f"{ATOM}entry")}
        assert sorted(langs.values(), key=str) == [None, "de"], langs
        assert feedparser.parse(data[path]).bozo == 0


@pytest.mark.parametrize("now", [NOW, datetime(2026, 12, 3, 7, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)])
def test_the_newest_items_are_those_of_a_sort_of_every_item(now: datetime) -> None:
    """Newest reads only the incidents that may hold a feed's items: it must choose as sorting them all would."""
    site = load_site(EXAMPLE_SITE, now=now)
    newest = Newest(site)
    for incidents in [site.incidents, *site.incidents_by_component.values()]:
        slugs = {incident.slug for incident in incidents}
        every = [item for incident in incidents for item in incident_items(incident, now)]
        every += [writeup_item_of(w) for w in site.writeups if slugs & set(w.incidents)]
        every.sort(key=lambda item: item.order, reverse=True)
        for limit in (1, 2, 5, 20, 1000):
            assert newest.about(incidents, limit) == every[:limit]


def test_an_item_is_known_by_its_record_and_what_picks_it_out_of_the_record() -> None:
    """A feed's key holds its items by ``made_from``: equal for the same entry, different for any other."""
    site = load_site(EXAMPLE_SITE, now=NOW)
    items = [item for incident in site.incidents for item in incident_items(incident, NOW)]
    items += [writeup_item_of(w) for w in site.writeups]
    assert all(item.made_from for item in items) and len({item.made_from for item in items}) == len(items)
    again = load_site(EXAMPLE_SITE, now=NOW)
    assert [item.made_from for incident in again.incidents for item in incident_items(incident, NOW)] == [
        item.made_from for item in items if item.writeup is None
    ]
    made_in_code = replace(site.incidents[0], made_from="")
    assert {item.made_from for item in incident_items(made_in_code, NOW)} == {""}  # encoded field by field instead
