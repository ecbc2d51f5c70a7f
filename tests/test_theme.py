"""A site's own theme layered over the default one."""

from __future__ import annotations

from datetime import timedelta
from types import CodeType

import pytest
from conftest import DEFAULT_CONFIG, NOW, incident

from sitegen.analysis.uptime import site_uptime
from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.content.statuses import UpdateStatus
from sitegen.errors import ContentError
from sitegen.views.cards import PreviewCards
from sitegen.views.pages import Current, front_page, incident_page
from sitegen.views.theme import Theme


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


# What templates are given: values worked out in Python, not computations ----------------------------------


IN_WINDOW_MAINTENANCE = """\
---
title: Database upgrade
kind: maintenance
components:
  db: under_maintenance
scheduled_for: 2026-11-28T10:00:00Z
scheduled_until: 2026-11-28T14:00:00Z
updates:
  - at: 2026-11-20T09:00:00Z
    status: scheduled
    body: We will upgrade the database.
---
"""


def test_pages_hand_templates_the_status_at_now(make_site) -> None:
    """A maintenance whose window has come is in progress though its only update says scheduled."""
    files = {"content/incidents/upgrade.md": IN_WINDOW_MAINTENANCE, "content/incidents/errors.md": incident()}
    site = load_site(make_site(files), now=NOW)
    upgrade = site.incident_by_slug["upgrade"]
    assert upgrade.latest_update.status is UpdateStatus.SCHEDULED
    front = front_page(site, site_uptime(site)).context
    assert front["active_maintenances"] == [Current(upgrade, UpdateStatus.IN_PROGRESS)]
    assert front["active_incidents"] == front["upcoming_maintenances"] == []
    page = incident_page(site, upgrade, PreviewCards(site)).context
    assert (page["status"], page["duration"], page["upcoming"]) == (UpdateStatus.IN_PROGRESS, timedelta(hours=2), False)
    errors = incident_page(site, site.incident_by_slug["errors"], PreviewCards(site)).context
    assert (errors["status"], errors["duration"]) == (UpdateStatus.RESOLVED, timedelta(minutes=30))


def test_templates_show_those_values(make_site, tmp_path) -> None:
    files = {"content/incidents/upgrade.md": IN_WINDOW_MAINTENANCE, "content/incidents/errors.md": incident()}
    out = tmp_path / "out"
    build_site(make_site(files), out, now=NOW)
    index = (out / "index.html").read_text()
    assert 'aria-labelledby="maintenance-now"' in index
    assert '<span class="update-status update-status--in_progress">In progress</span>' in index
    errors = (out / "incidents/errors/index.html").read_text()
    assert "<dt>Resolved</dt>" in errors and "<dd>30 minutes</dd>" in errors
    assert "· resolved after 30 minutes" in (out / "history/index.html").read_text()


def test_maintenance_pages_say_completed_where_incidents_say_resolved(make_site, tmp_path) -> None:
    front_matter = IN_WINDOW_MAINTENANCE.rsplit("---\n", 1)[0]
    done = front_matter + "  - at: 2026-11-28T11:00:00Z\n    status: completed\n    body: Done early.\n---\n"
    out = tmp_path / "out"
    build_site(make_site({"content/incidents/upgrade.md": done}), out, now=NOW)
    page = (out / "incidents/upgrade/index.html").read_text()
    assert "<dt>Completed</dt>" in page and "<dt>Resolved</dt>" not in page


def test_templates_count_with_the_catalogues_plural_rules(make_site) -> None:
    """Counts go through ngettext, which knows each language's plural forms (sitegen.views.i18n)."""
    env = Theme.for_site(make_site({}), "default").environment()
    template = env.from_string("{{ ngettext('%(num)d incident', '%(num)d incidents', n) }}")
    assert [template.render(n=n) for n in (0, 1, 2)] == ["0 incidents", "1 incident", "2 incidents"]


def test_an_edited_template_is_compiled_again(make_site, tmp_path) -> None:
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "brand"')
    footer = "themes/brand/templates/partials/footer-extra.html"
    site = make_site({footer: "<p>First footer</p>", "content/incidents/2026-11-20-api.md": incident()}, config=config)
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    (site / footer).write_text("<p>Second footer</p>")
    build_site(site, out, now=NOW)
    page = (out / "index.html").read_text()
    assert "Second footer" in page and "First footer" not in page
    (site / footer).write_text("<p>First footer</p>")  # back as it was: its first compilation is right again
    build_site(site, out, now=NOW)
    page = (out / "index.html").read_text()
    assert "First footer" in page and "Second footer" not in page


def test_compiled_templates_are_kept_for_the_next_build_but_never_shared_with_the_sandbox(tmp_path) -> None:
    """A process's later builds (a preview's) take templates compiled before; the sandbox compiles its own,
    which count the text a template makes against its budget."""
    first = Theme.for_site(tmp_path, "default").environment().get_template("incident.html")
    later = Theme.for_site(tmp_path, "default").environment()

    def compile_again(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"compiled again: {args[1] if len(args) > 1 else kwargs}")

    later.compile = compile_again  # type: ignore[method-assign]
    assert later.get_template("incident.html").render is not None  # taken as compiled, in a new environment
    sandboxed = Theme.for_site(tmp_path, "brand").environment().get_template("incident.html")
    assert "made_text" in _names(sandboxed.root_render_func.__code__)
    assert "made_text" not in _names(first.root_render_func.__code__)


def _names(code: CodeType) -> set[str]:
    """The names a compiled template's code uses, its nested functions' too."""
    found = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            found |= _names(constant)
    return found
