"""The status widget, embedded in a page of another origin (another port of 127.0.0.1) in headless Chromium.

The site is served as GitHub Pages serves it, readable from any origin; the
host page is served from a port of its own and includes ``embed.js`` by its
absolute URL. Skipped without Chromium or npm (for axe-core).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW, write_site
from test_a11y_support import CHROMIUM, NPM, Browser, axe_violations, install_axe, serve
from test_uptime import outage

from sitegen.build import build_site

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(NPM is None, reason="npm is not installed, so axe-core cannot be (.ci/run installs it)"),
]

SITES = {
    "incident": {
        "content/incidents/open.md": outage("2026-11-28T09:00:00Z", None, "api: major_outage", "Checkout is down")
    },
    "calm": {"content/incidents/over.md": outage("2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z", "db: major_outage")},
}
DOT = "document.querySelector('span[data-sitegen-status]')"
BANNER = "document.querySelector('div[data-sitegen-status]')"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Each site built for, and served at, its own URL on 127.0.0.1: {name: site URL}."""
    root = tmp_path_factory.mktemp("embed")
    with ExitStack() as stack:
        urls = {}
        for name, files in SITES.items():
            out = root / name / "public"
            urls[name] = stack.enter_context(serve(out, "/status/", shared=True))
            build_site(write_site(root / name / "site", files), out, now=NOW, base_url=urls[name])
        yield urls


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Browser]:
    chromium = Browser(tmp_path_factory.mktemp("chromium"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def axe(tmp_path_factory) -> str:
    return install_axe(tmp_path_factory.mktemp("axe"))


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Any]:
    """``host(script_url, attributes)``: the URL of a page of another origin with the widget's script in it."""
    with ExitStack() as stack:

        def page(script: str, attributes: str = "") -> str:
            folder = tmp_path / f"host{len(list(tmp_path.iterdir()))}"
            folder.mkdir()
            (folder / "index.html").write_text(
                '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Host app</title></head>'
                f'<body><main><h1>Host app</h1><p>Our service: <script src="{script}" async {attributes}></script></p>'
                "</main></body></html>",
                encoding="utf-8",
            )
            return stack.enter_context(serve(folder, "/"))

        yield page


def shown(browser: Browser, expression: str, timeout: float = 10.0) -> Any:
    """The value of ``expression`` once it is truthy (the widget fetches the summary after the page loads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := browser.evaluate(expression):
            return value
        time.sleep(0.05)
    raise AssertionError(f"never shown: {expression}")


def test_during_an_incident_the_dot_and_the_banner_show_and_axe_finds_nothing(browser, sites, host, axe) -> None:
    site = sites["incident"]
    browser.open(host(site + "embed.js"), width=1280)
    assert shown(browser, f"{DOT}?.shadowRoot.querySelector('a.dot')?.textContent") == "Major System Outage"
    assert browser.evaluate(f"{DOT}.shadowRoot.querySelector('a.dot').href") == site
    banner = shown(
        browser,
        f"(b => b && [b.textContent, [...b.querySelectorAll('a')].map(a => a.href)])"
        f"({BANNER}.shadowRoot.querySelector('section.banner'))",
    )
    assert "Checkout is down" in banner[0] and "Investigating" in banner[0]
    assert banner[1] == [site + "incidents/open/", site]
    assert "Checkout is down" in browser.evaluate(f"{BANNER}.shadowRoot.querySelector('[role=status]').textContent")
    violations = axe_violations(browser, axe)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['targets']}\n  {v['summary']}" for v in violations)


def test_the_banner_is_dismissed_with_the_keyboard_and_stays_so_for_the_same_news(browser, sites, host) -> None:
    page = host(sites["incident"] + "embed.js")
    browser.open(page, width=390)
    shown(browser, f"!!{BANNER}.shadowRoot.querySelector('section.banner button')")
    browser.evaluate(f"{BANNER}.shadowRoot.querySelector('section.banner button').focus()")
    for kind in ("rawKeyDown", "keyUp"):
        browser.send("Input.dispatchKeyEvent", type=kind, key="Escape", code="Escape", windowsVirtualKeyCode=27)
    assert browser.evaluate(f"{BANNER}.shadowRoot.querySelector('section.banner')") is None
    assert browser.evaluate(f"{DOT}.shadowRoot.activeElement.className") == "dot"  # focus is not lost
    browser.open(page, width=390)
    shown(browser, f"!!{DOT}?.shadowRoot.querySelector('a.dot')")
    time.sleep(0.3)
    assert browser.evaluate(f"{BANNER}.shadowRoot.querySelector('section.banner')") is None


def test_during_calm_the_dot_says_so_and_nothing_else_shows(browser, sites, host) -> None:
    browser.open(host(sites["calm"] + "embed.js"), width=1280)
    assert shown(browser, f"{DOT}?.shadowRoot.querySelector('a.dot')?.textContent") == "All Systems Operational"
    time.sleep(0.3)
    assert browser.evaluate(f"{BANNER}.shadowRoot.querySelector('section.banner')") is None
    assert browser.evaluate(f"{BANNER}.shadowRoot.querySelector('[role=status]').textContent") == ""


def test_the_banner_alone_follows_the_hosts_colour_scheme(browser, sites, host) -> None:
    page = host(sites["incident"] + "embed.js", 'data-show="banner"')
    background = f"getComputedStyle({BANNER}.shadowRoot.querySelector('section.banner')).backgroundColor"
    for scheme, colour in (("light", "rgb(255, 255, 255)"), ("dark", "rgb(28, 33, 43)")):
        browser.open(page, width=1280, scheme=scheme)
        shown(browser, f"!!{BANNER}.shadowRoot.querySelector('section.banner')")
        assert browser.evaluate(background) == colour
        assert browser.evaluate(DOT) is None


def test_the_iframe_page_shows_the_status_without_script_and_passes_axe(browser, sites, axe) -> None:
    browser.open(sites["incident"] + "embed/", width=390, scheme="dark")
    assert browser.evaluate("document.querySelector('.banner__text').textContent") == "Major System Outage"
    assert "Checkout is down" in browser.evaluate("document.querySelector('.embed__list').textContent")
    assert browser.evaluate("document.scripts.length") == 0
    violations = axe_violations(browser, axe)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['targets']}\n  {v['summary']}" for v in violations)
