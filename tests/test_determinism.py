"""The same input and the same --now give the same bytes."""

from __future__ import annotations

from datetime import timedelta

from conftest import NOW, REPO, tree_bytes

from sitegen.build import build_site


def test_two_builds_of_the_example_are_byte_identical(tmp_path) -> None:
    build_site(REPO, tmp_path / "one", now=NOW)
    build_site(REPO, tmp_path / "two", now=NOW)
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_file_creation_order_does_not_matter(tmp_path) -> None:
    """Copy the example's files in opposite orders: directory listing order must not leak into output."""
    sources = sorted(p for p in (REPO / "content").rglob("*.md"))
    for name, order in (("forward", sources), ("backward", sources[::-1])):
        site = tmp_path / name
        for source in order:
            target = site / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
        (site / "sitegen.toml").write_bytes((REPO / "sitegen.toml").read_bytes())
        build_site(site, tmp_path / f"out-{name}", now=NOW)
    assert tree_bytes(tmp_path / "out-forward") == tree_bytes(tmp_path / "out-backward")


def test_output_depends_on_now(tmp_path) -> None:
    """A check that the comparison above can fail: another --now moves the front page."""
    build_site(REPO, tmp_path / "one", now=NOW)
    build_site(REPO, tmp_path / "two", now=NOW + timedelta(days=3))
    assert (tmp_path / "one/index.html").read_bytes() != (tmp_path / "two/index.html").read_bytes()
