"""Invalid sites: every problem is reported as ``path:line: message``, all of them in one run.

Each folder under ``tests/invalid/`` is a small complete site with exactly one
problem and an ``expected.txt`` holding the error lines the loader must report
(paths relative to the folder, sorted as the loader sorts them). Cases that
need binary bytes, symlinks or huge files are built in ``tmp_path`` below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import write_site

from sitegen.content.loader import load_site
from sitegen.content.settings import DEFAULT_MAX_FILE_KIB
from sitegen.errors import ContentError

MAX_FILE_BYTES = DEFAULT_MAX_FILE_KIB * 1024

INVALID = Path(__file__).parent / "invalid"
REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def case_params() -> list:
    names = sorted(p.name for p in INVALID.iterdir() if p.is_dir())
    return [pytest.param(name, id=name) for name in names]


def reported(exc: ContentError, site: Path) -> list[str]:
    return [f"{p.path.relative_to(site).as_posix()}:{p.line}: {p.message}" for p in exc.problems]


def load_errors(site: Path) -> list[str]:
    """The error lines loading ``site`` reports; fails the test if it loads."""
    with pytest.raises(ContentError) as info:
        load_site(site, now=NOW)
    return reported(info.value, site)


@pytest.mark.parametrize("case", case_params())
def test_invalid_site(case: str) -> None:
    case_dir = INVALID / case
    expected = (case_dir / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert load_errors(case_dir) == expected


def test_invalid_cases_are_complete() -> None:
    cases = [p for p in INVALID.iterdir() if p.is_dir()]
    assert len(cases) >= 40
    for case in cases:
        lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines, f"{case.name}: expected.txt is empty"
        assert all(line.count(":") >= 2 for line in lines), case.name


# ---- sites built in tmp_path -------------------------------------------------

CONFIG = """\
[site]
title = "Example Status"
base_url = "https://example.com/status/"
timezone = "UTC"

[[components]]
id = "api"
name = "API"

[[components]]
id = "dashboard"
name = "Dashboard"
"""

INCIDENT_PATH = "content/incidents/2024-01-10-api-errors.md"
INCIDENT = """\
---
title: Elevated API error rates
components:
  api: partial_outage
updates:
  - at: 2024-01-10T09:00:00Z
    status: investigating
    body: We are investigating elevated error rates.
  - at: 2024-01-10T10:30:00Z
    status: resolved
    body: This incident has been resolved.
---
Some requests to the API failed.
"""


def make_site(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """Write exactly these files (no default sitegen.toml) into ``tmp_path``."""
    return write_site(tmp_path, files, config=None)


def test_helpers_make_a_valid_site(tmp_path: Path) -> None:
    site = load_site(make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: INCIDENT}), now=NOW)
    assert [i.slug for i in site.incidents] == ["2024-01-10-api-errors"]


def test_all_problems_in_all_files_reported_in_one_run(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "sitegen.toml": CONFIG.replace('timezone = "UTC"', 'timezone = "Mars/Olympus"'),
            # two problems in one file
            "content/incidents/2024-01-10-api-errors.md": INCIDENT.replace(
                "api: partial_outage", "apii: partial_outage"
            ).replace("status: resolved", "status: resolvd"),
            # a file that does not parse at all
            "content/incidents/2024-02-01-dashboard-down.md": "---\ntitle: [unclosed\n---\n",
            # a field problem in another file
            "content/incidents/2024-03-01-slow-api.md": INCIDENT.replace("title: Elevated API error rates\n", ""),
            # a broken reference in a write-up
            "content/writeups/2024-01-12-review.md": "---\ntitle: Review\npublished: 2024-01-12T00:00:00Z\n"
            "incidents: [2024-01-11-api-errors]\n---\nText.\n",
        },
    )
    errors = load_errors(site)
    assert errors == [
        "content/incidents/2024-01-10-api-errors.md:4: unknown component 'apii'; did you mean 'api'?"
        " (components are declared in sitegen.toml)",
        "content/incidents/2024-01-10-api-errors.md:10: 'status' is 'resolvd', not one of investigating,"
        " identified, monitoring, resolved, postmortem; did you mean 'resolved'?",
        errors[2],  # the YAML parser's own wording; checked below
        "content/incidents/2024-03-01-slow-api.md:2: the front matter has no 'title': it is required",
        "content/writeups/2024-01-12-review.md:4: 'incidents' names '2024-01-11-api-errors', but there is no"
        " content/incidents/2024-01-11-api-errors.md; did you mean '2024-01-10-api-errors'?",
        "sitegen.toml:4: unknown timezone 'Mars/Olympus': use an IANA name such as 'UTC' or 'Europe/Paris'",
    ]
    assert errors[2].startswith("content/incidents/2024-02-01-dashboard-down.md:")
    assert "invalid YAML" in errors[2]


def test_non_utf8_bytes(tmp_path: Path) -> None:
    latin1 = INCIDENT.replace("title: Elevated API error rates", "title: Caf\u00e9 API errors").encode("latin-1")
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: latin1})
    assert load_errors(site) == [f"{INCIDENT_PATH}:2: file is not UTF-8 text: save it with UTF-8 encoding"]


def test_nul_byte(tmp_path: Path) -> None:
    data = INCIDENT.replace("  api: partial_outage", "  api: partial_outage\x00").encode()
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: data})
    assert load_errors(site) == [f"{INCIDENT_PATH}:4: file contains a NUL byte: is it a binary file?"]


def test_bom_and_crlf_load_fine(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + INCIDENT.replace("\n", "\r\n").encode()
    config = b"\xef\xbb\xbf" + CONFIG.replace("\n", "\r\n").encode()
    site = load_site(make_site(tmp_path, {"sitegen.toml": config, INCIDENT_PATH: data}), now=NOW)
    (incident,) = site.incidents
    assert incident.title == "Elevated API error rates"
    assert incident.summary == "Some requests to the API failed."
    assert [u.body for u in incident.updates] == [
        "We are investigating elevated error rates.",
        "This incident has been resolved.",
    ]
    assert site.config.title == "Example Status"


def test_bom_and_crlf_keep_line_numbers(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + INCIDENT.replace("status: resolved", "status: resolvd").replace("\n", "\r\n").encode()
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: data})
    (error,) = load_errors(site)
    assert error.startswith(f"{INCIDENT_PATH}:10: 'status' is 'resolvd'")


def test_file_over_size_limit(tmp_path: Path) -> None:
    padding = "x" * 79 + "\n"
    body = padding * (MAX_FILE_BYTES // len(padding) + 1)
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: INCIDENT + body})
    assert (site / INCIDENT_PATH).stat().st_size > MAX_FILE_BYTES
    assert load_errors(site) == [
        f"{INCIDENT_PATH}:1: file is larger than {DEFAULT_MAX_FILE_KIB} KiB: is it really an incident? "
        "([site] max_file_kib sets the limit)"
    ]


def test_size_limit_is_a_setting(tmp_path: Path) -> None:
    config = CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nmax_file_kib = 1')
    site = make_site(tmp_path, {"sitegen.toml": config, INCIDENT_PATH: INCIDENT + "x" * 1024})
    assert load_errors(site) == [
        f"{INCIDENT_PATH}:1: file is larger than 1 KiB: is it really an incident? ([site] max_file_kib sets the limit)"
    ]


def test_file_at_size_limit_loads(tmp_path: Path) -> None:
    text = INCIDENT + "x" * (MAX_FILE_BYTES - len(INCIDENT.encode()))
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: text})
    assert (site / INCIDENT_PATH).stat().st_size == MAX_FILE_BYTES
    assert len(load_site(site, now=NOW).incidents) == 1


def test_yaml_alias_bomb_fails_fast(tmp_path: Path) -> None:
    levels = "abcdefghij"
    bomb = f"{levels[0]}: &{levels[0]} [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n" for previous, name in zip(levels, levels[1:])
    )  # 10**10 values once expanded
    text = INCIDENT.replace("---\ntitle:", "---\nextra:\n" + textwrap.indent(bomb, "  ") + "title:", 1)
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: text})
    started = time.monotonic()
    (error,) = load_errors(site)
    assert time.monotonic() - started < 5
    path, line, message = error.split(":", 2)
    assert path == INCIDENT_PATH
    assert 2 <= int(line) <= 13
    assert message.startswith(" YAML aliases expand this front matter to more than ")


def test_yaml_aliases_of_a_long_text_cannot_amplify_it(tmp_path: Path) -> None:
    """A few aliases of one large value would publish it many times over: bounded by size, not by count."""
    big = "y" * 200_000
    bomb = f"a: &a {big}\nb: [{', '.join(['*a'] * 300)}]\n"  # 60 MB once expanded, from 0.2 MB
    text = INCIDENT.replace("---\ntitle:", "---\nextra:\n" + textwrap.indent(bomb, "  ") + "title:", 1)
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: text})
    (error,) = load_errors(site)
    assert error.startswith(f"{INCIDENT_PATH}:3: YAML aliases expand this front matter to more than ")


@pytest.mark.parametrize(
    "value",
    ["!foo bar", "!!python/object:os.system ls", '"never closed\nupdates: []'],
)
def test_yaml_errors_are_one_line_at_the_right_line(tmp_path: Path, value: str) -> None:
    text = f"---\nkind: incident\ntitle: {value}\n---\n"
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: text})
    (error,) = load_errors(site)
    assert error.startswith(f"{INCIDENT_PATH}:3: invalid ") and "\n" not in error


def symlink(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError) as exc:  # Windows without the privilege
        pytest.skip(f"cannot create symlinks here: {exc}")


def test_symlink_outside_site(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "incident.md"
    outside.parent.mkdir()
    outside.write_text(INCIDENT, encoding="utf-8")
    site = make_site(tmp_path / "site", {"sitegen.toml": CONFIG})
    symlink(site / INCIDENT_PATH, outside)
    assert load_errors(site) == [
        f"{INCIDENT_PATH}:1: this file links to a place outside the site folder: copy the file in instead"
    ]


def test_symlinked_folder_outside_site(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "2024-01-10-api-errors.md").write_text(INCIDENT, encoding="utf-8")
    site = make_site(tmp_path / "site", {"sitegen.toml": CONFIG})
    symlink(site / "content" / "incidents", outside)
    assert load_errors(site) == [
        f"{INCIDENT_PATH}:1: this file links to a place outside the site folder: copy the file in instead"
    ]


def test_symlink_loop(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"sitegen.toml": CONFIG})
    symlink(site / INCIDENT_PATH, site / INCIDENT_PATH)
    (error,) = load_errors(site)
    assert error.startswith(f"{INCIDENT_PATH}:1: ")
    assert "Traceback" not in error


# A segfault must not take pytest down with it, so this runs in a child process.
NESTED_SCRIPT = """\
import sys
from datetime import datetime, timezone
from pathlib import Path
from sitegen.errors import ContentError
from sitegen.content.loader import load_site
site = Path(sys.argv[1])
try:
    load_site(site, now=datetime(2026, 12, 1, tzinfo=timezone.utc))
except ContentError as exc:
    for p in exc.problems:
        print(f"{p.path.relative_to(site).as_posix()}:{p.line}: {p.message}")
    sys.exit(0)
sys.exit("loaded without an error")
"""


@pytest.mark.parametrize("depth", [2_000, 50_000])
def test_deeply_nested_yaml_is_an_error_not_a_crash(tmp_path: Path, depth: int) -> None:
    text = INCIDENT.replace("---\ntitle:", f"---\nextra: {'[' * depth}{']' * depth}\ntitle:", 1)
    site = make_site(tmp_path, {"sitegen.toml": CONFIG, INCIDENT_PATH: text})
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    result = subprocess.run(
        [sys.executable, "-c", NESTED_SCRIPT, str(site)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{INCIDENT_PATH}:2: "), lines
