"""Shared by the notify tests: a real HTTP server on 127.0.0.1 that records requests, and small sites.

The server answers each path from a script (a status, headers, a body, or
a stall longer than the client's timeout) and then 200, and serves files
for GET (a published record of announcements). Nothing here stands in for
sitegen's own code: the tests run the real command against the real server.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from conftest import DEFAULT_CONFIG, NOW, write_site

from sitegen.build import build_site
from sitegen.commands.notify import notify

NOW_TEXT = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
QUICK = ["--timeout", "0.4", "--retries", "2", "--backoff", "0.05"]
"""Manners that keep the tests fast: a stalled server costs 0.4 s a try."""


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0
    """Seconds to wait before answering: more than the client's timeout makes it give up."""


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


class Recorder:
    """An HTTP server on 127.0.0.1 in a thread; use it as a context manager."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.scripts: dict[str, list[Reply]] = {}
        self.files: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> Recorder:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def script(self, path: str, *replies: Reply) -> None:
        """Answer the next requests to ``path`` with ``replies``, in order; 200 after them."""
        self.scripts.setdefault(path, []).extend(replies)

    def at(self, path: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.path.split("?")[0] == path]

    def next_reply(self, path: str) -> Reply:
        with self.lock:
            queue = self.scripts.get(path, [])
            return queue.pop(0) if queue else Reply()


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            self._record(b"")
            if path in recorder.files:
                self._answer(Reply(200, recorder.files[path], {"Content-Type": "application/json"}))
            else:
                self._answer(recorder.next_reply(path) if path in recorder.scripts else Reply(404, b"not found"))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._record(body)
            self._answer(recorder.next_reply(self.path.split("?")[0]))

        def _record(self, body: bytes) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with recorder.lock:
                recorder.requests.append(Recorded(self.command, self.path, headers, body, time.monotonic()))

        def _answer(self, reply: Reply) -> None:
            if reply.stall:
                time.sleep(reply.stall)
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except OSError:  # the client gave up (a timeout test)
                pass

    return Handler


# ---- sites --------------------------------------------------------------------------

FIRST = """\
---
title: API errors
components:
  api: major_outage
updates:
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: We are looking into **errors** on the API.
---
"""
UPDATES = """\
  - at: 2026-11-20T10:30:00Z
    status: identified
    body: A **bad** deploy. Rolled back <!channel> & @everyone.
    components:
      api: degraded_performance
  - at: 2026-11-20T11:00:00Z
    status: resolved
    body: Fixed.
"""
DB_INCIDENT = """\
---
title: Database slow
components:
  db: degraded_performance
updates:
  - at: 2026-11-21T09:00:00Z
    status: investigating
    body: Queries are slow.
---
"""


def config(*channels: str) -> str:
    """The default test config with these [[notify]] tables (TOML text each)."""
    return DEFAULT_CONFIG + "".join(f"\n[[notify]]\n{channel.strip()}\n" for channel in channels)


_BUILDS: dict[str, Path] = {}
_BUILD_CACHE = Path(tempfile.mkdtemp(prefix="sitegen-notify-builds-"))
atexit.register(shutil.rmtree, _BUILD_CACHE, True)


def build(site: Path, out: Path) -> None:
    """``sitegen build`` of ``site`` into ``out``; each content is built once a session and copied after.

    The [[notify]] tables do not change the built site, so the tests' many
    sites that differ only in their channels share their builds.
    """
    files = sorted((site / "content").rglob("*.md"))
    key = hashlib.sha256(b"".join(f"{p.relative_to(site)}\0".encode() + p.read_bytes() for p in files)).hexdigest()
    if key not in _BUILDS:
        build_site(site, _BUILD_CACHE / key, now=NOW)
        _BUILDS[key] = _BUILD_CACHE / key
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(_BUILDS[key], out)


class Story:
    """A site told in two acts: first published (the record started), then grown and announced."""

    def __init__(self, root: Path, *channels: str) -> None:
        self.root = root
        self.site = write_site(
            root / "site", {"content/incidents/2026-11-20-api-errors.md": FIRST}, config=config(*channels)
        )
        self.published = root / "published"
        build(self.site, self.published)
        empty = root / "nothing-published"
        empty.mkdir()
        result = run_notify(self.site, self.published, str(empty))
        assert result.exit_code == 0, result.output
        self.out = root / "public"

    def grow(self, *files: tuple[str, str], updates: str = UPDATES) -> None:
        """Add ``updates`` to the incident (and other files), and build into ``out``."""
        grown = FIRST.removesuffix("---\n") + updates + "---\n"
        write_site(self.site, {"content/incidents/2026-11-20-api-errors.md": grown, **dict(files)}, config=None)
        build(self.site, self.out)

    def announce(self, env: dict[str, str], *extra: str, published: Path | str | None = None) -> Result:
        return run_notify(self.site, self.out, str(published or self.published), *extra, env=env)

    def deploy(self) -> None:
        """What the deploy does: the built site, record included, becomes the published one."""
        shutil.rmtree(self.published)
        shutil.copytree(self.out, self.published)


def run_notify(site: Path, out: Path, published: str, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = [str(site), "-o", str(out), "--published", published, "--now", NOW_TEXT, *QUICK, *extra]
    return CliRunner().invoke(notify, args, env=env or {})


def ledger(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "api" / "notifications.json").read_text())


def posts(server: Recorder, path: str = "/hook") -> list[Any]:
    return [r.json() for r in server.at(path) if r.method == "POST"]


def recorder() -> Iterator[Recorder]:
    with Recorder() as server:
        yield server
