"""Incident templates: `sitegen new --template`, their placeholders filled once and never evaluated, and `check`
reporting every mistake in them with its file and line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import NOW

from sitegen.commands.main import main
from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus, Impact, UpdateStatus

STAMP = "2026-11-28T12:00:00Z"
OUTAGE = """\
---
title: "{summary}"
impact: major
components:
  api: major_outage
---
We are investigating problems with {components}.
Details: {details}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_new_from_a_template_fills_title_text_impact_and_components(make_site) -> None:
    site = make_site({"content/templates/outage.md": OUTAGE})
    result = run(
        "new", "--site", str(site), "--template", "outage", "-c", "db=partial_outage",
        "--set", "summary=Sign-in fails", "--set", "details=Since 11:50.", "--now", STAMP,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    loaded = load_site(site, now=NOW).incident_by_slug["2026-11-28-sign-in-fails"]
    assert loaded.title == "Sign-in fails"
    assert loaded.declared_impact is Impact.MAJOR
    assert loaded.components == {"api": ComponentStatus.MAJOR_OUTAGE, "db": ComponentStatus.PARTIAL_OUTAGE}
    assert loaded.updates[0].status is UpdateStatus.INVESTIGATING
    assert loaded.updates[0].body == "We are investigating problems with API, Database.\nDetails: Since 11:50."


def test_options_given_win_over_the_template(make_site) -> None:
    site = make_site({"content/templates/outage.md": OUTAGE})
    result = run(
        "new", "Our own title", "--site", str(site), "--template", "outage", "-c", "api=degraded_performance",
        "--impact", "minor", "-m", "Our own words.", "--now", STAMP,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    loaded = load_site(site, now=NOW).incident_by_slug["2026-11-28-our-own-title"]
    assert (loaded.title, loaded.declared_impact) == ("Our own title", Impact.MINOR)
    assert loaded.components == {"api": ComponentStatus.DEGRADED_PERFORMANCE}
    assert loaded.updates[0].body == "Our own words."


def test_a_value_is_text_only_never_evaluated_or_expanded_again(make_site) -> None:
    site = make_site({"content/templates/outage.md": OUTAGE})
    hostile = "{details} {0.__class__} \x1b[31m"
    result = run(
        "new", "--site", str(site), "--template", "outage", "--set", f"summary={hostile}",
        "--set", "details=ok", "--now", STAMP,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (path,) = (site / "content" / "incidents").glob("*.md")
    assert load_site(site, now=NOW).incident_by_slug[path.stem].title == "{details} {0.__class__} [31m"


def test_a_placeholder_left_without_a_value_is_named(make_site) -> None:
    site = make_site({"content/templates/outage.md": OUTAGE})
    result = run("new", "--site", str(site), "--template", "outage", "--now", STAMP)
    assert result.exit_code == 1
    assert "template 'outage' uses {details}, {summary}: give --set details=... --set summary=..." in result.output
    assert not (site / "content" / "incidents").exists()


def test_an_unknown_template_names_those_there_are(make_site) -> None:
    site = make_site({"content/templates/outage.md": OUTAGE})
    result = run("new", "--site", str(site), "--template", "outtage", "--now", STAMP)
    assert result.exit_code == 1
    assert "no template 'outtage'; did you mean 'outage'?" in result.output
    assert "templates: degraded, outage" in result.output


def test_sitegen_s_own_templates_serve_a_site_that_has_none(make_site) -> None:
    site = make_site({})
    result = run("new", "--site", str(site), "--template", "degraded", "-c", "db=degraded_performance", "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert load_site(site, now=NOW).incident_by_slug["2026-11-28-slow-responses-database"].title == (
        "Slow responses: Database"
    )


def test_set_refuses_a_name_that_is_no_placeholder(make_site) -> None:
    site = make_site({"content/templates/outage.md": OUTAGE})
    for option in ("__class__=x", "components=x"):
        result = run("new", "--site", str(site), "--template", "outage", "--set", option)
        assert result.exit_code == 1
        assert f"--set '{option}' must be NAME=TEXT, NAME one of summary, details, alert, source, link" in result.output


def test_check_reports_every_mistake_of_a_template_with_its_line(make_site, tmp_path: Path) -> None:
    bad = """\
    ---
    title: "{summary.__class__} down"
    impact: big
    status: scheduled
    components:
      nope: down
    colour: red
    ---
    Fine {summary}.
    Not fine {summary!r}, {summary:>10} and {0}.
    A brace { alone.
    """
    site = make_site({"content/templates/bad.md": bad, "content/templates/outage.md": OUTAGE})
    result = run("check", str(site), "--now", STAMP)
    assert result.exit_code == 1
    lines = [line[line.index("bad.md") :] for line in result.output.splitlines() if "bad.md:" in line]
    assert lines == [
        "bad.md:2: 'title' has the unknown placeholder {summary.__class__}; use one of {summary}, {details}, "
        "{alert}, {source}, {link}, {components}",
        "bad.md:3: 'impact' is 'big', not one of none, minor, major, critical",
        "bad.md:4: 'status' is 'scheduled', not one of investigating, identified, monitoring, resolved, postmortem",
        "bad.md:6: unknown component 'nope' (components are declared in sitegen.toml)",
        "bad.md:7: unknown key 'colour' in the template's front matter",
        "bad.md:10: the text has the unknown placeholder {0}; use one of {summary}, {details}, {alert}, {source}, "
        "{link}, {components}",
        "bad.md:10: the text has {summary!r}: write {summary}, a placeholder takes no '!' or ':'",
        "bad.md:10: the text has {summary:>10}: write {summary}, a placeholder takes no '!' or ':'",
        "bad.md:11: the text has an unmatched '{' or '}': write '{{' or '}}' for a brace itself",
    ]


def test_the_templates_init_ships_are_valid_and_fill(tmp_path: Path) -> None:
    site = tmp_path / "status"
    assert run("init", str(site)).exit_code == 0
    assert sorted(p.name for p in (site / "content" / "templates").iterdir()) == ["degraded.md", "outage.md"]
    checked = run("check", str(site), "--strict")
    assert checked.exit_code == 0, checked.output
    for name in ("outage", "degraded"):
        made = run(
            "new", "--site", str(site), "--template", name, "-c", "api=partial_outage",
            "--set", "summary=API errors", "--now", STAMP,
        )  # fmt: skip
        assert made.exit_code == 0, made.output
    titles = sorted(i.title for i in load_site(site, now=NOW).incidents if i.started == NOW)
    assert titles == ["API errors", "Slow responses: API"]
