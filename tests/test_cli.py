"""The ``sitegen build`` command as a user runs it, and what every command shares: its errors and --now."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import incident

from sitegen.commands.main import main
from sitegen.commands.reporting import Command

ONGOING = "  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    body: Looking.\n"
BAD_NOW = (
    "Error: Invalid value for '--now': 'yesterday' is not a valid ISO 8601 time; "
    "write e.g. 2022-07-23T06:42:00Z (or without 'Z' for the site's timezone)"
)
BAD_EPOCH = (
    "Error: Invalid value for '--now': $SOURCE_DATE_EPOCH is 'tomorrow', "
    "not a whole number of seconds since 1970 within the years 1990 to 2200"
)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_writes_the_site_and_says_so(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    result = run("build", str(site), "-o", str(out), "--now", "2026-11-28T12:00:00Z")
    assert result.exit_code == 0, result.output
    assert "Built 1 incident and 0 write-ups" in result.output
    assert (out / "incidents" / "a" / "index.html").is_file()


def test_bad_content_lists_every_problem_and_exits_1_without_traceback(make_site, tmp_path) -> None:
    site = make_site(
        {
            "content/incidents/a.md": incident(extra="wrteup: x\n"),
            "content/incidents/b.md": incident(extra="components:\n  apii: major_outage\n"),
        }
    )
    result = run("build", str(site), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "error: the site cannot be built:"
    assert any(
        line.endswith("a.md:3: unknown key 'wrteup' in the front matter; did you mean 'writeup'?") for line in lines
    )
    assert any("b.md:4: unknown component 'apii'; did you mean 'api'?" in line for line in lines)
    assert lines[-1] == "2 errors; nothing was written."
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_base_url_override_and_now_option(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    result = run("build", str(site), "-o", str(out), "--base-url", "http://localhost:8000/preview")
    assert result.exit_code == 0, result.output
    assert 'href="http://localhost:8000/preview/"' in (out / "index.html").read_text()
    bad = run("build", str(site), "-o", str(out), "--now", "yesterday")
    assert bad.exit_code == 2 and "--now" in bad.output


def test_bad_base_url_override_is_an_error(make_site, tmp_path) -> None:
    site = make_site({})
    result = run("build", str(site), "-o", str(tmp_path / "out"), "--base-url", "localhost:8000")
    assert result.exit_code == 1
    assert "--base-url must be an absolute http(s) URL" in result.output


def test_build_warns_when_a_published_incident_file_is_gone(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    out = tmp_path / "out"
    assert run("build", str(site), "-o", str(out)).exit_code == 0
    (site / "content/incidents/2026-11-20-a.md").rename(site / "content/incidents/2026-11-20-b.md")
    result = run("build", str(site), "-o", str(out))
    assert result.exit_code == 0
    assert "warning: incident '2026-11-20-a' was published" in result.output
    assert (out / "incidents/2026-11-20-b/index.html").is_file()


def test_source_date_epoch_sets_now_when_no_now_is_given(make_site, tmp_path, monkeypatch) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-18T11:06:40Z
    assert run("build", str(site), "-o", str(tmp_path / "one")).exit_code == 0
    assert run("build", str(site), "-o", str(tmp_path / "two")).exit_code == 0
    page = (tmp_path / "one/index.html").read_text()
    assert 'datetime="2026-11-18T' in page
    assert page == (tmp_path / "two/index.html").read_text()


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


COMMANDS = {
    "build": ["build", "{site}", "-o", "{tmp}/out"],
    "check": ["check", "{site}"],
    "serve": ["serve", "{site}", "--port", "0"],
    "init": ["init", "{tmp}/new"],
    "new": ["new", "API errors", "--site", "{site}"],
    "update": ["update", "a", "--status", "identified", "--site", "{site}"],
    "resolve": ["resolve", "a", "--site", "{site}"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("now", "epoch", "expected"),
    [("yesterday", None, BAD_NOW), (None, "tomorrow", BAD_EPOCH)],
    ids=["--now", "SOURCE_DATE_EPOCH"],
)
def test_a_bad_now_is_a_usage_error_in_every_command(make_site, tmp_path, command, now, epoch, expected) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING)})
    before = snapshot(tmp_path)
    args = [arg.format(site=site, tmp=tmp_path) for arg in COMMANDS[command]] + (["--now", now] if now else [])
    result = CliRunner().invoke(main, args, env={"SOURCE_DATE_EPOCH": epoch}, catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == expected
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_every_command_reports_errors_the_same_way() -> None:
    assert sorted(main.commands) == sorted(COMMANDS)
    assert all(isinstance(command, Command) for command in main.commands.values())


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        (
            {"content/incidents": "a file, not a folder\n"},
            ["new", "API errors", "--site", "site"],
            "error: site/content/incidents: File exists",
        ),
        (
            {"content/incidents/a.md/notes.txt": "a folder named like an incident\n"},
            ["update", "a", "--status", "identified", "--site", "site"],
            "error: site/content/incidents/a.md: Is a directory",
        ),
    ],
    ids=["new", "update"],
)
def test_a_file_in_the_way_is_one_error_line(make_site, tmp_path, monkeypatch, files, args, expected) -> None:
    monkeypatch.chdir(tmp_path)
    make_site(files)
    result = CliRunner().invoke(main, [*args, "--now", "2026-11-28T12:00:00Z"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [expected]
    assert isinstance(result.exception, SystemExit)  # not an exception escaping the command


def test_a_read_only_incidents_folder_is_one_error_line(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = make_site({"content/incidents/a.md": incident(updates=ONGOING)}) / "content" / "incidents"
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user may write into a read-only folder (root?)")
        result = CliRunner().invoke(main, ["new", "API errors", "--site", "site", "--now", "2026-11-28T12:00:00Z"])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == ["error: site/content/incidents/2026-11-28-api-errors.md: Permission denied"]
