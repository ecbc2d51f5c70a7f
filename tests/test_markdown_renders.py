"""The renders of a build's Markdown: its own, taken from the shards an earlier build kept, kept shard by shard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import NOW, cache_folder, incident, tree_bytes

from sitegen.build import MARKDOWN_TABLE, BuildMemory, CacheSession, build_site
from sitegen.output.cache import SHARDS
from sitegen.views import markdown
from sitegen.views.markdown import MarkdownRenders, digest

APPENDED = "Checked again: *still* fixed."


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """Every text the Markdown parser renders from now on, in this process."""
    texts: list[str] = []
    render = markdown._md.render

    def counted(text: str, env: object = None) -> str:
        texts.append(text)
        return render(text, env)

    monkeypatch.setattr(markdown._md, "render", counted)
    return texts


def updates(n: int, *, appended: bool = False) -> str:
    """Two updates of incident ``n``, each with a text of its own; ``appended``: a third between them."""
    found = f"  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    body: Looking into {n}.\n"
    if appended:
        found += f"  - at: 2026-11-20T10:15:00Z\n    status: identified\n    body: '{APPENDED}'\n"
    return found + f"  - at: 2026-11-20T10:30:00Z\n    status: resolved\n    body: Fixed {n}.\n"


@pytest.fixture
def site(make_site) -> Path:
    files = {f"content/incidents/i{n}.md": incident(f"Incident {n}", updates=updates(n)) for n in range(40)}
    return make_site(files)


def append_update(site: Path) -> None:
    (site / "content/incidents/i7.md").write_text(incident("Incident 7", updates=updates(7, appended=True)))


def shard_files(out: Path) -> dict[str, tuple[int, int, bytes]]:
    folder = cache_folder(out) / SHARDS / MARKDOWN_TABLE
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def kept_renders(site: Path, out: Path) -> dict[str, object]:
    return CacheSession.open(site, out, base_url=None, cache_dir=None).cache.load_shards(MARKDOWN_TABLE)


def test_two_builds_renders_are_their_own(rendered) -> None:
    first, second = MarkdownRenders(), MarkdownRenders()
    assert first.render("Down *again*.") == first.render("Down *again*.") == "<p>Down <em>again</em>.</p>\n"
    assert rendered == ["Down *again*."]  # once for the first
    assert second.render("Down *again*.") == "<p>Down <em>again</em>.</p>\n"
    assert rendered == ["Down *again*."] * 2  # and once for the second, which never saw the first's


def test_renders_kept_by_one_build_reach_only_the_build_given_them() -> None:
    text = "Fixed."
    given = MarkdownRenders({digest(text): "<p>as an earlier build kept it</p>\n"})
    assert given.render(text) == "<p>as an earlier build kept it</p>\n"  # equal keys are trusted
    assert MarkdownRenders().render(text) == "<p>Fixed.</p>\n"


def test_entries_that_are_not_text_are_dropped() -> None:
    renders = MarkdownRenders({digest("Fixed."): 5, digest("Down."): ["<p>x</p>"], digest("Up."): "<p>Up.</p>\n"})
    assert renders.loaded == {digest("Up."): "<p>Up.</p>\n"}
    assert renders.render("Fixed.") == "<p>Fixed.</p>\n"


def test_the_next_build_takes_the_renders_kept_in_shards(site, tmp_path, rendered) -> None:
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    cold = list(rendered)
    assert len(cold) == len(set(cold)) > 80  # each text once
    append_update(site)
    rendered.clear()
    build_site(site, out, now=NOW)  # a new build: what it did not render came from the shards
    assert rendered == [APPENDED]
    shutil.rmtree(cache_folder(out) / SHARDS / MARKDOWN_TABLE)
    rendered.clear()
    build_site(site, out, now=NOW)  # with no shards, nothing of the earlier builds is left
    assert sorted(rendered) == sorted([*cold, APPENDED])


def test_a_process_building_again_takes_the_renders_from_memory(site, tmp_path, rendered) -> None:
    """The preview's next build renders only the text a save added, though the cache's files are gone."""
    out, memory = tmp_path / "out", BuildMemory()
    build_site(site, out, now=NOW, memory=memory)
    shutil.rmtree(cache_folder(out) / SHARDS)
    append_update(site)
    rendered.clear()
    build_site(site, out, now=NOW, memory=memory)
    assert rendered == [APPENDED]


def test_an_appended_update_rewrites_only_the_shard_of_its_text(site, tmp_path) -> None:
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    before = shard_files(out)
    append_update(site)
    build_site(site, out, now=NOW)
    after = shard_files(out)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert len(changed) == 1 < len(before)
    assert digest(APPENDED).encode() in after[changed.pop()][2]
    assert digest(APPENDED) in kept_renders(site, out)
    assert not (cache_folder(out) / f"{MARKDOWN_TABLE}.json").exists()  # no whole table beside the shards


def test_damaged_and_planted_shards_are_ignored_and_set_right(site, tmp_path) -> None:
    out, clean = tmp_path / "out", tmp_path / "clean"
    build_site(site, out, now=NOW)
    complete = kept_renders(site, out)
    folder = cache_folder(out) / SHARDS / MARKDOWN_TABLE
    damaged = sorted(folder.iterdir())[0]
    data = bytearray(damaged.read_bytes())
    data[-2] ^= 0x04
    damaged.write_bytes(bytes(data))
    cache = CacheSession.open(site, out, base_url=None, cache_dir=None).cache
    planted = {digest("Fixed 3."): 5, digest("Looking into 3."): {"html": "<p>x</p>"}}
    cache.save_shards(MARKDOWN_TABLE, planted, {})  # well-formed shards whose entries are not text
    taken = MarkdownRenders(kept_renders(site, out)).loaded
    assert taken.keys() < complete.keys() and not taken.keys() & planted.keys()
    append_update(site)
    build_site(site, out, now=NOW)
    build_site(site, clean, now=NOW)
    assert tree_bytes(out) == tree_bytes(clean)
    appended = {digest(APPENDED): "<p>Checked again: <em>still</em> fixed.</p>\n"}
    assert kept_renders(site, out) == kept_renders(site, clean) == {**complete, **appended}
