"""A site's theme cannot publish files from outside the site folder through symlinks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DEFAULT_CONFIG, NOW, incident

from sitegen.build import build_site
from sitegen.errors import ContentError

THEMED = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "brand"')
SECRET = "root:x:0:0:secret-marker\n"
OUTSIDE = "this theme {what} links to a place outside the site folder: copy it in instead"


@pytest.fixture
def secret(tmp_path) -> Path:
    """A private file beside the site, standing in for /etc/passwd or ~/.ssh/id_rsa."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "id_rsa").write_text(SECRET)
    return folder / "id_rsa"


def themed_site(make_site, files: dict[str, str] | None = None) -> Path:
    return make_site(
        {
            "content/incidents/a.md": incident(),
            "themes/brand/static/brand.css": "body { color: teal; }",
            "themes/brand/templates/partials/footer-extra.html": "<p>Brand</p>",
            **(files or {}),
        },
        config=THEMED,
    )


def link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def build_problems(site: Path, out: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        build_site(site, out, now=NOW)
    assert not out.exists(), "nothing may be written when the theme is refused"
    return [f"{p.path.relative_to(site).as_posix()}:{p.line}: {p.message}" for p in caught.value.problems]


def published(out: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())


def test_a_static_symlink_out_of_the_site_is_refused(make_site, tmp_path, secret) -> None:
    site = themed_site(make_site)
    link(site / "themes/brand/static/key.txt", secret)
    assert build_problems(site, tmp_path / "out") == ["themes/brand/static/key.txt:1: " + OUTSIDE.format(what="file")]


def test_a_static_folder_symlink_out_of_the_site_is_refused(make_site, tmp_path, secret) -> None:
    site = themed_site(make_site)
    link(site / "themes/brand/static/keys", secret.parent)
    assert build_problems(site, tmp_path / "out") == ["themes/brand/static/keys:1: " + OUTSIDE.format(what="folder")]


def test_a_template_symlink_out_of_the_site_is_refused(make_site, tmp_path, secret) -> None:
    site = themed_site(make_site)
    (site / "themes/brand/templates/partials/footer-extra.html").unlink()
    link(site / "themes/brand/templates/partials/footer-extra.html", secret)
    assert build_problems(site, tmp_path / "out") == [
        "themes/brand/templates/partials/footer-extra.html:1: " + OUTSIDE.format(what="file")
    ]


def test_a_theme_folder_that_is_a_symlink_out_of_the_site_is_refused(make_site, tmp_path, secret) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "static").mkdir(parents=True)
    (elsewhere / "static/brand.css").write_text("body {}")
    site = make_site(
        {"content/incidents/a.md": incident(), "themes/.keep": ""}, config=THEMED.replace("brand", "shared")
    )
    link(site / "themes/shared", elsewhere)
    problems = build_problems(site, tmp_path / "out")
    assert problems and all(OUTSIDE.format(what="folder") in p or OUTSIDE.format(what="file") in p for p in problems)


def test_every_escaping_link_is_reported_in_one_run(make_site, tmp_path, secret) -> None:
    site = themed_site(make_site)
    link(site / "themes/brand/static/a.txt", secret)
    link(site / "themes/brand/static/b.txt", Path("/etc/hostname"))
    problems = build_problems(site, tmp_path / "out")
    assert [p.split(":", 1)[0] for p in problems] == ["themes/brand/static/a.txt", "themes/brand/static/b.txt"]


def test_symlinks_inside_the_site_still_work(make_site, tmp_path) -> None:
    """The check refuses only what leaves the site: a theme may link to its own or the site's files."""
    site = themed_site(make_site, {"shared/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    link(site / "themes/brand/static/logo.svg", site / "shared/logo.svg")
    link(site / "themes/brand/static/copy.css", Path("brand.css"))  # relative, inside
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    assert (out / "assets/logo.svg").read_text().startswith("<svg")
    assert (out / "assets/copy.css").read_text() == "body { color: teal; }"
    assert "Brand" in (out / "index.html").read_text()


def test_without_the_check_the_secret_would_be_published(make_site, tmp_path, secret, monkeypatch) -> None:
    """A check that the tests above can fail: with the guard removed, the secret reaches the output."""
    from sitegen.views.theme import Theme

    monkeypatch.setattr(Theme, "_check_inside_site", lambda self, folder: None)
    site = themed_site(make_site)
    link(site / "themes/brand/static/key.txt", secret)
    (site / "themes/brand/templates/partials/footer-extra.html").unlink()
    link(site / "themes/brand/templates/partials/footer-extra.html", secret)
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    assert (out / "assets/key.txt").read_text() == SECRET
    assert "secret-marker" in (out / "index.html").read_text()
