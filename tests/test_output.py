"""The output folder: swapped in whole, and only ever a folder sitegen owns."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NOW, cache_folder, incident, tree_bytes

from sitegen import build as build_module
from sitegen.build import build_site
from sitegen.errors import ContentError, OutputError
from sitegen.output.publish import MARKER


def test_failed_build_leaves_previous_site_untouched(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    before = tree_bytes(out)
    (site / "content/incidents/b.md").write_text("---\ntitle: [unclosed\n---\n")
    with pytest.raises(ContentError):
        build_site(site, out, now=NOW)
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "site"]  # no staging folder left behind


def test_crash_while_writing_leaves_previous_site_untouched(make_site, tmp_path, monkeypatch) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    before = tree_bytes(out)

    def interrupted(staging, out_dir):
        raise KeyboardInterrupt  # as if Ctrl-C came between writing and swapping

    monkeypatch.setattr("sitegen.output.publish._swap", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(site, out, now=NOW)
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "site"]


def test_rebuild_replaces_stale_files(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    (site / "content/incidents/a.md").rename(site / "content/incidents/b.md")
    build_site(site, out, now=NOW)
    assert not (out / "incidents" / "a").exists()
    assert (out / "incidents" / "b" / "index.html").is_file()
    assert (out / MARKER).is_file()


def test_refuses_a_folder_it_did_not_write(make_site, tmp_path) -> None:
    site = make_site({})
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(OutputError, match="holds files sitegen did not write"):
        build_site(site, out, now=NOW)
    assert (out / "thesis.tex").read_text() == "precious"
    build_site(site, out, now=NOW, force=True)
    assert (out / "index.html").is_file()


@pytest.mark.parametrize("target", [".", "content", "..", "content/incidents"])
def test_refuses_the_site_itself_and_its_content(make_site, target) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    with pytest.raises(OutputError):
        build_site(site, site / target, now=NOW, force=True)
    assert (site / "content/incidents/a.md").is_file()


def test_two_outputs_on_one_path_is_caught(make_site, tmp_path, monkeypatch) -> None:
    site = make_site({})
    original = build_module.render_site

    def clashing(site_model, theme, kept=None, environment=None, **options):
        files = original(site_model, theme, kept, environment, **options)
        files.add("index.html", b"again")
        return files

    monkeypatch.setattr(build_module, "render_site", clashing)
    with pytest.raises(ValueError, match="two outputs claim 'index.html'"):
        build_site(site, tmp_path / "out", now=NOW)


KILLED_BUILD = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
import sitegen.output.publish as output
from sitegen.build import build_site

real_update = output._update_tree

def update_then_hang(files, trees):
    real_update(files, trees)
    Path(sys.argv[3]).touch()  # tell the test the new tree is half-way to being swapped in
    time.sleep(60)

output._update_tree = update_then_hang
build_site(Path(sys.argv[1]), Path(sys.argv[2]), now=datetime(2026, 11, 28, tzinfo=timezone.utc))
"""


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    before = tree_bytes(out)
    (site / "content/incidents/b.md").write_text(incident("B"), encoding="utf-8")
    ready = tmp_path / "ready"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    process = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(site), str(out), str(ready)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the build never got half-way"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert tree_bytes(out) == before
    build_site(site, out, now=NOW)
    assert (out / "incidents/b/index.html").is_file()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".out.new-", ".out.old-"))]
    rebuilt = tree_bytes(out)
    shutil.rmtree(out)
    shutil.rmtree(cache_folder(out))
    build_site(site, out, now=NOW)
    assert tree_bytes(out) == rebuilt, "the tree the kill left half-written was set right"


def test_refuses_the_root_and_the_home_folder_even_with_force(make_site, tmp_path, monkeypatch) -> None:
    site = make_site({})
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    for target in (Path("/"), home):
        with pytest.raises(OutputError, match="refusing to replace"):
            build_site(site, target, now=NOW, force=True)
    assert (home / "notes.txt").read_text() == "mine"
