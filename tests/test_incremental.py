"""A rebuild that reuses the cache gives the same bytes as a clean build, whatever was edited in between.

Random sequences of edits (incidents added, edited, renamed and deleted,
write-ups, components, settings, the theme, and a ``now`` that crosses
midnight, the time zone) are applied to one site; after each, the site is
rebuilt into an output that keeps its cache (and its kept tree) and built
afresh, with no cache in the process or on disk, into another, and the two
trees must match byte for byte.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import zoneinfo
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import filelock
import pytest
from conftest import DEFAULT_CONFIG, NOW, cache_folder, incident, tree_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import MARKDOWN_TABLE, CacheSession, build_site
from sitegen.errors import ContentError, OutputError
from sitegen.output.lock import lock_path
from sitegen.views import environment, markdown
from sitegen.views.render import PageRenderer

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
        shutil.rmtree(clean, ignore_errors=True)
        shutil.rmtree(cache_folder(clean), ignore_errors=True)
        assert outcome(site, clean, now) == kept_result, f"after {edit} {n}"
        if kept_result == "built":  # an edit may break the site (a write-up's incident deleted): both refuse it
            assert tree_bytes(kept) == tree_bytes(clean), f"after {edit} {n}"


def outcome(site: Path, out: Path, now: datetime) -> str:
    try:
        build_site(site, out, now=now)
    except ContentError as exc:
        return "\n".join(p.message for p in exc.problems)
    return "built"


def test_the_cache_keeps_only_this_sites_texts(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident(), "content/incidents/b.md": incident("B", body="Gone soon.")})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    (site / "content/incidents/b.md").unlink()
    build_site(site, out, now=NOW)
    kept = CacheSession.open(site, out, base_url=None, cache_dir=None).cache.load_shards(MARKDOWN_TABLE)
    assert markdown.digest("Gone soon.") not in kept
    assert markdown.digest("Fixed.") in kept


# Edits outside the content, and attacks on the cache: after each, a rebuild with the cache equals a clean build.


def equals_a_clean_build(site: Path, kept: Path, now: datetime = NOW) -> None:
    """Build ``site`` into ``kept`` with its cache; build it afresh, as a new process would; the two must match."""
    build_site(site, kept, now=now)
    clean = kept.with_name(f"{kept.name}-clean")
    shutil.rmtree(clean, ignore_errors=True)
    shutil.rmtree(cache_folder(clean), ignore_errors=True)
    build_site(site, clean, now=now)
    assert tree_bytes(kept) == tree_bytes(clean)


@pytest.fixture
def zone_rules(tmp_path, monkeypatch):
    """``swap()`` puts other rules under the name Europe/Paris, as a tzdata update would (``PYTHONTZPATH``)."""
    real = resources.files("tzdata.zoneinfo")
    folders = [tmp_path / "rules-old", tmp_path / "rules-new"]
    for folder, source in zip(folders, (("Europe", "Paris"), ("Asia", "Tokyo"))):
        (folder / "Europe").mkdir(parents=True)
        (folder / "Europe/Paris").write_bytes(real.joinpath(*source).read_bytes())
    (tmp_path / "rules-old/UTC").write_bytes(real.joinpath("UTC").read_bytes())
    (tmp_path / "rules-new/UTC").write_bytes(real.joinpath("UTC").read_bytes())

    def use(folder: Path) -> None:
        monkeypatch.setenv("PYTHONTZPATH", str(folder))
        zoneinfo.reset_tzpath()

    use(folders[0])
    yield lambda: use(folders[1])
    monkeypatch.delenv("PYTHONTZPATH")
    zoneinfo.reset_tzpath()


def test_zone_rules_swapped_under_the_same_name(make_site, tmp_path, zone_rules) -> None:
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "Europe/Paris"')
    site = make_site({"content/incidents/2026-11-20-a.md": incident()}, config=config)
    build_site(site, tmp_path / "out", now=NOW)
    zone_rules()
    equals_a_clean_build(site, tmp_path / "out")


def test_a_theme_catalogue_edited(make_site, tmp_path) -> None:
    catalogue = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgctxt "update status"\nmsgid "Resolved"\nmsgstr "%s"\n'
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nlanguage = "fr"\ntheme = "brand"')
    files = {"content/incidents/2026-11-20-a.md": incident(), "themes/brand/locale/fr.po": catalogue % "Réglé"}
    site = make_site(files, config=config)
    build_site(site, tmp_path / "out", now=NOW)
    (site / "themes/brand/locale/fr.po").write_text(catalogue % "Terminé", encoding="utf-8")
    equals_a_clean_build(site, tmp_path / "out")
    assert "Terminé" in (tmp_path / "out/incidents/2026-11-20-a/index.html").read_text(encoding="utf-8")


def test_a_theme_include_ignore_missing_then_the_missing_file_added(make_site, tmp_path) -> None:
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "brand"')
    footer = "themes/brand/templates/partials/footer-extra.html"
    files = {
        "content/incidents/2026-11-20-a.md": incident(),
        footer: '<p>Footer</p>{% include "partials/not-yet.html" ignore missing %}',
    }
    site = make_site(files, config=config)
    build_site(site, tmp_path / "out", now=NOW)
    (site / "themes/brand/templates/partials/not-yet.html").write_text("<p>Now here</p>", encoding="utf-8")
    equals_a_clean_build(site, tmp_path / "out")
    assert "Now here" in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def test_a_markdown_rule_changed_within_one_version(make_site, tmp_path, monkeypatch) -> None:
    """A new release (or an edit) of sitegen's code renders Markdown otherwise: nothing rendered before is taken."""
    site = make_site({"content/incidents/2026-11-20-a.md": incident(body="Fixed -- at last.")})
    build_site(site, tmp_path / "out", now=NOW)
    monkeypatch.setattr(markdown, "_md", markdown._SafeLinkMarkdown("commonmark", {"typographer": True}))
    markdown._md.enable(["replacements"])
    monkeypatch.setattr(environment, "code_digest", lambda: "the digest of the changed code")
    equals_a_clean_build(site, tmp_path / "out")
    assert "Fixed – at last." in (tmp_path / "out/incidents/2026-11-20-a/index.html").read_text(encoding="utf-8")


def test_a_cache_restored_through_tar_gives_an_incremental_build(make_site, tmp_path, user_cache, monkeypatch) -> None:
    """As CI's cache does: an archive of the cache folder, unpacked on a fresh machine (new inodes), no output."""
    site = make_site({f"content/incidents/2026-11-2{n}-i.md": incident(f"Incident {n}") for n in range(6)})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    archive = tmp_path / "cache.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(user_cache, arcname="sitegen")
    shutil.rmtree(user_cache)
    shutil.rmtree(out)
    with tarfile.open(archive) as tar:
        tar.extractall(user_cache.parent, filter="tar")
    (site / "content/incidents/2026-11-20-i.md").write_text(incident("Incident 0, edited"), encoding="utf-8")
    rendered: list[str] = []
    original = PageRenderer.render
    monkeypatch.setattr(PageRenderer, "render", lambda self, page: rendered.append(page.path) or original(self, page))
    equals_a_clean_build(site, out)
    pages = [page for page in rendered if page.startswith("incidents/")]
    assert "incidents/2026-11-20-i/" in pages and "incidents/2026-11-23-i/" in pages  # built once with the cache,
    assert len(pages) == len(set(pages)) + 1  # once clean: only the edited incident's page was rendered again


PLANTED = b"cos\nsystem\n(S'touch %s'\ntR."
"""A pickle that runs a shell command when loaded."""


def plant(folder: Path, marker: Path) -> None:
    """Replace every file under ``folder`` by a pickle that would create ``marker``; add some where pickles were."""
    for path in [p for p in folder.rglob("*") if p.is_file()]:
        path.write_bytes(PLANTED % str(marker).encode())
    for name in ("records/00.pickle", "records.pickle", "templates/x-page.html.template"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(PLANTED % str(marker).encode())


def test_a_planted_pickle_in_the_cache_never_runs(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    out, marker = tmp_path / "out", tmp_path / "code-ran"
    build_site(site, out, now=NOW)
    build_site(site, out, now=NOW)
    plant(cache_folder(out), marker)
    plant(tmp_path / ".out.cache", marker)  # where earlier versions kept it, beside the output
    (site / "content/incidents/2026-11-20-a.md").write_text(incident("A, edited"), encoding="utf-8")
    equals_a_clean_build(site, out)
    assert not marker.exists()
    assert pickle.loads(PLANTED % str(marker).encode()) == 0 and marker.exists()  # the plant was a real one


def test_a_cache_with_flipped_bits_is_ignored(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident(), "content/incidents/2026-11-21-b.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    build_site(site, out, now=NOW)
    for index, path in enumerate(sorted(p for p in cache_folder(out).rglob("*") if p.is_file())):
        data = bytearray(path.read_bytes())
        data[(index * 7919) % len(data)] ^= 0x04
        path.write_bytes(bytes(data))
    equals_a_clean_build(site, out)


def test_cache_files_linked_to_dev_zero_neither_hang_nor_fail(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    build_site(site, out, now=NOW)
    for path in [p for p in cache_folder(out).rglob("*.json")] + [cache_folder(out) / "site/index.html"]:
        path.unlink()
        path.symlink_to("/dev/zero")
    command = [sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out), "--now", NOW.isoformat(), "-q"]
    assert subprocess.run(command, timeout=120, capture_output=True).returncode == 0
    equals_a_clean_build(site, out)


def test_a_link_planted_in_the_kept_tree_is_never_followed(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    build_site(site, out, now=NOW)
    build_site(site, out, now=NOW)
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("the runner's secret")
    kept = cache_folder(out) / "site"
    (kept / "index.html").unlink()
    (kept / "index.html").symlink_to(elsewhere / "secret.txt")
    shutil.rmtree(kept / "incidents")
    (kept / "incidents").symlink_to(elsewhere, target_is_directory=True)
    for path in kept.rglob("*"):  # as a restored cache: every file's time is new
        os.utime(path, follow_symlinks=False)
    equals_a_clean_build(site, out)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["secret.txt"]
    assert (elsewhere / "secret.txt").read_text() == "the runner's secret"
    assert not any(b"secret" in data for data in tree_bytes(out).values())


def test_a_cache_folder_inside_the_sites_repository_is_refused(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    (site / ".git").mkdir()
    with pytest.raises(OutputError, match="inside .* pull request could plant"):
        build_site(site, site / "public", now=NOW, cache_dir=site / ".cache")
    assert not (site / ".cache").exists() and not (site / "public").exists()


def test_a_committed_link_in_place_of_the_cache_folder_is_refused(make_site, tmp_path, user_cache) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("kept")
    user_cache.mkdir(parents=True)
    cache_folder(out).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="is a link"):
        build_site(site, out, now=NOW)
    assert [p.name for p in elsewhere.iterdir()] == ["keep.txt"]


def test_a_link_in_place_of_the_lock_file_is_refused(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    target = tmp_path / "precious.txt"
    target.write_text("precious")
    (tmp_path / ".out.lock").symlink_to(target)
    with pytest.raises(OutputError, match="not sitegen's lock file"):
        build_site(site, tmp_path / "out", now=NOW)
    assert target.read_text() == "precious"


def test_a_second_build_into_one_output_waits_for_the_first_and_says_so(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    out = tmp_path / "out"
    first = filelock.FileLock(lock_path(out))
    first.acquire()
    told: list[str] = []

    def told_to_wait() -> None:
        told.append("waiting")
        first.release()  # the first build ends

    build_site(site, out, now=NOW, on_wait=told_to_wait)
    assert told == ["waiting"]
    equals_a_clean_build(site, out)


def test_two_builds_into_one_output_at_once_never_publish_a_mix(make_site, tmp_path) -> None:
    """Two sites built at once into one output, again and again: the output is always one site whole."""
    sites = [
        make_site({f"content/incidents/2026-11-2{n}-i.md": incident(f"{name} {n}") for n in range(8)}, name=name)
        for name in ("one", "two")
    ]
    out = tmp_path / "out"
    clean = []
    for site in sites:
        build_site(site, tmp_path / f"clean-{site.name}", now=NOW)
        clean.append(tree_bytes(tmp_path / f"clean-{site.name}"))
    for _ in range(3):
        builds = [
            subprocess.Popen(
                [sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out), "--now", NOW.isoformat(), "-q"],
                stderr=subprocess.PIPE,
            )
            for site in sites
        ]
        assert [build.wait(timeout=300) for build in builds] == [0, 0]
        assert tree_bytes(out) in clean
