"""``sitegen new``, ``update`` and ``resolve``: incident files written from the command line.

Hand-written files must come out byte for byte as they went in, apart from
the inserted update, so each edit is checked against the exact expected bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, NOW, incident

from sitegen.authoring.user_input import slugify
from sitegen.commands.new import new
from sitegen.commands.update import resolve, update
from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus, Impact, Kind, UpdateStatus

GROUP = click.Group(commands=[new, update, resolve])
STAMP = "2026-11-28T12:00:00Z"
LA_CONFIG = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "America/Los_Angeles"')
ONGOING = "  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    body: Looking.\n"
MAINTENANCE = """\
---
title: Database upgrade
kind: maintenance
scheduled_for: 2026-12-01T08:00:00Z
scheduled_until: 2026-12-01T10:00:00Z
components:
  db: under_maintenance
updates:
  - at: 2026-11-25T09:00:00Z
    status: scheduled
    body: We will upgrade the database.
---
"""


def run(site: Path, *args: str, env: dict[str, str] | None = None):
    """Run one command on ``site``; an exception escapes as a failure (no traceback may reach a user)."""
    return CliRunner().invoke(GROUP, [*args, "--site", str(site)], env=env, catch_exceptions=False)


def incident_file(site: Path, slug: str) -> Path:
    return site / "content" / "incidents" / f"{slug}.md"


def loaded(site: Path, slug: str):
    """The incident as the build sees it (this also proves the whole site still loads)."""
    return next(i for i in load_site(site, now=NOW).incidents if i.slug == slug)


# --- sitegen new ---------------------------------------------------------------------------------


def test_new_writes_an_incident_dated_in_the_site_timezone_that_loads(make_site) -> None:
    site = make_site({}, config=LA_CONFIG)
    result = run(
        site,
        "new",
        "Elevated API errors",
        "-c",
        "api=partial_outage",
        "--component",
        "db=degraded_performance",
        "--impact",
        "minor",
        "--body",
        "Requests fail: about 5%.",
        "--now",
        "2026-11-28T03:04:05.678Z",
    )
    assert result.exit_code == 0, result.output
    # 03:04 UTC is still the 27th in Los Angeles.
    path = incident_file(site, "2026-11-27-elevated-api-errors")
    assert "2026-11-27-elevated-api-errors.md: investigating at 2026-11-28T03:04:05Z" in result.stdout
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        "title: Elevated API errors\n"
        "impact: minor\n"
        "components:\n"
        "  api: partial_outage\n"
        "  db: degraded_performance\n"
        "updates:\n"
        "  - at: 2026-11-28T03:04:05Z\n"
        "    status: investigating\n"
        "    body: |-\n"
        "      Requests fail: about 5%.\n"
        "---\n"
    )
    found = loaded(site, path.stem)
    (first,) = found.updates
    assert first.at == datetime(2026, 11, 28, 3, 4, 5, tzinfo=UTC)
    assert (first.status, first.body) == (UpdateStatus.INVESTIGATING, "Requests fail: about 5%.")
    assert found.components == {"api": ComponentStatus.PARTIAL_OUTAGE, "db": ComponentStatus.DEGRADED_PERFORMANCE}
    assert found.declared_impact is Impact.MINOR


def test_new_quotes_a_title_yaml_would_misread_and_slugs_it_in_ascii(make_site) -> None:
    site = make_site({})
    title = 'Café: "checkout" # down'
    result = run(site, "new", title, "--status", "identified", "--now", STAMP)
    assert result.exit_code == 0, result.output
    found = loaded(site, "2026-11-28-cafe-checkout-down")
    assert found.title == title
    assert found.updates[0].status is UpdateStatus.IDENTIFIED
    assert found.updates[0].body == "The issue has been identified and a fix is being implemented."


def test_slugify() -> None:
    assert slugify("Elevated API errors") == "elevated-api-errors"
    assert slugify("Customer's  Dashboard — Café/Login!") == "customers-dashboard-cafe-login"
    assert slugify("🔥🔥") == "incident"
    long = slugify("word " * 30)
    assert len(long) <= 60 and long.endswith("word") and not long.endswith("-")
    assert len(slugify("x" * 100)) == 60


def test_a_second_incident_of_one_title_on_one_day_gets_a_name_of_its_own(make_site) -> None:
    site = make_site({})
    assert run(site, "new", "API errors", "--now", STAMP).exit_code == 0
    first = incident_file(site, "2026-11-28-api-errors")
    before = first.read_bytes()
    again = run(site, "new", "API errors", "--body", "Other text", "--now", "2026-11-28T13:00:00Z")
    assert again.exit_code == 0, again.output
    assert first.read_bytes() == before
    assert loaded(site, "2026-11-28-api-errors-2").updates[0].body == "Other text"
    assert again.stderr.splitlines() == [
        "2026-11-28-api-errors already exists (still open), so this one is 2026-11-28-api-errors-2.",
        "If it is the same incident, delete 2026-11-28-api-errors-2 and run: sitegen update 2026-11-28-api-errors ...",
    ]
    run(site, "resolve", "2026-11-28-api-errors", "--now", "2026-11-28T14:00:00Z")
    third = run(site, "new", "API errors", "--now", "2026-11-28T15:00:00Z")
    assert third.exit_code == 0, third.output
    assert third.stderr.splitlines() == [
        "2026-11-28-api-errors already exists (resolved), so this one is 2026-11-28-api-errors-3.",
    ]


def test_a_name_taken_by_a_markdown_file_of_another_suffix_counts_as_taken(make_site) -> None:
    site = make_site({"content/incidents/2026-11-28-api-errors.markdown": incident()})
    result = run(site, "new", "API errors", "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert not incident_file(site, "2026-11-28-api-errors").exists()
    assert incident_file(site, "2026-11-28-api-errors-2").is_file()


def test_a_slug_given_with_slug_is_used_and_never_changed(make_site) -> None:
    site = make_site({})
    assert run(site, "new", "Ошибки API", "--slug", "api-down", "--now", STAMP).exit_code == 0
    assert loaded(site, "2026-11-28-api-down").title == "Ошибки API"
    assert run(site, "new", "Other", "--slug", "2026-11-27-db", "--now", STAMP).exit_code == 0
    assert incident_file(site, "2026-11-27-db").is_file()  # a slug with its own date is the whole name
    taken = run(site, "new", "Again", "--slug", "api-down", "--now", STAMP)
    assert taken.exit_code == 1
    assert taken.stderr.splitlines()[0].endswith("2026-11-28-api-down.md already exists: choose another --slug")
    bad = run(site, "new", "Bad", "--slug", "API Down", "--now", STAMP)
    assert bad.exit_code == 1 and "--slug 'API Down' is not a slug" in bad.stderr and "api-down" in bad.stderr


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("数据库故障", "shu-ju-ku-gu-zhang"),
        ("Ошибки API", "oshibki-api"),
        ("Δίκτυο εκτός λειτουργίας", "diktuo-ektos-leitourgias"),
        ("Überlastung der Zahlungen", "uberlastung-der-zahlungen"),
    ],
)
def test_titles_in_any_script_give_a_readable_slug(make_site, title, slug) -> None:
    site = make_site({})
    result = run(site, "new", title, "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert loaded(site, f"2026-11-28-{slug}").title == title


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("apii=partial_outage", "unknown component 'apii'; did you mean 'api'?\nvalid components: api, db, web"),
        (
            "api=partial",
            "unknown status 'partial' for component 'api'; did you mean 'partial_outage'?\n"
            "valid component statuses: operational, under_maintenance",
        ),
        ("api", "--component 'api' must be written ID=STATUS"),
    ],
)
def test_new_checks_components_against_sitegen_toml(make_site, option, expected) -> None:
    site = make_site({})
    result = run(site, "new", "API errors", "-c", option, "--now", STAMP)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert not (site / "content" / "incidents").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--status", "resolvd"],
            "'resolvd' is not a status of an incident: use one of investigating, identified, "
            "monitoring, resolved, postmortem; did you mean 'resolved'?",
        ),
        (["--status", "in_progress"], "'in_progress' is a maintenance status"),
        (["--impact", "huge"], "impact 'huge' is not one of none, minor, major, critical"),
        (["--body", " \n "], "the text is empty"),
        (["--body", "a\x0cb"], "the body contains the character U+000C"),
    ],
)
def test_new_refuses_bad_values_with_exit_1(make_site, args, expected) -> None:
    site = make_site({})
    result = run(site, "new", "API errors", "--now", STAMP, *args)  # a later --now wins
    assert result.exit_code == 1
    assert expected in result.stderr
    assert not (site / "content" / "incidents").exists()


def test_the_time_comes_from_source_date_epoch_without_now(make_site) -> None:
    site = make_site({})
    result = run(site, "new", "API errors", env={"SOURCE_DATE_EPOCH": "1795867200"})  # 2026-11-28T12:00:00Z
    assert result.exit_code == 0, result.output
    assert loaded(site, "2026-11-28-api-errors").updates[0].at == datetime(2026, 11, 28, 12, tzinfo=UTC)


def test_new_with_edit_asks_for_the_text_after_checking_the_rest(make_site, monkeypatch) -> None:
    site = make_site({})
    calls = []

    def editor(text, **kwargs):
        calls.append(text)
        return "We are *looking*.\n\n" + text  # the template, scissors and all, stays below the text

    monkeypatch.setattr(click, "edit", editor)
    refused = run(site, "new", "API errors", "-c", "apii=major_outage", "--edit", "--now", STAMP)
    assert refused.exit_code == 1 and calls == []  # a typo is reported before anyone types a paragraph
    result = run(site, "new", "API errors", "--edit", "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert loaded(site, "2026-11-28-api-errors").updates[0].body == "We are *looking*."


def test_new_with_edit_closed_without_saving_writes_nothing(make_site, monkeypatch) -> None:
    site = make_site({})
    monkeypatch.setattr(click, "edit", lambda text, **kwargs: None)
    result = run(site, "new", "API errors", "--edit", "--now", STAMP)
    assert result.exit_code == 1
    assert "closed without saving" in result.stderr
    assert not (site / "content" / "incidents").exists()


def test_body_and_edit_together_are_refused(make_site) -> None:
    result = run(make_site({}), "new", "API errors", "--body", "x", "--edit")
    assert result.exit_code == 1
    assert "not both" in result.stderr


# --- sitegen update: the rest of the file stays byte for byte --------------------------------------

HAND_WRITTEN = """\
---
# Written by hand during the incident.
title: 'Checkout: "payments" failing'   # odd quoting on purpose
impact: major
updates:
  - status: investigating     # keys in another order
    at: "2026-11-20T10:00:00Z"
    body: >-
      Folded text
      that continues.
  # an aside between two updates
  - at: 2026-11-20T10:30:00Z
    status: identified
    body: "Quoted: with a colon"
    # a trailing comment inside the last update

# a comment after the list
components: {api: major_outage}
extra:
  ticket: OPS-1
---
A **Markdown** summary.

- with: a list
---
"""
HAND_WRITTEN_AFTER = "    # a trailing comment inside the last update\n"
FOUR_SPACES = """\
---
title: API errors
updates:
    - at: 2026-11-20T10:00:00Z
      status: investigating
      body: |
          Looking.
          Still looking.
extra:
    owner: ops
---
"""
TOP_LEVEL_DASH = """\
---
title: API errors
updates:
- at: 2026-11-20T10:00:00Z
  status: investigating
  body: Looking.   # a comment
extra:
  owner: ops
---
Body.
"""
KEPT_BLANK_LINES = """\
---
title: API errors
updates:
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: |+
      Kept trailing blank lines.


---
"""


def block(dash: int, content: int, step: int, newline: str = "\n") -> str:
    """The update the tests add, as it should be written in a file of the given indentation."""
    lines = [
        " " * dash + "-" + " " * (content - dash - 1) + f"at: {STAMP}",
        " " * content + "status: monitoring",
        " " * content + "body: |-",
        " " * (content + step) + "Fix deployed: watching #errors.",
        "",
        " " * (content + step) + '"Quoted" text.',
        " " * content + "components:",
        " " * (content + step) + "api: degraded_performance",
    ]
    return newline.join(lines) + newline


UPDATE_ARGS = (
    "--status",
    "monitoring",
    "-m",
    'Fix deployed: watching #errors.\n\n"Quoted" text.',
    "-c",
    "api=degraded_performance",
    "--now",
    STAMP,
)


@pytest.mark.parametrize(
    ("original", "after", "inserted"),
    [
        pytest.param(HAND_WRITTEN.encode(), HAND_WRITTEN_AFTER.encode(), block(2, 4, 2).encode(), id="hand-written"),
        pytest.param(
            HAND_WRITTEN.replace("\n", "\r\n").encode(),
            HAND_WRITTEN_AFTER.replace("\n", "\r\n").encode(),
            block(2, 4, 2, "\r\n").encode(),
            id="crlf",
        ),
        pytest.param(
            b"\xef\xbb\xbf" + HAND_WRITTEN.encode(), HAND_WRITTEN_AFTER.encode(), block(2, 4, 2).encode(), id="bom"
        ),
        pytest.param(FOUR_SPACES.encode(), b"          Still looking.\n", block(4, 6, 4).encode(), id="four-spaces"),
        pytest.param(
            TOP_LEVEL_DASH.encode(), b"  body: Looking.   # a comment\n", block(0, 2, 2).encode(), id="top-dash"
        ),
        pytest.param(KEPT_BLANK_LINES.encode(), b"Kept trailing blank lines.\n\n", block(2, 4, 2).encode(), id="keep"),
    ],
)
def test_update_inserts_one_item_and_keeps_every_other_byte(make_site, original, after, inserted) -> None:
    site = make_site({"content/incidents/2026-11-20-checkout.md": original})
    path = incident_file(site, "2026-11-20-checkout")
    result = run(site, "update", "2026-11-20-checkout", *UPDATE_ARGS)
    assert result.exit_code == 0, result.output
    assert "2026-11-20-checkout.md: monitoring at 2026-11-28T12:00:00Z" in result.stdout
    assert original.count(after) == 1
    assert path.read_bytes() == original.replace(after, after + inserted)
    latest = loaded(site, "2026-11-20-checkout").latest_update
    assert latest.at == NOW
    assert latest.status is UpdateStatus.MONITORING
    assert latest.body == 'Fix deployed: watching #errors.\n\n"Quoted" text.'
    assert latest.components == {"api": ComponentStatus.DEGRADED_PERFORMANCE}


@pytest.mark.parametrize("after", ["", "extra:\n  owner: ops\n"])
def test_a_keep_chomping_body_keeps_its_blank_lines(make_site, after) -> None:
    site = make_site({"content/incidents/a.md": KEPT_BLANK_LINES.replace("\n---\n", f"\n{after}---\n")})
    before = loaded(site, "a").updates[0].body
    assert before.startswith("Kept trailing blank lines.\n\n")  # the kept line ends are part of it
    assert run(site, "update", "a", "--status", "identified", "--now", STAMP).exit_code == 0
    assert loaded(site, "a").updates[0].body == before


@pytest.mark.parametrize(
    "body",
    [
        "key: value, 'single' and \"double\" quotes, # not a comment",
        "- a list\n- of: items\n\n> a quote",
        "    indented code first\nthen text",
        "\ttab first\n---\n...\nafter fences",
        "trailing spaces for a break  \nnext line",
        "|\n>\n&anchor *alias !tag %directive @at `tick`",
        "ünïcödé ✓ 🚀",
    ],
)
def test_update_body_reads_back_exactly(make_site, body) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING)})
    result = run(site, "update", "a", "--status", "identified", "--body", body, "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert loaded(site, "a").latest_update.body == body


def test_update_body_with_crlf_line_ends_is_stored_with_the_file_line_ends(make_site) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING)})
    assert run(site, "update", "a", "--status", "identified", "--body", "one\r\ntwo\r\n", "--now", STAMP).exit_code == 0
    assert b"\r" not in incident_file(site, "a").read_bytes()
    assert loaded(site, "a").latest_update.body == "one\ntwo"


def test_update_without_body_uses_the_status_default(make_site) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING)})
    assert run(site, "update", "a", "--status", "monitoring", "--now", STAMP).exit_code == 0
    assert loaded(site, "a").latest_update.body == "A fix has been implemented and we are monitoring the results."


# --- sitegen resolve -------------------------------------------------------------------------------


def test_resolve_adds_a_resolved_update_with_the_default_text(make_site) -> None:
    site = make_site({"content/incidents/2026-11-20-api-errors.md": incident(updates=ONGOING)})
    result = run(site, "resolve", "2026-11-20", "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert "Resolved" in result.stdout and "resolved at 2026-11-28T12:00:00Z" in result.stdout
    found = loaded(site, "2026-11-20-api-errors")
    assert found.resolved_at == NOW
    assert found.latest_update.body == "This incident has been resolved."


def test_resolve_with_a_body(make_site) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING)})
    assert run(site, "resolve", "a", "-m", "Back to normal: all good.", "--now", STAMP).exit_code == 0
    assert loaded(site, "a").latest_update.body == "Back to normal: all good."


def test_resolve_completes_a_maintenance(make_site) -> None:
    site = make_site({"content/incidents/2026-12-01-db-upgrade.md": MAINTENANCE})
    result = run(site, "resolve", "db-upgrade", "--now", STAMP)
    assert result.exit_code == 0, result.output
    found = loaded(site, "2026-12-01-db-upgrade")
    assert found.kind is Kind.MAINTENANCE
    assert found.latest_update.status is UpdateStatus.COMPLETED
    assert found.latest_update.body == "The scheduled maintenance has been completed."


def test_resolve_refuses_an_incident_already_resolved(make_site) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    before = incident_file(site, "a").read_bytes()
    result = run(site, "resolve", "a", "--now", STAMP)
    assert result.exit_code == 1
    assert "a.md is already resolved" in result.stderr
    assert incident_file(site, "a").read_bytes() == before


# --- which file ------------------------------------------------------------------------------------

FILES = {
    "content/incidents/2026-11-20-api-errors.md": incident(updates=ONGOING),
    "content/incidents/2026-11-20-api-errors-again.md": incident(updates=ONGOING),
    "content/incidents/2026-11-21-db-latency.md": incident(updates=ONGOING),
    "content/incidents/2026-11-22-web-down.md": incident(updates=ONGOING),
}


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("2026-11-21", "2026-11-21-db-latency"),  # a unique beginning
        ("web-do", "2026-11-22-web-down"),  # a unique part
        ("2026-11-20-api-errors", "2026-11-20-api-errors"),  # the whole name wins over a longer one
        ("content/incidents/2026-11-21-db-latency.md", "2026-11-21-db-latency"),  # a path, as a shell completes it
    ],
)
def test_a_unique_match_is_the_file_updated(make_site, query, slug) -> None:
    site = make_site(FILES)
    result = run(site, "update", query, "--status", "identified", "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert f"{slug}.md: identified" in result.stdout
    changed = [p.stem for p in (site / "content" / "incidents").iterdir() if b"identified" in p.read_bytes()]
    assert changed == [slug]


def test_an_ambiguous_match_lists_the_candidates_and_changes_nothing(make_site) -> None:
    site = make_site(FILES)
    before = {p: p.read_bytes() for p in (site / "content" / "incidents").iterdir()}
    result = run(site, "update", "api", "--status", "identified", "--now", STAMP)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "error: 'api' matches 2 open incidents; which one?",
        "  2026-11-20-api-errors",  # the closest first
        "  2026-11-20-api-errors-again",
    ]
    assert {p: p.read_bytes() for p in (site / "content" / "incidents").iterdir()} == before


def test_no_match_lists_the_ten_closest(make_site) -> None:
    files = {f"content/incidents/2026-10-{day:02}-outage-{day}.md": incident() for day in range(1, 13)}
    site = make_site({**files, "content/incidents/2026-11-20-database-slow.md": incident()})
    result = run(site, "update", "databse-slow", "--status", "identified", "--now", STAMP)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "error: no incident file matches 'databse-slow'; the closest are:"
    assert lines[1] == "  2026-11-20-database-slow"
    assert len(lines) == 12 and lines[11] == "  ... and 3 more"


# --- refusals that leave the file as it was ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status", "expected"),
    [
        (
            incident(updates=ONGOING),
            "completed",
            "'completed' is not a status of an incident: use one of "
            "investigating, identified, monitoring, resolved, postmortem ('completed' is a maintenance status",
        ),
        (
            MAINTENANCE,
            "resolved",
            "'resolved' is not a status of a maintenance: use one of scheduled, in_progress, "
            "verifying, completed ('resolved' is an incident status",
        ),
        (incident(updates=ONGOING), "identifed", "did you mean 'identified'?"),
    ],
)
def test_a_status_invalid_for_the_kind_is_refused(make_site, text, status, expected) -> None:
    site = make_site({"content/incidents/a.md": text})
    before = incident_file(site, "a").read_bytes()
    result = run(site, "update", "a", "--status", status, "--now", STAMP)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert incident_file(site, "a").read_bytes() == before


def test_an_unknown_component_in_an_update_is_refused(make_site) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING)})
    before = incident_file(site, "a").read_bytes()
    result = run(site, "update", "a", "--status", "identified", "-c", "dbb=major_outage", "--now", STAMP)
    assert result.exit_code == 1
    assert "unknown component 'dbb'; did you mean 'db'?\nvalid components: api, db, web" in result.stderr
    assert incident_file(site, "a").read_bytes() == before


def test_a_flow_style_updates_list_is_refused(make_site) -> None:
    text = "---\ntitle: API errors\nupdates: [{at: 2026-11-20T10:00:00Z, status: investigating, body: Looking.}]\n---\n"
    site = make_site({"content/incidents/a.md": text})
    result = run(site, "update", "a", "--status", "identified", "--now", STAMP)
    assert result.exit_code == 1
    assert "'updates' is written as a flow list ('[...]')" in result.stderr
    assert incident_file(site, "a").read_text() == text


def test_a_file_that_would_not_load_is_restored_and_its_errors_listed(make_site, monkeypatch) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING, extra="wrteup: x\n")})
    before = incident_file(site, "a").read_bytes()
    monkeypatch.setattr(click, "edit", lambda text, **kwargs: "My careful paragraph.\n")
    result = run(site, "update", "a", "--status", "identified", "--edit", "--now", STAMP)
    assert result.exit_code == 1
    assert "a.md would not load, so it was left unchanged:" in result.stderr
    assert "a.md:3: unknown key 'wrteup' in the front matter; did you mean 'writeup'?" in result.stderr
    assert result.stderr.rstrip().endswith("The text you wrote was not saved; here it is:\n\nMy careful paragraph.")
    assert incident_file(site, "a").read_bytes() == before
    assert sorted(p.name for p in (site / "content" / "incidents").iterdir()) == ["a.md"]  # no temporary file left


def test_a_problem_in_another_file_is_a_warning_not_a_refusal(make_site) -> None:
    site = make_site(
        {
            "content/incidents/a.md": incident(updates=ONGOING),
            "content/incidents/b.md": incident(extra="wrteup: x\n"),
        }
    )
    result = run(site, "update", "a", "--status", "identified", "--now", STAMP)
    assert result.exit_code == 0, result.output
    assert "warning: another file has a problem" in result.stderr and "b.md:3: unknown key 'wrteup'" in result.stderr
    assert "    status: identified\n" in incident_file(site, "a").read_text()


def test_an_update_earlier_than_the_latest_is_written_with_a_warning(make_site) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING)})
    result = run(site, "update", "a", "--status", "identified", "--now", "2026-11-20T09:00:00Z")
    assert result.exit_code == 0, result.output
    assert "warning: the file already has an update at 2026-11-20T10:00:00Z, later than this one" in result.stderr


def test_a_broken_sitegen_toml_is_reported_before_anything_is_written(make_site) -> None:
    site = make_site({}, config="[site]\ntitle = 'x'\n")
    result = run(site, "new", "API errors", "--now", STAMP)
    assert result.exit_code == 1
    assert "error: sitegen.toml has errors: fix them first" in result.stderr
    assert "sitegen.toml:1:" in result.stderr
    assert not (site / "content").exists()


@pytest.mark.parametrize("command", ["new", "update", "resolve"])
def test_help_shows_examples(command) -> None:
    result = CliRunner().invoke(GROUP, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:\n" in result.output
    assert f"\n    sitegen {command} " in result.output  # '\b' keeps the example lines unwrapped
