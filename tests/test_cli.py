"""The ``sitegen build`` command as a user runs it, and what every command shares: its errors and --now."""

from __future__ import annotations

import functools
import gc
import http.server
import io
import os
import pty
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import click
import pytest
from click.testing import CliRunner
from conftest import cache_folder, incident, tree_bytes
from loopback import serving

from sitegen.commands.main import GC_THRESHOLD, main
from sitegen.commands.progress import Progress
from sitegen.commands.reporting import Command
from sitegen.errors import display_path
from sitegen.output import publish
from sitegen.output.trees import Trees

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


def test_a_command_collects_cycles_seldom(make_site, tmp_path) -> None:
    """A build's long-lived objects are not rescanned by the collector every few hundred allocations."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        run("build", str(make_site({})), "-o", str(tmp_path / "out"), "--now", "2026-11-28T12:00:00Z")
        assert gc.get_threshold() == GC_THRESHOLD
    finally:
        gc.set_threshold(*before)


EXIT_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))  # runs after the command's own
from sitegen.commands.main import main
main(sys.argv[1:])
"""


def test_a_command_spares_the_interpreter_a_last_collection_of_everything_it_made(make_site, tmp_path) -> None:
    """At exit, the objects a build leaves are frozen, so shutting down does not scan them all once more."""
    site = make_site({"content/incidents/a.md": incident()})
    command = [sys.executable, "-c", EXIT_PROBE, "build", str(site), "-o", str(tmp_path / "out"), "--now", "2026-11-28"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "frozen at exit: True"


LOADED_PROBE = """
import atexit, sys
atexit.register(lambda: print("loaded:", sorted(m for m in ("feedgen", "icalendar") if m in sys.modules)))
from sitegen.commands.main import main
main(sys.argv[1:])
"""


def test_a_rebuild_that_keeps_the_feeds_and_calendar_does_not_load_their_libraries(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = str(tmp_path / "out")
    command = [sys.executable, "-c", LOADED_PROBE, "build", str(site), "-o", out, "--now", "2026-11-28"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    said = [subprocess.run(command, capture_output=True, text=True, timeout=120, env=env) for _ in range(2)]
    assert all(done.returncode == 0 for done in said), said[-1].stderr
    assert said[0].stdout.splitlines()[-1] == "loaded: ['feedgen', 'icalendar']"  # the first build makes them
    assert said[1].stdout.splitlines()[-1] == "loaded: []"


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


COMMANDS = {
    "build": ["build", "{site}", "-o", "{tmp}/out"],
    "check": ["check", "{site}"],
    "serve": ["serve", "{site}", "--port", "0"],
    "init": ["init", "{tmp}/new"],
    "new": ["new", "API errors", "--site", "{site}"],
    "update": ["update", "a", "--status", "identified", "--site", "{site}"],
    "resolve": ["resolve", "a", "--site", "{site}"],
    "list": ["list", "{site}"],
    "import": ["import", "cstate", "{tmp}/nothing", "--site", "{site}"],
    "notify": ["notify", "{site}", "--published", "{tmp}/nothing"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("now", "epoch", "expected"),
    [("yesterday", None, BAD_NOW), (None, "tomorrow", BAD_EPOCH)],
    ids=["--now", "SOURCE_DATE_EPOCH"],
)
def test_a_bad_now_is_a_usage_error_in_every_command(make_site, tmp_path, command, now, epoch, expected) -> None:
    site = make_site({"content/incidents/a.md": incident(updates=ONGOING)})
    before = tree_bytes(tmp_path)
    args = [arg.format(site=site, tmp=tmp_path) for arg in COMMANDS[command]] + (["--now", now] if now else [])
    result = CliRunner().invoke(main, args, env={"SOURCE_DATE_EPOCH": epoch}, catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == expected
    assert "Traceback" not in result.output
    assert tree_bytes(tmp_path) == before


TIMELESS = ("upgrade",)
"""The commands with no notion of the time, so no --now."""


def test_every_command_reports_errors_the_same_way() -> None:
    context = click.Context(main)
    assert sorted(main.list_commands(context)) == sorted([*COMMANDS, *TIMELESS])
    assert all(isinstance(main.get_command(context, name), Command) for name in main.list_commands(context))


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
            "error: there are no incident files in site/content/incidents",
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


# ---- no traceback, ever: output folders that cannot be written, and Ctrl-C ------------------------------


def one_error_line(result) -> str:
    """The single line a failed command printed on stderr (and nothing on stdout, no traceback)."""
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    return line


@pytest.mark.parametrize(
    ("output", "reason"),
    [("/proc/nope", "cannot write the site to /proc/nope: "), ("{tmp}/some-file/out", "some-file is a file")],
    ids=["/proc", "under-a-file"],
)
def test_an_output_folder_that_cannot_be_made_is_one_line(make_site, tmp_path, output, reason) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    (tmp_path / "some-file").write_text("a file, not a folder\n")
    result = CliRunner().invoke(main, ["build", str(site), "-o", output.format(tmp=tmp_path)])
    assert result.exit_code == 1
    assert reason in one_error_line(result)


@pytest.mark.parametrize(
    ("code", "reason"), [(28, "the disk is full"), (30, "Read-only file system")], ids=["full", "read-only"]
)
def test_a_full_or_read_only_disk_is_one_line_and_leaves_the_previous_site(
    make_site, tmp_path, monkeypatch, code, reason
) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    assert run("build", str(site), "-o", str(out)).exit_code == 0
    before = tree_bytes(out)
    (site / "content/incidents/a.md").write_text(incident("A, edited"))  # so that the build has pages to write

    def fail(trees: Trees, path: str, data: bytes) -> os.stat_result:
        raise OSError(code, os.strerror(code), str(trees.kept / path))

    monkeypatch.setattr(publish, "_write", fail)
    result = CliRunner().invoke(main, ["build", str(site), "-o", str(out)])
    monkeypatch.undo()
    assert result.exit_code == 1
    assert reason in one_error_line(result) and "the previous site is unchanged" in result.stderr
    assert tree_bytes(out) == before


def test_ctrl_c_during_a_build_exits_130_with_one_line_and_leaves_the_previous_site(
    make_site, tmp_path, monkeypatch
) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    assert run("build", str(site), "-o", str(out)).exit_code == 0
    before = tree_bytes(out)
    (site / "content/incidents/a.md").write_text(incident("A, edited"))  # so that the build has pages to write
    real_write = publish._write
    written: list[str] = []

    def interrupted_half_way(trees: Trees, path: str, data: bytes) -> os.stat_result:
        if len(written) == 5:
            raise KeyboardInterrupt
        written.append(path)
        return real_write(trees, path, data)

    monkeypatch.setattr(publish, "_write", interrupted_half_way)
    result = CliRunner().invoke(main, ["build", str(site), "-o", str(out)])
    monkeypatch.undo()
    assert result.exit_code == 130
    assert one_error_line(result) == f"error: interrupted: nothing was written, and {display_path(out)}/ is as it was"
    assert tree_bytes(out) == before and sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "site"]


def test_ctrl_c_at_a_terminal_stops_every_process_of_a_parallel_build_with_one_line(make_site, tmp_path) -> None:
    """The terminal sends SIGINT to the whole process group, forked render workers included."""
    files = {f"content/incidents/2026-11-{n % 28 + 1:02d}-e{n}.md": incident(f"Errors {n}") for n in range(1200)}
    site = make_site(files)
    out = tmp_path / "out"
    assert run("build", str(site), "-o", str(out), "--now", "2026-11-28T12:00:00Z").exit_code == 0
    before = tree_bytes(out)
    shutil.rmtree(cache_folder(out))  # a cold build, so that the interrupt comes well before its end
    build = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out), "--now", "2026-11-28T12:00:00Z"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    kept = cache_folder(out) / "site" / "incidents"
    while build.poll() is None and len(list(kept.glob("*/index.html"))) < 20:  # until the workers render pages
        time.sleep(0.01)
    assert build.poll() is None, "the build ended before it rendered 20 pages"
    os.killpg(build.pid, signal.SIGINT)
    stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr
    assert stderr.splitlines() == [f"error: interrupted: nothing was written, and {display_path(out)}/ is as it was"]
    assert tree_bytes(out) == before


# ---- warnings, -q and -v, progress ---------------------------------------------------------------

FUTURE = "  - at: 2026-12-{day:02d}T10:00:00Z\n    status: investigating\n    body: Soon.\n"


def test_many_warnings_of_one_kind_are_summarised_and_v_shows_them_all(make_site) -> None:
    files = {
        f"content/incidents/2026-12-{d:02d}-later.md": incident(updates=FUTURE.format(day=d)) for d in range(1, 11)
    }
    site = make_site({**files, "content/stray.md": "not in a content folder\n"})
    result = run("check", str(site), "--now", "2026-11-28T12:00:00Z")
    lines = result.stdout.splitlines()
    assert sum("is dated" in line for line in lines) == 3
    assert lines[3] == "... and 7 more like this (-v lists them all)"
    assert any("stray.md:1: warning:" in line for line in lines)  # another kind, shown as it is
    assert lines[-1].endswith("11 warnings.")
    verbose = run("check", str(site), "--now", "2026-11-28T12:00:00Z", "-v")
    assert sum("is dated" in line for line in verbose.stdout.splitlines()) == 10
    assert "more like this" not in verbose.stdout


def test_quiet_prints_only_warnings_and_errors(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-12-01-later.md": incident(updates=FUTURE.format(day=1))})
    quiet = run("build", str(site), "-o", str(tmp_path / "out"), "-q", "--now", "2026-11-28T12:00:00Z")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    assert "is dated" in quiet.stderr
    also = run("-q", "check", str(site), "--now", "2026-11-28T12:00:00Z")
    assert "is dated" in also.stdout and "Checked" not in also.stdout
    both = run("build", str(site), "-q", "-v")
    assert both.exit_code == 2 and "-q and -v cannot be combined" in both.output


@pytest.mark.parametrize("name", [*COMMANDS, *TIMELESS])
def test_every_command_takes_quiet_and_verbose(name) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    assert {"-q", "-v"} <= {option for param in command.params for option in param.opts}


def test_progress_is_one_redrawn_line(tmp_path) -> None:
    stream = io.StringIO()
    with Progress(stream, delay=0.02, interval=0.01) as progress:
        progress.phase("Building 5 incidents")
        time.sleep(0.05)
    text = stream.getvalue()
    assert text.startswith("\r\x1b[KBuilding 5 incidents... 0 s") and text.endswith("\r\x1b[K")
    assert "\n" not in text
    silent = Progress(None)
    with silent:
        silent.phase("nothing shows")
    assert not silent.shown


PROGRESS_PROBE = """
import sys
from sitegen.commands.progress import Progress
Progress.__init__.__kwdefaults__["delay"] = 0  # at once: the build may well end before the usual moment
from sitegen.commands.main import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("ci", [None, "true"], ids=["terminal", "ci"])
def test_a_build_on_a_terminal_shows_its_progress_and_in_ci_nothing(make_site, tmp_path, ci) -> None:
    files = {f"content/incidents/2026-11-{n % 28 + 1:02d}-e{n}.md": incident(f"Errors {n}") for n in range(400)}
    site = make_site(files)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PYTHONPATH": os.pathsep.join(sys.path)}
    env |= {"CI": ci} if ci else {"TERM": "xterm"}
    leader, follower = pty.openpty()
    command = [sys.executable, "-c", PROGRESS_PROBE, "build", str(site), "-o", str(tmp_path / "out")]
    with subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env) as build:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the build is done
                break
            if not chunk:
                break
            seen += chunk
    os.close(leader)
    assert build.returncode == 0, seen
    shown = b"\r\x1b[KBuilding 400 incidents and 0 write-ups into" in seen
    assert shown is (ci is None), seen
    assert b"Built 400 incidents" in seen


# ---- check --published: the live site as the record of what was published ---------------------------


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def live_site(make_site, tmp_path):
    """A site built and served over HTTP as it would be published; yields (site folder, its URL)."""
    site = make_site(
        {
            "content/incidents/2026-11-20-a.md": incident(),
            "content/incidents/2026-11-21-b.md": incident("B"),
        }
    )
    out = tmp_path / "published"
    assert run("build", str(site), "-o", str(out), "--now", "2026-11-28T12:00:00Z").exit_code == 0
    handler = functools.partial(QuietFiles, directory=str(out))
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield site, f"http://127.0.0.1:{server.server_address[1]}/"


def test_check_published_url_warns_about_an_incident_the_live_site_has_but_the_files_do_not(live_site) -> None:
    site, url = live_site
    (site / "content/incidents/2026-11-20-a.md").rename(site / "content/incidents/2026-11-20-renamed.md")
    result = run("check", str(site), "--published", url, "--now", "2026-11-28T12:00:00Z")
    assert result.exit_code == 0, result.output
    gone = [line for line in result.stdout.splitlines() if "was published" in line]
    assert gone == [
        f"{display_path(site / 'content/incidents/2026-11-20-a.md')}:1: warning: incident '2026-11-20-a' "
        "was published but its file is gone: renamed? subscribers' links break"
    ]
    strict = run("check", str(site), "--published", url + "api/v2/incidents.json", "--strict")
    assert strict.exit_code == 1 and "incident '2026-11-20-a' was published" in strict.stdout


def test_check_published_file_is_the_saved_api(live_site, tmp_path) -> None:
    site, url = live_site
    saved = tmp_path / "incidents.json"
    with urllib.request.urlopen(url + "api/v2/incidents.json") as response:
        saved.write_bytes(response.read())
    (site / "content/incidents/2026-11-21-b.md").unlink()
    result = run("check", str(site), "--published", str(saved))
    assert "incident '2026-11-21-b' was published but its file is gone" in result.stdout
    (tmp_path / "nonsense.json").write_text("{}")
    wrong = run("check", str(site), "--published", str(tmp_path / "nonsense.json"))
    assert wrong.exit_code == 1 and "is not a Statuspage-style incidents.json" in wrong.stderr
    missing = run("check", str(site), "--published", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "is not a URL, a file or a folder" in missing.output


def test_a_site_not_yet_published_is_a_note_not_a_failure(make_site, live_site) -> None:
    _, url = live_site
    fresh = make_site(
        {"content/incidents/2026-11-20-c.md": incident(extra="components:\n  api: major_outage\n")}, name="fresh"
    )
    result = run("check", str(fresh), "--published", url + "not-yet/", "--strict")
    assert result.exit_code == 0, result.output
    notes = result.stderr.splitlines()
    assert notes[0] == f"note: {url}not-yet/api/v2/incidents.json: HTTP 404; incidents it would list are not compared"
    assert len(notes) == 2  # and the scheduled maintenances
