"""A hostile or broken server cannot make an import hang, eat the machine or end in a traceback.

Each test starts a real HTTP server on 127.0.0.1 that misbehaves one way (a
drip of a byte at a time, a gzip bomb, a redirect loop, JSON nested 200,000
deep, a history listing codes without end), with the limits made tiny.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import write_site
from test_import_support import serving

from sitegen.commands.main import main
from sitegen.importers.errors import FetchFailed
from sitegen.importers.fetching import Fetcher, Politeness

TINY = Politeness(retries=0, backoff=0.01, timeout=2.0, max_bytes=100_000, request_seconds=1.0, max_requests=50)


def answering(respond: Callable[[BaseHTTPRequestHandler], None]) -> Any:
    """A server whose every GET is answered by ``respond``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            try:
                respond(self)
            except (BrokenPipeError, ConnectionResetError):  # the client stopped reading, as it should
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return serving(Handler)


def head(handler: BaseHTTPRequestHandler, status: int = 200, **headers: str) -> None:
    handler.send_response(status)
    for name, value in {"Content-Type": "application/json", **headers}.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()


def fetch(url: str, politeness: Politeness = TINY) -> str:
    with Fetcher(politeness) as fetcher, pytest.raises(FetchFailed) as failed:
        fetcher.json(url)
    message = str(failed.value)
    assert "\n" not in message
    return message


def test_a_server_that_drips_a_byte_at_a_time_is_given_up_on_after_the_request_time() -> None:
    def drip(handler: BaseHTTPRequestHandler) -> None:
        head(handler)
        for _ in range(100):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)

    with answering(drip) as url:
        started = time.monotonic()
        message = fetch(url + "api/v2/summary.json")
    assert time.monotonic() - started < 3  # each byte came within the read timeout (2 s), ten of them a second
    assert "took longer than 1 s: the server is too slow" in message


def test_a_gzip_bomb_stops_at_the_size_limit_once_decompressed() -> None:
    bomb = gzip.compress(b" " * 50_000_000, compresslevel=9)  # 50 MB of spaces in some 50 KB
    assert len(bomb) < TINY.max_bytes

    def explode(handler: BaseHTTPRequestHandler) -> None:
        head(handler, Content_Encoding="gzip", Content_Length=str(len(bomb)))
        handler.wfile.write(bomb)

    with answering(explode) as url:
        message = fetch(url + "api/v2/summary.json")
    assert "larger than 100,000 bytes" in message


def test_an_answer_larger_than_the_limit_as_sent_is_refused() -> None:
    def huge(handler: BaseHTTPRequestHandler) -> None:
        head(handler)  # no Content-Length: the size is seen as it comes
        handler.wfile.write(b"[" + b"0," * 100_000 + b"0]")

    with answering(huge) as url:
        assert "larger than 100,000 bytes" in fetch(url + "a.json")

    def declared(handler: BaseHTTPRequestHandler) -> None:
        head(handler, Content_Length="10000000000")

    with answering(declared) as url:
        assert "larger than 100,000 bytes" in fetch(url + "a.json")


def test_a_redirect_loop_is_one_line() -> None:
    def loop(handler: BaseHTTPRequestHandler) -> None:
        head(handler, 302, Location=handler.path)

    with answering(loop) as url:
        assert "redirects without end" in fetch(url + "api/v2/summary.json")


def test_an_answer_that_is_not_the_gzip_it_claims_is_one_line() -> None:
    def lie(handler: BaseHTTPRequestHandler) -> None:
        head(handler, Content_Encoding="gzip", Content_Length="12")
        handler.wfile.write(b"not gzip at all"[:12])

    with answering(lie) as url:
        assert "not in the compression it says it is in" in fetch(url + "api/v2/summary.json")


def test_json_nested_200000_deep_is_one_line() -> None:
    deep = b"[" * 200_000 + b"]" * 200_000

    def nested(handler: BaseHTTPRequestHandler) -> None:
        head(handler, Content_Length=str(len(deep)))
        handler.wfile.write(deep)

    with answering(nested) as url:
        politeness = Politeness(retries=0, timeout=2.0)
        assert "not JSON (nested too deeply" in fetch(url + "api/v2/summary.json", politeness)


def test_a_history_listing_codes_without_end_stops_at_the_request_allowance(tmp_path: Path) -> None:
    def endless(handler: BaseHTTPRequestHandler) -> None:
        if handler.path.startswith("/history.json"):
            page = int(handler.path.rsplit("=", 1)[1])
            codes = [{"code": f"c{page}x{n}"} for n in range(200)]
            body = json.dumps({"months": [{"name": "May", "year": 2024, "incidents": codes}]}).encode()
        else:
            body = json.dumps({"page": {"id": "p", "name": "P", "url": "http://x", "time_zone": "UTC"}}).encode()
        head(handler, Content_Length=str(len(body)))
        handler.wfile.write(body)

    site = write_site(tmp_path / "site", {})
    with answering(endless) as url:
        result = CliRunner().invoke(main, ["import", "statuspage", url, "--site", str(site), "--retries", "0"])
    assert result.exit_code == 1
    assert "requests in all): it does not answer as a status page does" in result.output
    assert "Traceback" not in result.output and len(result.output.splitlines()) <= 3


def test_a_history_page_listing_thousands_of_incidents_stops_at_once(tmp_path: Path) -> None:
    def crowded(handler: BaseHTTPRequestHandler) -> None:
        codes = [{"code": f"c{n}"} for n in range(2000)]
        document = {"months": [{"name": "May", "year": 2024, "incidents": codes}]}
        if not handler.path.startswith("/history.json"):
            document = {"page": {"id": "p", "name": "P", "url": "http://x", "time_zone": "UTC"}}
        body = json.dumps(document).encode()
        head(handler, Content_Length=str(len(body)))
        handler.wfile.write(body)

    site = write_site(tmp_path / "site", {})
    with answering(crowded) as url:
        result = CliRunner().invoke(main, ["import", "statuspage", url, "--site", str(site), "--retries", "0"])
    assert result.exit_code == 1
    assert "lists 2000 incidents in one quarter, more than 1000" in result.output
    assert "Traceback" not in result.output and not (site / "content").exists()


@pytest.mark.parametrize("url", ["https://[status.example.com", "http://[::1"])
def test_an_address_that_is_no_address_is_one_line(tmp_path: Path, url: str) -> None:
    result = CliRunner().invoke(main, ["import", "statuspage", url, "--site", str(tmp_path / "site")])
    assert result.exit_code == 1 and "is not an http(s) address of a status page" in result.output
    assert "Traceback" not in result.output


def test_a_saved_export_nested_200000_deep_is_one_line(tmp_path: Path) -> None:
    saved = tmp_path / "incidents.json"
    saved.write_text("[" * 200_000 + "]" * 200_000)
    result = CliRunner().invoke(main, ["import", "statuspage", str(saved), "--site", str(tmp_path / "site")])
    assert result.exit_code == 1 and "is not JSON: nested too deeply to read" in result.output
    assert "Traceback" not in result.output


def test_an_import_that_runs_past_its_total_time_stops_with_one_line() -> None:
    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(0.3)
        head(handler, Content_Length="2")
        handler.wfile.write(b"{}")

    politeness = Politeness(retries=0, timeout=2.0, total_seconds=0.5)
    with answering(slow) as url, Fetcher(politeness) as fetcher:
        assert fetcher.json(url + "a.json") == {}
        with pytest.raises(FetchFailed, match="the import took longer than 0.5 s: try again later"):
            fetcher.json(url + "b.json")


def test_json_nested_200000_deep_is_one_line_in_check_published_and_notify(tmp_path: Path) -> None:
    from test_notify_support import Story

    deep = "[" * 200_000 + "]" * 200_000
    story = Story(tmp_path, 'type = "slack"\nurl_env = "SLACK_URL"')
    saved = tmp_path / "incidents.json"
    saved.write_text(deep)
    check = CliRunner().invoke(main, ["check", str(story.site), "--published", str(saved)])
    assert "Traceback" not in check.output and "is not JSON" in check.output
    (story.published / "api" / "notifications.json").write_text(deep)
    story.grow()
    notify = story.announce({"SLACK_URL": "http://127.0.0.1:9/"})
    assert notify.exit_code == 1 and notify.exception is not None and isinstance(notify.exception, SystemExit)
    assert notify.output.splitlines()[0].endswith(
        "notifications.json is not JSON (nested too deeply to read): it is not a record that sitegen notify wrote"
    )
