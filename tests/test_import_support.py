"""Helpers the import tests share: the real samples, a fast politeness, and a loopback server.

The server is a real HTTP server on 127.0.0.1 playing the remote page: each
path answers with a script of responses (a 429, then a 500, then the
document...), the last of which keeps answering, and every request is
recorded with its time and headers. It can also serve a built site's folder
as a static host does (ignoring ``?page=N``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import loopback
import pytest

from sitegen.importers.fetching import Politeness

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "research-samples" / "importers"
"""The shared folder beside the repository (here and in CI); some samples' licences forbid copying them in."""
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared research samples are not here")
FAST = Politeness(retries=3, backoff=0.01, timeout=0.5)


def sample(name: str) -> Path:
    return SAMPLES / name


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode("utf-8")


@dataclass
class Seen:
    path: str
    at: float
    headers: dict[str, str]


class Remote:
    """Scripted answers by path (with its query); 404 for anything else."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.url = ""
        self.active = 0
        self.peak = 0
        """The most requests in progress at once."""

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def json(self, path: str, body: Any) -> None:
        self.route(path, Reply(body=body))

    def answer(self, path: str, headers: dict[str, str]) -> Reply:
        with self.lock:
            self.seen.append(Seen(path, time.monotonic(), headers))
            script = self.routes.get(path)
            if not script:
                return Reply(404, {"error": "not found"})
            return script.pop(0) if len(script) > 1 else script[0]

    def requests_for(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


class _Handler(BaseHTTPRequestHandler):
    remote: Remote

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        with self.remote.lock:
            self.remote.active += 1
            self.remote.peak = max(self.remote.peak, self.remote.active)
        try:
            self._reply(self.remote.answer(self.path, dict(self.headers)))
        finally:
            with self.remote.lock:
                self.remote.active -= 1

    def _reply(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        data = reply.payload()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting, as it should
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(handler: Any) -> Iterator[str]:
    with loopback.serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/"


@contextmanager
def remote_page() -> Iterator[Remote]:
    remote = Remote()
    handler = type("Handler", (_Handler,), {"remote": remote})
    with serving(handler) as url:
        remote.url = url
        yield remote


@contextmanager
def static_host(folder: Path) -> Iterator[str]:
    """``folder`` served as GitHub Pages would: files by path, the query ignored."""
    with serving(partial(_Quiet, directory=str(folder))) as url:
        yield url
