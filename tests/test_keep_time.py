"""The front page's clock between builds (keep-time.js, on with [site] stale_after), in headless Chromium with a
fixed clock: a maintenance window opens and closes without a rebuild, "As of" says its age and warns once stale,
a newer api/v2/summary.json replaces the banner, and with JavaScript off the page is exactly what the build wrote.

The site is served by a server on 127.0.0.1, as fetch() needs. The clock is fixed as Playwright's clock.install
does it: a script run before the page's own replaces Date, in a copy of the page made for the test."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import DEFAULT_CONFIG, NOW, incident, write_site
from loopback import serving

from sitegen.build import build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
CONFIG = DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "UTC"\nstale_after = 60')
WINDOW = """\
---
title: Database upgrade
kind: maintenance
scheduled_for: 2026-11-28T13:00:00Z
scheduled_until: 2026-11-28T14:00:00Z
updates:
  - at: 2026-11-27T09:00:00Z
    status: scheduled
    body: We will upgrade the database.
---
"""
FIXED_CLOCK = """\
(function () {
  var fixed = Date.parse("%s"), Real = Date;
  function Fixed() {
    return arguments.length ? new (Function.prototype.bind.apply(Real, [null].concat([].slice.call(arguments))))()
                            : new Real(fixed);
  }
  Fixed.now = function () { return fixed; };
  Fixed.parse = Real.parse; Fixed.UTC = Real.UTC; Fixed.prototype = Real.prototype;
  window.Date = Fixed;
})();
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("keep-time")
    site = write_site(
        root / "site",
        {"content/incidents/2026-11-28-database-upgrade.md": WINDOW, "content/incidents/2026-11-20-a.md": incident()},
        config=CONFIG,
    )
    out = root / "public"
    build_site(site, out, now=NOW)  # 12:00, an hour before the window
    handler = functools.partial(_Quiet, directory=str(out))
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield out, f"http://127.0.0.1:{server.server_address[1]}"


class _Quiet(SimpleHTTPRequestHandler):
    """Serves the built site; a request with ``?noscript`` gets a policy that lets no script run, as with
    JavaScript turned off (Chromium's own switch for that also stops --dump-dom)."""

    def end_headers(self) -> None:
        if self.path.endswith("?noscript"):
            self.send_header("Content-Security-Policy", "script-src 'none'")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def page_at(served: tuple[Path, str], moment: str, tmp_path: Path) -> BeautifulSoup:
    """The front page's DOM in Chromium once its scripts have run, with the clock fixed at ``moment``."""
    out, base = served
    name = f"at-{moment.replace(':', '')}"
    (out / f"{name}.js").write_text(FIXED_CLOCK % moment)
    page = (out / "index.html").read_text(encoding="utf-8")
    (out / f"{name}.html").write_text(
        page.replace('<script src="', f'<script src="{name}.js"></script><script src="', 1)
    )
    return dump(f"{base}/{name}.html", tmp_path)


def dump(url: str, tmp_path: Path) -> BeautifulSoup:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom"]  # fmt: skip
    done = subprocess.run([CHROMIUM, *flags, url], capture_output=True, text=True, timeout=120, check=True)  # type: ignore[list-item]
    return BeautifulSoup(done.stdout, "html.parser")


def window_item(soup: BeautifulSoup):
    (item,) = soup.select('section[aria-labelledby="maintenance-upcoming"] .incident-item')
    return item


def test_before_the_window_the_page_says_what_the_build_wrote_and_its_age(served, tmp_path: Path) -> None:
    soup = page_at(served, "2026-11-28T12:10:00Z", tmp_path)
    item = window_item(soup)
    assert not item.has_attr("hidden") and item.select(".keep-time__now") == []
    assert soup.select_one(".keep-time__age").get_text() == " (10 minutes ago)"
    assert soup.select(".keep-time__stale") == []


def test_inside_the_window_it_is_in_progress_and_the_stale_page_says_so(served, tmp_path: Path) -> None:
    soup = page_at(served, "2026-11-28T13:30:00Z", tmp_path)
    assert window_item(soup).select_one(".keep-time__now").get_text() == "Maintenance in progress"
    stale = soup.select_one(".banner .keep-time__stale")
    assert stale.get_text() == "This page may be out of date: it was built 90 minutes ago."
    assert stale["role"] == "status" and not stale.has_attr("hidden")


def test_after_the_window_it_is_gone(served, tmp_path: Path) -> None:
    soup = page_at(served, "2026-11-28T14:30:00Z", tmp_path)
    assert window_item(soup).has_attr("hidden")
    assert soup.select_one('section[aria-labelledby="maintenance-upcoming"]').has_attr("hidden")


def test_a_newer_summary_replaces_the_banner(served, tmp_path: Path) -> None:
    out, _ = served
    summary_path = out / "api" / "v2" / "summary.json"
    original = summary_path.read_text(encoding="utf-8")
    summary = json.loads(original)
    summary["page"]["updated_at"] = "2026-11-28T12:20:00.000Z"
    summary["status"] = {"indicator": "major", "description": "Partial System Outage"}
    summary_path.write_text(json.dumps(summary), encoding="utf-8")
    try:
        soup = page_at(served, "2026-11-28T12:25:00Z", tmp_path)
    finally:
        summary_path.write_text(original, encoding="utf-8")
    banner = soup.select_one(".banner")
    assert banner["class"] == ["banner", "banner--major"]
    assert banner.select_one(".banner__text").get_text() == "Partial System Outage"
    assert banner.select_one(".banner__time time")["datetime"] == "2026-11-28T12:20:00.000Z"
    assert banner.select_one(".keep-time__age").get_text() == " (5 minutes ago)"


def test_with_javascript_off_the_page_is_what_the_build_wrote(served, tmp_path: Path) -> None:
    out, base = served
    built = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    at_window = (out / "index.html").read_text(encoding="utf-8")
    (out / "js-off.html").write_text(
        at_window.replace('<script src="', '<script src="at-2026-11-28T133000Z.js"></script><script src="', 1)
    )
    (out / "at-2026-11-28T133000Z.js").write_text(FIXED_CLOCK % "2026-11-28T13:30:00Z")
    shown = dump(f"{base}/js-off.html?noscript", tmp_path)  # inside the window, and stale: with scripts, it changes
    assert shown.body.get_text(" ", strip=True) == built.body.get_text(" ", strip=True)
    assert shown.select("[hidden]") == [] and shown.select(".keep-time__age, .keep-time__stale") == []


def test_without_stale_after_the_page_keeps_no_time_and_fetches_nothing(make_site, tmp_path: Path) -> None:
    site = make_site({"content/incidents/2026-11-28-database-upgrade.md": WINDOW})
    build_site(site, tmp_path / "out", now=datetime.fromisoformat("2026-11-28T12:00:00+00:00"))
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "keep-time.js" not in page and "connect-src" not in page
