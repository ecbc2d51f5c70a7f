"""Fetching JSON documents from another system, politely.

Status pages are someone's production service, often mid-incident when an
import runs, so the crawl asks little of them: at most ``concurrency``
requests at once, at least ``interval`` seconds between the starts of two
requests, and a retry with doubling back-off for a timeout, a dropped
connection or a 5xx. A 429 pauses *every* request until its
``Retry-After`` has passed. Anything else (a 404, a 403) is an answer, not
a hiccup, and fails the import at once with the URL and the status.

A hostile or broken server cannot make the import hang or eat the
machine: each answer is bounded in size (as sent, and once decompressed:
a gzip bomb stops at the limit), each request in time from its first byte
to its last (a server that drips a byte a second does not reset a clock),
the whole import in time and in requests (a history that lists codes
without end stops), a redirect loop and JSON nested past what Python can
parse are one line each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from sitegen.http import parse_json, retry_after, user_agent
from sitegen.importers.errors import FetchFailed

Progress = Callable[[str, int, int], None]
"""Called as (what is being fetched, how many are done, how many in all)."""
USER_AGENT = user_agent("status page import")


@dataclass(frozen=True)
class Politeness:
    """How hard a crawl may press; tests shorten the waits."""

    concurrency: int = 2
    retries: int = 4
    """Tries after the first one, for a timeout, a lost connection, a 5xx or a 429."""
    backoff: float = 1.0
    """Seconds before the first retry; each further one waits twice as long."""
    timeout: float = 30.0
    interval: float = 0.0
    """Seconds between the starts of two requests (the management API allows one a second)."""
    longest_wait: float = 600.0
    """A Retry-After longer than this fails the import instead of waiting."""
    max_bytes: int = 64 * 1024 * 1024
    """The largest answer, as sent and decompressed (Statuspage's largest documents are a few megabytes)."""
    request_seconds: float = 300.0
    """The longest one request may take, from asking to the last byte."""
    total_seconds: float = 4 * 3600.0
    """The longest a whole import may take."""
    max_requests: int = 50_000
    """The most requests one import makes (GitHub's whole history is some 1,400)."""


class Fetcher:
    """One HTTP client, shared by the requests of one import, with the waits above."""

    def __init__(self, politeness: Politeness = Politeness(), *, headers: dict[str, str] | None = None):
        self.politeness = politeness
        self.client = httpx.Client(
            timeout=politeness.timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
        )
        self._lock = threading.Lock()
        self._not_before = 0.0
        self._last_start = float("-inf")
        self._ends = time.monotonic() + politeness.total_seconds
        self._requests = 0

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.client.close()

    def json(self, url: str) -> Any:
        """The JSON document at ``url``; FetchFailed when it cannot be had or is not JSON."""
        body, kind = self._get(url)
        try:
            return parse_json(body)
        except ValueError as exc:
            reason = f"nested too deeply ({exc})" if "nested" in str(exc) else kind
            raise FetchFailed(f"{url}: the answer is not JSON ({reason}): is this the right address?") from None

    def json_many(self, urls: Sequence[str], *, what: str, progress: Progress | None = None) -> list[Any]:
        """The documents at ``urls``, in order, fetched ``concurrency`` at a time; the first failure stops all."""
        self._count(len(urls), what, take=False)
        results: list[Any] = [None] * len(urls)
        with ThreadPoolExecutor(max_workers=self.politeness.concurrency) as pool:
            futures: dict[Future[Any], int] = {pool.submit(self.json, url): n for n, url in enumerate(urls)}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in done:
                    error = future.exception()
                    if error is not None:
                        pool.shutdown(cancel_futures=True)
                        raise error
                    results[futures[future]] = future.result()
                if progress is not None:
                    progress(what, len(urls) - len(pending), len(urls))
        return results

    @property
    def _out_of_time(self) -> str:
        return f"the import took longer than {self.politeness.total_seconds:g} s: try again later"

    def _count(self, requests: int, what: str, *, take: bool = True) -> None:
        """Take ``requests`` from the import's allowance (or see that they fit); FetchFailed past it or its time."""
        politeness = self.politeness
        with self._lock:
            if self._requests + requests > politeness.max_requests:
                raise FetchFailed(
                    f"the source lists more {what} than an import reads ({politeness.max_requests:,} requests "
                    "in all): it does not answer as a status page does"
                )
            if time.monotonic() > self._ends:
                raise FetchFailed(self._out_of_time)
            self._requests += requests if take else 0

    def _get(self, url: str) -> tuple[bytes, str]:
        """The body and content type of the answer at ``url``, within the bounds of :class:`Politeness`."""
        retries = self.politeness.retries
        problem = ""
        for attempt in range(retries + 1):
            self._count(1, "documents")
            self._wait_turn()
            try:
                with self.client.stream("GET", url) as response:
                    if response.status_code == 429:
                        self._pause(self._retry_after(url, response, attempt))
                        problem = "429 Too Many Requests"
                        continue
                    if response.status_code < 400:
                        return self._read(url, response), response.headers.get("content-type", "unknown").split(";")[0]
                    problem = f"{response.status_code} {response.reason_phrase}"
                    if response.status_code < 500:
                        raise FetchFailed(f"{url}: {problem}")
            except httpx.TimeoutException:
                problem = f"no answer within {self.politeness.timeout:g} s"
            except httpx.TooManyRedirects:
                raise FetchFailed(f"{url}: redirects without end (a loop): give the page's own address") from None
            except httpx.DecodingError:
                raise FetchFailed(f"{url}: the answer is not in the compression it says it is in") from None
            except httpx.TransportError as exc:
                problem = f"cannot connect ({exc})"
            if attempt < retries:
                time.sleep(self.politeness.backoff * 2**attempt)
        raise FetchFailed(f"{url}: {problem} (tried {retries + 1} times)")

    def _read(self, url: str, response: httpx.Response) -> bytes:
        """The answer's body, stopped at ``max_bytes`` (as sent or decompressed) and at the request's deadline."""
        limit, seconds = self.politeness.max_bytes, self.politeness.request_seconds
        deadline = time.monotonic() + seconds
        late = f"{url}: the answer took longer than {seconds:g} s: the server is too slow, try again later"
        if deadline > self._ends:
            deadline, late = self._ends, self._out_of_time
        too_big = f"{url}: the answer is larger than {limit:,} bytes: it is not a status page's document"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailed(too_big)
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit or response.num_bytes_downloaded > limit:
                raise FetchFailed(too_big)
            if time.monotonic() > deadline:
                raise FetchFailed(late)
        return bytes(body)

    def _wait_turn(self) -> None:
        """Wait until this request may start: after any pause, and ``interval`` after the previous start."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._not_before, self._last_start + self.politeness.interval)
            self._last_start = start
        time.sleep(max(0.0, start - now))

    def _pause(self, seconds: float) -> None:
        with self._lock:
            self._not_before = max(self._not_before, time.monotonic() + seconds)

    def _retry_after(self, url: str, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait after a 429: its Retry-After (seconds or an HTTP date), else the back-off."""
        seconds = retry_after(response.headers.get("retry-after", ""))
        if seconds is None:
            return self.politeness.backoff * 2**attempt
        if seconds > self.politeness.longest_wait:
            raise FetchFailed(f"{url}: the server asks to wait {seconds:.0f} s before asking again; try later")
        return seconds
