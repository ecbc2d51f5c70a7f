"""Servers the tests start on 127.0.0.1: one way to run any of them in a thread for the length of a block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import BaseServer, ThreadingMixIn
from typing import TypeVar

S = TypeVar("S", bound=BaseServer)


POLL_SECONDS = 0.02
"""How often the serving thread looks whether to stop: shutting down waits up to this long, once per test."""


@contextmanager
def serving(server: S) -> Iterator[S]:
    """Serve with ``server`` from a thread while the block runs, then shut it down and close its socket.

    Request threads (of a threading server) are daemons, so a client that hangs never holds the test up.
    """
    if isinstance(server, ThreadingMixIn):
        server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
