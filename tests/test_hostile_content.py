"""Content from a hostile pull request or a bad night: refused at load with its line, never a crash later.

Names that no file system can hold, names that collide on case-insensitive
checkouts, times outside any sensible range, a config that links out of the
site, URLs with line breaks, and files the loader would silently skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_invalid_sites import CONFIG, INCIDENT, INCIDENT_PATH, NOW, load_errors, make_site

from sitegen.content.loader import load_site
from sitegen.content.times import parse_now
from sitegen.content.warnings import find_warnings
from sitegen.errors import ContentError

INCIDENTS = "content/incidents"


def test_file_names_that_differ_only_in_case_are_said_to_collide(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, f"{INCIDENTS}/a.md": INCIDENT, f"{INCIDENTS}/A.md": INCIDENT})
    (error,) = load_errors(site)
    assert error.startswith(f"{INCIDENTS}/A.md:1: file name 'A.md' collides with a.md (names that differ only in case")


@pytest.mark.parametrize("name", ["con", "aux", "nul.2024", "lpt1", "com9"])
def test_windows_device_names_are_refused_as_slugs(tmp_path: Path, name: str) -> None:
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, f"{INCIDENTS}/{name}.md": INCIDENT})
    (error,) = load_errors(site)
    assert f"cannot be a URL slug: it is a device name on Windows ('{name.split('.')[0]}')" in error


def test_a_slug_too_long_for_a_file_system_is_refused_at_load(tmp_path: Path) -> None:
    name = "a" * 200
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, f"{INCIDENTS}/{name}.md": INCIDENT})
    (error,) = load_errors(site)
    assert error.endswith(
        "cannot be a URL slug: it is 200 characters long; 120 at most, so that every file system can hold it"
    )


@pytest.mark.parametrize(
    ("cid", "expected"),
    [
        (
            "x" * 300,
            "sitegen.toml:7: component id 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is 300 characters long",
        ),
        ("prn", "sitegen.toml:7: component id 'prn' is a device name on Windows ('prn')"),
    ],
)
def test_component_ids_that_cannot_name_a_folder_are_refused(tmp_path: Path, cid: str, expected: str) -> None:
    config = CONFIG.replace('id = "api"', f'id = "{cid}"')
    site = make_site(tmp_path, {"sitegen.toml": config})
    (error,) = load_errors(site)
    assert error.startswith(expected)


@pytest.mark.parametrize("epoch", ["99999999999999999999", "-5", "1e5", "abc", str(10**12)])
def test_a_source_date_epoch_out_of_range_is_a_clear_error(epoch: str) -> None:
    with pytest.raises(ValueError, match=r"^\$SOURCE_DATE_EPOCH is '.*', not a whole number of seconds since 1970"):
        parse_now(None, epoch)


def test_a_component_tracked_since_year_one_is_refused(tmp_path: Path) -> None:
    config = CONFIG.replace('name = "API"', 'name = "API"\nsince = 0001-01-01')
    (error,) = load_errors(make_site(tmp_path, {"sitegen.toml": config}))
    assert error == "sitegen.toml:9: 'since': '0001-01-01' is outside the years 1990 to 2200; is it a typo?"


@pytest.mark.parametrize(
    "url", ["https://example.com/status/\r\nX-Injected: 1", "https://exa mple.com/", "https://example.com/\x1b[31m"]
)
def test_a_base_url_with_line_breaks_or_control_characters_is_refused(tmp_path: Path, url: str) -> None:
    config = CONFIG.replace('"https://example.com/status/"', _toml_string(url))
    site = make_site(tmp_path, {"sitegen.toml": config})
    (error,) = load_errors(site)
    assert error.startswith("sitegen.toml:3: 'base_url'") and "control character" in error


def test_a_base_url_option_with_a_line_break_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"sitegen.toml": CONFIG})
    with pytest.raises(ContentError) as info:
        load_site(site, now=NOW, base_url="https://example.com/\nx")
    (problem,) = info.value.problems
    assert problem.message.startswith("--base-url must not contain spaces, line breaks or control characters")


def _toml_string(text: str) -> str:
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text) + '"'


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_config_that_links_out_of_the_site_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text(CONFIG.replace("Example Status", "read from outside"))
    site = make_site(tmp_path / "site", {INCIDENT_PATH: INCIDENT})
    (site / "sitegen.toml").symlink_to(secret)
    (error,) = load_errors(site)
    assert error == "sitegen.toml:1: sitegen.toml links to a place outside the site folder: copy the file in instead"


def test_files_the_loader_skips_are_warned_about(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "sitegen.toml": CONFIG,
            INCIDENT_PATH: INCIDENT,
            f"{INCIDENTS}/notes.txt": "x",
            f"{INCIDENTS}/..md": INCIDENT,
            f"{INCIDENTS}/.gitkeep": "",
            f"{INCIDENTS}/old/2020-01-01-x.md": INCIDENT,
            "content/incident/typo.md": INCIDENT,
        },
    )
    warnings = find_warnings(load_site(site, now=NOW), site)
    assert [(w.path.relative_to(site).as_posix(), w.message) for w in warnings] == [
        ("content/incident", "this folder is not in content/incidents/ or content/writeups/: sitegen skips it"),
        (f"{INCIDENTS}/..md", "this file's name starts with a dot, which hides it: sitegen skips it"),
        (
            f"{INCIDENTS}/notes.txt",
            "this file is not Markdown (only .md and .markdown files are read): sitegen skips it",
        ),
        (f"{INCIDENTS}/old", "this folder is inside a content folder, where only files are read: sitegen skips it"),
    ]


INJECTION = "\n::error file=x,line=1::pwned\n"


@pytest.mark.parametrize(
    "where",
    ["yaml-key", "component-id", "writeup-slug", "file-name", "toml-key"],
)
def test_no_printed_line_can_be_a_workflow_command_of_the_content(tmp_path: Path, where: str) -> None:
    """A line break in any name that reaches a message must not let a pull request start a line with '::'."""
    from click.testing import CliRunner

    from sitegen.commands.main import main

    files = {"sitegen.toml": CONFIG, INCIDENT_PATH: INCIDENT}
    quoted = INJECTION.replace("\n", "\\n")
    if where == "yaml-key":
        files[INCIDENT_PATH] = INCIDENT.replace("title:", f'"{quoted}": 1\ntitle:')
    elif where == "component-id":
        files[INCIDENT_PATH] = INCIDENT.replace("  api: partial_outage", f'  "{quoted}": partial_outage')
    elif where == "writeup-slug":
        files[INCIDENT_PATH] = INCIDENT.replace("title:", f'writeup: "{quoted}"\ntitle:')
    elif where == "toml-key":
        files["sitegen.toml"] = CONFIG.replace("[site]\n", f'[site]\n"{quoted}" = 1\n')
    site = make_site(tmp_path, files)
    if where == "file-name":
        (site / INCIDENT_PATH).rename(site / INCIDENTS / f"a{INJECTION}b.md")
    for command in (["check", str(site)], ["build", str(site), "-o", str(tmp_path / "out")]):
        result = CliRunner(env={"GITHUB_ACTIONS": "true"}).invoke(main, command)
        assert result.exit_code == 1, result.output
        lines = result.output.splitlines()
        assert not [line for line in lines if line.startswith("::error file=x,")], result.output
        assert all(line.isprintable() for line in lines)
