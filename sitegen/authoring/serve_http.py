"""What ``sitegen serve`` answers over HTTP: a build's files, every page with a reload script.

Requests are answered from a :class:`BuildState`, the latest build's outcome,
which the :class:`~sitegen.authoring.serve.Server` replaces after each
rebuild; nothing here builds or watches. The site is served under its base
URL's path, and a request is always answered from one complete build.

Pages get one addition: a ``<script src>`` for a small script served by this
server that polls a build counter and reloads the page when it changes. The
pages' Content-Security-Policy allows same-origin scripts but no requests
without ``[site] stale_after``, so the server also allows same-origin
requests in it (and scripts, should a theme's policy allow none); nothing
of this reaches a real build. When a build fails, every page request gets
a page listing the problems instead of the last good site, and it reloads
too.

The server is for the person at the machine, and it serves drafts (often
embargoed): it answers only requests that name it as an address or as
``localhost`` (or the name given to ``--host``), so that a web page whose
name an attacker points at 127.0.0.1 (DNS rebinding) cannot read it; a
connection idle for IDLE_SECONDS is closed, so half-open ones do not hold
a thread each for ever; and a client that leaves mid-answer is one line
in the log, not a traceback.
"""

from __future__ import annotations

import html
import ipaddress
import mimetypes
import posixpath
import re
import socket
import socketserver
import sys
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from sitegen.errors import Problem, UserError

DEV_PREFIX = "/__sitegen__/"
RELOAD_SCRIPT_PATH = DEV_PREFIX + "reload.js"
VERSION_PATH = DEV_PREFIX + "version"
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
LISTEN_BACKLOG = 128
"""Connections the system queues before the server accepts them: a page with many assets opens dozens at once."""
IDLE_SECONDS = 30.0
"""A connection that sends nothing for this long (between requests, or within one) is closed."""
EXTRA_TYPES = {".atom": "application/atom+xml", ".rss": "application/rss+xml", ".json": "application/json"}


class ServeError(UserError):
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


def response_for(state: BuildState, request_path: str) -> Response:
    """The response to a GET of ``request_path`` (path and query, as sent), from the build ``state`` shows."""
    path = unquote(urlsplit(request_path).path)
    if path == VERSION_PATH:
        return Response(HTTPStatus.OK, "text/plain; charset=utf-8", state.version.encode())
    if path == RELOAD_SCRIPT_PATH:
        return Response(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
    base = unquote(state.base_path)  # requests are compared decoded, as base_url may hold %-escapes
    if path in ("/", base.rstrip("/")) and path != base:
        return Response.redirect(state.base_path)
    if not path.startswith(base):
        return _not_found(state)
    relative = path[len(base) :]
    if state.failed and _is_page(relative):
        return Response(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", error_page(state))
    return _file(state, relative, request_path)


def _file(state: BuildState, relative: str, request_path: str) -> Response:
    target = _resolve(state.root, relative)
    if target is None:
        return _not_found(state)
    if target.is_dir():
        return Response.redirect(urlsplit(request_path).path + "/")
    try:
        data = target.read_bytes()
    except OSError:  # a build older than the previous one was just removed: nothing to serve from it
        return _not_found(state)
    return Response.of_file(target.name, data, state.version)


def _not_found(state: BuildState) -> Response:
    page = _resolve(state.root, "404.html")
    try:
        data = page.read_bytes() if page is not None else None
    except OSError:  # removed along with an old build
        data = None
    if data is None:
        return Response(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n")
    return Response.of_file("404.html", data, state.version, status=HTTPStatus.NOT_FOUND)


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


class Responder(Protocol):
    """Whatever answers the requests: the Server, whose latest build changes the answers, and says what happens."""

    log: Callable[[str], None]

    def respond(self, request_path: str) -> Response: ...


def host_allowed(header: str | None, listening: str, port: int) -> bool:
    """Whether a request's ``Host`` names this server: an IP address, ``localhost``, or the ``--host`` name.

    A page of a name the attacker controls, whose DNS answer changes to
    127.0.0.1, sends its own name as Host: only names are refused, and an
    address never is (its page's origin is that address, no one else's).
    A request without Host (HTTP/1.0, no browser sends one) is answered.
    """
    if header is None:
        return True
    try:
        parts = urlsplit(f"//{header.strip()}")
        name, given_port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError:  # a port that is not a number
        return False
    if given_port is not None and given_port != port:
        return False
    if name in ("localhost", listening.lower()) or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class DevHTTPServer(ThreadingHTTPServer):
    """Answers each request in a thread of its own, with what ``responder`` says.

    The listen backlog is LISTEN_BACKLOG rather than socketserver's 5, with
    which bursts of connections (a browser loading a page, a link checker)
    are refused or time out.
    """

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    responder: Responder
    host: str
    """What the server was asked to listen on (an address, or a name)."""

    @classmethod
    def listen(cls, host: str, port: int, responder: Responder) -> DevHTTPServer:
        """A server bound to ``host:port`` (port 0: a free one); raise ServeError if it cannot listen there."""
        kind = _HTTP6Server if ":" in host else cls
        try:
            httpd = kind((host, port), _Handler)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ServeError(f"cannot listen on {host}:{port}: {reason}; choose another port with --port") from None
        httpd.responder, httpd.host = responder, host
        return httpd

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line for whatever went wrong with one connection, where socketserver prints a traceback."""
        error = sys.exc_info()[1]
        self.responder.log(f"warning: a request from {_client(client_address)} failed: {error or 'unknown error'}")

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host's name up in DNS, which can stall; nothing here needs the name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])


class _HTTP6Server(DevHTTPServer):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: DevHTTPServer
    server_version = "sitegen-serve"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(IDLE_SECONDS)  # read at each connection, so that a test may shorten it

    def do_GET(self) -> None:
        self._send(include_body=True)

    def do_HEAD(self) -> None:
        self._send(include_body=False)

    def _send(self, *, include_body: bool) -> None:
        if not host_allowed(self.headers.get("Host"), self.server.host, self.server.server_port):
            response = Response(
                HTTPStatus.MISDIRECTED_REQUEST,
                "text/plain; charset=utf-8",
                b"sitegen serve answers requests for localhost or its address only.\n",
            )
            self.server.responder.log(
                f"Refused a request for host {self.headers.get('Host')!r}: open the site at localhost or "
                "at the server's address (a name that is neither may be a DNS rebinding attack)"
            )
        else:
            response = self.server.responder.respond(self.path)
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Cache-Control", "no-store")
            if response.location is not None:
                self.send_header("Location", response.location)
            self.end_headers()
            if include_body:
                self.wfile.write(response.body)
        except (ConnectionError, TimeoutError) as exc:  # the browser left (a reload, a closed tab)
            self.close_connection = True
            reason = exc.strerror or type(exc).__name__
            request = f"{self.command} {self.path}"
            self.server.responder.log(f"{_client(self.client_address)} left before the answer to {request} ({reason})")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a request per second from the reload script would drown the build messages."""


def _client(address: Any) -> str:
    return f"{address[0]}:{address[1]}" if isinstance(address, tuple) and len(address) >= 2 else str(address)
