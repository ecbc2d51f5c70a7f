"""The output folder: swapped in whole, and only ever a folder sitegen owns."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW, incident

from sitegen import build as build_module
from sitegen.build import build_site
from sitegen.errors import ContentError, OutputError
from sitegen.output import MARKER


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_previous_site_untouched(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    before = snapshot(out)
    (site / "content/incidents/b.md").write_text("---\ntitle: [unclosed\n---\n")
    with pytest.raises(ContentError):
        build_site(site, out, now=NOW)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no staging folder left behind


def test_crash_while_writing_leaves_previous_site_untouched(make_site, tmp_path, monkeypatch) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    before = snapshot(out)

    def interrupted(staging, out_dir):
        raise KeyboardInterrupt  # as if Ctrl-C came between writing and swapping

    monkeypatch.setattr("sitegen.output._swap", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(site, out, now=NOW)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


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

    def clashing(site_model, theme):
        files = original(site_model, theme)
        files.add("index.html", b"again")
        return files

    monkeypatch.setattr(build_module, "render_site", clashing)
    with pytest.raises(ValueError, match="two outputs claim 'index.html'"):
        build_site(site, tmp_path / "out", now=NOW)
