"""A development server: the site built into a temporary folder, rebuilt on every change, reloading the browser.

:class:`Server` builds the site with its base URL pointed at the server
itself (so feeds, canonical links and the 404 page work locally), serves it
under the base URL's path, watches ``content/``, ``themes/`` and
``sitegen.toml`` with watchfiles, and rebuilds the whole site on each batch
of changes (no incremental rebuilds: they breed bugs, and a full build is
fast). Each build goes to a folder of its own, so a request is always
answered from one complete build.

Pages get one addition: a ``<script src>`` for a small script served by this
server that polls a build counter and reloads the page when it changes. The
pages' Content-Security-Policy forbids scripts, so the server also allows
same-origin scripts and requests in it; nothing of this reaches a real
build. When a build fails, every page request gets a page listing the
problems instead of the last good site, and it reloads too.
"""

from __future__ import annotations

import html
import mimetypes
import posixpath
import re
import secrets
import shutil
import socket
import socketserver
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import watchfiles

from sitegen.build import build_site
from sitegen.content.config import CONFIG_FILE, load_config
from sitegen.content.loader import load_site
from sitegen.content.times import parse_now
from sitegen.errors import ContentError, Problem, Problems, display_path

DEV_PREFIX = "/__sitegen__/"
RELOAD_SCRIPT_PATH = DEV_PREFIX + "reload.js"
VERSION_PATH = DEV_PREFIX + "version"
WATCHED_DIRS = ("content", "themes")
WATCHER_READY_SECONDS = 10
RELOAD_SCRIPT = (  # %-formatting, as the script is full of braces
    """\
// sitegen serve: reload this page when the site is rebuilt.
(function () {
  "use strict";
  var seen = document.currentScript.dataset.version;
  function poll() {
    fetch("%s", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : seen; })
      .then(function (version) {
        if (version !== seen) { location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 1000); });  // the server is restarting: keep trying
  }
  setTimeout(poll, 1000);
})();
"""
    % VERSION_PATH
)
CSP_META = re.compile(r"<meta\b[^>]*\bhttp-equiv\s*=\s*[\"']?content-security-policy\b[^>]*>", re.IGNORECASE)
CSP_CONTENT = re.compile(r"(\bcontent\s*=\s*)(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
EXTRA_TYPES = {".atom": "application/atom+xml", ".rss": "application/rss+xml", ".json": "application/json"}


class ServeError(Exception):
    """The server cannot start (its port is taken, say); the message says why."""


@dataclass(frozen=True)
class BuildState:
    """What the server shows: the latest build's outcome, and the last good build's files."""

    version: str
    """Changes with every build, failed or not: pages reload when it does."""
    base_path: str
    """The base URL's path ('/status/'), where the site is served."""
    root: Path | None
    """The folder of the last successful build; None until one succeeds."""
    problems: tuple[Problem, ...] = ()
    failure: str | None = None
    """Why the latest build failed, when it did (the problems are the details)."""

    @property
    def failed(self) -> bool:
        return self.failure is not None


class Server:
    """Builds, serves and watches one site; ``start()`` and ``stop()`` bracket its life.

    ``now`` fixes the time the site is built at; by default each build uses
    the clock, so the site moves on as it would when published. ``port`` 0
    picks a free port (see :attr:`port`).
    """

    def __init__(
        self,
        site_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        now: datetime | None = None,
        log: Callable[[str], None] | None = None,
    ):
        self.site_dir = site_dir.resolve()
        self.host = host
        self.requested_port = port
        self.now = now
        self.log = log or _log_to_stderr
        self.state = BuildState(version="0", base_path="/", root=None, failure="not built yet")
        self._instance = secrets.token_hex(4)  # a restarted server gets new versions, so open pages reload
        self._builds = 0
        self._build_lock = threading.Lock()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._watching = threading.Event()
        self._workdir: Path | None = None
        self._httpd: _HTTPServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        """The port served on: the one asked for, or the one picked for port 0."""
        return self._httpd.server_address[1] if self._httpd else self.requested_port

    @property
    def origin(self) -> str:
        """``http://host:port``, with a wildcard host shown as the loopback address a browser can open."""
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @property
    def url(self) -> str:
        """Where the site's front page is served."""
        return self.origin + self.state.base_path

    def start(self) -> None:
        """Listen, build once, then serve and watch in background threads; raise ServeError if it cannot listen."""
        self._workdir = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
        try:
            self._httpd = _HTTPServer.listen(self.host, self.requested_port, self)
            self.rebuild()
            self._spawn(self._httpd.serve_forever, "sitegen-http", poll_interval=0.2)
            self._spawn(self._watch, "sitegen-watch")
            if not self._watching.wait(WATCHER_READY_SECONDS):
                self.log("warning: the file watcher did not start in time; changes may be missed at first")
        except BaseException:
            self.stop()
            raise

    def wait(self) -> None:
        """Block until :meth:`stop` (waking regularly, so Ctrl-C is noticed on every platform)."""
        while not self._stopped.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching and serving and remove the temporary folder; safe to call more than once."""
        self._stopping.set()
        for thread in self._threads:
            if thread.name == "sitegen-watch":
                thread.join(timeout=10)
        with self._build_lock:  # let a rebuild under way finish writing before its folder goes
            if self._httpd is not None:
                if any(t.name == "sitegen-http" for t in self._threads):
                    self._httpd.shutdown()
                self._httpd.server_close()
                self._httpd = None
            for thread in self._threads:
                thread.join(timeout=10)
            self._threads = []
            if self._workdir is not None:
                self._remove(self._workdir)
                self._workdir = None
        self._stopped.set()

    def rebuild(self) -> BuildState:
        """Build the whole site into a new folder and serve it; on failure, serve the problems instead."""
        with self._build_lock:
            assert self._workdir is not None, "rebuild() needs start()"
            started = time.perf_counter()
            self._builds += 1
            version = f"{self._instance}-{self._builds}"
            previous = self.state
            out = self._workdir / f"build-{self._builds}"
            base_path = previous.base_path
            try:
                base_path = self._base_path()
                build_site(self.site_dir, out, now=self._build_time(), base_url=self.origin + base_path)
            except ContentError as exc:
                count = f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}"
                state = BuildState(version, base_path, previous.root, tuple(exc.problems), f"The build found {count}")
                self.log("\n".join(str(p) for p in exc.problems))
                self.log(f"Build failed: {count}; the browser shows them until they are fixed.")
            except Exception as exc:  # a bug or an unreadable file must not take the server down: show it
                self.log(traceback.format_exc().rstrip())
                crash = f"The build crashed: {type(exc).__name__}: {exc}"
                state = BuildState(version, base_path, previous.root, (), crash)
            else:
                state = BuildState(version, base_path, out)
                self.log(f"Built the site in {time.perf_counter() - started:.2f} s.")
            self.state = state
            self._remove_old_builds(keep={state.root, previous.root})
            return state

    def _base_path(self) -> str:
        """The path of ``[site] base_url``; raise ContentError with the site's problems if the settings do not load."""
        problems = Problems()
        config, _ = load_config(self.site_dir, problems)
        if config is None:
            # The server's own base URL would hide a bad base_url: report the settings as a build would.
            load_site(self.site_dir, now=self._build_time())
            raise ContentError(sorted(problems.errors))
        return urlsplit(config.base_url).path or "/"

    def _build_time(self) -> datetime:
        return self.now or parse_now(None, None)

    def _remove_old_builds(self, *, keep: set[Path | None]) -> None:
        """Builds before the previous one: the previous one may still be answering a request."""
        assert self._workdir is not None
        for folder in self._workdir.iterdir():
            if folder not in keep:
                self._remove(folder)

    def _remove(self, folder: Path) -> None:
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            self.log(f"warning: could not remove {folder}: {exc}")

    def _spawn(self, target: Callable[..., None], name: str, **kwargs: object) -> None:
        thread = threading.Thread(target=target, name=name, kwargs=kwargs, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _watch(self) -> None:
        """Rebuild on each batch of changes until stopped (watchfiles groups a burst of saves into one batch)."""
        try:
            for changes in watchfiles.watch(
                self.site_dir,
                watch_filter=SourceFilter(self.site_dir),
                stop_event=self._stopping,
                rust_timeout=500,
                yield_on_timeout=True,  # the first (empty) yield says the watcher is in place
                raise_interrupt=False,
            ):
                self._watching.set()
                if changes and not self._stopping.is_set():
                    names = sorted({display_path(Path(path)) for _, path in changes})
                    self.log(f"Changed: {', '.join(names)}; rebuilding.")
                    self.rebuild()
        except Exception as exc:  # e.g. too many folders to watch: keep serving, without reloads
            self.log(f"error: watching for changes stopped: {exc}")
        finally:
            self._watching.set()

    def respond(self, request_path: str) -> Response:
        """The response to a GET of ``request_path`` (path and query, as sent)."""
        state = self.state
        path = unquote(urlsplit(request_path).path)
        if path == VERSION_PATH:
            return Response(HTTPStatus.OK, "text/plain; charset=utf-8", state.version.encode())
        if path == RELOAD_SCRIPT_PATH:
            return Response(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
        base = unquote(state.base_path)  # requests are compared decoded, as base_url may hold %-escapes
        if path in ("/", base.rstrip("/")) and path != base:
            return Response.redirect(state.base_path)
        if not path.startswith(base):
            return self._not_found(state)
        relative = path[len(base) :]
        if state.failed and _is_page(relative):
            return Response(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", error_page(state))
        return self._file(state, relative, request_path)

    def _file(self, state: BuildState, relative: str, request_path: str) -> Response:
        target = _resolve(state.root, relative)
        if target is None:
            return self._not_found(state)
        if target.is_dir():
            return Response.redirect(urlsplit(request_path).path + "/")
        try:
            data = target.read_bytes()
        except OSError:  # a build older than the previous one was just removed: nothing to serve from it
            return self._not_found(state)
        return Response.of_file(target.name, data, state.version)

    def _not_found(self, state: BuildState) -> Response:
        page = _resolve(state.root, "404.html")
        try:
            data = page.read_bytes() if page is not None else None
        except OSError:  # removed along with an old build
            data = None
        if data is None:
            return Response(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n")
        return Response.of_file("404.html", data, state.version, status=HTTPStatus.NOT_FOUND)


class SourceFilter(watchfiles.DefaultFilter):
    """Changes that matter to a build: content/, themes/ and sitegen.toml, less editors' and VCS's own files."""

    def __init__(self, site_dir: Path):
        super().__init__()
        self.site_dir = site_dir

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        try:
            relative = Path(path).relative_to(self.site_dir)
        except ValueError:
            return False
        top = relative.parts[0] if relative.parts else ""
        wanted = top in WATCHED_DIRS or relative == Path(CONFIG_FILE)
        # The default filter judges the path inside the site only: the site's own location may hold '.venv' & co.
        return wanted and super().__call__(change, str(relative))


@dataclass(frozen=True)
class Response:
    status: HTTPStatus
    content_type: str
    body: bytes
    location: str | None = None

    @classmethod
    def redirect(cls, location: str) -> Response:
        location = quote(location, safe="/%")  # already %-encoded paths stay as they are
        return cls(HTTPStatus.FOUND, "text/plain; charset=utf-8", f"See {location}\n".encode(), location)

    @classmethod
    def of_file(cls, name: str, data: bytes, version: str, *, status: HTTPStatus = HTTPStatus.OK) -> Response:
        content_type = _content_type(name)
        if content_type.startswith("text/html"):
            # surrogateescape: a theme's page that is not UTF-8 passes through byte for byte
            page = with_reload_script(data.decode("utf-8", "surrogateescape"), version)
            data = page.encode("utf-8", "surrogateescape")
        return cls(status, content_type, data)


def with_reload_script(page: str, version: str) -> str:
    """The page with the reload script before ``</body>`` and its CSP opened to same-origin scripts."""
    page = CSP_META.sub(lambda m: CSP_CONTENT.sub(_allow_self, m.group(0), count=1), page)
    tag = f'<script src="{RELOAD_SCRIPT_PATH}" data-version="{html.escape(version)}"></script>\n'
    ends = list(BODY_END.finditer(page))
    if not ends:
        return page + tag
    at = ends[-1].start()
    return page[:at] + tag + page[at:]


def _allow_self(match: re.Match[str]) -> str:
    policy = html.unescape(match.group(2)[1:-1])
    escaped = allow_self_scripts(policy).replace("&", "&amp;").replace('"', "&quot;")
    return f'{match.group(1)}"{escaped}"'


def allow_self_scripts(policy: str) -> str:
    """A Content-Security-Policy that also lets the page load same-origin scripts and fetch same-origin URLs."""
    directives = [d.split() for d in policy.split(";") if d.strip()]
    for name in ("script-src", "connect-src"):
        existing = next((d for d in directives if d[0].lower() == name), None)
        if existing is None:
            directives.append([name, "'self'"])
        elif "'self'" not in existing:
            existing[1:] = [s for s in existing[1:] if s.lower() != "'none'"] + ["'self'"]
    return "; ".join(" ".join(d) for d in directives)


def error_page(state: BuildState) -> bytes:
    """A page listing why the build failed, every value escaped; it reloads like the site's pages."""
    items = "\n".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in state.problems)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Build failed - sitegen serve</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }}
code {{ white-space: pre-wrap; word-break: break-word; }}
li {{ margin: 0.5rem 0; }}
</style>
</head>
<body>
<h1>Build failed</h1>
<p>{html.escape(state.failure or "")}. Fix and save: this page reloads by itself.</p>
<ul>
{items}
</ul>
</body>
</html>
"""
    return with_reload_script(page, state.version).encode("utf-8")


def _is_page(relative: str) -> bool:
    """Whether a path names a page (a folder or an .html file) rather than a feed, stylesheet or JSON file."""
    name = relative.rsplit("/", 1)[-1]
    return name == "" or name.endswith(".html") or "." not in name


def _resolve(root: Path | None, relative: str) -> Path | None:
    """The file a site path is served from, or None for a path that leaves the build or names nothing."""
    if root is None:
        return None
    parts = [p for p in relative.split("/") if p]
    if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
        return None
    target = root.joinpath(*parts)
    if relative == "" or relative.endswith("/"):
        target = target / "index.html"
    if not (target.is_file() or target.is_dir()) or not target.resolve().is_relative_to(root.resolve()):
        return None
    return target


def _content_type(name: str) -> str:
    suffix = posixpath.splitext(name)[1].lower()
    content_type = EXTRA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    textual = content_type.startswith("text/") or content_type.endswith(("+xml", "/json", "/javascript"))
    return f"{content_type}; charset=utf-8" if textual else content_type


def _log_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    dev: Server

    @classmethod
    def listen(cls, host: str, port: int, dev: Server) -> _HTTPServer:
        kind = _HTTP6Server if ":" in host else cls
        try:
            httpd = kind((host, port), _Handler)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ServeError(f"cannot listen on {host}:{port}: {reason}; choose another port with --port") from None
        httpd.dev = dev
        return httpd

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host's name up in DNS, which can stall; nothing here needs the name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])


class _HTTP6Server(_HTTPServer):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "sitegen-serve"

    def do_GET(self) -> None:
        self._send(include_body=True)

    def do_HEAD(self) -> None:
        self._send(include_body=False)

    def _send(self, *, include_body: bool) -> None:
        response = self.server.dev.respond(self.path)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        if response.location is not None:
            self.send_header("Location", response.location)
        self.end_headers()
        if include_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a request per second from the reload script would drown the build messages."""
