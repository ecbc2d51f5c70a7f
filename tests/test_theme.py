"""A site's own theme layered over the default one."""

from __future__ import annotations

import pytest
from conftest import DEFAULT_CONFIG, NOW

from sitegen.build import build_site
from sitegen.errors import ContentError


def test_site_theme_overrides_a_template_and_extends_the_default(make_site, tmp_path) -> None:
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "brand"')
    site = make_site(
        {
            "themes/brand/templates/partials/footer-extra.html": "<p class='brand'>Brand footer</p>",
            "themes/brand/templates/404.html": '{% extends "default/404.html" %}{% block title %}Lost{% endblock %}',
            "themes/brand/static/style.css": "body { color: rebeccapurple; }",
            "themes/brand/static/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        },
        config=config,
    )
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    assert "Brand footer" in (out / "index.html").read_text()
    not_found = (out / "404.html").read_text()
    assert "<title>Lost</title>" in not_found and "Page not found" in not_found
    assert (out / "assets/style.css").read_text() == "body { color: rebeccapurple; }"
    assert (out / "assets/logo.svg").is_file()


def test_template_error_names_the_template_and_line(make_site, tmp_path) -> None:
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "broken"')
    site = make_site(
        {"themes/broken/templates/partials/footer-extra.html": "<p>\n{{ no_such_thing.attribute }}</p>"},
        config=config,
    )
    with pytest.raises(ContentError) as caught:
        build_site(site, tmp_path / "out", now=NOW)
    (problem,) = caught.value.problems
    assert problem.path.name == "footer-extra.html"
    assert problem.line == 2
    assert "no_such_thing" in problem.message
    assert not (tmp_path / "out").exists()
