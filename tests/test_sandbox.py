"""A site's theme renders in a sandbox: its templates cannot run code, read files or change the model.

A theme arrives in a pull request like content does, and ``sitegen check``
renders it in CI. Each payload below is what such a pull request could put
in a template; each must fail the build with the template's file and line,
and leave no trace of what it tried.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DEFAULT_CONFIG, NOW, REPO, incident, tree_bytes
from jinja2.sandbox import SandboxedEnvironment

from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.errors import ContentError
from sitegen.views.theme import Theme, ThemeSandbox

THEMED = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "pr"')
MARKER = "sandbox-marker"

PAYLOADS = {
    "os through a global's function": "{{ cycler.__init__.__globals__.os.popen('touch {out}') }}",
    "os through the subclasses of object": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "a module given as a value": "{{ urls.urlsplit }}",
    "reading a file through a record's source": "{{ site.incidents[0].source.path.read_text() }}",
    "deleting a file through a record's source": "{{ site.incidents[0].source.path.unlink() }}",
    "a path reached by another route": "{% for i in site.incidents %}{{ i.source }}{% endfor %}",
    "the notify channels": "{{ config.notify }}",
    "the timezone object": "{{ config.tz.key }}",
    "changing the model's lists": "{{ site.incident_by_slug.pop('a') }}",
    "the template's own internals": "{{ self._TemplateReference__context }}",
    "a format string reaching attributes": "{{ '{0.__class__}'.format(site) }}",
}


def themed(make_site, template: str) -> Path:
    return make_site(
        {
            "content/incidents/a.md": incident(),
            "themes/pr/templates/partials/footer-extra.html": f"<p>\n{template}</p>",
        },
        config=THEMED,
    )


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=list(PAYLOADS))
def test_a_template_cannot_reach_outside_the_model(make_site, tmp_path: Path, payload: str) -> None:
    out = tmp_path / "out"
    touched = tmp_path / "touched"
    site = themed(make_site, payload.replace("{out}", str(touched)))
    with pytest.raises(ContentError) as caught:
        build_site(site, out, now=NOW)
    (problem,) = caught.value.problems
    assert (problem.path.name, problem.line) == ("footer-extra.html", 2)
    assert "template error" in problem.message
    assert not out.exists() and not touched.exists()


def test_the_model_is_not_changed_by_a_template(make_site) -> None:
    site = load_site(make_site({"content/incidents/a.md": incident()}), now=NOW)
    env = Theme.for_site(make_site({}, name="other"), "pr").environment()
    for template in ("{% do site.incidents.append(1) %}", "{{ site.incident_by_slug.clear() }}"):
        with pytest.raises(Exception):  # noqa: B017 (a syntax error for 'do', a SecurityError for the call)
            env.from_string(template).render(site=site)
    assert len(site.incidents) == 1 and set(site.incident_by_slug) == {"a"}


def test_what_templates_need_still_works(make_site, tmp_path: Path) -> None:
    """The default theme's own use of the model, filters and urls, and a theme's use of ``extra``."""
    template = (
        f"{MARKER} {{{{ urls.incident('a') }}}} {{{{ site.incidents[0].extra.ticket }}}} "
        "{{ ngettext('%(num)d update', '%(num)d updates', site.incidents[0].updates | length) }} {{ local_time(now) }}"
    )
    files = {
        "content/incidents/a.md": incident(extra="extra:\n  ticket: OPS-1\n"),
        "themes/pr/templates/partials/footer-extra.html": template,
    }
    out = tmp_path / "out"
    build_site(make_site(files, config=THEMED), out, now=NOW)
    footer = (out / "index.html").read_text(encoding="utf-8")
    assert f"{MARKER} incidents/a/ OPS-1 2 updates Sat, Nov 28, 2026, 12:00 PM UTC" in footer


def test_the_shipped_theme_renders_the_same_bytes_outside_the_sandbox(example_site, tmp_path: Path) -> None:
    """Only a site's own templates need the sandbox and its budget; the default theme alone renders without them.

    The example site built through a site theme that overrides nothing (so every template is the shipped one,
    rendered in the sandbox) equals the example built with the shipped theme in a plain environment.
    """
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "sitegen.toml").read_text(encoding="utf-8")
    (site / "sitegen.toml").write_text(config.replace("[site]\n", '[site]\ntheme = "same"\n', 1), encoding="utf-8")
    (site / "themes" / "same" / "templates").mkdir(parents=True)
    assert isinstance(Theme.for_site(site, "same").environment(), ThemeSandbox)
    assert not isinstance(Theme.for_site(site, "default").environment(), SandboxedEnvironment)
    out = tmp_path / "out"
    build_site(site, out, now=NOW, cache_dir=tmp_path / "cache")
    assert tree_bytes(out) == tree_bytes(example_site)


def test_a_kept_answer_is_never_given_for_another_kind_of_value() -> None:
    """The sandbox keeps its answers by object type, attribute and value type: a path is refused after a text."""

    class Record:
        pass

    sandbox = ThemeSandbox()
    assert sandbox.is_safe_attribute(Record(), "where", "a text")
    assert not sandbox.is_safe_attribute(Record(), "where", Path("/etc/passwd"))
    assert sandbox.is_safe_attribute(Record(), "where", "another text")
    assert not sandbox.is_safe_attribute(Record(), "_where", "a text")
