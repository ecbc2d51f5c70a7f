"""Fetching JSON documents from another system, politely.

Status pages are someone's production service, often mid-incident when an
import runs, so the crawl asks little of them: at most ``concurrency``
requests at once, at least ``interval`` seconds between the starts of two
requests, and a retry with doubling back-off for a timeout, a dropped
connection or a 5xx. A 429 pauses *every* request until its
``Retry-After`` has passed. Anything else (a 404, a 403) is an answer, not
a hiccup, and fails the import at once with the URL and the status.
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

from sitegen.http import retry_after, user_agent
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

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.client.close()

    def json(self, url: str) -> Any:
        """The JSON document at ``url``; FetchFailed when it cannot be had or is not JSON."""
        response = self._get(url)
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("content-type", "unknown").split(";")[0]
            raise FetchFailed(f"{url}: the answer is not JSON ({kind}): is this the right address?") from None

    def json_many(self, urls: Sequence[str], *, what: str, progress: Progress | None = None) -> list[Any]:
        """The documents at ``urls``, in order, fetched ``concurrency`` at a time; the first failure stops all."""
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

    def _get(self, url: str) -> httpx.Response:
        retries = self.politeness.retries
        problem = ""
        for attempt in range(retries + 1):
            self._wait_turn()
            try:
                response = self.client.get(url)
            except httpx.TimeoutException:
                problem = f"no answer within {self.politeness.timeout:g} s"
            except httpx.TransportError as exc:
                problem = f"cannot connect ({exc})"
            else:
                if response.status_code == 429:
                    self._pause(self._retry_after(url, response, attempt))
                    problem = "429 Too Many Requests"
                    continue
                if response.status_code < 400:
                    return response
                problem = f"{response.status_code} {response.reason_phrase}"
                if response.status_code < 500:
                    raise FetchFailed(f"{url}: {problem}")
            if attempt < retries:
                time.sleep(self.politeness.backoff * 2**attempt)
        raise FetchFailed(f"{url}: {problem} (tried {retries + 1} times)")

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
