"""Publishing the output: one atomic switch, recovery from any kill, fixed modes, and a clear error on bad disks."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NOW, incident, tree_bytes

from sitegen.build import build_site
from sitegen.errors import ContentError, OutputError
from sitegen.output import publish
from sitegen.output.cache import BuildCache
from sitegen.output.publish import MARKER, SiteFiles
from sitegen.output.trees import Trees


@pytest.mark.skipif(publish._renameat2() is None, reason="needs Linux renameat2")
def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("from a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "y").write_text("from b")
    assert publish._exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "y").read_text() == "from b"
    assert (tmp_path / "b" / "x").read_text() == "from a"


def test_a_kill_between_two_renames_is_undone_by_the_next_build_even_a_failing_one(make_site, tmp_path) -> None:
    """Where the switch takes two renames, a kill between them leaves no output folder; the next build restores it."""
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    before = tree_bytes(out)
    retired = tmp_path / ".out.old-abcd1234"
    out.rename(retired)  # the state a kill after the first rename leaves
    (site / "content/incidents/b.md").write_text("---\ntitle: [unclosed\n---\n")
    with pytest.raises(ContentError):
        build_site(site, out, now=NOW)
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "site"]


def test_leftovers_are_recognised_by_name_even_when_a_kill_removed_their_marker(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    half_deleted = tmp_path / ".out.old-x_y2z9qq"
    (half_deleted / "incidents").mkdir(parents=True)  # rmtree got as far as the marker, then the kill came
    (half_deleted / "incidents" / "index.html").write_text("stale")
    unrelated = tmp_path / ".out.old-notes"  # not a name mkdtemp makes
    unrelated.mkdir()
    build_site(site, out, now=NOW)
    assert not half_deleted.exists()
    assert unrelated.is_dir()


def test_the_fallback_switch_is_used_where_exchange_is_not_available(make_site, tmp_path, monkeypatch) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    monkeypatch.setattr(publish, "_renameat2", lambda: None)
    (site / "content/incidents/a.md").rename(site / "content/incidents/b.md")
    build_site(site, out, now=NOW)
    assert (out / "incidents/b/index.html").is_file() and not (out / "incidents/a").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "site"]


def test_output_modes_do_not_depend_on_the_umask(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    previous = os.umask(0o077)
    try:
        build_site(site, tmp_path / "out", now=NOW)
    finally:
        os.umask(previous)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").rglob("*") if p.is_file()}
    folders = {stat.S_IMODE(p.stat().st_mode) for p in [tmp_path / "out", *(tmp_path / "out").rglob("*")] if p.is_dir()}
    assert (modes, folders) == ({0o644}, {0o755})


@pytest.mark.parametrize("target", ["themes", "themes/brand", ".git", "sitegen.toml"])
def test_force_never_replaces_the_sites_own_files(make_site, target) -> None:
    site = make_site({"content/incidents/a.md": incident(), "themes/brand/static/x.css": "a{}", ".git/HEAD": "ref"})
    with pytest.raises(OutputError, match="holds the site's own files"):
        build_site(site, site / target, now=NOW, force=True)
    assert (site / "themes/brand/static/x.css").read_text() == "a{}"
    assert (site / ".git/HEAD").read_text() == "ref"


def test_force_never_replaces_another_site(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    other = make_site({"content/incidents/b.md": incident()}, name="other")
    with pytest.raises(OutputError, match="holds a site's own files"):
        build_site(site, other, now=NOW, force=True)
    assert (other / "content/incidents/b.md").is_file()


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_an_output_that_cannot_be_created_is_a_clear_error(make_site, tmp_path, where) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    (tmp_path / "some-file").write_text("x")
    target = tmp_path / "some-file" / "out" if where == "under-a-file" else Path("/proc/sitegen-nope")
    with pytest.raises(OutputError, match=f"^cannot write the site to {target}: .*; the previous site is unchanged$"):
        build_site(site, target, now=NOW)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 KiB file system, mounted for the test (root only; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)]).returncode:
        pytest.skip("needs root to mount a small file system")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_a_clear_error_and_leaves_the_previous_site(make_site, small_disk) -> None:
    out = small_disk / "out"
    trees = Trees(out, small_disk / ".out.kept", BuildCache(small_disk / "cache", "an environment"))
    files = SiteFiles()
    files.add("index.html", b"old site")
    publish.publish(files, out, trees)
    big = SiteFiles()
    big.add("index.html", b"new site")
    big.add("big.bin", b"x" * 400_000)
    with pytest.raises(OutputError, match="the disk is full; the previous site is unchanged"):
        publish.publish(big, out, trees)
    assert tree_bytes(out) == {MARKER: publish.MARKER_TEXT.encode(), "index.html": b"old site"}
    assert sorted(p.name for p in small_disk.iterdir()) == [".out.kept", "cache", "out"]  # the kept tree, half-written
