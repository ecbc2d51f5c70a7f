"""``sitegen serve``: a real server on an ephemeral port, read with urllib while its files change."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import DEFAULT_CONFIG, NOW, incident

from sitegen.authoring.serve import Server
from sitegen.authoring.serve_http import allow_self_scripts
from sitegen.commands.serve import serve

TIMEOUT = 10
CONNECT_TIMEOUT = 3  # under a second without a backlog: a dropped connection is retried after one second
COMPONENTS = "components:\n  api: partial_outage\n"


def fetch(url: str) -> tuple[int, str, str]:
    """(status, body, the URL after redirects) of a GET; error statuses are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode(), response.geturl()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(), error.geturl()


def raw_get(server: Server, path: str) -> tuple[int, dict[str, str]]:
    """A GET of a path exactly as written (urllib would tidy '..' away)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def eventually(condition: Callable[[], bool], what: str, *, timeout: float = TIMEOUT) -> None:
    """Wait until ``condition()`` holds, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def running(tmp_path, monkeypatch) -> Iterator[Callable[[Path], Server]]:
    """Start a server on a free port for a site; it is always stopped when the test ends."""
    monkeypatch.chdir(tmp_path)  # problems then read site/content/...
    servers: list[Server] = []

    def start(site: Path, **options) -> Server:
        server = Server(site, port=0, now=NOW, log=lambda message: None, **options)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


def test_serves_under_the_base_path_rebuilds_on_change_and_shows_problems(make_site, running, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident("Elevated API errors", extra=COMPONENTS)})
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    server = running(site)
    origin = f"http://127.0.0.1:{server.port}"

    status, page, url = fetch(origin + "/")
    assert (status, url) == (200, origin + "/status/")
    assert "Elevated API errors" in page
    assert f'<link rel="canonical" href="{origin}/status/">' in page
    assert '<script src="/__sitegen__/reload.js" data-version="' in page
    assert "script-src 'self'; connect-src 'self'" in page.replace("&#x27;", "'")
    version = fetch(origin + "/__sitegen__/version")[1]

    source = site / "content" / "incidents" / "a.md"
    source.write_text(incident("Elevated API errors in Europe", extra=COMPONENTS))
    eventually(lambda: "Elevated API errors in Europe" in fetch(origin + "/status/")[1], "the edit to show")
    assert fetch(origin + "/__sitegen__/version")[1] != version

    source.write_text(incident("Elevated API errors", extra=COMPONENTS + "<b>oops</b>: 1\n"))
    eventually(lambda: fetch(origin + "/status/")[0] == 500, "the error page")
    status, page, _ = fetch(origin + "/status/incidents/a/")
    assert status == 500
    assert "site/content/incidents/a.md:5: unknown key &#x27;&lt;b&gt;oops&lt;/b&gt;&#x27; in the front matter" in page
    assert "<b>oops</b>" not in page
    assert '<script src="/__sitegen__/reload.js" data-version="' in page  # it reloads once fixed
    assert fetch(origin + "/status/assets/style.css")[0] == 200  # assets still come from the last good build

    source.write_text(incident("Back to normal", extra=COMPONENTS))
    eventually(lambda: fetch(origin + "/status/")[0] == 200, "the site to come back")
    assert "Back to normal" in fetch(origin + "/status/incidents/a/")[1]
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before  # nothing written into the site


def test_settings_and_theme_changes_rebuild_too(make_site, running) -> None:
    config = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "brand"')
    site = make_site(
        {
            "content/incidents/a.md": incident(extra=COMPONENTS),
            "themes/brand/templates/partials/footer-extra.html": "<p>Theme one</p>\n",
        },
        config=config,
    )
    server = running(site)
    origin = f"http://127.0.0.1:{server.port}"
    assert "Theme one" in fetch(origin + "/status/")[1]

    (site / "themes/brand/templates/partials/footer-extra.html").write_text("<p>Theme two</p>\n")
    eventually(lambda: "Theme two" in fetch(origin + "/status/")[1], "the theme change")

    (site / "sitegen.toml").write_text(config.replace("https://example.github.io/status/", "https://example.org/"))
    eventually(lambda: fetch(origin + "/")[2] == origin + "/", "the new base path")
    assert "Theme two" in fetch(origin + "/")[1]
    assert fetch(origin + "/status/")[0] == 404


def test_a_site_broken_from_the_start_shows_its_problems_until_fixed(make_site, running) -> None:
    site = make_site({"content/incidents/a.md": incident(extra="components:\n  apii: major_outage\n")})
    server = running(site)
    origin = f"http://127.0.0.1:{server.port}"
    status, page, url = fetch(origin + "/")
    assert (status, url) == (500, origin + "/status/")
    assert "site/content/incidents/a.md:4: unknown component &#x27;apii&#x27;; did you mean &#x27;api&#x27;?" in page
    assert fetch(origin + "/status/assets/style.css")[0] == 404  # no good build to take it from

    # a base_url the server's own would override is still reported
    (site / "sitegen.toml").write_text(DEFAULT_CONFIG.replace('base_url = "https://example.github.io/status/"', ""))
    eventually(lambda: "[site] has no &#x27;base_url&#x27;" in fetch(origin + "/status/")[1], "the settings' problem")
    assert "unknown component" in fetch(origin + "/status/")[1]

    (site / "sitegen.toml").write_text(DEFAULT_CONFIG)
    (site / "content/incidents/a.md").write_text(incident(extra=COMPONENTS))
    eventually(lambda: fetch(origin + "/status/")[0] == 200, "the site")
    assert fetch(origin + "/status/assets/style.css")[0] == 200


def test_missing_pages_get_the_404_page_and_nothing_outside_the_build_is_served(
    make_site, running, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # builds go to tmp/sitegen-serve-*/site/
    (tmp_path / "tmp").mkdir()
    (tmp_path / "secret.txt").write_text("not part of the site")
    site = make_site({"content/incidents/a.md": incident(extra=COMPONENTS)})
    server = running(site)
    status, page, _ = fetch(f"http://127.0.0.1:{server.port}/status/no/such/page/")
    assert status == 404 and "<title>" in page and "reload.js" in page
    for up in ("../../../", "%2e%2e/%2E%2E/../", "..%2f..%2f..%2f", "./../../../"):
        status, headers = raw_get(server, f"/status/{up}secret.txt")
        assert (status, headers["Content-Type"]) == (404, "text/html; charset=utf-8"), up
    status, headers = raw_get(server, "/status/incidents/a")
    assert (status, headers["Location"]) == (302, "/status/incidents/a/")
    status, headers = raw_get(server, "/status/history.atom")
    assert (status, headers["Content-Type"]) == (200, "application/atom+xml; charset=utf-8")


def test_stop_closes_the_port_and_removes_the_build(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    server = Server(make_site({"content/incidents/a.md": incident()}), port=0, now=NOW, log=lambda message: None)
    server.start()
    try:
        assert [p.name.startswith("sitegen-serve-") for p in (tmp_path / "tmp").iterdir()] == [True]
        assert fetch(server.url)[0] == 200
        port = server.port
    finally:
        server.stop()
    assert list((tmp_path / "tmp").iterdir()) == []
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT).close()


def test_ctrl_c_stops_the_command_cleanly(make_site, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    site = make_site({"content/incidents/a.md": incident()})
    served: list[int] = []

    def interrupted(server: Server) -> None:
        served.append(fetch(server.url)[0])
        raise KeyboardInterrupt

    monkeypatch.setattr(Server, "wait", interrupted)
    args = ["serve", str(site), "--port", "0", "--now", "2026-11-28T12:00:00Z"]
    result = CliRunner().invoke(click.Group(commands=[serve]), args)
    assert result.exit_code == 0, result.output
    assert served == [200]
    assert "Serving http://127.0.0.1:" in result.output and result.output.rstrip().endswith("Stopped.")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_port_in_use_is_an_error_not_a_traceback(make_site) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(click.Group(commands=[serve]), ["serve", str(site), "--port", str(port)])
    assert result.exit_code == 1
    assert f"error: cannot listen on 127.0.0.1:{port}:" in result.output
    assert "Traceback" not in result.output


def test_csp_is_opened_to_same_origin_scripts_only() -> None:
    policy = "default-src 'none'; style-src 'self'; base-uri 'none'"
    assert allow_self_scripts(policy) == f"{policy}; script-src 'self'; connect-src 'self'"
    assert allow_self_scripts("script-src 'none'; connect-src https://x") == (
        "script-src 'self'; connect-src https://x 'self'"
    )
    assert allow_self_scripts("script-src 'self'") == "script-src 'self'; connect-src 'self'"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_an_open_page_reloads_in_a_browser_after_a_rebuild(make_site, tmp_path) -> None:
    """The reload script must run under the page's (rewritten) CSP and reload the page after a rebuild."""
    server = Server(make_site({"content/incidents/a.md": incident()}), port=0, now=NOW, log=lambda message: None)
    requests: list[str] = []
    respond = server.respond
    server.respond = lambda path: requests.append(path) or respond(path)  # type: ignore[method-assign]
    server.start()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    browser = subprocess.Popen([CHROMIUM, *flags, server.url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # a cold browser can take a while to start; once it polls, the reload is quick
        eventually(lambda: "/__sitegen__/version" in requests, "the page to poll for new builds", timeout=60)
        loads = requests.count("/status/")
        server.rebuild()
        eventually(lambda: requests.count("/status/") > loads, "the page to reload")
    finally:
        browser.kill()
        browser.wait(timeout=TIMEOUT)
        server.stop()


CONCURRENT = 200


def test_two_hundred_requests_at_once_are_all_answered(make_site, running) -> None:
    """A burst of connections, all opened at one moment, is queued (backlog 128) and answered by threads."""
    server = running(make_site({"content/incidents/a.md": incident(extra=COMPONENTS)}))
    url = f"http://127.0.0.1:{server.port}/status/"
    start = threading.Barrier(CONCURRENT)
    outcomes: list[object] = []

    def one() -> None:
        start.wait()
        try:
            with urllib.request.urlopen(url, timeout=CONNECT_TIMEOUT) as response:
                outcomes.append(response.status)
        except OSError as error:  # a refused, reset or timed-out connection
            outcomes.append(repr(error))

    threads = [threading.Thread(target=one) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == [200] * CONCURRENT
    assert server._httpd is not None and server._httpd.request_queue_size >= 128


def test_a_rebuild_after_an_edit_renders_only_what_it_changed(make_site, running) -> None:
    """The preview builds into one folder as ``sitegen build`` does, so an edit costs what it changes."""
    site = make_site({"content/incidents/a.md": incident("First"), "content/incidents/b.md": incident("Second")})
    server = running(site)
    root = server.state.root
    assert root is not None
    untouched = (root / "incidents/b/index.html").stat()
    (site / "content/incidents/a.md").write_text(incident("First, edited"))
    state = server.rebuild()
    assert state.root == root and state.failure is None
    assert "First, edited" in (root / "incidents/a/index.html").read_text()
    kept = (root / "incidents/b/index.html").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (untouched.st_ino, untouched.st_mtime_ns), "b's page was written again"


def test_the_first_build_is_announced_before_it_starts(make_site, tmp_path) -> None:
    """A large site's first build takes a while: the preview says it is building rather than nothing."""
    said: list[str] = []
    server = Server(make_site({"content/incidents/a.md": incident()}), port=0, now=NOW, log=said.append)
    server.start()
    try:
        building = next(i for i, line in enumerate(said) if line.startswith("Building the site for the preview"))
        built = next(i for i, line in enumerate(said) if line.startswith("Built the site"))
        assert building < built
    finally:
        server.stop()


def test_the_preview_builds_as_of_the_minute(make_site) -> None:
    """Pages show times to the minute: builds of one minute share every page that shows the time."""
    server = Server(make_site({"content/incidents/a.md": incident()}), port=0, log=lambda message: None)
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    built_as_of = server._build_time()
    assert built_as_of.second == built_as_of.microsecond == 0
    assert before <= built_as_of <= datetime.now(UTC)
