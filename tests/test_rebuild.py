"""What lets a rebuild skip work, each piece held to what it promises.

Fingerprints differ whenever values do; templates' reads of the site are
found in their source; an incident settles, so its pages outlive ``now``;
kept records are not taken when what they were checked against changed;
and the kept tree is trusted only file by file, as written.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest
from conftest import DEFAULT_CONFIG, NOW, cache_folder, incident, tree_bytes
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from sitegen.build import RECORD_TABLE, WRITEUP_TABLE, BuildMemory, CacheSession, build_site, render_site
from sitegen.content.loader import load_site
from sitegen.content.model import Incident, Update, Writeup
from sitegen.content.record_cache import RecordCache
from sitegen.content.record_codec import decode, encode
from sitegen.content.statuses import ComponentStatus, Impact, Kind, UpdateStatus
from sitegen.errors import ContentError
from sitegen.fingerprint import Fingerprints
from sitegen.output import urls
from sitegen.views import markdown
from sitegen.views.api import incident_id
from sitegen.views.keyed import OutputKeys
from sitegen.views.strips import incident_strips
from sitegen.views.template_reads import TemplateReads
from sitegen.views.theme import Theme, ThemeSandbox


def digest(*values: object) -> str:
    return Fingerprints().of(*values)


@dataclass(frozen=True)
class Record:
    name: str
    items: tuple[int, ...] = ()


def test_fingerprints_tell_apart_values_that_render_differently() -> None:
    paris, berlin = ZoneInfo("Europe/Paris"), ZoneInfo("Europe/Berlin")  # the same offsets, other names
    different = [
        (1, 1.0, True, "1", None),
        ("a", Markup("a")),
        ((1, 2), (2, 1), [1, 2]),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),  # templates loop over a mapping in its order
        (datetime(2026, 1, 1, tzinfo=paris), datetime(2026, 1, 1, tzinfo=berlin)),
        (Record("a"), Record("b"), Record("a", (1,))),
        (ComponentStatus.MAJOR_OUTAGE, UpdateStatus.RESOLVED),
        (("ab", "c"), ("a", "bc")),
    ]
    for group in different:
        digests = [digest(value) for value in group]
        assert len(set(digests)) == len(digests), group
    assert digest(Record("a", (1, 2))) == digest(Record("a", (1, 2))) == Fingerprints().of(Record("a", (1, 2)))
    assert digest({1, 2, 3}) == digest({3, 2, 1}) != digest(frozenset({1, 2, 3}))
    several = [("ab", "c"), ("a", "bc"), ((1, 2),), (1, 2), (Record("a"), 1), (Record("a", (1,)),)]
    assert len({Fingerprints().of(*values) for values in several}) == len(several)  # values are told apart


def test_a_value_with_no_fingerprint_is_refused_not_guessed() -> None:
    with pytest.raises(TypeError, match="no fingerprint for a object"):
        digest([object()])


def test_a_record_the_loader_made_is_known_by_what_it_was_made_from() -> None:
    update = Update(NOW, UpdateStatus.RESOLVED, "Fixed.")
    one = Incident("a", "A", Kind.INCIDENT, (update,), {}, NOW, made_from="x" * 32)
    assert digest(one) == digest(Incident("a", "other", Kind.INCIDENT, (update,), {}, NOW, made_from="x" * 32))
    assert digest(one) != digest(Incident("a", "A", Kind.INCIDENT, (update,), {}, NOW, made_from="y" * 32))


def test_a_writeup_is_made_from_its_file_and_the_incidents_it_is_linked_with(make_site) -> None:
    """Named by an incident's file, not its own, a write-up lists that incident: its digest must say so too."""
    review = "---\ntitle: Review\npublished: 2026-11-27T10:00:00Z\n---\nWhat happened.\n"
    named = incident(extra="writeup: review\n")
    alone = load_site(make_site({"content/incidents/a.md": incident(), "content/writeups/review.md": review}), now=NOW)
    linked = load_site(make_site({"content/incidents/a.md": named, "content/writeups/review.md": review}), now=NOW)
    ((before,), (after,)) = alone.writeups, linked.writeups
    assert before.made_from and after.incidents == ("a",) and after.made_from not in ("", before.made_from)
    assert digest(after) != digest(before) == digest(replace(before, title="changed"))  # made_from stands for all


def reads(**templates: str) -> TemplateReads:
    return TemplateReads(ThemeSandbox(loader=jinja2.DictLoader({f"{k}.html": v for k, v in templates.items()})))


def test_template_reads_follow_includes_imports_and_macros() -> None:
    found = reads(
        page='{% extends "base.html" %}{% import "m.html" as m %}{% block b %}{{ m.show(x) }}{% endblock %}',
        base="{{ site.indicator.value }}{% block b %}{% endblock %}",
        m="{% macro show(x) %}{{ site.component_by_id[x].name }}{{ x | relative }}{% endmacro %}",
        plain="{{ x }}",
    )
    assert found.of("page.html") == {"site.indicator", "site.component_by_id", "now"}
    assert found.of("plain.html") == frozenset()


def test_template_reads_are_known_again_by_a_templates_source_not_its_name() -> None:
    """A process keeps what each source it parsed reads: an edited template is read again, one edited back is
    known as it was."""
    assert reads(page="{{ x }}", other="{{ now }}").of("page.html") == frozenset()
    assert reads(page='{% include "other.html" %}', other="{{ now }}").of("page.html") == {"now"}
    assert reads(page="{{ x }}", other="{{ site.groups }}").of("page.html") == frozenset()
    assert reads(page='{% include "other.html" %}', other="{{ site.groups }}").of("page.html") == {"site.groups"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ site['groups'] }}", {"site.groups"}),
        ("{{ site[name] }}", {"site"}),
        ("{{ f(site) }}", {"site"}),
        ("{% set s = site %}{{ s.incidents }}", {"site"}),
        ("{{ now.year }}", {"now"}),
    ],
)
def test_a_site_read_whole_or_by_a_computed_name_counts_as_the_whole_site(source: str, expected: set[str]) -> None:
    assert reads(t=source).of("t.html") == expected


def test_a_template_named_only_while_rendering_could_read_anything() -> None:
    assert reads(t="{% include name %}").of("t.html") is None
    assert reads(t='{% include "u.html" %}', u="{% import name as n %}").of("t.html") is None


MOMENTS = st.integers(0, 96).map(lambda hours: NOW + timedelta(hours=hours - 48))
STATUSES = st.sampled_from(list(UpdateStatus))


@st.composite
def incidents(draw: st.DrawFn) -> Incident:
    kind = draw(st.sampled_from(list(Kind)))
    times = sorted(draw(st.lists(MOMENTS, min_size=1, max_size=4)))
    updates = tuple(
        Update(at, draw(STATUSES), "text", {"api": draw(st.sampled_from(list(ComponentStatus)))}) for at in times
    )
    window = sorted(draw(st.lists(MOMENTS, min_size=2, max_size=2)))
    maintenance = kind is Kind.MAINTENANCE
    return Incident(
        "a",
        "A",
        kind,
        updates,
        {"api": ComponentStatus.PARTIAL_OUTAGE},
        window[0] if maintenance else times[0],
        scheduled_for=window[0] if maintenance else None,
        scheduled_until=window[1] if maintenance else None,
    )


@given(incident=incidents(), now=MOMENTS, later=st.integers(0, 10_000))
def test_once_settled_an_incident_answers_as_it_did_when_it_settled(incident: Incident, now, later: int) -> None:
    """What pages show of a past incident is the same at any later ``now``, so its pages are kept."""
    settled = incident.settled(now)
    assert settled <= now
    if settled == now:
        return
    after = now + timedelta(minutes=later)
    assert incident.settled(after) == settled
    components = {"api": object()}
    for moment in (now, after):
        assert incident.status_at(moment) == incident.status_at(settled)
        assert incident.duration(moment) == incident.duration(settled)
        assert incident.is_active(moment) == incident.is_active(settled)
        assert incident.is_upcoming(moment) == incident.is_upcoming(settled)
        assert incident_strips(incident, components, moment) == incident_strips(incident, components, settled)  # type: ignore[arg-type]


def test_an_ongoing_incident_never_settles() -> None:
    ongoing = Incident("a", "A", Kind.INCIDENT, (Update(NOW, UpdateStatus.IDENTIFIED, "x"),), {}, NOW)
    later = datetime(2030, 1, 1, tzinfo=UTC)
    assert ongoing.settled(later) == later


def test_a_kept_incident_is_checked_again_when_what_it_names_is_gone(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident(extra="components:\n  db: major_outage\n")})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    config = site / "sitegen.toml"
    config.write_text(config.read_text().replace('id = "db"', 'id = "database"'))
    with pytest.raises(ContentError, match="unknown component 'db'"):
        build_site(site, out, now=NOW)


def test_a_kept_writeup_is_taken_and_checked_again_when_the_incident_it_names_is_gone(make_site, tmp_path) -> None:
    review = "---\ntitle: Review\npublished: 2026-11-27T10:00:00Z\nincidents: [a]\n---\nWhat *happened*.\n"
    site = make_site({"content/incidents/a.md": incident(), "content/writeups/review.md": review})
    out = tmp_path / "out"
    (made,) = build_site(site, out, now=NOW).site.writeups
    (kept,) = RecordCache(Writeup, session(site, out).cache.load_shards(WRITEUP_TABLE)).previous.values()
    assert repr(kept) == repr(replace(made, incidents=("a",)))
    (site / "content/incidents/a.md").rename(site / "content/incidents/b.md")
    with pytest.raises(ContentError, match="'incidents' names 'a', but there is no content/incidents/a.md"):
        build_site(site, out, now=NOW)


def test_a_new_file_leaves_the_records_of_the_other_folder_taken(make_site, tmp_path) -> None:
    """A record is taken again while the files it names are there: an incident opened (or a write-up published)
    leaves every write-up (every incident) as kept, which at 10,000 incidents saved reading 1,021 write-ups."""
    review = "---\ntitle: Review\npublished: 2026-11-27T10:00:00Z\nincidents: [a]\n---\nWhat happened.\n"
    site = make_site({"content/incidents/a.md": incident(), "content/writeups/review.md": review})
    out, memory = tmp_path / "out", BuildMemory()
    first = build_site(site, out, now=NOW, memory=memory).site
    (site / "content/incidents/b.md").write_text(incident("Another"))
    (site / "content/writeups/other.md").write_text(review.replace("Review", "Other review"))
    again = build_site(site, out, now=NOW, memory=memory).site
    assert again.writeup_by_slug["review"] is first.writeup_by_slug["review"]
    assert again.incident_by_slug["a"].source is first.incident_by_slug["a"].source  # linked anew, read once


def test_a_kept_incident_is_kept_as_data_and_read_back_equal(make_site, tmp_path) -> None:
    """Records are kept as plain data (no pickle), and what is read back is the record the loader made."""
    site = make_site({"content/incidents/a.md": incident(extra="components:\n  db: major_outage\n")})
    out = tmp_path / "out"
    (made,) = build_site(site, out, now=NOW).site.incidents
    (kept,) = RecordCache(Incident, session(site, out).cache.load_shards(RECORD_TABLE)).previous.values()
    assert kept == made and kept.made_from == made.made_from and kept.source == made.source
    assert [p.component_id for p in kept.periods] == ["db"]


def test_a_record_json_would_not_give_back_exactly_is_read_from_its_file(make_site, tmp_path) -> None:
    """A date among ``extra:`` values would come back as text: such a record is not kept, and every build reads it."""
    site = make_site({"content/incidents/a.md": incident(extra="extra:\n  since: 2026-11-01\n")})
    (made,) = build_site(site, tmp_path / "out", now=NOW).site.incidents
    assert encode(made) is None
    assert not RecordCache(Incident, session(site, tmp_path / "out").cache.load_shards(RECORD_TABLE)).previous
    (again,) = build_site(site, tmp_path / "out", now=NOW).site.incidents
    assert repr(again) == repr(made)


@pytest.mark.parametrize(
    "planted",
    ['{"slug": 1}', "[]", '"text"', "{" * 100_000, '{"slug": "a", "title": "t", "kind": "party"}', "not json"],
)
def test_a_kept_entry_that_is_not_an_incident_is_read_from_its_file(planted: str) -> None:
    with pytest.raises(ValueError):
        decode(planted, Incident)
    assert not RecordCache(Incident, {"key": planted, "other": ["a", "list"]}).previous


def session(site: Path, out: Path) -> CacheSession:
    return CacheSession.open(site, out.absolute(), base_url=None, cache_dir=None)


def test_a_kept_incident_names_its_file_as_this_build_was_given_it(make_site, tmp_path, monkeypatch) -> None:
    """Built once as ``site`` and once from inside it, a warning names the file from where the build runs."""
    late = "  - at: 2026-11-20T10:00:00Z\n    status: resolved\n    body: Fixed.\n" + (
        "  - at: 2026-11-20T11:00:00Z\n    status: monitoring\n    body: Watching.\n"
    )
    site = make_site({"content/incidents/a.md": incident(updates=late, extra="components:\n  db: major_outage\n")})
    monkeypatch.chdir(site.parent)
    (outside,) = build_site(Path(site.name), Path(site.name, "public"), now=NOW).warnings
    monkeypatch.chdir(site)
    (inside,) = build_site(Path("."), Path("public"), now=NOW).warnings
    assert (outside.path, outside.line) == (Path(site.name, "content/incidents/a.md"), inside.line)
    assert inside.path == Path("content/incidents/a.md")


def files_as_written(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_after_one_edit_the_record_cache_writes_only_what_holds_its_record(make_site, tmp_path) -> None:
    site = make_site({f"content/incidents/i{n}.md": incident(f"Incident {n}") for n in range(30)})
    out = tmp_path / "out"
    shards = cache_folder(out) / "shards" / RECORD_TABLE
    build_site(site, out, now=NOW)
    before = files_as_written(shards)
    (site / "content/incidents/i7.md").write_text(incident("Incident 7, edited"))
    build_site(site, out, now=NOW)
    after = files_as_written(shards)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert 1 <= len(changed) <= 2 < len(before)
    assert len(session(site, out).cache.load_shards(RECORD_TABLE)) == 30


def test_a_process_building_again_takes_its_records_from_memory_not_from_the_cache(make_site, tmp_path) -> None:
    """The preview's next build takes the last one's records as they are: the very objects, not decoded again."""
    site = make_site({f"content/incidents/i{n}.md": incident(f"Incident {n}") for n in range(3)})
    out, memory = tmp_path / "out", BuildMemory()
    first = build_site(site, out, now=NOW, memory=memory).site
    shutil.rmtree(cache_folder(out) / "shards")  # memory alone can give them back now
    (site / "content/incidents/i1.md").write_text(incident("Incident 1, edited"))
    again = build_site(site, out, now=NOW, memory=memory).site
    assert [again.incident_by_slug[slug] is first.incident_by_slug[slug] for slug in ("i0", "i1", "i2")] == [
        True,
        False,
        True,
    ]
    assert again.incident_by_slug["i1"].title == "Incident 1, edited"
    clean = tmp_path / "clean"
    build_site(site, clean, now=NOW)
    assert tree_bytes(out) == tree_bytes(clean)


def test_records_in_memory_are_not_taken_by_a_build_in_another_environment(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out, memory = tmp_path / "out", BuildMemory()
    first = build_site(site, out, now=NOW, memory=memory).site
    config = site / "sitegen.toml"
    config.write_text(config.read_text().replace('title = "', 'title = "Renamed '))
    again = build_site(site, out, now=NOW, memory=memory).site
    assert again.incidents[0] is not first.incidents[0] and again.incidents[0] == first.incidents[0]
    assert memory.records is not None
    (kept,) = memory.records.incidents.previous.values()
    assert kept is again.incidents[0]  # left for the next build, in the new environment


def test_rebuilds_with_nothing_changed_write_no_file(make_site, tmp_path) -> None:
    """The site swaps between two trees; once both are up to date, a rebuild leaves every file as it was."""
    site = make_site({"content/incidents/a.md": incident(), "content/incidents/b.md": incident("B")})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    build_site(site, out, now=NOW)
    first = files_as_written(out)
    kept = texts_and_records(cache_folder(out))
    build_site(site, out, now=NOW)
    build_site(site, out, now=NOW)
    assert files_as_written(out) == first
    assert texts_and_records(cache_folder(out)) == kept  # nor its cache of texts and records


def texts_and_records(cache: Path) -> dict[str, tuple[int, int]]:
    written = files_as_written(cache)
    found = {name: at for name, at in written.items() if name.startswith(("shards/markdown/", "shards/records/"))}
    assert {name.split("/")[1] for name in found} == {"markdown", "records"}
    return found


def test_files_changed_or_added_by_hand_in_either_tree_are_set_right(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out, clean = tmp_path / "out", tmp_path / "clean"
    build_site(site, clean, now=NOW)
    expected = {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()}
    build_site(site, out, now=NOW)
    build_site(site, out, now=NOW)
    kept = cache_folder(out) / "site"
    for tree in (out, kept):
        with open(tree / "incidents/a/index.html", "ab") as page:
            page.write(b"<script>edited by hand</script>")
        (tree / "CNAME").write_text("status.example.com\n")
        os.unlink(tree / "index.html")
    for _ in range(2):
        build_site(site, out, now=NOW)
        assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == expected


def test_pages_are_written_into_the_kept_tree_where_they_are_rendered(make_site, tmp_path) -> None:
    """Publishing from the trees, a page's bytes go to disk where it is made: none are held for the whole site."""
    site_dir = make_site({"content/incidents/a.md": incident()})
    site = load_site(site_dir, now=NOW)
    theme = Theme.for_site(site_dir, site.config.theme)
    in_memory = render_site(site, theme)
    trees = session(site_dir, tmp_path / "out").trees
    files = render_site(site, theme, trees)
    page = "incidents/a/index.html"
    assert page not in files and page in files.written
    assert (trees.kept / page).read_bytes() == in_memory[page]
    assert files.paths == in_memory.paths


@pytest.mark.parametrize("in_the_way", ["link", "file"])
def test_what_stands_in_the_kept_tree_in_place_of_a_folder_is_replaced_never_written_through(
    make_site, tmp_path, in_the_way: str
) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out, clean, elsewhere = tmp_path / "out", tmp_path / "clean", tmp_path / "elsewhere"
    build_site(site, out, now=NOW)
    build_site(site, out, now=NOW)
    kept = cache_folder(out) / "site"
    shutil.rmtree(kept / "incidents")
    elsewhere.mkdir()
    if in_the_way == "link":
        (kept / "incidents").symlink_to(elsewhere, target_is_directory=True)
    else:
        (kept / "incidents").write_text("in the way")
    (site / "content/incidents/a.md").write_text(incident("A, edited"), encoding="utf-8")
    build_site(site, out, now=NOW)
    build_site(site, clean, now=NOW)
    assert list(elsewhere.iterdir()) == []
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()
    }


def remade(site_dir: Path, out: Path, paths: Iterable[str]) -> set[str]:
    """Which of ``paths`` a build of ``site_dir`` into ``out`` would make now: the others, its trees hold."""
    site = load_site(site_dir, now=NOW)
    files = render_site(site, Theme.for_site(site_dir, site.config.theme), session(site_dir, out).trees)
    assert set(paths) <= files.paths
    return {path for path in paths if path in files.written}


def test_a_feed_is_made_again_only_when_one_of_its_entries_changed(make_site, tmp_path) -> None:
    """With one entry a feed, editing the older incident leaves every feed as it was; editing the newer does not."""
    older = incident("Older", updates="  - at: 2026-11-18T10:00:00Z\n    status: resolved\n    body: Fixed.\n")
    site_dir = make_site(
        {"content/incidents/older.md": older, "content/incidents/newer.md": incident("Newer")},
        config=DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nfeed_entries = 1'),
    )
    out = tmp_path / "out"
    feeds = {"history.atom", "history.rss"}

    build_site(site_dir, out, now=NOW)
    build_site(site_dir, out, now=NOW)
    (site_dir / "content/incidents/older.md").write_text(older.replace("Fixed.", "Fixed for good."))
    assert remade(site_dir, out, feeds) == set()
    (site_dir / "content/incidents/newer.md").write_text(incident("Newer, renamed"))
    assert remade(site_dir, out, feeds) == feeds


def test_an_edit_remakes_the_pages_of_the_components_it_touched_and_no_others(make_site, tmp_path) -> None:
    """A component page is keyed by its uptime record: editing an incident of the database leaves the API's page."""
    on_api = incident("API errors", extra="components:\n  api: major_outage\n")
    on_db = incident("Slow queries", extra="components:\n  db: partial_outage\n")
    site_dir = make_site({"content/incidents/api.md": on_api, "content/incidents/db.md": on_db})
    out = tmp_path / "out"
    pages = {"components/api/index.html", "components/db/index.html"}

    build_site(site_dir, out, now=NOW)
    build_site(site_dir, out, now=NOW)
    assert remade(site_dir, out, pages) == set()
    (site_dir / "content/incidents/db.md").write_text(on_db.replace("Fixed.", "Fixed, an index was missing."))
    assert remade(site_dir, out, pages) == {"components/db/index.html"}


def test_the_front_page_is_remade_for_an_edit_within_its_days_only(make_site, tmp_path) -> None:
    """The front page shows each component's last 90 days: an edit to an older incident of the same component
    leaves it, one within those days remakes it (its component's page shows every year: both remake that)."""
    updates = "  - at: {day}T10:00:00Z\n    status: investigating\n    body: Down.\n" + (
        "  - at: {day}T10:30:00Z\n    status: resolved\n    body: Fixed.\n"
    )
    old = incident("Old", updates=updates.format(day="2026-01-10"), extra="components:\n  api: major_outage\n")
    new = incident("New", updates=updates.format(day="2026-11-20"), extra="components:\n  api: major_outage\n")
    site_dir = make_site({"content/incidents/old.md": old, "content/incidents/new.md": new})
    out = tmp_path / "out"
    pages = {"index.html", "components/api/index.html"}

    build_site(site_dir, out, now=NOW)
    build_site(site_dir, out, now=NOW)
    (site_dir / "content/incidents/old.md").write_text(old.replace("Down.", "Down, all of it."))
    assert remade(site_dir, out, pages) == {"components/api/index.html"}
    build_site(site_dir, out, now=NOW)
    (site_dir / "content/incidents/new.md").write_text(new.replace("Down.", "Down, all of it."))
    assert remade(site_dir, out, pages) == pages
    build_site(site_dir, out, now=NOW)
    clean = tmp_path / "clean"
    build_site(site_dir, clean, now=NOW)
    assert tree_bytes(out) == tree_bytes(clean)


def test_an_incident_opened_remakes_the_documents_of_its_components_incidents_only(make_site, tmp_path) -> None:
    """An incident's API document shows its components' status now: a new outage of the database changes
    the documents of the database's incidents, and leaves the API's."""
    on_api = incident("API errors", extra="components:\n  api: major_outage\n")
    on_db = incident("Slow queries", extra="components:\n  db: partial_outage\n")
    site_dir = make_site({"content/incidents/api.md": on_api, "content/incidents/db.md": on_db})
    out = tmp_path / "out"
    documents = {name: urls.api(f"incidents/{incident_id(name)}.json") for name in ("api", "db")}

    build_site(site_dir, out, now=NOW)
    build_site(site_dir, out, now=NOW)
    ongoing = "  - at: 2026-11-28T11:00:00Z\n    status: investigating\n    body: Down again.\n"
    (site_dir / "content/incidents/db-again.md").write_text(
        incident("Database down", updates=ongoing, extra="components:\n  db: major_outage\n")
    )
    assert remade(site_dir, out, documents.values()) == {documents["db"]}


def test_a_change_of_the_overall_status_leaves_the_pages_that_do_not_show_it(make_site, tmp_path) -> None:
    """Only the front page and the widget show the overall status: an outage beginning leaves an old incident's
    page, the history and the write-ups as they were, and their previews never tell of it."""
    site_dir = make_site({"content/incidents/old.md": incident("Old errors")})
    out = tmp_path / "out"
    pages = {"index.html", "incidents/old/index.html", "history/index.html", "subscribe/index.html"}

    build_site(site_dir, out, now=NOW)
    build_site(site_dir, out, now=NOW)
    ongoing = "  - at: 2026-11-28T11:00:00Z\n    status: investigating\n    body: Down.\n"
    (site_dir / "content/incidents/new.md").write_text(
        incident("Database down", updates=ongoing, extra="components:\n  db: major_outage\n")
    )
    assert remade(site_dir, out, pages) == {"index.html", "history/index.html"}  # the history lists the new incident
    built = build_site(site_dir, out, now=NOW).site
    assert built.indicator is not Impact.NONE
    described = (out / "subscribe/index.html").read_text(encoding="utf-8")
    assert f'<meta property="og:description" content="Incident history of {built.config.title}">' in described


def test_a_sites_texts_are_walked_once_however_often_they_are_asked_for(make_site, monkeypatch) -> None:
    site_dir = make_site({"content/incidents/a.md": incident(body="A *summary*.")})
    site = load_site(site_dir, now=NOW)
    renders = markdown.MarkdownRenders()
    renders.prerender_site(site)
    kept = renders.kept_for(site)
    assert "<em>summary</em>" in "".join(kept.values())

    def walked_again(site):
        raise AssertionError("the texts were walked again")

    monkeypatch.setattr(markdown, "site_texts", walked_again)
    renders.prerender_site(site)
    assert renders.kept_for(site) == kept
    with pytest.raises(AssertionError, match="walked again"):
        renders.prerender_site(load_site(site_dir, now=NOW))  # another site, even an equal one, is walked


def test_every_output_key_holds_the_environment_its_maker_and_its_path() -> None:
    """Views say what an output is made from; the keys alone add what every output depends on."""
    first, other = OutputKeys("environment one"), OutputKeys("environment two")
    assert first.of(render_site, "a.json", 1) == OutputKeys("environment one").of(render_site, "a.json", 1)
    assert first.of(render_site, "a.json", 1) != other.of(render_site, "a.json", 1)
    assert first.of(render_site, "a.json", 1) != first.of(build_site, "a.json", 1)
    assert first.of(render_site, "a.json", 1) != first.of(render_site, "b.json", 1)
    assert first.of(render_site, "a.json", 1) != first.of(render_site, "a.json", 2)
