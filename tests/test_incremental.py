"""A rebuild that reuses the cache gives the same bytes as a clean build, whatever was edited in between.

Random sequences of edits (incidents added, edited, renamed and deleted,
write-ups, components, settings, the theme, and a ``now`` that crosses
midnight, the time zone) are applied to one site; after each, the site is
rebuilt into an output that keeps its cache (and its kept tree) and built
afresh, with no cache in the process or on disk, into another, and the two
trees must match byte for byte.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from conftest import NOW, incident
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import build_site
from sitegen.errors import ContentError
from sitegen.output.cache import BuildCache
from sitegen.views import markdown

INCIDENTS = Path("content/incidents")
EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            ["add", "edit", "rename", "delete", "writeup", "component", "config", "timezone", "theme", "midnight"]
        ),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=5,
)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def apply(site: Path, edit: str, n: int) -> timedelta:
    """Make one edit to the site; returns how far ``now`` moves."""
    files = sorted((site / INCIDENTS).glob("*.md"))
    if edit == "add" or not files:
        body = f"Looking into **issue {n}**.\n\nSee [the runbook](https://example.com/{n})."
        updates = f"  - at: 2026-11-2{n % 8}T10:0{n}:00Z\n    status: investigating\n    body: {body!r}\n"
        (site / INCIDENTS / f"2026-11-2{n % 8}-issue-{n}-{len(files)}.md").write_text(
            incident(f"Issue {n}", updates=updates, extra="components:\n  api: partial_outage\n")
        )
    elif edit == "edit":
        path = files[n % len(files)]
        path.write_text(path.read_text().replace("Fixed.", f"Fixed, take {n}."))
    elif edit == "rename":
        path = files[n % len(files)]
        path.rename(path.with_name(f"renamed-{n}-{path.name}"))
    elif edit == "delete":
        files[n % len(files)].unlink()
    elif edit == "writeup":
        slug = files[n % len(files)].stem
        text = f"---\ntitle: Review {n}\npublished: 2026-11-27T10:00:00Z\nincidents: {slug}\n---\nWhat *happened*.\n"
        (site / "content/writeups").mkdir(exist_ok=True)
        (site / "content/writeups" / f"review-{n}.md").write_text(text)
    elif edit == "component":
        config = site / "sitegen.toml"
        config.write_text(config.read_text().replace('name = "Website"', f'name = "Website {n}"'))
    elif edit == "config":
        config = site / "sitegen.toml"
        config.write_text(config.read_text().replace('title = "Test Status"', f'title = "Status {n}"'))
    elif edit == "timezone":
        config = site / "sitegen.toml"
        zones = ('timezone = "UTC"', 'timezone = "Europe/Paris"')
        text = config.read_text()
        config.write_text(text.replace(*zones) if zones[0] in text else text.replace(*reversed(zones)))
    elif edit == "theme":
        static = site / "themes/brand/static"
        static.mkdir(parents=True, exist_ok=True)
        (static / "extra.css").write_text(f"body {{ --n: {n}; }}\n")
        config = site / "sitegen.toml"
        if 'theme = "brand"' not in config.read_text():
            config.write_text(config.read_text().replace("[site]\n", '[site]\ntheme = "brand"\n'))
    elif edit == "midnight":
        return timedelta(hours=12 + n)
    return timedelta(0)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_a_rebuild_with_the_cache_equals_a_clean_build(make_site, tmp_path_factory, edits) -> None:
    root = tmp_path_factory.mktemp("incremental")
    site = make_site({"content/incidents/2026-11-20-a.md": incident()}, name=root.name)
    kept, clean = root / "kept", root / "clean"
    now = NOW
    build_site(site, kept, now=now)
    for edit, n in edits:
        now += apply(site, edit, n)
        kept_result = outcome(site, kept, now)
        markdown.forget()
        shutil.rmtree(clean, ignore_errors=True)
        shutil.rmtree(BuildCache.beside(clean).folder, ignore_errors=True)
        assert outcome(site, clean, now) == kept_result, f"after {edit} {n}"
        if kept_result == "built":  # an edit may break the site (a write-up's incident deleted): both refuse it
            assert tree(kept) == tree(clean), f"after {edit} {n}"


def outcome(site: Path, out: Path, now: datetime) -> str:
    try:
        build_site(site, out, now=now)
    except ContentError as exc:
        return "\n".join(p.message for p in exc.problems)
    return "built"


def test_a_damaged_or_foreign_cache_is_ignored(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    expected = tree(out)
    cache = BuildCache.beside(out)
    for damage in ("not json", '{"fingerprint": "another version", "entries": {}}', '{"entries": 5}'):
        for table in cache.folder.glob("*.json"):
            table.write_text(damage)
        markdown.forget()
        build_site(site, out, now=NOW)
        assert tree(out) == expected


def test_the_cache_keeps_only_this_sites_texts(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident(), "content/incidents/b.md": incident("B", body="Gone soon.")})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    (site / "content/incidents/b.md").unlink()
    build_site(site, out, now=NOW)
    kept = BuildCache.beside(out).load("markdown", markdown.RENDERER)
    assert markdown.digest("Gone soon.") not in kept
    assert markdown.digest("Fixed.") in kept
