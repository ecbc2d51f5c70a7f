"""The example site's public ids, pinned: feed entry ids and API ids never change by accident.

Subscribers' feed readers and API clients key on these ids; a changed id
shows every incident again as new, or breaks a client's stored state. The
golden file ``tests/golden/example-ids.json`` holds every one of them, named by
what it identifies. When a change is deliberate, regenerate it with

    python tests/test_ids_golden.py --regenerate

and let the diff in review show which ids moved.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import feedparser  # noqa: E402
import pytest  # noqa: E402

from sitegen.content.loader import load_site  # noqa: E402
from sitegen.views.api import render_api  # noqa: E402
from sitegen.views.feeds import render_feeds  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden" / "example-ids.json"
REGENERATE = "python tests/test_ids_golden.py --regenerate"
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
OTHER_NOW = datetime(2027, 6, 1, 8, 30, tzinfo=UTC)
"""Long after every incident and maintenance of the example: statuses and lists change, ids must not."""


def feed_ids(files: dict[str, bytes]) -> dict[str, Any]:
    """For each Atom feed: its own id and its entries' ids (sorted); RSS guids must be the same ids."""
    found: dict[str, Any] = {}
    for path in sorted(p for p in files if p.endswith(".atom")):
        atom = feedparser.parse(files[path])
        rss = feedparser.parse(files[path.removesuffix(".atom") + ".rss"])
        assert not atom.bozo and not rss.bozo, path
        entries = sorted(entry.id for entry in atom.entries)
        assert sorted(entry.id for entry in rss.entries) == entries, f"RSS guids differ from Atom ids in {path}"
        assert len(set(entries)) == len(entries), f"two entries share an id in {path}"
        found[path] = {"feed": atom.feed.id, "entries": entries}
    return found


class _ApiIds:
    """Every object with an ``id`` in every API document, by a name for what it is; references checked."""

    def __init__(self) -> None:
        self.ids: dict[str, dict[str, str]] = {"page": {}, "components": {}, "incidents": {}, "incident_updates": {}}
        self.references: list[tuple[str, str]] = []

    def add(self, kind: str, name: str, value: str) -> None:
        known = self.ids[kind].setdefault(name, value)
        assert known == value, f"{kind} {name!r} has id {known} in one document and {value} in another"

    def walk(self, value: Any, where: str) -> None:
        """Parents before children, so that an update's incident is known when the update is met."""
        if isinstance(value, list):
            for item in value:
                self.walk(item, where)
            return
        if not isinstance(value, dict):
            return
        if "id" in value:
            self.classify(value, where)
        for key, item in value.items():
            if key in ("page_id", "incident_id", "group_id", "code") and isinstance(item, str):
                self.references.append((key, item))
            self.walk(item, where)

    def classify(self, obj: dict[str, Any], where: str) -> None:
        if "url" in obj and "time_zone" in obj:
            self.add("page", obj["url"], obj["id"])
        elif "incident_updates" in obj:
            self.add("incidents", obj["shortlink"].rstrip("/").rsplit("/", 1)[-1], obj["id"])
        elif "incident_id" in obj:
            self.add_update(obj)
        elif "group" in obj and "page_id" in obj:
            kind = "group" if obj["group"] else "component"
            self.add("components", f"{kind}: {obj['name']}", obj["id"])
        else:
            raise AssertionError(f"an id in {where} of an object of no known kind: {sorted(obj)}")

    def add_update(self, obj: dict[str, Any]) -> None:
        """Named '<slug> <created_at> <status>', with ' #2'... for a repeated time and status."""
        updates = self.ids["incident_updates"]
        if obj["id"] in updates.values():
            return  # the same update, listed again in another document
        slug = next(slug for slug, iid in self.ids["incidents"].items() if iid == obj["incident_id"])
        name = f"{slug} {obj['created_at']} {obj['status']}"
        number = 1
        while (f"{name} #{number}" if number > 1 else name) in updates:
            number += 1
        self.add("incident_updates", f"{name} #{number}" if number > 1 else name, obj["id"])


def api_ids(files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    ids = _ApiIds()
    for path, data in sorted(files.items()):
        ids.walk(json.loads(data), path)
    every = {value for kind in ids.ids.values() for value in kind.values()}
    dangling = [(key, value) for key, value in ids.references if value not in every]
    assert not dangling, f"references to ids that no object has: {dangling[:5]}"
    return ids.ids


def collect(now: datetime) -> dict[str, Any]:
    """Every public id of the example site built at ``now``."""
    site = load_site(REPO, now=now)
    return {"feeds": feed_ids(render_feeds(site)), "api": api_ids(render_api(site))}


def dumps(ids: dict[str, Any]) -> str:
    return json.dumps(ids, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_ids_match_the_golden_file() -> None:
    assert GOLDEN.is_file(), f"{GOLDEN} is missing; create it with: {REGENERATE}"
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = collect(NOW)
    changed = sorted(
        f"{section}/{group}/{name}"
        for section in ("feeds", "api")
        for group in set(expected.get(section, {})) | set(actual[section])
        for name in _names(expected.get(section, {}).get(group)) ^ _names(actual[section].get(group))
    )
    assert actual == expected, (
        "public ids of the example site changed; feed readers and API clients would see new items. "
        f"If this is deliberate, regenerate the golden file with: {REGENERATE}\nchanged: {changed[:20]}"
    )


def _names(group: Any) -> set[str]:
    if isinstance(group, dict):
        return {f"{key}={json.dumps(value, sort_keys=True)}" for key, value in group.items()}
    return set()


def test_the_golden_file_covers_every_kind_of_id() -> None:
    """A check that the collection found something of each kind, so the comparison above means something."""
    ids = collect(NOW)
    site = load_site(REPO, now=NOW)
    assert len(ids["feeds"]) == 2 * (1 + len(site.components))  # incidents and updates, site-wide and per component
    updates = sum(len(i.updates) for i in site.incidents) + len(site.writeups)
    assert len(ids["feeds"]["updates.atom"]["entries"]) == min(updates, site.config.feed_entries)
    assert sorted(ids["feeds"]["history.atom"]["entries"]) == ids["feeds"]["history.atom"]["entries"]
    assert len(ids["feeds"]["history.atom"]["entries"]) == len(site.incidents)
    assert len(ids["api"]["page"]) == 1
    assert set(ids["api"]["incidents"]) == {i.slug for i in site.incidents}
    assert len(ids["api"]["incident_updates"]) == sum(len(i.updates) for i in site.incidents)
    assert {f"component: {c.name}" for c in site.components} <= set(ids["api"]["components"])


def test_ids_do_not_depend_on_now() -> None:
    """Later, an updates feed has new entries (a maintenance's window moved on), but no entry has a new id."""
    earlier, later = collect(NOW), collect(OTHER_NOW)
    assert earlier["api"] == later["api"]
    moved = set()
    for path, feed in earlier["feeds"].items():
        assert later["feeds"][path]["feed"] == feed["feed"]
        if "/updates." not in f"/{path}":
            assert later["feeds"][path]["entries"] == feed["entries"], path
            continue
        new = set(later["feeds"][path]["entries"]) - set(feed["entries"])
        assert all(entry.endswith(("/in_progress", "/completed")) for entry in new), (path, new)
        moved |= new
    assert moved  # the example's maintenance to come began and ended meanwhile


def test_a_changed_id_fails_the_comparison(monkeypatch) -> None:
    """The golden comparison can fail: mint ids another way and it must notice."""
    from sitegen.views import api

    monkeypatch.setattr(api, "opaque_id", lambda key: "x" + api.hashlib.sha256(key.encode()).hexdigest()[:11])
    with pytest.raises(AssertionError, match="--regenerate"):
        test_ids_match_the_golden_file()


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit(f"usage: {REGENERATE}")
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(dumps(collect(NOW)), encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(REPO)}")
