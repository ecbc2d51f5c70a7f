"""The Atom and RSS feeds: valid, ordered by activity, stable ids, safe content, reproducible bytes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import write_site

from sitegen.content.loader import load_site
from sitegen.output import urls
from sitegen.views.feeds import render_feeds

EXAMPLE_SITE = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
LATER = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
BASE_URL = "https://status.example.org/team/status/"
ATOM = "{http://www.w3.org/2005/Atom}"

COMPONENTS = """
[[components]]
id = "api"
name = "API"

[[components]]
id = "dashboard"
name = "Dashboard"
"""


def site_with(tmp_path: Path, files: dict[str, str], *, feed_entries: int | None = None) -> Path:
    """A site folder with sitegen.toml (components api, dashboard) and the given content files."""
    limit = f"feed_entries = {feed_entries}\n" if feed_entries is not None else ""
    config = f'[site]\ntitle = "Acme Status"\nbase_url = "{BASE_URL}"\ntimezone = "Europe/Paris"\n{limit}{COMPONENTS}'
    return write_site(tmp_path, {f"content/{name}": text for name, text in files.items()}, config=config)


def incident(title: str, updates: list[tuple[str, str, str]], *, summary: str = "", **front: object) -> str:
    """An incident file: ``updates`` are (at, status, body); other fields go to the front matter as given."""
    meta = {"title": title, **front, "updates": [{"at": at, "status": s, "body": b} for at, s, b in updates]}
    return f"---\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)}---\n{summary}"


def writeup(title: str, published: str, incidents: list[str], body: str = "What happened.") -> str:
    meta = {"title": title, "published": published, "incidents": incidents}
    return f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n{body}\n"


def feeds_of(site_dir: Path, now: datetime = NOW) -> dict[str, bytes]:
    return render_feeds(load_site(site_dir, now=now))


def atom_entries(data: bytes) -> list[ET.Element]:
    return ET.fromstring(data).findall(f"{ATOM}entry")


def text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    assert found is not None, f"no <{tag}>"
    return found.text or ""


def entry_for(data: bytes, slug: str) -> ET.Element:
    wanted = urls.absolute(BASE_URL, urls.incident(slug))
    [entry] = [e for e in atom_entries(data) if e.find(f"{ATOM}link").get("href") == wanted]
    return entry


API_INCIDENT = incident(
    "API errors",
    [("2024-01-10T10:00:00Z", "investigating", "Errors on the API."), ("2024-01-10T11:00:00Z", "resolved", "Fixed.")],
    components={"api": "major_outage"},
)
DASHBOARD_INCIDENT = incident(
    "Dashboard slow",
    [("2024-02-01T09:00:00Z", "investigating", "Slow pages."), ("2024-02-01T09:30:00Z", "resolved", "Fast again.")],
    components={"dashboard": "degraded_performance"},
)


def test_every_feed_of_the_example_site_is_valid() -> None:
    site = load_site(EXAMPLE_SITE, now=NOW)
    files = render_feeds(site)
    expected = {
        path(ext, cid)
        for path in (urls.feed, urls.updates_feed)
        for ext in ("atom", "rss")
        for cid in [None, *(c.id for c in site.components)]
    }
    assert set(files) == expected
    for path, data in files.items():
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if path.endswith(".atom") else "rss20"), path
    assert len(feedparser.parse(files["history.atom"]).entries) == min(len(site.incidents), site.config.feed_entries)


def test_required_elements_of_atom_and_rss(tmp_path: Path) -> None:
    files = feeds_of(site_with(tmp_path, {"incidents/2024-01-10-api-errors.md": API_INCIDENT}))
    atom = ET.fromstring(files["history.atom"])
    assert text(atom, f"{ATOM}author/{ATOM}name") == "Acme Status"
    assert atom.find(f"{ATOM}link[@rel='self']").get("href") == BASE_URL + "history.atom"
    assert atom.find(f"{ATOM}link[@rel='alternate']").get("href") == BASE_URL
    [entry] = atom.findall(f"{ATOM}entry")
    for tag in ("id", "title", "updated", "published", "content"):
        assert entry.find(f"{ATOM}{tag}") is not None, tag
    channel = ET.fromstring(files["history.rss"]).find("channel")
    assert channel.find(f"{ATOM}link[@rel='self']").get("href") == BASE_URL + "history.rss"
    assert text(channel, "link") == BASE_URL
    [item] = channel.findall("item")
    assert item.find("guid").get("isPermaLink") == "false"
    assert text(item, "guid") == text(entry, f"{ATOM}id")
    assert text(item, "pubDate") == "Wed, 10 Jan 2024 10:00:00 +0000"
    assert text(item, "link") == BASE_URL + "incidents/2024-01-10-api-errors/"


def test_entries_are_ordered_by_last_activity(tmp_path: Path) -> None:
    # The oldest incident had an update after both others ended, so it comes first.
    long_running = incident(
        "Long running",
        [("2024-01-01T10:00:00Z", "investigating", "Started."), ("2024-03-01T10:00:00Z", "resolved", "Done.")],
        components={"api": "partial_outage"},
    )
    site = site_with(
        tmp_path,
        {
            "incidents/2024-01-01-long-running.md": long_running,
            "incidents/2024-01-10-api-errors.md": API_INCIDENT,
            "incidents/2024-02-01-dashboard-slow.md": DASHBOARD_INCIDENT,
        },
    )
    files = feeds_of(site)
    expected = ["2024-01-01-long-running", "2024-02-01-dashboard-slow", "2024-01-10-api-errors"]
    links = [e.find(f"{ATOM}link").get("href") for e in atom_entries(files["history.atom"])]
    assert links == [BASE_URL + urls.incident(slug) for slug in expected]
    rss_links = [text(item, "link") for item in ET.fromstring(files["history.rss"]).iter("item")]
    assert rss_links == links
    assert text(ET.fromstring(files["history.atom"]), f"{ATOM}updated") == "2024-03-01T10:00:00+00:00"


def test_entry_link_is_the_absolute_incident_url_under_a_sub_path(tmp_path: Path) -> None:
    files = feeds_of(site_with(tmp_path, {"incidents/2024-01-10-api-errors.md": API_INCIDENT}))
    parsed = feedparser.parse(files["history.atom"])
    assert parsed.entries[0].link == "https://status.example.org/team/status/incidents/2024-01-10-api-errors/"
    assert feedparser.parse(files["history.rss"]).entries[0].link == parsed.entries[0].link


def test_ids_are_tag_uris_from_the_slug_independent_of_the_build(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"incidents/2024-01-10-api-errors.md": API_INCIDENT})
    first = feedparser.parse(feeds_of(site, NOW)["history.atom"]).entries[0].id
    second = feedparser.parse(feeds_of(site, LATER)["history.atom"]).entries[0].id
    assert first == second == "tag:status.example.org,2024:team/status/incidents/2024-01-10-api-errors"


def test_a_new_update_moves_updated_and_keeps_the_id(tmp_path: Path) -> None:
    # The new update is in another year, so an id dated by the last update would change.
    site = site_with(tmp_path, {"incidents/2024-01-10-api-errors.md": API_INCIDENT})
    before = entry_for(feeds_of(site)["history.atom"], "2024-01-10-api-errors")
    longer = incident(
        "API errors",
        [
            ("2024-01-10T10:00:00Z", "investigating", "Errors on the API."),
            ("2024-01-10T11:00:00Z", "resolved", "Fixed."),
            ("2025-01-12T08:00:00Z", "postmortem", "The root cause was a bad config push."),
        ],
        components={"api": "major_outage"},
    )
    site_with(tmp_path, {"incidents/2024-01-10-api-errors.md": longer})
    after = entry_for(feeds_of(site)["history.atom"], "2024-01-10-api-errors")
    assert text(before, f"{ATOM}updated") == "2024-01-10T11:00:00+00:00"
    assert text(after, f"{ATOM}updated") == "2025-01-12T08:00:00+00:00"
    assert text(after, f"{ATOM}id") == text(before, f"{ATOM}id")
    assert text(after, f"{ATOM}published") == text(before, f"{ATOM}published") == "2024-01-10T10:00:00+00:00"
    content = text(after, f"{ATOM}content")
    assert content.index("Postmortem") < content.index("Resolved") < content.index("Investigating")
    assert 'datetime="2025-01-12T08:00:00Z"' in content and "Sun, Jan 12, 2025, 09:00 AM CET" in content


def test_a_write_up_is_folded_into_its_incident_and_moves_updated(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "incidents/2024-01-10-api-errors.md": API_INCIDENT,
            "incidents/2024-02-01-dashboard-slow.md": DASHBOARD_INCIDENT,
            # Named from the write-up side only: the link goes both ways.
            "writeups/2024-02-20-api-review.md": writeup(
                "Review of the API errors", "2024-02-20T15:00:00Z", ["2024-01-10-api-errors"]
            ),
        },
    )
    files = feeds_of(site)
    entries = atom_entries(files["history.atom"])
    assert len(entries) == 2  # no entry of its own
    entry = entries[0]
    assert text(entry, f"{ATOM}title") == "API errors"
    assert text(entry, f"{ATOM}updated") == "2024-02-20T15:00:00+00:00"
    content = text(entry, f"{ATOM}content")
    assert f'<a href="{BASE_URL}writeups/2024-02-20-api-review/">Review of the API errors</a>' in content
    assert content.index("Write-up published") < content.index("Resolved")
    component = entry_for(files[urls.feed("atom", "api")], "2024-01-10-api-errors")
    assert text(component, f"{ATOM}updated") == "2024-02-20T15:00:00+00:00"


def test_component_feeds_hold_only_their_incidents(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "incidents/2024-01-10-api-errors.md": API_INCIDENT,
            "incidents/2024-02-01-dashboard-slow.md": DASHBOARD_INCIDENT,
        },
    )
    files = feeds_of(site)
    cases = (("api", "API", "2024-01-10-api-errors"), ("dashboard", "Dashboard", "2024-02-01-dashboard-slow"))
    for component_id, name, slug in cases:
        for extension in ("atom", "rss"):
            parsed = feedparser.parse(files[urls.feed(extension, component_id)])
            assert parsed.bozo == 0
            assert [e.link for e in parsed.entries] == [BASE_URL + urls.incident(slug)]
            assert parsed.feed.title == f"Acme Status · {name}"
            assert parsed.feed.link == BASE_URL + urls.component(component_id)


def test_a_component_without_incidents_has_a_valid_empty_feed_dated_by_the_site(tmp_path: Path) -> None:
    files = feeds_of(site_with(tmp_path, {"incidents/2024-01-10-api-errors.md": API_INCIDENT}))
    for extension in ("atom", "rss"):
        parsed = feedparser.parse(files[urls.feed(extension, "dashboard")])
        assert parsed.bozo == 0 and parsed.entries == []
    updated = text(ET.fromstring(files[urls.feed("atom", "dashboard")]), f"{ATOM}updated")
    assert updated == "2024-01-10T11:00:00+00:00"


def test_feed_entries_limits_every_feed(tmp_path: Path) -> None:
    third = incident(
        "API slow", [("2024-03-05T10:00:00Z", "resolved", "Was slow.")], components={"api": "degraded_performance"}
    )
    site = site_with(
        tmp_path,
        {
            "incidents/2024-01-10-api-errors.md": API_INCIDENT,
            "incidents/2024-02-01-dashboard-slow.md": DASHBOARD_INCIDENT,
            "incidents/2024-03-05-api-slow.md": third,
        },
        feed_entries=1,
    )
    files = feeds_of(site)
    for extension in ("atom", "rss"):
        [entry] = feedparser.parse(files[urls.feed(extension)]).entries
        assert entry.link == BASE_URL + urls.incident("2024-03-05-api-slow")
        [entry] = feedparser.parse(files[urls.feed(extension, "api")]).entries
        assert entry.link == BASE_URL + urls.incident("2024-03-05-api-slow")


def test_markup_in_titles_and_bodies_comes_out_as_text(tmp_path: Path) -> None:
    hostile = incident(
        "<script>alert(1)</script> & outage",
        [("2024-01-10T10:00:00Z", "investigating", "Hello <script>alert(2)</script> <img src=x onerror=alert(3)>")],
        summary="<iframe src='https://evil.example'></iframe>\n",
        components={"api": "major_outage"},
    )
    files = feeds_of(site_with(tmp_path, {"incidents/2024-01-10-api-errors.md": hostile}))
    for data in files.values():
        assert b"<script" not in data and b"<img" not in data
    [entry] = atom_entries(files["history.atom"])
    title = entry.find(f"{ATOM}title")
    assert title.get("type") in (None, "text") and title.text == "<script>alert(1)</script> & outage"
    content = text(entry, f"{ATOM}content")  # the HTML a reader renders, once XML is decoded
    for tag in ("<script", "<img", "<iframe"):
        assert tag not in content
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in content
    [item] = ET.fromstring(files["history.rss"]).iter("item")
    assert text(item, "title") == "<script>alert(1)</script> & outage"  # text, escaped for XML once
    assert "<script" not in text(item, "description")


# Every field escaped as its type requires, read back by a feed reader -------------------------------------

HOSTILE = '<b>Bold</b> & <i>co</i>\'s "x" <script>alert(1)</script> &amp;'
"""Markup, an entity, quotes and an ampersand: any field escaped too little shows bold, too much shows '&amp;'."""


def shown(detail: dict) -> str:
    """What a reader shows for a feedparser text construct: plain text as is, HTML as its text (without any element)."""
    if detail["type"] == "text/plain":
        return detail["value"]
    assert detail["type"] in ("text/html", "application/xhtml+xml"), detail
    soup = BeautifulSoup(detail["value"], "html.parser")
    assert soup.find() is None, f"markup reached the reader: {detail['value']!r}"
    return soup.get_text()


def hostile_site(tmp_path: Path) -> Path:
    quoted = json.dumps(HOSTILE)
    config = (
        f'[site]\ntitle = {quoted}\ndescription = {quoted}\nbase_url = "{BASE_URL}"\ntimezone = "UTC"\n\n'
        f'[[components]]\nid = "api"\nname = {quoted}\n'
    )
    files = {
        "content/incidents/2024-01-10-api-errors.md": incident(
            HOSTILE,
            [("2024-01-10T10:00:00Z", "investigating", HOSTILE)],
            summary=HOSTILE + "\n",
            components={"api": "major_outage"},
        ),
        "content/writeups/2024-01-12-review.md": writeup(HOSTILE, "2024-01-12T10:00:00Z", ["2024-01-10-api-errors"]),
    }
    return write_site(tmp_path, files, config=config)


@pytest.mark.parametrize(
    "path", ["history.atom", "history.rss", "components/api/history.atom", "components/api/history.rss"]
)
def test_every_feed_field_reads_as_the_text_written(tmp_path: Path, path: str) -> None:
    """Site title, description and component name, incident title, body and write-up title, in both formats."""
    data = feeds_of(hostile_site(tmp_path))[path]
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    feed, [entry] = parsed.feed, parsed.entries
    component = path.startswith("components/")
    title = f"{HOSTILE} · {HOSTILE}" if component else HOSTILE
    subtitle = f"Incidents and maintenance affecting {HOSTILE} on {HOSTILE}" if component else HOSTILE
    if path.endswith(".atom"):
        assert shown(feed.title_detail) == title and shown(feed.subtitle_detail) == subtitle
        assert feed.author_detail["name"] == HOSTILE  # a text construct in Atom, none in RSS
        assert shown(entry.title_detail) == HOSTILE
    else:  # RSS cannot say a title is text: it is the text, escaped for XML once (feedparser guesses HTML from </b>)
        channel = ET.fromstring(data).find("channel")
        assert (text(channel, "title"), text(channel, "description")) == (title, subtitle)
        assert text(channel.find("item"), "title") == HOSTILE
    assert [tag.term for tag in entry.tags] == ["incident"]
    [content] = entry.content if "content" in entry else [entry.summary_detail]
    body = BeautifulSoup(content["value"], "html.parser")
    assert body.find(["b", "i", "script"]) is None, content["value"]
    words = body.get_text()
    assert (
        f"Affected: {HOSTILE}\n" in words
        and f"Write-up published · Fri, Jan 12, 2024, 10:00 AM UTC\n{HOSTILE}\n" in words
    )
    as_markdown = HOSTILE.replace("&amp;", "&")  # Markdown reads an entity as its character, as CommonMark says
    assert len(re.findall(re.escape(as_markdown) + "(?!amp;)", words)) == 2  # the summary and the update's body


def test_maintenance_is_published_when_announced(tmp_path: Path) -> None:
    maintenance = incident(
        "Database upgrade",
        [("2024-04-01T09:00:00Z", "scheduled", "We will upgrade the database.")],
        kind="maintenance",
        components={"api": "under_maintenance"},
        scheduled_for="2024-04-10T22:00:00Z",
        scheduled_until="2024-04-10T23:00:00Z",
    )
    files = feeds_of(site_with(tmp_path, {"incidents/2024-04-10-database-upgrade.md": maintenance}))
    [entry] = atom_entries(files["history.atom"])
    assert text(entry, f"{ATOM}published") == text(entry, f"{ATOM}updated") == "2024-04-01T09:00:00+00:00"
    assert entry.find(f"{ATOM}category").get("term") == "maintenance"
    assert 'datetime="2024-04-10T22:00:00Z"' in text(entry, f"{ATOM}content")


@pytest.mark.parametrize("path", ["history.rss", "components/api/history.rss", "components/dashboard/history.rss"])
def test_rss_last_build_date_comes_from_content_not_now(tmp_path: Path, path: str) -> None:
    site = site_with(tmp_path, {"incidents/2024-01-10-api-errors.md": API_INCIDENT})
    dates = {text(ET.fromstring(feeds_of(site, now)[path]).find("channel"), "lastBuildDate") for now in (NOW, LATER)}
    assert dates == {"Wed, 10 Jan 2024 11:00:00 +0000"}


def test_output_is_byte_identical_across_builds(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "incidents/2024-01-10-api-errors.md": API_INCIDENT,
            "incidents/2024-02-01-dashboard-slow.md": DASHBOARD_INCIDENT,
            "writeups/2024-02-20-api-review.md": writeup("Review", "2024-02-20T15:00:00Z", ["2024-01-10-api-errors"]),
        },
    )
    loaded = load_site(site, now=NOW)
    assert render_feeds(loaded) == render_feeds(loaded)
    assert feeds_of(site, NOW) == feeds_of(site, LATER)
    incident_feeds = {path: data for path, data in feeds_of(EXAMPLE_SITE, NOW).items() if "history." in path}
    assert incident_feeds.items() <= feeds_of(EXAMPLE_SITE, LATER).items()  # updates feeds: maintenance moves on
