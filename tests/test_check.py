"""``sitegen check``: the build's validation without the writing, plus warnings, as a user and CI see them."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, REPO, incident

from sitegen.commands.check import check, workflow_command
from sitegen.errors import Problem
from sitegen.views.render import PageRenderer

NOW = "2026-11-28T12:00:00Z"
COMPONENTS = "components:\n  api: partial_outage\n"


def run(*args: str, env: dict[str, str] | None = None):
    group = click.Group(commands=[check])
    base = {"GITHUB_ACTIONS": None, "GITHUB_WORKSPACE": None, "SOURCE_DATE_EPOCH": None}
    return CliRunner().invoke(group, ["check", *args], env={**base, **(env or {})}, catch_exceptions=False)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under root with its content and modification time."""
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


def test_errors_are_listed_as_path_line_and_exit_1(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_site(
        {
            "content/incidents/a.md": incident(extra="wrteup: x\n"),
            "content/incidents/b.md": incident(extra="components:\n  apii: major_outage\n"),
        }
    )
    result = run("site", "--now", NOW)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "site/content/incidents/a.md:3: unknown key 'wrteup' in the front matter; did you mean 'writeup'?",
        "site/content/incidents/b.md:4: unknown component 'apii'; did you mean 'api'?"
        " (components are declared in sitegen.toml)",
        "2 errors; warnings are checked once the content loads.",
    ]


def test_template_errors_are_found_by_rendering_in_memory(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "brand"')
    make_site(
        {
            "content/incidents/a.md": incident(extra=COMPONENTS),
            "themes/brand/templates/partials/footer-extra.html": "<p>ok</p>\n<p>{{ no_such_name }}</p>\n",
        },
        config=config,
    )
    result = run("site", "--now", NOW)
    assert result.exit_code == 1
    assert "site/themes/brand/templates/partials/footer-extra.html:2: template error while rendering" in result.output
    assert "'no_such_name' is undefined" in result.output


def test_a_clean_site_passes(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_site({"content/incidents/2026-11-20-api-errors.md": incident(extra=COMPONENTS)})
    result = run("site", "--now", NOW, "--strict")
    assert result.exit_code == 0, result.output
    assert result.output == "Checked 1 incident and 0 write-ups: no problems.\n"


def test_the_example_site_has_no_warnings(tmp_path) -> None:
    """The heuristics must not cry wolf on real content (files named by their UTC date, say)."""
    (tmp_path / "published").mkdir()
    result = run(str(REPO), "--now", NOW, "--strict", "--published", str(tmp_path / "published"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


FUTURE = """\
  - at: 2026-11-27T10:00:00Z
    status: investigating
    body: We are looking into it.
  - at: 2026-12-01T09:00:00Z
    status: monitoring
    body: Typed the wrong month.
"""
AFTER_RESOLVED = """\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: We are looking into it.
  - at: 2026-11-20T12:00:00Z
    status: postmortem
    body: A write-up will follow.
  - at: 2026-11-20T11:00:00Z
    status: monitoring
    body: Posted after the resolution by mistake.
  - at: 2026-11-20T10:30:00Z
    status: resolved
    body: Fixed.
"""


def warning_site(make_site) -> Path:
    return make_site(
        {
            "content/incidents/2026-11-27-future.md": incident(extra=COMPONENTS, updates=FUTURE),
            "content/incidents/2026-11-20-after.md": incident(extra=COMPONENTS, updates=AFTER_RESOLVED),
            "content/incidents/2026-11-20-no-components.md": incident(),
            "content/incidents/2026-10-02-copied.md": incident(extra=COMPONENTS),
            # named for the day it started, not the day of its first update: fine
            "content/incidents/2026-11-19-late-evening.md": incident(
                extra=COMPONENTS + "started: 2026-11-19T23:50:00Z\n"
            ),
        }
    )


EXPECTED_WARNINGS = [
    "site/content/incidents/2026-10-02-copied.md:6: warning: the file name says 2026-10-02 but the incident started"
    " on 2026-11-20 (UTC): is a date wrong, or was the file copied or renamed? The file name is its permanent id",
    "site/content/incidents/2026-11-20-after.md:12: warning: this 'monitoring' update comes after the incident was"
    " resolved at 2026-11-20 10:30 UTC: only 'resolved' or 'postmortem' belongs after 'resolved'; the incident stays resolved"
    " from its first 'resolved' update",
    "site/content/incidents/2026-11-20-no-components.md:2: warning: no affected components: the incident will not"
    " show on any component",
    "site/content/incidents/2026-11-27-future.md:9: warning: this update is dated 2026-12-01 09:00 UTC, after now"
    " (2026-11-28 12:00 UTC): is the date a typo? It shows as posted in the future",
]


def test_warnings_are_reported_with_their_lines_and_do_not_fail(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    warning_site(make_site)
    result = run("site", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        *EXPECTED_WARNINGS,
        "Checked 5 incidents and 0 write-ups: 0 errors, 4 warnings.",
    ]


def test_strict_fails_on_warnings(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    warning_site(make_site)
    result = run("site", "--now", NOW, "--strict")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Checked 5 incidents and 0 write-ups: 0 errors, 4 warnings (--strict: warnings fail the check)."
    )


def test_maintenance_updates_after_completion_are_warned_about(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    updates = """\
  - at: 2026-11-20T08:00:00Z
    status: scheduled
    body: Planned.
  - at: 2026-11-21T11:00:00Z
    status: completed
    body: Done.
  - at: 2026-11-21T12:00:00Z
    status: in_progress
    body: Posted late.
"""
    window = "kind: maintenance\nscheduled_for: 2026-11-21T10:00:00Z\nscheduled_until: 2026-11-21T12:00:00Z\n"
    make_site({"content/incidents/2026-11-21-upgrade.md": incident(extra=window, updates=updates)})
    result = run("site", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "site/content/incidents/2026-11-21-upgrade.md:13: warning: this 'in_progress' update comes after the"
        " maintenance was completed at 2026-11-21 11:00 UTC: only 'completed' belongs after 'completed'; the maintenance"
        " stays completed from its first 'completed' update"
    )


def test_incidents_published_before_but_gone_now_are_reported(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    site = make_site({"content/incidents/2026-11-20-api-errors.md": incident(extra=COMPONENTS)})
    for slug in ("2026-11-20-api-errors", "2026-11-20-api-eror"):
        (site / "public" / "incidents" / slug).mkdir(parents=True)
    gone = (
        "site/content/incidents/2026-11-20-api-eror.md:1: warning: incident '2026-11-20-api-eror' was published"
        " but its file is gone: renamed? subscribers' links break"
    )
    result = run("site", "--now", NOW)  # the default: SITE/public
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [gone, "Checked 1 incident and 0 write-ups: 0 errors, 1 warning."]
    other = tmp_path / "gh-pages"
    (other / "incidents" / "2026-11-20-api-eror").mkdir(parents=True)
    (site / "public" / "incidents" / "2026-11-20-api-eror").rmdir()
    assert gone not in run("site", "--now", NOW).output
    assert gone in run("site", "--now", NOW, "--published", str(other)).output


def test_github_actions_annotations_are_escaped(make_site, tmp_path, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere"  # annotations are relative to the repository, not the working folder
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    make_site(
        {
            "content/incidents/2026-11-20-a:b,c.md": incident(extra=COMPONENTS),
            "content/incidents/2026-11-20-ok.md": incident(extra=COMPONENTS + "impact: 50%\n"),
        }
    )
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(tmp_path)}
    result = run(str(tmp_path / "site"), "--now", NOW, env=env)
    assert result.exit_code == 1
    commands = [line for line in result.output.splitlines() if line.startswith("::")]
    assert commands == [
        "::error file=site/content/incidents/2026-11-20-a%3Ab%2Cc.md,line=1::file name '2026-11-20-a:b,c.md'"
        " cannot be a URL slug: rename it to '2026-11-20-a-b-c.md'",
        "::error file=site/content/incidents/2026-11-20-ok.md,line=5::'impact' is '50%25', not one of none, minor,"
        " major, critical",
    ]
    lines = result.output.splitlines()
    assert lines[lines.index(commands[0]) - 1] == (  # after the plain line it repeats
        "../site/content/incidents/2026-11-20-a:b,c.md:1: file name '2026-11-20-a:b,c.md' cannot be a URL slug:"
        " rename it to '2026-11-20-a-b-c.md'"
    )
    outside = run(str(tmp_path / "site"), "--now", NOW)
    assert outside.exit_code == 1 and not [line for line in outside.output.splitlines() if line.startswith("::")]
    multiline = Problem(tmp_path / "site" / "sitegen.toml", 2, "one\r\ntwo: 100%")  # the loader quotes line breaks
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    assert workflow_command(multiline) == "::error file=site/sitegen.toml,line=2::one%0D%0Atwo: 100%25"


def test_warnings_are_annotated_as_warnings(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_site({"content/incidents/2026-11-20-no-components.md": incident()})
    result = run("site", "--now", NOW, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 0
    assert (
        "::warning file=site/content/incidents/2026-11-20-no-components.md,line=2::no affected components:"
        " the incident will not show on any component"
    ) in result.output.splitlines()


def test_check_writes_nothing(make_site, tmp_path) -> None:
    site = warning_site(make_site)
    (site / "public" / "incidents" / "old").mkdir(parents=True)
    before = snapshot(tmp_path)
    assert run(str(site), "--now", NOW).exit_code == 0
    (site / "content" / "incidents" / "broken.md").write_text(incident(extra="wrteup: x\n"))
    before_broken = snapshot(tmp_path)
    assert run(str(site), "--now", NOW).exit_code == 1
    assert snapshot(tmp_path) == before_broken
    assert set(before_broken) - set(before) == {"site/content/incidents/broken.md"}


def test_a_check_after_one_edit_renders_only_what_the_edit_changed(make_site, tmp_path, monkeypatch) -> None:
    """check shares the build's cache: the second check renders the edited incident's page, not every page."""
    site = make_site({f"content/incidents/2026-11-2{n}-i.md": incident(f"Incident {n}") for n in range(6)})
    rendered: list[str] = []
    original = PageRenderer.render
    monkeypatch.setattr(PageRenderer, "render", lambda self, page: rendered.append(page.path) or original(self, page))
    assert run(str(site), "--now", NOW).exit_code == 0
    assert "incidents/2026-11-23-i/" in rendered
    rendered.clear()
    (site / "content/incidents/2026-11-20-i.md").write_text(incident("Incident 0, edited"), encoding="utf-8")
    result = run(str(site), "--now", NOW)
    assert result.exit_code == 0 and "Checked 6 incidents and 0 write-ups: 0 errors" in result.output
    assert "incidents/2026-11-20-i/" in rendered and "incidents/2026-11-23-i/" not in rendered


def test_a_template_error_is_found_again_by_the_next_check(make_site, tmp_path, monkeypatch) -> None:
    """Only outputs that rendered without an error are taken as checked."""
    monkeypatch.chdir(tmp_path)
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "brand"')
    files = {"content/incidents/a.md": incident(), "themes/brand/templates/partials/footer-extra.html": "{{ nope }}"}
    make_site(files, config=config)
    for _ in range(2):
        result = run("site", "--now", NOW)
        assert result.exit_code == 1 and "'nope' is undefined" in result.output
