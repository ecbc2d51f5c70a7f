"""``sitegen serve`` under attack: DNS rebinding, half-open connections, clients that leave mid-answer.

Each test starts a real server on 127.0.0.1 and talks to it over sockets.
"""

from __future__ import annotations

import http.client
import socket
import struct
import time
from collections.abc import Iterator

import pytest
from conftest import DEFAULT_CONFIG, NOW, incident

from sitegen.authoring import serve_http
from sitegen.authoring.serve import Server
from sitegen.authoring.serve_http import host_allowed

THEMED = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\ntheme = "big"')


@pytest.fixture
def served(make_site, tmp_path, monkeypatch) -> Iterator[tuple[Server, list[str]]]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(serve_http, "IDLE_SECONDS", 0.5)
    site = make_site(
        {"content/incidents/2026-11-20-a.md": incident(), "themes/big/static/big.bin": b"\0" * 16_000_000},
        config=THEMED,
    )
    said: list[str] = []
    server = Server(site, port=0, now=NOW, log=said.append)
    server.start()
    try:
        yield server, said
    finally:
        server.stop()


def get(server: Server, path: str, host: str | None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_a_dns_rebinding_page_cannot_read_drafts(served) -> None:
    server, said = served
    status, body = get(server, "/status/", f"attacker.example:{server.port}")
    assert status == 421 and "Test Status" not in body
    assert said[-1].startswith(f"Refused a request for host 'attacker.example:{server.port}'")
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", "localhost", None):
        assert get(server, "/status/", host)[0] == 200, host
    assert get(server, "/status/", "localhost:1")[0] == 421  # a page of another origin


@pytest.mark.parametrize(
    "header, listening, expected",
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("[::1]:8000", "::1", True),
        ("192.168.1.5:8000", "0.0.0.0", True),
        ("app.localhost:8000", "127.0.0.1", True),
        ("devbox.lan:8000", "devbox.lan", True),
        ("LOCALHOST.:8000", "127.0.0.1", True),
        ("evil.example:8000", "127.0.0.1", False),
        ("evil.example", "0.0.0.0", False),
        ("127.0.0.1.evil.example:8000", "127.0.0.1", False),
        ("localhost:8001", "127.0.0.1", False),
        ("localhost:http", "127.0.0.1", False),
    ],
)
def test_host_names_that_are_not_the_server_are_refused(header: str, listening: str, expected: bool) -> None:
    assert host_allowed(header, listening, 8000) is expected


def test_a_half_open_connection_is_closed_after_the_idle_time(served) -> None:
    server, _ = served
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as idle:
        idle.sendall(b"GET /status/ HTTP/1.1\r\n")  # and never the rest
        started = time.monotonic()
        assert idle.recv(1024) == b""  # the server closed it
    assert time.monotonic() - started < 3


def test_a_client_that_leaves_mid_answer_is_one_line_in_the_log(served, capfd) -> None:
    server, said = served
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as leaver:
        leaver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        leaver.sendall(f"GET /status/assets/big.bin HTTP/1.0\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
        assert leaver.recv(64).startswith(b"HTTP/1.0 200")
        leaver.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # leave with a reset
    deadline = time.monotonic() + 10
    while not any("left before the answer" in line for line in said) and time.monotonic() < deadline:
        time.sleep(0.05)
    (line,) = [line for line in said if "left before the answer" in line]
    assert "GET /status/assets/big.bin" in line and "\n" not in line
    assert "Traceback" not in capfd.readouterr().err
    assert get(server, "/status/", None)[0] == 200  # and it goes on serving
